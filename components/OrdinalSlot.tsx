"use client";
import type { CoreV1Event, V1Node } from "@kubernetes/client-node";
import { memo } from "react";
import { useTranslations } from "next-intl";
import { podDnsNameOf } from "@/lib/k8s/dns";
import { sameSlot, type OrdinalSlot as Slot } from "@/lib/k8s/slots";
import { LaneLink } from "./LaneLink";
import { PodCard } from "./PodCard";
import { PvcCard } from "./PvcCard";
import { WhyLine } from "./WhyLine";

/** A DNS name that, in a narrow lane, wraps after a dot ("…default.svc." / "cluster.local"), never inside a label. */
function breakAtDots(name: string) {
  return name.split(".").map((label, i, all) => (i < all.length - 1 ? [label, ".", <wbr key={i} />] : label));
}

/**
 * One ordinal's lane of the diagram, top to bottom: the pod's DNS name (from the headless Service
 * above), the pod, the link it mounts its claim by, the PVC and its bound PV, then why (if something
 * is waiting or failing). The lane stays while
 * only a PVC is left (the pod drawn as a greyed "no pod" placeholder, the link dashed): the
 * StatefulSet's promise made visible, the next pod with this ordinal gets the same claim.
 */
export interface OrdinalSlotProps {
  slot: Slot;
  /** The node the pod runs on, if any. */
  node?: V1Node;
  /** The namespace's events while the pod waits for a node (its FailedScheduling message), else none. */
  events: CoreV1Event[];
}

/** Events only matter to a lane whose pod is not scheduled: the others get this one empty list, so an event does not redraw them. */
const NO_EVENTS: CoreV1Event[] = [];

export function laneProps(slot: Slot, nodes: ReadonlyMap<string, V1Node>, events: CoreV1Event[]): OrdinalSlotProps {
  const nodeName = slot.pod?.spec?.nodeName;
  return { slot, node: nodeName ? nodes.get(nodeName) : undefined, events: slot.pod && !nodeName ? events : NO_EVENTS };
}

/** The lane redraws only when what it shows changed (see sameSlot). */
export function sameLaneProps(a: OrdinalSlotProps, b: OrdinalSlotProps): boolean {
  return a.node === b.node && a.events === b.events && sameSlot(a.slot, b.slot);
}

export const OrdinalSlot = memo(function OrdinalSlot({ slot, node, events }: OrdinalSlotProps) {
  const t = useTranslations("Ordinals");
  const dnsName = slot.pod ? podDnsNameOf(slot.pod) : undefined;
  return (
    <li
      aria-label={t("slot", { ordinal: slot.ordinal })}
      data-desired={slot.desired}
      className={`slot-enter flex min-w-0 flex-col gap-1 rounded-2xl p-1.5 ${slot.desired ? "bg-slate-200/60" : "bg-slate-100 outline-2 outline-dashed outline-slate-300"}`}
    >
      <div className="flex items-baseline gap-2 px-1">
        <span className="font-mono text-2xl font-black text-slate-500" aria-hidden="true">
          {slot.ordinal}
        </span>
        <span className={`min-w-0 flex-1 break-words font-mono text-xs ${dnsName ? "text-sky-900" : "text-slate-500"}`}>{dnsName ? breakAtDots(dnsName) : t("noDnsName")}</span>
        {!slot.desired && <span className="shrink-0 text-sm font-semibold text-slate-600">{t("aboveReplicas")}</span>}
      </div>
      {slot.pod ? (
        <PodCard pod={slot.pod} node={node} events={events} />
      ) : (
        <div className="slot-placeholder rounded-2xl border-2 border-dashed border-slate-300 bg-slate-50 px-3 py-2 text-center text-slate-500">
          <p className="font-mono text-xl font-semibold text-slate-500">{slot.podName}</p>
          <p className="text-base">{slot.desired ? t("noPodYet") : t("noPod")}</p>
        </div>
      )}
      {slot.claims.length > 0 && <LaneLink key={slot.pod?.metadata?.uid ?? "none"} kind="mounts" active={!!slot.pod} />}
      {/* The kubia app serves one volume: its data is under the first claim's Details. */}
      {slot.claims.map((claim, i) => (
        <PvcCard key={claim.name} claim={claim} podName={slot.podName} dataPod={slot.pod && i === 0 ? slot.podName : undefined} />
      ))}
      {/* Last in the lane: when a reason appears, the pod and its claim keep their places (and stay on a 720-pixel screen). */}
      <WhyLine ordinal={slot.ordinal} />
    </li>
  );
}, sameLaneProps);
