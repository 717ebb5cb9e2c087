"use client";
import type { CoreV1Event, V1Node } from "@kubernetes/client-node";
import { useTranslations } from "next-intl";
import type { OrdinalSlot as Slot } from "@/lib/k8s/slots";
import { OrdinalSlot } from "./OrdinalSlot";

/** The StatefulSet's ordinals left to right; keyed by ordinal so a slot keeps its place (and only new ones slide in). */
export function OrdinalLane({ slots, nodes, events }: { slots: Slot[]; nodes: Map<string, V1Node>; events: CoreV1Event[] }) {
  const t = useTranslations("Ordinals");
  return (
    <section aria-label={t("label")}>
      {slots.length === 0 ? (
        <p className="rounded-2xl border-2 border-dashed border-slate-300 p-6 text-lg text-slate-600">{t("empty")}</p>
      ) : (
        <ol className="flex flex-wrap items-start gap-4">
          {slots.map((slot) => (
            <OrdinalSlot key={slot.ordinal} slot={slot} nodes={nodes} events={events} />
          ))}
        </ol>
      )}
    </section>
  );
}
