"use client";
import { useCallback, useEffect, useState } from "react";
import type { Snapshot } from "@/lib/k8s/contract";
import { advance, EMPTY_PROGRESS, parseProgress, restart, type LessonProgress } from "@/lib/lessons/progress";
import type { Lesson } from "@/lib/lessons";
import type { Abilities } from "@/lib/lessons/abilities";

const STORAGE_KEY = "sts-playground.lessons.v1";

function load(): Record<string, LessonProgress> {
  try {
    return parseProgress(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return {}; // storage disabled: progress lives as long as the page
  }
}

function save(all: Record<string, LessonProgress>): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
  } catch {
    // Quota or disabled storage: keep going without remembering.
  }
}

/**
 * Progress of every lesson, kept in the browser. The open lesson advances whenever the watched
 * snapshot changes (its steps tick from the cluster's state, never from a timer).
 */
export function useLessonProgress(lesson: Lesson, snapshot: Snapshot, can: Abilities) {
  const [all, setAll] = useState<Record<string, LessonProgress>>({});
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    // Read after mount: the server render has no localStorage, and both renders must agree first.
    setAll(load()); // eslint-disable-line react-hooks/set-state-in-effect
    setLoaded(true);
  }, []);
  const progress = all[lesson.id] ?? EMPTY_PROGRESS;
  useEffect(() => {
    if (!loaded) return;
    const next = advance(lesson, all[lesson.id] ?? restart(lesson, snapshot, can), snapshot, can);
    if (next === all[lesson.id]) return;
    const updated = { ...all, [lesson.id]: next };
    setAll(updated); // eslint-disable-line react-hooks/set-state-in-effect
    save(updated);
  }, [lesson, snapshot, can, all, loaded]);
  const reset = useCallback(() => {
    setAll((current) => {
      const updated = { ...current, [lesson.id]: restart(lesson, snapshot, can) };
      save(updated);
      return updated;
    });
  }, [lesson, snapshot, can]);
  return { progress, restart: reset };
}
