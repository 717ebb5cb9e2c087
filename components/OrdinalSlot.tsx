"use client";
import type { CoreV1Event, V1Node } from "@kubernetes/client-node";
import { useTranslations } from "next-intl";
import type { OrdinalSlot as Slot } from "@/lib/k8s/slots";
import { PodCard } from "./PodCard";
import { PvcCard } from "./PvcCard";
import { VolumeDataPanel } from "./VolumeDataPanel";
import { WhyLine } from "./WhyLine";

/**
 * One ordinal: its pod above its PVC(s). The slot stays while only a PVC is left (the pod is drawn
 * as a greyed "no pod" placeholder), which is the StatefulSet's promise made visible: the next pod
 * with this ordinal gets the same claim.
 */
export function OrdinalSlot({ slot, nodes, events }: { slot: Slot; nodes: Map<string, V1Node>; events: CoreV1Event[] }) {
  const t = useTranslations("Ordinals");
  const node = slot.pod?.spec?.nodeName ? nodes.get(slot.pod.spec.nodeName) : undefined;
  return (
    <li
      aria-label={t("slot", { ordinal: slot.ordinal })}
      data-desired={slot.desired}
      className={`slot-enter flex w-[26rem] shrink-0 flex-col gap-3 rounded-3xl p-3 ${slot.desired ? "bg-slate-200/60" : "bg-slate-100 outline-2 outline-dashed outline-slate-300"}`}
    >
      <div className="flex items-baseline justify-between px-1">
        <span className="font-mono text-4xl font-black text-slate-400" aria-hidden="true">
          {slot.ordinal}
        </span>
        {!slot.desired && <span className="text-sm font-semibold text-slate-600">{t("aboveReplicas")}</span>}
      </div>
      <WhyLine ordinal={slot.ordinal} />
      {slot.pod ? (
        <PodCard pod={slot.pod} node={node} events={events} />
      ) : (
        <div className="slot-placeholder rounded-2xl border-2 border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center text-slate-500">
          <p className="font-mono text-2xl font-semibold text-slate-400">{slot.podName}</p>
          <p className="mt-1 text-lg">{slot.desired ? t("noPodYet") : t("noPod")}</p>
        </div>
      )}
      {slot.claims.map((claim) => (
        <PvcCard key={claim.name} claim={claim} podName={slot.podName} />
      ))}
      {/* Under the claim, not the pod: the data belongs to the volume and outlives every pod. */}
      {slot.pod && slot.claims.length > 0 && <VolumeDataPanel pod={slot.podName} />}
    </li>
  );
}
