"use client";
import { useCallback, useEffect, useSyncExternalStore } from "react";

/**
 * How the page looks, remembered per browser: the theme (the system's prefers-color-scheme unless
 * the toggle chose light or dark) and presenter mode. Applied as data-theme / data-presenter on
 * <html>, which app/globals.css styles. Read through useSyncExternalStore, so the server render
 * (which cannot know) and hydration agree, and other tabs' changes arrive too.
 */
const THEME_KEY = "playground-theme";
const PRESENTER_KEY = "playground-presenter";
const CHANGED = "playground-view-prefs";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: the choice lasts until the next change event only.
  }
  window.dispatchEvent(new Event(CHANGED));
}

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia?.(DARK_QUERY);
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  media?.addEventListener("change", onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
    media?.removeEventListener("change", onChange);
  };
}

/** "light" | "dark" when chosen, "system" otherwise, plus the system's preference: one string, so snapshots compare by value. */
function snapshot(): string {
  const theme = read(THEME_KEY);
  const chosen = theme === "light" || theme === "dark" ? theme : "system";
  const systemDark = window.matchMedia?.(DARK_QUERY).matches === true;
  return `${chosen}|${systemDark ? "dark" : "light"}|${read(PRESENTER_KEY) === "1" ? "presenter" : ""}`;
}

const serverSnapshot = () => "system|light|";

export function useViewPrefs() {
  const [theme, system, presenterFlag] = useSyncExternalStore(subscribe, snapshot, serverSnapshot).split("|");
  const presenter = presenterFlag === "presenter";
  const dark = theme === "dark" || (theme === "system" && system === "dark");

  useEffect(() => {
    const root = document.documentElement;
    // Always the effective theme, so one CSS block styles dark whether chosen or the system's.
    root.dataset.theme = dark ? "dark" : "light";
    if (presenter) root.dataset.presenter = "";
    else delete root.dataset.presenter;
  }, [dark, presenter]);

  const toggleDark = useCallback(() => write(THEME_KEY, dark ? "light" : "dark"), [dark]);
  const togglePresenter = useCallback(() => write(PRESENTER_KEY, presenter ? null : "1"), [presenter]);
  return { dark, presenter, toggleDark, togglePresenter };
}
