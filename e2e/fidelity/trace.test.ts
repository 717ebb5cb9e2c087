import type { CoreV1Event, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { compareTraces } from "./compare";
import { knownDivergenceFor, withoutStaleDeletes } from "./known-divergences";
import { inFlight } from "./settle";
import { emptyPrevious, normalizeStep, type Snapshot, type StepLog, type Trace } from "./trace";

const pod = (name: string, uid: string, node?: string, opts: { ready?: boolean; terminating?: boolean } = {}): V1Pod => ({
  metadata: { name, uid, ...(opts.terminating ? { deletionTimestamp: new Date() } : {}) },
  spec: { containers: [], nodeName: node, volumes: [{ name: "data", persistentVolumeClaim: { claimName: `data-${name}` } }] },
  status: { phase: node ? "Running" : "Pending", conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }] },
});
const pvc = (name: string, uid: string, volumeName?: string): V1PersistentVolumeClaim => ({
  metadata: { name, uid },
  spec: { volumeName, storageClassName: "standard" },
  status: { phase: volumeName ? "Bound" : "Pending" },
});
const pv = (name: string, uid: string, claim: string): V1PersistentVolume => ({
  metadata: { name, uid },
  spec: { claimRef: { namespace: "ns", name: claim }, persistentVolumeReclaimPolicy: "Delete" },
  status: { phase: "Bound" },
});
const event = (uid: string, kind: string, reason: string, message = uid): CoreV1Event => ({ metadata: { uid }, involvedObject: { kind, name: "x", uid: "o" }, reason, message }) as CoreV1Event;
const noLog = (): StepLog => ({ podOps: [], pvcOps: [], events: [], peaks: { starting: 0, terminating: 0 } });

describe("normalizeStep", () => {
  it("turns uids, node names and PV names into identities relative to the previous boundary", () => {
    const first: Snapshot = { pods: [pod("kubia-0", "u1", "node-a")], pvcs: [pvc("data-kubia-0", "c1", "pvc-x")], pvs: [pv("pvc-x", "v1", "data-kubia-0")] };
    const a = normalizeStep(first, noLog(), emptyPrevious(), { ordered: true, settled: true });
    expect(a.state.pods["kubia-0"]).toMatchObject({ identity: "new", node: "new", ordinal: 0, ready: true });
    expect(a.state.pvcs["data-kubia-0"]).toMatchObject({ identity: "new", volume: "new", phase: "Bound" });

    // Same name, new pod object on another node; the claim still holds the same PV (same uid).
    const second: Snapshot = { pods: [pod("kubia-0", "u2", "node-b")], pvcs: [pvc("data-kubia-0", "c1", "pvc-x")], pvs: [pv("pvc-x", "v1", "data-kubia-0")] };
    const b = normalizeStep(second, noLog(), a.next, { ordered: true, settled: true });
    expect(b.state.pods["kubia-0"]).toMatchObject({ identity: "replaced", node: "changed" });
    expect(b.state.pvcs["data-kubia-0"]).toMatchObject({ identity: "same", volume: "same" });

    // A PV of the same generated name but another identity is a different volume.
    const third: Snapshot = { pods: [], pvcs: [pvc("data-kubia-0", "c2", "pvc-x")], pvs: [pv("pvc-x", "v9", "data-kubia-0")] };
    const c = normalizeStep(third, noLog(), b.next, { ordered: true, settled: false });
    expect(c.state.pvcs["data-kubia-0"]).toMatchObject({ identity: "replaced", volume: "changed" });
    expect(c.state.settled).toBe("timeout");
  });

  it("keeps op order only for ordered steps and counts each Event object once", () => {
    const events = [event("e1", "Pod", "Scheduled"), event("e1", "Pod", "Scheduled"), event("e2", "Pod", "Scheduled"), event("e3", "StatefulSet", "SuccessfulCreate")];
    // A second Event object with the same report about the same object is a repeat, too.
    events.push(event("e4", "Pod", "FailedScheduling", "unbound"), event("e5", "Pod", "FailedScheduling", "unbound"));
    const occurrences = events.map((e) => ({ event: e, repeat: false }));
    const log: StepLog = { podOps: ["+kubia-1", "+kubia-0"], pvcOps: [], events: occurrences, peaks: { starting: 2, terminating: 0 } };
    const snap: Snapshot = { pods: [], pvcs: [], pvs: [] };
    expect(normalizeStep(snap, log, emptyPrevious(), { ordered: true, settled: true }).state.podOps).toEqual(["+kubia-1", "+kubia-0"]);
    const unordered = normalizeStep(snap, log, emptyPrevious(), { ordered: false, settled: true }).state;
    expect(unordered.podOps).toEqual(["+kubia-0", "+kubia-1"]);
    expect(unordered.events).toEqual({ Pod: { FailedScheduling: 1, Scheduled: 2 }, StatefulSet: { SuccessfulCreate: 1 } });
    expect(unordered.statefulSet).toBe("absent");
  });
});

