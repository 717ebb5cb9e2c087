"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { clickShortcut, useShortcuts } from "@/lib/client/useShortcuts";
import type { Replay } from "@/lib/client/useReplay";
import type { SpeedState } from "@/lib/k8s/speed";
import { ShortcutHelp } from "./ShortcutHelp";

interface Props {
  /** The chosen StatefulSet's pods, in ordinal order (what `s` cycles through). */
  pods: string[];
  clock?: SpeedState;
  embedded: boolean;
  replay: Replay;
  onToggleDark: () => void;
  onTogglePresenter: () => void;
  help: boolean;
  onHelp: (open: boolean) => void;
}

/**
 * The page's keyboard: a teacher at a projector scales, deletes, pauses and steps through the
 * timeline without the mouse. Every action clicks the same control the mouse would (data-shortcut),
 * so its kubectl command, confirmation dialog and errors are the same.
 */
export function KeyboardShortcuts({ pods, clock, embedded, replay, onToggleDark, onTogglePresenter, help, onHelp }: Props) {
  const t = useTranslations("Shortcuts");
  const [selected, setSelected] = useState<string>();
  const current = selected && pods.includes(selected) ? selected : undefined;
  const inCard = (name: string) => (current ? clickShortcut(name, `[aria-label=${JSON.stringify(`Pod ${current}`)}]`) : false);
  const stepBack = () => (replay.history ? replay.step(-1) : replay.start(true));
  useShortcuts({
    "+": () => clickShortcut("scale-up"),
    "=": () => clickShortcut("scale-up"),
    "-": () => clickShortcut("scale-down"),
    s: () => setSelected(pods[(current ? pods.indexOf(current) + 1 : 0) % Math.max(1, pods.length)]),
    d: () => inCard("delete"),
    f: () => inCard("force-delete"),
    // The current step's Do it (the only one enabled), exactly as a click on it.
    n: () => clickShortcut("lesson-do-it", '[data-state="current"]'),
    " ": () => {
      if (embedded && clock) void api.setSpeed({ paused: !clock.paused }).catch(() => undefined);
    },
    ArrowLeft: stepBack,
    ArrowRight: () => replay.step(1),
    l: replay.live,
    Escape: replay.live,
    p: onTogglePresenter,
    t: onToggleDark,
    "?": () => onHelp(!help),
  });
  return (
    <>
      {current && <style>{`[aria-label=${JSON.stringify(`Pod ${current}`)}]{outline:4px dashed var(--color-sky-600);outline-offset:3px;border-radius:1rem}`}</style>}
      <p className="sr-only" aria-live="polite">
        {current ? t("selected", { pod: current }) : ""}
      </p>
      {help && <ShortcutHelp onClose={() => onHelp(false)} />}
    </>
  );
}
