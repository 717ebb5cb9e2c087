import type { Difference } from "./compare";
import type { StepTrace } from "./trace";
import type { WhyCheck } from "./why-check";

/**
 * Differences between the embedded cluster and the real control plane that are inherent, each
 * with the reason. Everything else fails the suite and is fixed in the simulator. Keep it short
 * and honest: an entry here is a claim that the simulator is right (or that no single right answer
 * exists), not a way to make the suite green.
 */
export interface KnownDivergence {
  id: string;
  /** Scenario ids it applies to, or "*". */
  scenarios: string[] | "*";
  /** Matched against the difference's path inside the step state (e.g. `events.Pod.Killing`). */
  path: RegExp;
  /** Optional: only in steps whose name matches. */
  step?: RegExp;
  /** Why this is not a simulator bug. */
  reason: string;
  /** Optional: a check of the step itself (both sides' raw events), so the entry covers exactly the inherent case. */
  applies?: (d: Difference, step: { sim?: StepTrace; real?: StepTrace }) => boolean;
}

/** kube-apiserver's 409 for a stale resourceVersion, as controllers print it in their events. */
const CONFLICT = "the object has been modified; please apply your changes to the latest version and try again";
const realEvents = (step: { real?: StepTrace }, prefix: string) => (step.real?.rawEvents ?? []).map((e) => e.replace(/^\(repeat\) /, "")).filter((e) => e.startsWith(prefix));
/** Drops `[~X,] -X, +X` right after `+X`: a pod deleted again just after it was (re)created. */
export function withoutStaleDeletes(ops: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ops.length; i++) {
    const last = out[out.length - 1];
    const name = last?.startsWith("+") ? last.slice(1) : undefined;
    const skip = name === undefined ? 0 : ops[i] === `~${name}` && ops[i + 1] === `-${name}` && ops[i + 2] === `+${name}` ? 3 : ops[i] === `-${name}` && ops[i + 1] === `+${name}` ? 2 : 0;
    if (skip) {
      i += skip - 1;
      continue;
    }
    out.push(ops[i]);
  }
  return out;
}

/** How many more Scheduled reports the real side made than the simulator, for the same pods (0 when other pods, or not more). */
function extraSchedulings(step: { sim?: StepTrace; real?: StepTrace }): number {
  const scheduled = (events: string[] | undefined) => (events ?? []).flatMap((e) => /^(?:\(repeat\) )?Pod\/(\S+) Scheduled: /.exec(e)?.[1] ?? []);
  const [sim, real] = [scheduled(step.sim?.rawEvents), scheduled(step.real?.rawEvents)];
  const same = [...new Set(sim)].sort().join() === [...new Set(real)].sort().join();
  return same && real.length > sim.length ? real.length - sim.length : 0;
}

/** Distinct conflicted reports (a report repeated within the step counts once, as in the trace). */
const conflicts = (step: { real?: StepTrace }, prefix: string) => new Set(realEvents(step, prefix).filter((e) => e.includes(CONFLICT))).size;

