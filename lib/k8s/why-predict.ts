import type { OrdinalSlot } from "./slots";
import type { Why, WhyInput } from "./why";

/**
 * What each "why" (lib/k8s/why.ts) says comes next, made checkable: the differential fidelity suite
 * (e2e/fidelity/why-check.ts) plays its scenarios on the real control plane, computes the reasons
 * at every watched state, and checks each prediction against what kube-controller-manager,
 * kube-scheduler and the kubelets then did, up to the user's next action.
 */

/** A change the watched state shows between two moments. */
export type Happening =
  /** createFailed: the controller tried to create the pod (or its claim) and recorded FailedCreate. */
  | { type: "created" | "healthy" | "terminating" | "gone" | "scheduled" | "createFailed"; pod: string }
  | { type: "bound" | "claimGone"; pvc: string }
  | { type: "nodeReady"; node: string };

export type Prediction =
  /** `then` does not happen before one of `after` has (e.g. kubia-2 is not created before kubia-1 is Running and Ready). */
  | { type: "notBefore"; then: Happening; after: Happening[] }
  /** One of these happens without anyone's help. */
  | { type: "happens"; anyOf: Happening[] }
  /** This does not happen until someone acts. */
  | { type: "never"; happening: Happening }
  /** The next pod of the set to go Terminating is this one. */
  | { type: "nextTerminating"; pod: string };

export type Verdict = "held" | "broken" | "open";

const pod = (type: "created" | "healthy" | "terminating" | "gone" | "scheduled", name: string): Happening => ({ type, pod: name });
const str = (v: string | number | undefined) => String(v ?? "");

/** The lowest desired ordinal above `slot` with no pod: the one OrderedReady creates next once `slot` is Running and Ready. */
function nextMissing(input: WhyInput, slot: OrdinalSlot): OrdinalSlot | undefined {
  return input.slots.find((s) => s.desired && s.ordinal > slot.ordinal && !s.pod);
}

/** A pod that is not (yet) Running and Ready: if it holds a higher ordinal back, that one is not created before it is. */
function notReadyPredictions(why: Why, input: WhyInput, slot: OrdinalSlot): Prediction[] {
  const held = why.values.blocks === "yes" ? nextMissing(input, slot) : undefined;
  if (held) return [{ type: "notBefore", then: pod("created", held.podName), after: [pod("healthy", slot.podName)] }];
  // Nothing held back: the kubelet makes it Ready, or it goes away (its node may be failing).
  return [{ type: "happens", anyOf: [pod("healthy", slot.podName), pod("terminating", slot.podName), pod("gone", slot.podName)] }];
}

/**
 * A pod on a node that is not Ready: not Ready again before its node is (no kubelet reports on it
 * meanwhile), and, if it holds a higher ordinal back, that one is not created before it is Ready.
 */
function nodeNotReadyPredictions(why: Why, input: WhyInput, slot: OrdinalSlot): Prediction[] {
  const name = str(why.values.pod) || slot.podName;
  const waits: Prediction = { type: "notBefore", then: pod("healthy", name), after: [{ type: "nodeReady", node: str(why.values.node) }] };
  const held = why.values.blocks === "yes" ? nextMissing(input, slot) : undefined;
  return held ? [waits, { type: "notBefore", then: pod("created", held.podName), after: [pod("healthy", name)] }] : [waits];
}

