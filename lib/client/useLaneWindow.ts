"use client";
import { useCallback, useEffect, useRef, useState } from "react";

/** Lanes rendered on each side of the ones in view (a quick scroll shows rendered lanes, not gaps). */
const OVERSCAN = 4;
/** Before the scroller is measured (and on the server): the first lanes, more than a 1920-wide screen holds. */
export const INITIAL_LANES = 24;

export interface LaneWindow {
  /** The first lane rendered. */
  start: number;
  /** One past the last lane rendered. */
  end: number;
}

/**
 * Which of `count` equal lanes to render when the scroller shows `viewport` pixels from `scrollLeft`
 * and each lane takes `pitch` pixels (its width and one gap): the ones in view and OVERSCAN more on
 * each side. Unmeasured (pitch or viewport 0), the first INITIAL_LANES.
 */
export function laneWindow(count: number, scrollLeft: number, viewport: number, pitch: number): LaneWindow {
  if (!(pitch > 0) || !(viewport > 0)) return { start: 0, end: Math.min(count, INITIAL_LANES) };
  const start = Math.min(Math.max(0, Math.floor(scrollLeft / pitch) - OVERSCAN), Math.max(0, count - 1));
  const end = Math.min(count, Math.ceil((scrollLeft + viewport) / pitch) + OVERSCAN);
  return { start, end: Math.max(end, Math.min(count, start + 1)) };
}

/** A rendered lane's width and the list's column gap: every lane's share of the scroll width. */
function lanePitch(scroller: HTMLElement): number {
  const lane = scroller.querySelector<HTMLElement>("ol > li:not([aria-hidden])");
  if (!lane?.parentElement) return 0;
  return lane.getBoundingClientRect().width + (parseFloat(getComputedStyle(lane.parentElement).columnGap) || 0);
}

/**
 * The lane window of a horizontally scrolling list of `count` lanes, following its scroller (the
 * element the returned ref is put on) as it scrolls or resizes, at most once per frame. Off when
 * `enabled` is false: every lane. The lanes left out are kept as spanned grid columns of the same
 * size, so a rendered lane's pitch places every one.
 */
export function useLaneWindow(count: number, enabled: boolean): { scrollerRef: (el: HTMLDivElement | null) => void } & LaneWindow {
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const [view, setView] = useState({ scrollLeft: 0, viewport: 0, pitch: 0 });
  const frame = useRef<number | undefined>(undefined);
  const measure = useCallback(() => {
    frame.current = undefined;
    if (!scroller || count === 0) return;
    const next = { scrollLeft: scroller.scrollLeft, viewport: scroller.clientWidth, pitch: lanePitch(scroller) };
    setView((v) => (v.scrollLeft === next.scrollLeft && v.viewport === next.viewport && v.pitch === next.pitch ? v : next));
  }, [scroller, count]);

  useEffect(() => {
    if (!enabled || !scroller) return;
    const schedule = () => {
      if (frame.current === undefined) frame.current = requestAnimationFrame(measure);
    };
    schedule(); // the first measure, a frame after mounting
    scroller.addEventListener("scroll", schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(scroller);
    return () => {
      scroller.removeEventListener("scroll", schedule);
      resize.disconnect();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
    };
  }, [enabled, scroller, measure]);

  const shown = enabled ? laneWindow(count, view.scrollLeft, view.viewport, view.pitch) : { start: 0, end: count };
  return { scrollerRef: setScroller, ...shown };
}
