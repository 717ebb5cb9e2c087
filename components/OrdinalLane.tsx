"use client";
import type { CoreV1Event, V1Node } from "@kubernetes/client-node";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import type { OrdinalSlot as Slot } from "@/lib/k8s/slots";
import { useLaneWindow } from "@/lib/client/useLaneWindow";
import { laneProps, OrdinalSlot } from "./OrdinalSlot";
import { richTags } from "./richTags";

/**
 * The StatefulSet as a diagram: the headless Service above, then one lane per ordinal (pod → PVC →
 * PV), left to right. Lanes share the width down to a readable minimum (ten fit a 1920-wide
 * screen), more scroll sideways. Keyed by ordinal, so a lane keeps its place and only new ones slide in.
 */
/**
 * More lanes than two 1920-wide screens hold: only the ones in view (and a few beside them) are
 * rendered; the others are kept as empty grid columns spanned by one hidden item on each side, so
 * the scroll width and every lane's place stay as if all were there. At 1,000 pods, rendering every
 * lane kept ~190,000 DOM nodes and a change cost a long task of up to 600 ms; `content-visibility`
 * skipped their layout and paint, not React's work nor the DOM. The Summary still counts them all.
 */
const CROWDED_LANES = 20;

export function OrdinalLane({
  slots,
  nodes,
  events,
  serviceName,
  lastCommand,
}: {
  slots: Slot[];
  nodes: Map<string, V1Node>;
  events: CoreV1Event[];
  serviceName?: string;
  /** Shown beside the Service, on the same line: what was just done. */
  lastCommand?: ReactNode;
}) {
  const t = useTranslations("Ordinals");
  const crowded = slots.length > CROWDED_LANES;
  const { scrollerRef, start, end } = useLaneWindow(slots.length, crowded);
  return (
    <section aria-label={t("label")}>
      {slots.length === 0 ? (
        <p className="rounded-2xl border-2 border-dashed border-slate-300 p-6 text-lg text-slate-600">{t("empty")}</p>
      ) : (
        <>
          <div className="flex flex-wrap items-end gap-x-3 gap-y-1">
            {serviceName && (
              <p className="min-w-0 flex-[1_1_18rem] rounded-t-2xl border-b-4 border-sky-600 bg-sky-50 px-3 py-1 text-base text-sky-950">{t.rich("service", { ...richTags, name: serviceName })}</p>
            )}
            {lastCommand}
          </div>
          {/* Focusable: when it scrolls sideways, keyboard users scroll it with the arrow keys. */}
          <div ref={scrollerRef} tabIndex={0} aria-label={t("diagram")} className="overflow-x-auto pt-1.5 pb-1 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600">
            <ol className="grid auto-cols-[minmax(11rem,1fr)] grid-flow-col items-start gap-2">
              {/* Stretched to the row's height: an empty, zero-height item would add nothing to the scroll width. */}
              {start > 0 && <li aria-hidden="true" data-lanes-before={start} className="self-stretch" style={{ gridColumn: `span ${start}` }} />}
              {slots.slice(start, end).map((slot) => (
                <OrdinalSlot key={slot.ordinal} {...laneProps(slot, nodes, events)} />
              ))}
              {end < slots.length && <li aria-hidden="true" data-lanes-after={slots.length - end} className="self-stretch" style={{ gridColumn: `span ${slots.length - end}` }} />}
            </ol>
          </div>
        </>
      )}
    </section>
  );
}
