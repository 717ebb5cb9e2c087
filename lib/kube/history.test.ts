import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { StreamChange } from "@/lib/k8s/contract";
import { momentOf, objectsAt, snapshotAt, type History } from "@/lib/k8s/replay";
import { EventHistory } from "./history";

function pod(name: string, rv: number, phase = "Running", terminating = false): V1Pod {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: String(rv), ...(terminating ? { deletionTimestamp: new Date(0) } : {}) },
    status: { phase },
  };
}

function setup(options: { maxEntries?: number; maxAgeMs?: number; maxBytes?: number } = {}) {
  let now = 1_000_000;
  const history = new EventHistory({ ...options, now: () => now });
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
    const live = { cluster: {} as never, objects: objectsAt(h, -1), status: {} as never, eventId: 9, actions: [] };
    expect(snapshotAt(h, 0, live).actions).toEqual([]);
    expect(snapshotAt(h, 0, live).objects.pods).toHaveLength(1);
  });
});