export const knownDivergences: KnownDivergence[] = [
  {
    id: "kwok-no-killing-event",
    scenarios: "*",
    path: /^events\.Pod\.Killing$/,
    reason:
      "KWOK is not a kubelet: its pod stages (tools/real-cluster kwok.yaml.tmpl, from KWOK's pod/general stages) emit Pulling/Pulled/Created/Started but no " +
      "`Killing` (\"Stopping container kubia\") when a pod is deleted, gracefully or by force. A real kubelet records it for every running container " +
      "it stops (pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer), which is what the simulator does; here the reference's fake " +
      "kubelet is the one that diverges from Kubernetes.",
  },
  {
    id: "conflict-retry",
    scenarios: "*",
    path: /^events\.(PersistentVolumeClaim\.ProvisioningFailed|StatefulSet\.FailedUpdate|StatefulSet\.SuccessfulCreate)$/,
    reason:
      "On the real control plane the StatefulSet controller (claim ownerRefs for the retention policy) and the PV controller (binding " +
      "annotations) update the same new PVC concurrently; the loser gets a 409 Conflict, records it (`ProvisioningFailed: Error saving claim: " +
      "... the object has been modified`, `FailedUpdate: could not update claim ... for delete policy ownerRefs`) and retries, and a pod " +
      "creation whose claim update failed records FailedUpdate instead of SuccessfulCreate. Whether it happens is timing; the end state is " +
      "the same. The simulator's controllers take turns on one store and never race. Applies only when every extra real event is such a " +
      "conflict and the missing SuccessfulCreate events are exactly the conflicted pod updates.",
    applies: (d, step) => {
      if (d.path.endsWith("SuccessfulCreate")) {
        return typeof d.sim === "number" && (d.sim as number) - ((d.real as number | undefined) ?? 0) === conflicts(step, "StatefulSet/kubia FailedUpdate");
      }
      const prefix = d.path.endsWith("ProvisioningFailed") ? "PersistentVolumeClaim/" : "StatefulSet/";
      const reason = d.path.split(".").pop()!;
      const real = realEvents(step, prefix).filter((e) => e.includes(` ${reason}: `));
      return d.sim === undefined && real.length > 0 && real.every((e) => e.includes(CONFLICT));
    },
  },
  {
    id: "kwok-stale-delete",
    scenarios: "*",
    path: /^(podOps|events\.Pod\.(FailedScheduling|Scheduled))$/,
    reason:
      "KWOK (v0.8.0, pkg/kwok/controllers/pod_controller.go deleteResource) removes a terminated pod by name, without the UID precondition a " +
      "real kubelet's status manager sends, and may send that delete twice: when the StatefulSet controller recreated the pod within those " +
      "milliseconds, the second delete kills the new pod, which the controller then creates once more (and kube-scheduler, binding the pod " +
      "that vanished, reports FailedScheduling \"running Bind plugin ... Precondition failed: UID\"; or it had bound it, and the pod created " +
      "once more is scheduled again, on the same node or another: one more Scheduled report). A real kubelet cannot delete a newer " +
      "pod of the same name, nor can the simulator's (it deletes with the uid precondition). Applies only when removing such delete+recreate " +
      "cycles of a just-created pod from the real sequence gives the simulator's sequence exactly (and, for Scheduled, the real side " +
      "scheduled the same pods, at most once more per such cycle).",
    applies: (d, step) => {
      const sim = step.sim?.state.podOps;
      const real = step.real?.state.podOps;
      if (!sim || !real || real.length <= sim.length) return false;
      if (JSON.stringify(withoutStaleDeletes(real)) !== JSON.stringify(sim)) return false;
      if (d.path === "podOps") return true;
      if (d.path.endsWith(".Scheduled")) {
        const extra = extraSchedulings(step);
        return extra > 0 && extra <= real.filter((op) => op.startsWith("+")).length - sim.filter((op) => op.startsWith("+")).length;
      }
      const failures = realEvents(step, "Pod/").filter((e) => e.includes(" FailedScheduling: "));
      return d.sim === undefined && failures.length > 0 && failures.every((e) => e.includes("running Bind plugin"));
    },
  },
  {
    id: "retry-cadence",
    scenarios: "*",
    path: /^events\.(PersistentVolumeClaim\.ProvisioningFailed|Pod\.FailedScheduling)$/,
    reason:
      "A failing provisioning or scheduling is retried periodically and each retry repeats the same report: the PV controller every " +
      "--pvclaimbinder-sync-period (15 s), kube-scheduler with its back-off, and its events.k8s.io recorder writes a repeat only now and " +
      "then (series). The simulator retries on the same periods in cluster time, so in a step of a few seconds one side may " +
      "repeat a report the other repeats later (or not at all, when what it waited for arrives first). Applies when every such " +
      "occurrence in the step, on both sides, repeats a report of an earlier step, or when both sides made the same reports and " +
      "differ only in how often they repeated them: a new failure (new object or message) on one side only is still a divergence.",
    applies: (d, step) => {
      const [, kind, reason] = d.path.split(".");
      const pattern = new RegExp(`^(\\(repeat\\) )?${kind}/\\S+ ${reason}: `);
      const sim = (step.sim?.rawEvents ?? []).filter((e) => pattern.test(e));
      const real = (step.real?.rawEvents ?? []).filter((e) => pattern.test(e));
      const occurrences = [...sim, ...real];
      if (occurrences.length > 0 && occurrences.every((e) => e.startsWith("(repeat) "))) return true;
      const reports = (events: string[]) => [...new Set(events.map((e) => e.replace(/^\(repeat\) /, "")))].sort().join("\n");
      return sim.length > 0 && real.length > 0 && reports(sim) === reports(real);
    },
  },
  {
    id: "unbound-claim-retry",
    scenarios: "*",
    path: /^events\.Pod\.FailedScheduling$/,
    reason:
      "A pod whose new claim is not bound yet fails scheduling on both clusters (VolumeBinding PreFilter: `pod has unbound " +
      "immediate PersistentVolumeClaims`); kube-scheduler retries it on its back-off and may report again before the claim binds, " +
      "the simulator's scheduler retries when the claim binds, so the counts differ with the machine's load. The preemption " +
      "(PostFilter) tail of the message may differ too: the simulator writes upstream's `preemption: 0/3 nodes are available: 3 " +
      "Preemption is not helpful for scheduling.`; kube-scheduler writes that, or `not found` when its Evaluator's pod lister " +
      "has not seen the just-created pod yet (preemption.go `Preempt`, step 0). When kube-scheduler's claim informer has not seen the " +
      "pod's new claim yet (the StatefulSet controller creates it just before the pod), VolumeBinding PreFilter reports it instead: " +
      "`persistentvolumeclaim \"data-kubia-2\" not found` (volume_binding.go podVolumeClaims; the simulator's scheduler reads the " +
      "store the claim was written to). Whether a pod fails at all is a race too: when its claim is bound before the scheduler's " +
      "first attempt it is placed at once, and kube-scheduler's events.k8s.io recorder may write a repeat of an earlier step's " +
      "failure late. Applies only when both sides reported nothing but that unbound-claim failure, and a pod only one side failed " +
      "was created in this step on both sides or only has repeats of an earlier report: any other scheduling failure, a pod that " +
      "existed before and failed anew on one side only, or a step where one side reported nothing is still a divergence.",
    applies: (_d, step) => {
      const sim = unboundClaimFailures(step.sim?.rawEvents);
      const real = unboundClaimFailures(step.real?.rawEvents);
      if (!sim || !real || sim.size === 0 || real.size === 0) return false;
      const createdOnBoth = (pod: string) => [step.sim, step.real].every((t) => t?.state.podOps?.includes(`+${pod}`));
      const onlyRepeats = (pod: string, side?: StepTrace) => (side?.rawEvents ?? []).filter((e) => e.includes(`Pod/${pod} FailedScheduling: `)).every((e) => e.startsWith("(repeat) "));
      const oneSided = [...[...sim].filter((p) => !real.has(p)).map((p) => [p, step.sim] as const), ...[...real].filter((p) => !sim.has(p)).map((p) => [p, step.real] as const)];
      return oneSided.every(([pod, side]) => createdOnBoth(pod) || onlyRepeats(pod, side));
    },
  },
];

