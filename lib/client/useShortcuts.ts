"use client";
import { useEffect, useRef } from "react";

/**
 * Single-key shortcuts for the whole page (presenter mode's remote control). Ignored while typing in
 * a field, with a modifier held (browser and screen-reader shortcuts stay theirs), or while a modal
 * dialog is open (its own keys apply). On a focused slider or radio, arrow keys stay native.
 */
export type ShortcutMap = Record<string, () => void>;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["button", "checkbox", "submit", "reset"].includes(type);
}

export function useShortcuts(shortcuts: ShortcutMap, enabled = true): void {
  const current = useRef(shortcuts);
  useEffect(() => {
    current.current = shortcuts;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isEditable(event.target) || document.querySelector("dialog[open]")) return;
      const action = current.current[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}

/** Clicks the control marked data-shortcut="name" (inside `scope` when given), so a shortcut does exactly what the click does. */
export function clickShortcut(name: string, scope?: string): boolean {
  const root = scope ? document.querySelector(scope) : document;
  const button = root?.querySelector<HTMLButtonElement>(`[data-shortcut="${name}"]`);
  if (!button || button.disabled) return false;
  button.click();
  return true;
}