describe("compareTraces", () => {
  const trace = (terminating: boolean, killing: number): Trace => ({
    scenario: "s",
    steps: [{ step: "delete", state: normalizeStep({ pods: [pod("kubia-1", "u", "n", { terminating })], pvcs: [], pvs: [] }, { ...noLog(), events: Array.from({ length: killing }, (_, i) => ({ event: event(`k${i}`, "Pod", "Killing"), repeat: false })) }, emptyPrevious(), { ordered: true, settled: true }).state }],
  });

  it("reports every differing leaf with its path, and nothing for equal traces", () => {
    expect(compareTraces(trace(true, 1), trace(true, 1))).toEqual([]);
    const diffs = compareTraces(trace(false, 1), trace(true, 0));
    expect(diffs.map((d) => [d.path, d.sim, d.real])).toEqual([
      ["pods.kubia-1.terminating", false, true],
      ["events.Pod.Killing", 1, undefined],
    ]);
  });

  it("reports a missing step and a scenario error", () => {
    const short: Trace = { scenario: "s", steps: [], error: "boom" };
    expect(compareTraces(short, trace(true, 0)).map((d) => d.path)).toEqual(["error", "(step)"]);
  });

  it("matches known divergences by scenario, path and step", () => {
    const [d] = compareTraces(trace(true, 1), trace(true, 0));
    const list = [{ id: "x", scenarios: ["other"], path: /^events\.Pod/, reason: "r" }];
    expect(knownDivergenceFor(d, {}, list)).toBeUndefined();
    expect(knownDivergenceFor(d, {}, [{ ...list[0], scenarios: "*" }])?.id).toBe("x");
    expect(knownDivergenceFor(d, {}, [{ ...list[0], scenarios: "*", step: /^scale/ }])).toBeUndefined();
  });
});

describe("known divergence conflict-retry", () => {
  const conflict = "the object has been modified; please apply your changes to the latest version and try again";
  const step = (rawEvents: string[]) => ({ step: "create", state: {} as never, rawEvents });
  const d = (path: string, sim: unknown, real: unknown) => ({ scenario: "retention-delete", stepIndex: 0, step: "create", path, sim, real });

  it("covers only 409 retries on the real side and the SuccessfulCreate they replace", () => {
    const real = step([
      `PersistentVolumeClaim/data-kubia-0 ProvisioningFailed: Error saving claim: Operation cannot be fulfilled on persistentvolumeclaims "data-kubia-0": ${conflict} (persistentvolume-controller)`,
      `StatefulSet/kubia FailedUpdate: Update Pod kubia-2 in StatefulSet kubia failed error: could not update claim data-kubia-2 for delete policy ownerRefs: ${conflict} (statefulset-controller)`,
    ]);
    expect(knownDivergenceFor(d("events.PersistentVolumeClaim.ProvisioningFailed", undefined, 1), { real })?.id).toBe("conflict-retry");
    expect(knownDivergenceFor(d("events.StatefulSet.FailedUpdate", undefined, 1), { real })?.id).toBe("conflict-retry");
    expect(knownDivergenceFor(d("events.StatefulSet.SuccessfulCreate", 6, 5), { real })?.id).toBe("conflict-retry");
    // Two creates missing for one conflict, or a provisioning failure that is not a conflict, are real divergences.
    expect(knownDivergenceFor(d("events.StatefulSet.SuccessfulCreate", 6, 4), { real })).toBeUndefined();
    const notConflict = step([`PersistentVolumeClaim/data-kubia-0 ProvisioningFailed: storageclass.storage.k8s.io "missing" not found (persistentvolume-controller)`]);
    expect(knownDivergenceFor(d("events.PersistentVolumeClaim.ProvisioningFailed", undefined, 1), { real: notConflict })).toBeUndefined();
  });
});

