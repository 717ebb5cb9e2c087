import { describe, expect, it } from "vitest";
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { Snapshot } from "@/lib/k8s/contract";
import { embeddedCluster, event, node, pod, pvc, statefulSet } from "@/lib/k8s/testing/fixtures";
import { FILE_READINESS_PROBE } from "@/lib/k8s/readiness";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { advance, restart, runnableSteps } from "./progress";
import { readiness } from "./readiness";
import { freshDemo } from "./state";
import type { Abilities } from "./abilities";

const ALL: Abilities = { faults: true, nodeFailure: true, containers: true };
const KWOK: Abilities = { faults: false, nodeFailure: false, containers: false };

function snapshotOf(objects: Partial<Snapshot["objects"]>): Snapshot {
  const empty = { statefulsets: [], pods: [], persistentvolumeclaims: [], persistentvolumes: [], services: [], endpointslices: [], events: [], nodes: [] };
  return { cluster: embeddedCluster, objects: { ...empty, ...objects }, status: {} as Snapshot["status"], eventId: 1, actions: [] };
}

/** The demo with (or without) the lesson's probe, rolled out (revisions equal) unless told otherwise. */
function set(replicas: number, o: { probe?: boolean; rolledOut?: boolean; observed?: boolean } = {}): V1StatefulSet {
  const sts = statefulSet(replicas);
  if (o.probe ?? true) sts.spec!.template.spec!.containers[0].readinessProbe = { ...FILE_READINESS_PROBE, timeoutSeconds: 1, successThreshold: 1 };
  sts.metadata!.generation = 2;
  sts.status = { ...sts.status!, observedGeneration: o.observed === false ? 1 : 2, currentRevision: "kubia-b", updateRevision: o.rolledOut === false ? "kubia-c" : "kubia-b" };
  return sts;
}

function probed(name: string, o: { ready?: boolean; uid?: string; probe?: boolean } = {}): V1Pod {
  const p = pod(name, { node: "k8s-node1", ready: o.ready, uid: o.uid });
  if (o.probe ?? true) p.spec!.containers[0].readinessProbe = FILE_READINESS_PROBE;
  return p;
}

const state = (sts: V1StatefulSet, pods: V1Pod[], events = [] as Snapshot["objects"]["events"]) =>
  snapshotOf({ statefulsets: [sts], pods, events, persistentvolumeclaims: pods.map((p) => pvc(`data-${p.metadata!.name}`)), nodes: [node("k8s-node1")] });

const step = (id: string) => readiness.steps.find((s) => s.id === id)!;

describe("the readiness lesson", () => {
  it("shows the exact kubectl commands: a strategic patch of the probe, exec touch and rm of the file", () => {
    expect(step("probe").command("default")).toBe(
      `kubectl patch statefulset kubia -n default -p '{"spec":{"template":{"spec":{"containers":[{"name":"kubia","readinessProbe":{"exec":{"command":["test","!","-e","/tmp/not-ready"]},"periodSeconds":1,"failureThreshold":1}}]}}}}' && kubectl rollout status statefulset/kubia -n default`,
    );
    expect(step("break").command("default")).toMatch(/^kubectl exec kubia-1 -n default -- touch \/tmp\/not-ready/);
    expect(step("repair").command("default")).toBe("kubectl exec kubia-1 -n default -- rm -f /tmp/not-ready");
    expect(kubectlFor.setReadinessProbe("default", "kubia", "kubia", undefined)).toContain('"readinessProbe":null');
  });

  it("a set with the probe is not the fresh demo: the start step waits for a reset", () => {
    const withProbe = state(set(2), [probed("kubia-0"), probed("kubia-1")]);
    expect(freshDemo(withProbe)).toBe(false);
    expect(freshDemo(state(set(2, { probe: false }), [probed("kubia-0", { probe: false }), probed("kubia-1", { probe: false })]))).toBe(true);
  });

  it("probe ticks only once every pod runs the probed template, Ready, and the rollout is complete", () => {
    expect(step("probe").check(state(set(2, { rolledOut: false }), [probed("kubia-0"), probed("kubia-1")]), {})).toBe(false);
    expect(step("probe").check(state(set(2), [probed("kubia-0", { probe: false }), probed("kubia-1")]), {})).toBe(false);
    expect(step("probe").check(state(set(2), [probed("kubia-0"), probed("kubia-1", { ready: false })]), {})).toBe(false);
    expect(step("probe").check(state(set(2), [probed("kubia-0"), probed("kubia-1")]), {})).toBe(true);
  });

  it("break ticks when kubia-1 runs but is not Ready and the kubelet reported it Unhealthy (that pod, not an earlier one)", () => {
    const pods = [probed("kubia-0"), probed("kubia-1", { ready: false, uid: "pod-now" })];
    const unhealthy = (uid: string) => event("Pod", "kubia-1", "Unhealthy", "Readiness probe failed: ", { type: "Warning", uid });
    expect(step("break").check(state(set(2), pods), {})).toBe(false);
    expect(step("break").check(state(set(2), pods, [unhealthy("pod-before")]), {})).toBe(false);
    expect(step("break").check(state(set(2), pods, [unhealthy("pod-now")]), {})).toBe(true);
    expect(step("break").check(state(set(2), [probed("kubia-0"), probed("kubia-1", { uid: "pod-now" })], [unhealthy("pod-now")]), {})).toBe(false);
  });

  it("scale ticks when the controller has seen replicas 3 and holds kubia-2 back behind the unready kubia-1, and not once kubia-2 exists", () => {
    const broken = [probed("kubia-0"), probed("kubia-1", { ready: false })];
    expect(step("scale").check(state(set(2), broken), {})).toBe(false);
    expect(step("scale").check(state(set(3, { observed: false }), broken), {})).toBe(false);
    expect(step("scale").check(state(set(3), broken), {})).toBe(true);
    expect(step("scale").check(state(set(3), [...broken, probed("kubia-2", { ready: false })]), {})).toBe(false);
    expect(step("scale").check(state(set(3), [probed("kubia-0"), probed("kubia-1")]), {})).toBe(false);
  });

  it("repair ticks at 3 Ready pods; the whole lesson advances in order from the state alone", () => {
    const done = state(set(3), [probed("kubia-0"), probed("kubia-1"), probed("kubia-2")]);
    expect(step("repair").check(done, {})).toBe(true);
    const atScale = { done: ["start", "probe", "break"], baseline: {} };
    const held = state(set(3), [probed("kubia-0"), probed("kubia-1", { ready: false })]);
    expect(advance(readiness, atScale, held, ALL).done).toEqual(["start", "probe", "break", "scale"]);
    // A fresh start on the probed set: start waits for the reset, nothing ticks out of order.
    expect(advance(readiness, restart(readiness, done, ALL), done, ALL).done).toEqual([]);
  });

  it("on KWOK nodes (no container runs, no probe is run) only the probe's rollout is played; exec and what follows are skipped", () => {
    expect(runnableSteps(readiness, KWOK).map((s) => s.id)).toEqual(["start", "probe"]);
    expect(readiness.steps.filter((s) => s.needs).map((s) => [s.id, s.needs])).toEqual([
      ["break", "containers"],
      ["scale", "containers"],
      ["repair", "containers"],
    ]);
  });
});