const UNBOUND_CLAIM_FAILURE =
  /^(?:\(repeat\) )?Pod\/(\S+) FailedScheduling: 0\/\d+ nodes are available: (?:pod has unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+-\1" not found)\.(?: preemption: 0\/\d+ nodes are available: \d+ Preemption is not helpful for scheduling\.| not found)? \(default-scheduler\)$/;

/** The pods that failed scheduling in the step, when every failure is the unbound-claim one; undefined when another failure is among them. */
export function unboundClaimFailures(events: string[] | undefined): Set<string> | undefined {
  const pods = new Set<string>();
  for (const e of events ?? []) {
    if (!/ FailedScheduling: /.test(e)) continue;
    const m = UNBOUND_CLAIM_FAILURE.exec(e);
    if (!m) return undefined;
    pods.add(m[1]);
  }
  return pods;
}

export function knownDivergenceFor(d: Difference, step: { sim?: StepTrace; real?: StepTrace } = {}, list: KnownDivergence[] = knownDivergences): KnownDivergence | undefined {
  return list.find((k) => (k.scenarios === "*" || k.scenarios.includes(d.scenario)) && k.path.test(d.path) && (!k.step || k.step.test(d.step)) && (!k.applies || k.applies(d, step)));
}

/** A prediction of lib/k8s/why-predict.ts that the real control plane's trace seems to break for an inherent reason, not a bug in why.ts. */
export interface KnownWhyDivergence {
  id: string;
  reason: string;
  applies: (c: WhyCheck) => boolean;
}

export const knownWhyDivergences: KnownWhyDivergence[] = [
  {
    id: "cross-watch-order",
    reason:
      "The recorder watches pods and claims on two streams, and kube-apiserver orders events within one stream only. kube-scheduler " +
      "does not place a pod whose immediate-binding claim is unbound (VolumeBinding PreFilter: `pod has unbound immediate " +
      "PersistentVolumeClaims`); the PV controller binds the claim and the scheduler places the pod within milliseconds, and the " +
      "pod's event can reach the recorder before the claim's. Applies only when the claim's binding does arrive after the pod was " +
      "seen scheduled and before it is seen Ready (a pod scheduled with its claim never bound is still a broken prediction).",
    applies: (c) => {
      const p = c.prediction;
      if (p.type !== "notBefore" || p.then.type !== "scheduled") return false;
      const scheduledAt = c.next.indexOf(`scheduled ${p.then.pod}`);
      const claims = p.after.flatMap((a) => (a.type === "bound" ? [`bound ${a.pvc}`] : []));
      const boundAt = c.next.findIndex((n) => claims.includes(n));
      const readyAt = c.next.indexOf(`healthy ${p.then.pod}`);
      // Seen scheduled, then the claim's binding, before the pod is seen Ready (its start takes the kubelet far longer than a binding).
      return scheduledAt >= 0 && boundAt > scheduledAt && (readyAt < 0 || boundAt < readyAt);
    },
  },
];

export const knownWhyDivergenceFor = (c: WhyCheck) => knownWhyDivergences.find((k) => k.applies(c));