describe("known divergence retry-cadence", () => {
  const step = (rawEvents: string[]) => ({ step: "scale to 0", state: {} as never, rawEvents });
  const d = { scenario: "missing-storage-class", stepIndex: 1, step: "scale to 0", path: "events.PersistentVolumeClaim.ProvisioningFailed", sim: 1, real: undefined };
  const failed = `PersistentVolumeClaim/data-kubia-0 ProvisioningFailed: storageclass.storage.k8s.io "missing" not found (persistentvolume-controller)`;

  it("covers a repeated report that one side happened to repeat within the step, not a new one", () => {
    expect(knownDivergenceFor(d, { sim: step([`(repeat) ${failed}`]), real: step([]) })?.id).toBe("retry-cadence");
    expect(knownDivergenceFor(d, { sim: step([failed]), real: step([]) })).toBeUndefined();
  });

  it("covers the same new report repeated more often on one side, not a report only one side made", () => {
    const unbound = "Pod/kubia-1 FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. (default-scheduler)";
    const other = "Pod/kubia-1 FailedScheduling: 0/3 nodes are available: 3 Too many pods. (default-scheduler)";
    const counts = { scenario: "missing-storage-class", stepIndex: 3, step: "scale to 2", path: "events.Pod.FailedScheduling", sim: 1, real: 2 };
    expect(knownDivergenceFor(counts, { sim: step([unbound]), real: step([unbound, `(repeat) ${unbound}`]) })?.id).toBe("retry-cadence");
    expect(knownDivergenceFor(counts, { sim: step([unbound]), real: step([unbound, other]) })).toBeUndefined();
    expect(knownDivergenceFor({ ...counts, sim: undefined }, { sim: step([]), real: step([unbound, `(repeat) ${unbound}`]) })).toBeUndefined();
  });
});

