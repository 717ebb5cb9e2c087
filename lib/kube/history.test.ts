import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { StreamChange } from "@/lib/k8s/contract";
import { causeOf, clusterTimeOf, momentOf, objectsAt, snapshotAt, type History } from "@/lib/k8s/replay";
import { EventHistory } from "./history";

function pod(name: string, rv: number, phase = "Running", terminating = false): V1Pod {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: String(rv), ...(terminating ? { deletionTimestamp: new Date(0) } : {}) },
    status: { phase },
  };
}

function setup(options: { maxEntries?: number; maxAgeMs?: number; maxBytes?: number } = {}) {
  let now = 1_000_000;
  // The cluster's clock runs ten times as fast as the wall clock, from a different origin.
  const history = new EventHistory({ ...options, now: () => now, clusterNow: () => 5_000_000 + (now - 1_000_000) * 10 });
  let id = 0;
  const record = (change: StreamChange) => history.record(++id, JSON.stringify(change));
  const read = () => JSON.parse(history.toJson([])) as History;
  return { history, record, read, tick: (ms: number) => (now += ms), now: () => now };
}

const names = (h: History, index: number) => objectsAt(h, index).pods.map((p) => `${p.metadata?.name}:${p.metadata?.deletionTimestamp ? "Terminating" : p.status?.phase}`);

