import { describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/k8s/contract";
import { node, pod, pvc, statefulSet } from "@/lib/k8s/testing/fixtures";
import en from "@/messages/en.json";
import { LESSONS } from ".";
import { identity } from "./basics";
import { advance, currentStep, parseProgress, restart, runnableSteps } from "./progress";
import type { Abilities } from "./abilities";

const ALL: Abilities = { faults: true, nodeFailure: true, containers: true };
const KWOK: Abilities = { faults: false, nodeFailure: false, containers: false };

function snapshotOf(objects: Partial<Snapshot["objects"]>, mode: "embedded" | "real" = "embedded"): Snapshot {
  const empty = { statefulsets: [], pods: [], persistentvolumeclaims: [], persistentvolumes: [], services: [], endpointslices: [], events: [], nodes: [] };
  return {
    cluster: { mode, namespace: "default", context: mode, capabilities: { nodeFailure: true, faults: true, dnsServer: true, nodes: true, persistentVolumes: true }, speed: 1, clock: { speed: 1, paused: false, clusterTime: 0, at: 0 }, maxReplicas: 50 },
    objects: { ...empty, ...objects },
    status: {} as Snapshot["status"],
    eventId: 1,
    actions: [],
  };
}

const fresh = () => snapshotOf({ statefulsets: [statefulSet(2)], pods: [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node2" })], persistentvolumeclaims: [pvc("data-kubia-0"), pvc("data-kubia-1")], nodes: [node("k8s-node1"), node("k8s-node2")] });

describe("lesson progress", () => {
  it("every step of every lesson has both texts' keys and a kubectl command", () => {
    const texts = en.Lessons as Record<string, Record<string, { do?: string; why?: string } | string>>;
    for (const lesson of LESSONS) {
      expect(typeof texts[lesson.id]?.title, lesson.id).toBe("string");
      for (const step of lesson.steps) {
        expect(step.command("default"), step.id).toMatch(/kubectl/);
        const text = texts[lesson.id][step.id] as { do?: string; why?: string };
        expect(text?.do && text?.why, `${lesson.id}.${step.id}`).toBeTruthy();
      }
    }
    expect(LESSONS.map((l) => l.id)).toEqual(["identity", "order", "volumes", "peers", "access", "nodeFailure", "failures", "rollingUpdate", "readiness"]);
  });

  it("ticks from the state, in order, and waits where the state does not show the step yet", () => {
    const state = fresh();
    const p = advance(identity, restart(identity, state, ALL), state, ALL);
    // start and names hold; dns needs ready endpoints with hostnames, which this state lacks.
    expect(p.done).toEqual(["start", "names"]);
    expect(currentStep(identity, p, ALL)?.id).toBe("dns");
    expect(advance(identity, p, state, ALL)).toBe(p); // nothing changed: the same object
  });

  it("a replaced pod (same name, new uid) ticks the delete step; the same pod does not", () => {
    const state = fresh();
    const atDelete = { done: ["start", "names", "dns"], baseline: { uid: state.objects.pods[0].metadata!.uid!, lastAction: "" } };
    expect(advance(identity, atDelete, state, ALL).done).not.toContain("delete");
    const replaced = snapshotOf({ ...state.objects, pods: [pod("kubia-0", { node: "k8s-node2" }), state.objects.pods[1]] });
    expect(advance(identity, atDelete, replaced, ALL).done).toContain("delete");
  });

  it("a cluster skips the steps needing what it lacks: node failure and faults on any real cluster, volume data on KWOK nodes", () => {
    const lesson = (id: string) => LESSONS.find((l) => l.id === id)!;
    expect(runnableSteps(lesson("nodeFailure"), KWOK).map((s) => s.id)).toEqual(["start"]);
    expect(runnableSteps(lesson("nodeFailure"), ALL)).toHaveLength(5);
    expect(runnableSteps(lesson("volumes"), KWOK).map((s) => s.id)).toEqual(["start", "scaleDown", "scaleUp", "retention", "scaleDownDelete"]);
    expect(runnableSteps(lesson("volumes"), { ...KWOK, containers: true }).map((s) => s.id)).toContain("write");
    expect(runnableSteps(lesson("access"), KWOK).map((s) => s.id)).toEqual(["start", "service"]);
  });

  it("a step the cluster cannot run is not waited for: the next runnable one is current", () => {
    const volumes = LESSONS.find((l) => l.id === "volumes")!;
    const state = fresh();
    expect(currentStep(volumes, advance(volumes, restart(volumes, state, KWOK), state, KWOK), KWOK)?.id).toBe("scaleDown");
  });

  it("every reason a step can be skipped for is written in both languages", () => {
    const needs = new Set(LESSONS.flatMap((l) => l.steps.flatMap((s) => (s.needs ? [s.needs] : []))));
    expect([...needs].sort()).toEqual(["containers", "faults", "nodeFailure"]);
    for (const need of needs) expect((en.LessonsUi.needs as Record<string, string>)[need], need).toBeTruthy();
  });

  it("parses what storage held, dropping anything malformed", () => {
    expect(parseProgress("not json")).toEqual({});
    expect(parseProgress('{"identity":{"done":["start"],"baseline":{"uid":"x","n":1}},"bad":{"done":"x"}}')).toEqual({ identity: { done: ["start"], baseline: { uid: "x" } } });
    expect(parseProgress("[1]")).toEqual({});
  });
});