describe("known divergence unbound-claim-retry", () => {
  const step = (rawEvents: string[]) => ({ step: "scale to 3", state: {} as never, rawEvents });
  const d = { scenario: "scale-parallel", stepIndex: 1, step: "scale to 3", path: "events.Pod.FailedScheduling", sim: 3, real: 4 };
  const unbound = (pod: string, tail: string) => `Pod/${pod} FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.${tail} (default-scheduler)`;
  const preemption = " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

  it("covers the same pods failing on an unbound claim, retried more often on one side, whatever the preemption tail", () => {
    const sim = step([unbound("kubia-0", preemption), unbound("kubia-1", preemption), unbound("kubia-0", preemption)]);
    const real = step([unbound("kubia-1", " not found"), unbound("kubia-0", " not found"), unbound("kubia-1", " not found"), unbound("kubia-1", preemption)]);
    expect(knownDivergenceFor(d, { sim, real })?.id).toBe("unbound-claim-retry");
  });

  it("covers a pod whose own new claim kube-scheduler has not seen yet, not another claim", () => {
    const notSeen = (pod: string, claim: string) => `Pod/${pod} FailedScheduling: 0/3 nodes are available: persistentvolumeclaim "${claim}" not found.${preemption} (default-scheduler)`;
    const sim = step([unbound("kubia-0", preemption), unbound("kubia-1", preemption)]);
    const real = step([unbound("kubia-0", " not found"), notSeen("kubia-1", "data-kubia-1"), unbound("kubia-1", " not found")]);
    expect(knownDivergenceFor(d, { sim, real })?.id).toBe("unbound-claim-retry");
    expect(knownDivergenceFor(d, { sim, real: step([unbound("kubia-0", " not found"), notSeen("kubia-1", "data-kubia-0")]) })).toBeUndefined();
  });

  it("covers a new pod only one side failed (its claim bound before the first attempt), or a late repeat of an earlier failure", () => {
    const created = (rawEvents: string[], podOps: string[]) => ({ step: "create", state: { podOps } as never, rawEvents });
    const ops = ["+kubia-0", "+kubia-1", "+kubia-2"];
    const sim = created([unbound("kubia-0", preemption), unbound("kubia-1", preemption), unbound("kubia-2", preemption)], ops);
    const real = created([unbound("kubia-1", " not found"), unbound("kubia-2", " not found")], ops);
    expect(knownDivergenceFor(d, { sim, real })?.id).toBe("unbound-claim-retry");
    const scaled = created([unbound("kubia-1", preemption)], ["+kubia-1"]);
    expect(knownDivergenceFor(d, { sim: scaled, real: created([unbound("kubia-1", " not found"), `(repeat) ${unbound("kubia-0", " not found")}`], ["+kubia-1"]) })?.id).toBe("unbound-claim-retry");
    // kubia-0 existed before the step and failed anew on one side only: a divergence.
    expect(knownDivergenceFor(d, { sim: scaled, real: created([unbound("kubia-1", " not found"), unbound("kubia-0", " not found")], ["+kubia-1"]) })).toBeUndefined();
  });

  it("does not cover another failure, a pod only one side failed, or a step where one side reported nothing", () => {
    const other = "Pod/kubia-1 FailedScheduling: 0/3 nodes are available: 3 Too many pods. (default-scheduler)";
    expect(knownDivergenceFor(d, { sim: step([unbound("kubia-1", preemption)]), real: step([unbound("kubia-1", preemption), other]) })).toBeUndefined();
    expect(knownDivergenceFor(d, { sim: step([unbound("kubia-1", preemption)]), real: step([unbound("kubia-1", ""), unbound("kubia-2", "")]) })).toBeUndefined();
    expect(knownDivergenceFor(d, { sim: step([]), real: step([unbound("kubia-1", "")]) })).toBeUndefined();
  });
});

describe("known divergence kwok-stale-delete", () => {
  it("removes only delete+recreate cycles of a pod just created", () => {
    expect(withoutStaleDeletes(["~kubia-1", "-kubia-1", "+kubia-1", "-kubia-1", "+kubia-1"])).toEqual(["~kubia-1", "-kubia-1", "+kubia-1"]);
    expect(withoutStaleDeletes(["~kubia-1", "-kubia-1", "+kubia-1", "~kubia-1", "-kubia-1", "+kubia-1"])).toEqual(["~kubia-1", "-kubia-1", "+kubia-1"]);
    expect(withoutStaleDeletes(["+kubia-0", "-kubia-1", "+kubia-1"])).toEqual(["+kubia-0", "-kubia-1", "+kubia-1"]);
  });

  it("applies when the real sequence has such a cycle and is otherwise the simulator's", () => {
    const state = (podOps: string[]) => ({ podOps }) as never;
    const sim = { step: "delete pod kubia-1", state: state(["~kubia-1", "-kubia-1", "+kubia-1"]), rawEvents: [] };
    const real = { step: "delete pod kubia-1", state: state(["~kubia-1", "-kubia-1", "+kubia-1", "-kubia-1", "+kubia-1"]), rawEvents: ['Pod/kubia-1 FailedScheduling: running Bind plugin "DefaultBinder": Operation cannot be fulfilled (default-scheduler)'] };
    const d = (path: string) => ({ scenario: "graceful-delete", stepIndex: 1, step: "delete pod kubia-1", path, sim: undefined, real: 1 });
    expect(knownDivergenceFor(d("podOps"), { sim, real })?.id).toBe("kwok-stale-delete");
    expect(knownDivergenceFor(d("events.Pod.FailedScheduling"), { sim, real })?.id).toBe("kwok-stale-delete");
    const extraOp = { ...real, state: state(["~kubia-1", "-kubia-1", "+kubia-1", "-kubia-1", "+kubia-1", "+kubia-2"]) };
    expect(knownDivergenceFor(d("podOps"), { sim, real: extraOp })).toBeUndefined();
  });

  it("covers the pod created once more being scheduled once more, not a pod only the real side scheduled", () => {
    const state = (podOps: string[]) => ({ podOps }) as never;
    const ops = ["~kubia-2", "-kubia-2", "+kubia-2", "~kubia-1", "-kubia-1", "+kubia-1"];
    const scheduled = (pod: string, node: string) => `Pod/${pod} Scheduled: Successfully assigned ns/${pod} to ${node} (default-scheduler)`;
    const sim = { step: "set image", state: state(ops), rawEvents: [scheduled("kubia-2", "k8s-node3"), scheduled("kubia-1", "k8s-node2")] };
    const realOps = ["~kubia-2", "-kubia-2", "+kubia-2", "~kubia-2", "-kubia-2", "+kubia-2", "~kubia-1", "-kubia-1", "+kubia-1"];
    const real = { step: "set image", state: state(realOps), rawEvents: [scheduled("kubia-2", "k8s-node1"), scheduled("kubia-2", "k8s-node3"), scheduled("kubia-1", "k8s-node2")] };
    const d = { scenario: "rolling-update", stepIndex: 1, step: "set image", path: "events.Pod.Scheduled", sim: 2, real: 3 };
    expect(knownDivergenceFor(d, { sim, real })?.id).toBe("kwok-stale-delete");
    // Another pod scheduled on the real side only, or no delete+recreate cycle: still a divergence.
    const other = { ...real, rawEvents: [...real.rawEvents.slice(1), scheduled("kubia-0", "k8s-node1")] };
    expect(knownDivergenceFor(d, { sim, real: other })).toBeUndefined();
    expect(knownDivergenceFor(d, { sim, real: { ...real, state: state(ops) } })).toBeUndefined();
  });
});

