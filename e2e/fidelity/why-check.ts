import type { CoreV1Event, V1Node, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { buildSlots } from "../../lib/k8s/slots";
import { whyForSlot, type WhyInput, type WhyKey } from "../../lib/k8s/why";
import { judge, predictionsOf, type Happening, type Prediction, type Verdict } from "../../lib/k8s/why-predict";
import { isPodReady, type Snapshot } from "./trace";

/**
 * "Why" checked against what a cluster did next: at every watched state of a scenario the reasons
 * lib/k8s/why.ts gives for the set's ordinals, each prediction (lib/k8s/why-predict.ts) judged over
 * the changes that followed up to the scenario's next step (the user's next action).
 */

/** The namespace as one watch event left it (the recorder's timeline). */
export interface Frame {
  at: number;
  snapshot: Snapshot;
  events: CoreV1Event[];
  nodes: V1Node[];
}

/**
 * A recorded state, or the moment a step (the user's action) began. `awaited`: the step does what
 * the reasons given before it wait for (a node back, a finalizer removed), so it does not end their window.
 */
export type TimelineEntry = { frame: Frame } | { step: string; awaited?: boolean };

export interface WhyCheck {
  key: WhyKey;
  /** The step during which the reason was first given. */
  step: string;
  why: string;
  prediction: Prediction;
  verdict: Verdict;
  /** What did happen next (for reading a broken prediction). */
  next: string[];
}

const healthy = (p: V1Pod | undefined) => !!p && !p.metadata?.deletionTimestamp && p.status?.phase === "Running" && isPodReady(p);
const nodeIsReady = (n: V1Node | undefined) => !!n?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
const byName = <T extends { metadata?: { name?: string } }>(list: T[]) => new Map(list.map((o) => [o.metadata!.name!, o]));

function podChanges(name: string, before: V1Pod | undefined, after: V1Pod | undefined): Happening[] {
  const out: Happening[] = [];
  const replaced = before && after && before.metadata?.uid !== after.metadata?.uid;
  if (before && (!after || replaced)) {
    if (!before.metadata?.deletionTimestamp) out.push({ type: "terminating", pod: name });
    out.push({ type: "gone", pod: name });
  }
  if (!after) return out;
  const old = replaced ? undefined : before;
  if (!old) out.push({ type: "created", pod: name });
  if (old && !old.metadata?.deletionTimestamp && after.metadata?.deletionTimestamp) out.push({ type: "terminating", pod: name });
  if (!old?.spec?.nodeName && after.spec?.nodeName) out.push({ type: "scheduled", pod: name });
  if (!healthy(old) && healthy(after)) out.push({ type: "healthy", pod: name });
  return out;
}

function claimChanges(name: string, before: V1PersistentVolumeClaim | undefined, after: V1PersistentVolumeClaim | undefined): Happening[] {
  const replaced = before && after && before.metadata?.uid !== after.metadata?.uid;
  const out: Happening[] = before && (!after || replaced) ? [{ type: "claimGone", pvc: name }] : [];
  const old = replaced ? undefined : before;
  // Bound for the scheduler once spec.volumeName is set (the PV controller writes status.phase after it).
  const bound = (c: V1PersistentVolumeClaim | undefined) => !!c?.spec?.volumeName || c?.status?.phase === "Bound";
  if (after && !bound(old) && bound(after)) out.push({ type: "bound", pvc: name });
  return out;
}

/** The pod a FailedCreate of the set is about ("Create Pod kubia-2 in StatefulSet …", "Create Claim … for Pod kubia-2 in StatefulSet …"). */
const FAILED_CREATE_POD = /\bPod (\S+) in StatefulSet /;

/** The controller's new FailedCreate reports (a new Event, or a repeat of one: its count went up). */
function failedCreates(prev: CoreV1Event[], next: CoreV1Event[]): Happening[] {
  const before = new Map(prev.map((e) => [e.metadata?.uid, e.count ?? 1]));
  const out: Happening[] = [];
  for (const e of next) {
    if (e.reason !== "FailedCreate" || e.involvedObject?.kind !== "StatefulSet") continue;
    const count = before.get(e.metadata?.uid);
    const pod = FAILED_CREATE_POD.exec(e.message ?? "")?.[1];
    if (pod && (count === undefined || (e.count ?? 1) > count)) out.push({ type: "createFailed", pod });
  }
  return out;
}

/** What changed from one recorded state to the next. */
export function happenings(prev: Frame, next: Frame): Happening[] {
  const out: Happening[] = [];
  const [p0, p1] = [byName(prev.snapshot.pods), byName(next.snapshot.pods)];
  for (const name of new Set([...p0.keys(), ...p1.keys()])) out.push(...podChanges(name, p0.get(name), p1.get(name)));
  const [c0, c1] = [byName(prev.snapshot.pvcs), byName(next.snapshot.pvcs)];
  for (const name of new Set([...c0.keys(), ...c1.keys()])) out.push(...claimChanges(name, c0.get(name), c1.get(name)));
  out.push(...failedCreates(prev.events, next.events));
  const n0 = byName(prev.nodes);
  for (const node of next.nodes) if (!nodeIsReady(n0.get(node.metadata!.name!)) && nodeIsReady(node)) out.push({ type: "nodeReady", node: node.metadata!.name! });
  return out;
}

function whyInput(frame: Frame): WhyInput | undefined {
  const { statefulSet, pods, pvcs, pvs } = frame.snapshot;
  if (!statefulSet) return undefined;
  const slots = buildSlots({ statefulSet, pods, pvcs, pvs, events: frame.events, now: frame.at });
  return { statefulSet, slots, nodes: frame.nodes, events: frame.events };
}

const describe = (h: Happening) => `${h.type} ${"pod" in h ? h.pod : "pvc" in h ? h.pvc : h.node}`;

/**
 * Every reason given at a recorded state, at the state where it first appears (the same reason
 * for the same slot in the following states is the same prediction), with its predictions judged
 * over the changes up to the next step.
 */
export function checkWhys(timeline: TimelineEntry[]): WhyCheck[] {
  const checks: WhyCheck[] = [];
  // Windows: the frames between two step marks (an awaited step's frames go on its predecessor's window).
  const windows: { frame: Frame; step: string }[][] = [];
  let current = "";
  for (const entry of timeline) {
    if ("step" in entry) {
      current = entry.step;
      if (!entry.awaited || windows.length === 0) windows.push([]);
    } else windows.at(-1)?.push({ frame: entry.frame, step: current });
  }
  // A reason given before a step began was judged in its own window: the same reason after the user acted is not new.
  let given = new Map<number, string>();
  let last: Frame | undefined;
  for (const frames of windows) {
    const changes = frames.map(({ frame }, i) => (i === 0 ? (last ? happenings(last, frame) : []) : happenings(frames[i - 1].frame, frame)));
    last = frames.at(-1)?.frame ?? last;
    frames.forEach(({ frame, step }, i) => {
      const input = whyInput(frame);
      const now = new Map<number, string>();
      for (const slot of input?.slots ?? []) {
        const why = whyForSlot(input!, slot);
        if (!why) continue;
        const text = `${why.key} ${JSON.stringify(why.values)}`;
        now.set(slot.ordinal, text);
        if (given.get(slot.ordinal) === text) continue;
        const next = changes.slice(i + 1).flat();
        for (const prediction of predictionsOf(why, input!, slot)) {
          checks.push({ key: why.key, step, why: text, prediction, verdict: judge(prediction, next), next: next.map(describe) });
        }
      }
      given = now;
    });
  }
  return checks;
}

export interface WhyTally {
  held: number;
  broken: number;
  open: number;
}

/** Per reason: how many predictions held, broke, or met nothing they speak about. */
export function tallyWhys(checks: WhyCheck[]): Map<WhyKey, WhyTally> {
  const out = new Map<WhyKey, WhyTally>();
  for (const c of checks) {
    const t = out.get(c.key) ?? { held: 0, broken: 0, open: 0 };
    t[c.verdict]++;
    out.set(c.key, t);
  }
  return out;
}