/** The predictions of one reason given for `slot` in the state `input`. */
export function predictionsOf(why: Why, input: WhyInput, slot: OrdinalSlot): Prediction[] {
  const v = why.values;
  const name = str(v.pod) || slot.podName;
  const ordered = (input.statefulSet.spec?.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
  switch (why.key) {
    case "notCreatedOrdered":
      return [{ type: "notBefore", then: pod("created", name), after: [pod("healthy", str(v.blocker))] }];
    case "creating":
      // The controller acts: the pod appears, or its FailedCreate says why not (then the page says createFailed).
      return [{ type: "happens", anyOf: [pod("created", name), { type: "createFailed", pod: name }] }];
    case "createFailed":
      return [{ type: "never", happening: pod("created", name) }];
    case "claimTerminating":
      return [{ type: "notBefore", then: pod("created", name), after: [{ type: "claimGone", pvc: str(v.pvc) }] }];
    case "terminatingReplace":
      return [{ type: "happens", anyOf: [pod("gone", name)] }, { type: "notBefore", then: pod("created", name), after: [pod("gone", name)] }];
    case "terminatingScaleDown":
      return [{ type: "happens", anyOf: [pod("gone", name)] }, { type: "never", happening: pod("created", name) }];
    case "terminatingNodeDown":
      return [{ type: "notBefore", then: pod("gone", name), after: [{ type: "nodeReady", node: str(v.node) }] }];
    case "finished":
      return [{ type: "happens", anyOf: [pod("terminating", name), pod("gone", name)] }];
    case "claimNoStorageClass":
      return [{ type: "never", happening: { type: "bound", pvc: str(v.pvc) } }, { type: "never", happening: pod("scheduled", slot.podName) }];
    case "claimPending":
    case "unschedulable":
      // Scheduled only after something it waits for changes: one of its claims binds, or a node becomes Ready.
      return [{ type: "notBefore", then: pod("scheduled", slot.podName), after: [...slot.claims.map((c): Happening => ({ type: "bound", pvc: c.name })), ...input.nodes.map((n): Happening => ({ type: "nodeReady", node: n.metadata?.name ?? "" }))] }];
    case "schedulingRetry":
    case "bindRetry":
      return [{ type: "happens", anyOf: [pod("scheduled", name), pod("terminating", name), pod("gone", name)] }];
    case "nodeNotReady":
      return nodeNotReadyPredictions(why, input, slot);
    case "containerWaiting":
    case "notReady":
      return notReadyPredictions(why, input, slot);
    case "scaleDownNext":
      return ordered ? [{ type: "nextTerminating", pod: name }] : [{ type: "happens", anyOf: [pod("terminating", name), pod("gone", name)] }];
    case "scaleDownWaitsHigher":
      return [{ type: "notBefore", then: pod("terminating", name), after: [pod("gone", str(v.higher))] }];
    case "scaleDownWaitsReady":
      return [{ type: "notBefore", then: pod("terminating", name), after: [pod("healthy", str(v.blocker))] }];
    case "rollingNext":
      return [{ type: "nextTerminating", pod: name }];
    case "rollingWaits":
      return [{ type: "notBefore", then: pod("terminating", name), after: [pod("healthy", str(v.higher))] }];
    case "belowPartition":
    case "onDelete":
      return [{ type: "never", happening: pod("terminating", name) }];
    case "scaledClaimDeleted":
      return [{ type: "happens", anyOf: [{ type: "claimGone", pvc: str(v.pvc) }] }];
    case "retainedClaim":
      return [{ type: "never", happening: { type: "claimGone", pvc: str(v.pvc) } }, { type: "never", happening: pod("created", slot.podName) }];
  }
}

const same = (a: Happening, b: Happening) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Judges a prediction against what happened next, in order, up to the user's next action (or the
 * end of the recording). `open`: nothing happened that the prediction speaks about.
 */
export function judge(prediction: Prediction, next: Happening[]): Verdict {
  switch (prediction.type) {
    case "notBefore": {
      for (const h of next) {
        if (prediction.after.some((a) => same(a, h))) return "held";
        if (same(prediction.then, h)) return "broken";
      }
      return "open";
    }
    case "happens":
      return next.some((h) => prediction.anyOf.some((a) => same(a, h))) ? "held" : "broken";
    case "never":
      return next.some((h) => same(prediction.happening, h)) ? "broken" : "held";
    case "nextTerminating": {
      const first = next.find((h) => h.type === "terminating");
      if (!first) return "broken";
      return "pod" in first && first.pod === prediction.pod ? "held" : "broken";
    }
  }
}