describe("inFlight", () => {
  const facts = { nodes: [{ metadata: { name: "a" } }, { metadata: { name: "dead", annotations: { "playground.k8s.io/down": "true" } } }], storageClasses: new Set(["standard"]), defaultStorageClass: "standard" };

  it("waits for kubelets, provisioning and reclaim, but not for what can never change", () => {
    const bound = { pvcs: [pvc("data-kubia-0", "c", "pv")], pvs: [pv("pv", "v", "data-kubia-0")] };
    expect(inFlight({ pods: [pod("kubia-0", "u", "a")], ...bound }, facts)).toBeUndefined();
    expect(inFlight({ pods: [pod("kubia-0", "u", "a", { terminating: true })], ...bound }, facts)).toMatch(/terminating/);
    expect(inFlight({ pods: [pod("kubia-0", "u", "dead", { terminating: true })], ...bound }, facts)).toBeUndefined();
    expect(inFlight({ pods: [pod("kubia-0", "u", "a", { ready: false })], ...bound }, facts)).toMatch(/starting/);
    expect(inFlight({ pods: [], pvcs: [pvc("data-kubia-0", "c")], pvs: [] }, facts)).toMatch(/provisioning/);
    const missing = { ...pvc("data-kubia-0", "c"), spec: { storageClassName: "missing" } };
    expect(inFlight({ pods: [pod("kubia-0", "u")], pvcs: [missing], pvs: [] }, facts)).toBeUndefined();
    expect(inFlight({ pods: [], pvcs: [], pvs: [{ ...pv("pv", "v", "data-kubia-0"), status: { phase: "Released" } }] }, facts)).toMatch(/reclaimed/);
  });

  it("waits for the StatefulSet status to catch up with its pods", () => {
    const set = { metadata: { generation: 2 }, status: { observedGeneration: 2, replicas: 1, readyReplicas: 1 } };
    const bound = { pvcs: [pvc("data-kubia-0", "c", "pv")], pvs: [pv("pv", "v", "data-kubia-0")] };
    expect(inFlight({ pods: [pod("kubia-0", "u", "a")], ...bound, statefulSet: set }, facts)).toBeUndefined();
    expect(inFlight({ pods: [pod("kubia-0", "u", "a")], ...bound, statefulSet: { ...set, status: { ...set.status, observedGeneration: 1 } } }, facts)).toMatch(/generation/);
    expect(inFlight({ pods: [], ...bound, statefulSet: set }, facts)).toMatch(/status.replicas/);
  });
});