describe("EventHistory", () => {
  it("serves every change with its time and id, and the state at each of them", () => {
    const { record, read, tick } = setup();
    record({ kind: "pods", type: "ADDED", object: pod("kubia-0", 1) });
    tick(1_000);
    record({ kind: "pods", type: "ADDED", object: pod("kubia-1", 2) });
    tick(1_000);
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-1", 3, "Running", true) });
    tick(1_000);
    record({ kind: "pods", type: "DELETED", object: pod("kubia-1", 4, "Running", true) });
    const h = read();
    expect(h.entries.map((e) => [e.id, e.at])).toEqual([
      [1, 1_000_000],
      [2, 1_001_000],
      [3, 1_002_000],
      [4, 1_003_000],
    ]);
    expect(names(h, -1)).toEqual([]);
    expect(names(h, 1)).toEqual(["kubia-0:Running", "kubia-1:Running"]);
    expect(names(h, 2)).toEqual(["kubia-0:Running", "kubia-1:Terminating"]);
    expect(names(h, 3)).toEqual(["kubia-0:Running"]);
    expect(momentOf(h, 2)).toBe(1_002_000);
  });

  it("keeps at most maxEntries, folding the dropped ones into the base so later moments stay exact", () => {
    const { record, read, history } = setup({ maxEntries: 2 });
    record({ kind: "pods", type: "ADDED", object: pod("kubia-0", 1) });
    record({ kind: "pods", type: "ADDED", object: pod("kubia-1", 2) });
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-1", 3, "Running", true) });
    record({ kind: "pods", type: "DELETED", object: pod("kubia-1", 4, "Running", true) });
    expect(history.size).toBe(2);
    const h = read();
    expect(h.entries.map((e) => e.id)).toEqual([3, 4]);
    expect(names(h, -1)).toEqual(["kubia-0:Running", "kubia-1:Running"]);
    expect(names(h, 0)).toEqual(["kubia-0:Running", "kubia-1:Terminating"]);
    expect(names(h, 1)).toEqual(["kubia-0:Running"]);
  });

  it("forgets events older than maxAgeMs; the base then stands for the moment of the last one forgotten", () => {
    const { record, read, tick } = setup({ maxAgeMs: 60_000 });
    record({ kind: "pods", type: "ADDED", object: pod("kubia-0", 1) });
    tick(30_000);
    record({ kind: "pods", type: "ADDED", object: pod("kubia-1", 2) });
    tick(45_000);
    const h = read();
    expect(h.entries.map((e) => e.id)).toEqual([2]);
    expect(h.since).toBe(1_000_000);
    expect(names(h, -1)).toEqual(["kubia-0:Running"]);
    tick(60_000);
    expect(read().entries).toEqual([]);
    expect(names(read(), -1)).toEqual(["kubia-0:Running", "kubia-1:Running"]);
  });

  it("is bounded in bytes too", () => {
    const { record, history } = setup({ maxBytes: 1_000 });
    for (let i = 0; i < 50; i++) record({ kind: "pods", type: "MODIFIED", object: pod("kubia-0", i + 1) });
    expect(history.size).toBeGreaterThan(0);
    expect(history.size).toBeLessThan(10);
  });

  it("a snapshot of a past moment carries the actions done by then", () => {
    const { record, read } = setup();
    record({ kind: "pods", type: "ADDED", object: pod("kubia-0", 1) });
    const h = { ...read(), actions: [{ id: "b", at: new Date(2_000_000).toISOString(), action: "scale", target: "statefulset/kubia", kubectl: "kubectl scale", ok: true }] };
    const live = { cluster: { clock: { speed: 10, paused: false, clusterTime: 0, at: 0 } } as never, objects: objectsAt(h, -1), status: {} as never, eventId: 9, actions: [] };
    expect(snapshotAt(h, 0, live).actions).toEqual([]);
    expect(snapshotAt(h, 0, live).objects.pods).toHaveLength(1);
  });

  it("records the cluster's time of each change; a replayed moment's clock stands still at it", () => {
    const { record, read, tick } = setup();
    tick(1_000);
    record({ kind: "pods", type: "ADDED", object: pod("kubia-0", 1) });
    tick(2_000);
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-0", 2, "Running", true) });
    const h = read();
    expect(h.sinceClusterTime).toBe(5_000_000);
    expect(h.entries.map((e) => e.clusterTime)).toEqual([5_010_000, 5_030_000]);
    expect(clusterTimeOf(h, -1)).toBe(5_000_000);
    const live = { cluster: { clock: { speed: 10, paused: false, clusterTime: 9_000_000, at: 1_003_000 } } as never, objects: objectsAt(h, 1), status: {} as never, eventId: 9, actions: [] };
    expect(snapshotAt(h, 0, live).cluster.clock).toEqual({ speed: 10, paused: true, clusterTime: 5_010_000, at: 1_001_000 });
  });

  it("names the Kubernetes Event that explains a change: the event itself, else a recent one about or naming the object", () => {
    const { record, read, tick } = setup();
    const event = (uid: string, involved: string, message: string) =>
      ({ kind: "events", type: "ADDED", object: { metadata: { name: uid, uid, namespace: "default" }, involvedObject: { kind: "StatefulSet", name: involved }, message } }) as StreamChange;
    record({ kind: "pods", type: "ADDED", object: pod("kubia-2", 1) });
    record(event("e1", "kubia", "delete Pod kubia-2 in StatefulSet kubia successful"));
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-2", 2, "Running", true) });
    record(event("e2", "kubia", "delete Pod kubia-20 in StatefulSet kubia successful"));
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-1", 3) });
    tick(60_000);
    record({ kind: "pods", type: "DELETED", object: pod("kubia-2", 4, "Running", true) });
    const h = read();
    // The controller records its Event right after its write: the event that follows explains the change.
    expect(causeOf(h, 0)).toBe("event/e1");
    expect(causeOf(h, 1)).toBe("event/e1");
    expect(causeOf(h, 2)).toBe("event/e1");
    expect(causeOf(h, 4)).toBeUndefined();
    // A minute later (cluster time) the old event is no longer the explanation.
    expect(causeOf(h, 5)).toBeUndefined();
    // Nor is an Event that follows a change by more than a second.
    tick(1_000);
    record({ kind: "pods", type: "MODIFIED", object: pod("kubia-0", 5) });
    tick(2_000);
    record(event("e3", "kubia", "create Pod kubia-0 in StatefulSet kubia successful"));
    expect(causeOf(read(), 6)).toBeUndefined();
    expect(causeOf(read(), 7)).toBe("event/e3");
  });
});
