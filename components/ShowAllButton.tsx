"use client";
import { styles } from "./styles";

/**
 * "Show all N …" / "Show fewer" under a list that shows only its first few items: at 1,000 pods a
 * list of every name says nothing more to a class, and redrawing it on every change costs frames.
 */
export function ShowAllButton({ expanded, onToggle, showAll, showFewer }: { expanded: boolean; onToggle: () => void; showAll: string; showFewer: string }) {
  return (
    <button type="button" className={`mt-2 ${styles.smallButton}`} aria-expanded={expanded} onClick={onToggle}>
      {expanded ? showFewer : showAll}
    </button>
  );
}
