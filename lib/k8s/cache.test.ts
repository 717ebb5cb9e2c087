import { describe, expect, it } from "vitest";
import type { ActionRecord, KindStatus, Snapshot, StreamStatus, WatchedKind } from "./contract";
import { WATCHED_KINDS } from "./contract";
import { applyAction, applyChange, applyMessages } from "./cache";
import { objectKey } from "./keys";
import { pod } from "./testing/fixtures";
import type { V1Pod } from "@kubernetes/client-node";

function withRv(p: V1Pod, rv: string, uid?: string): V1Pod {
  return { ...p, metadata: { ...p.metadata, resourceVersion: rv, ...(uid ? { uid } : {}) } };
}

function snapshot(pods: V1Pod[]): Snapshot {
  const empty = Object.fromEntries(WATCHED_KINDS.map((k) => [k, []])) as unknown as Snapshot["objects"];
  const status = Object.fromEntries(WATCHED_KINDS.map((k) => [k, { synced: true }])) as Record<WatchedKind, KindStatus>;
  return {
    cluster: { mode: "embedded", namespace: "default", context: "embedded", capabilities: { nodeFailure: true, faults: true, dnsServer: true, nodes: true, persistentVolumes: true }, speed: 1, clock: { speed: 1, paused: false, clusterTime: 0, at: 0 }, maxReplicas: 50 },
    objects: { ...empty, pods },
    status,
    eventId: 7,
    actions: [],
  };
}

describe("applyChange", () => {
  const p0 = withRv(pod("kubia-0", { uid: "u0" }), "10");
  const base = snapshot([p0]);

  it("adds, modifies and deletes by namespace/name", () => {
    const p1 = withRv(pod("kubia-1", { uid: "u1" }), "11");
    const added = applyChange(base, { kind: "pods", type: "ADDED", object: p1 });
    expect(added.objects.pods.map(objectKey)).toEqual(["default/kubia-0", "default/kubia-1"]);
    const modified = applyChange(added, { kind: "pods", type: "MODIFIED", object: withRv({ ...p0, status: { phase: "Failed" } }, "12") });
    expect(modified.objects.pods[0].status?.phase).toBe("Failed");
    const deleted = applyChange(modified, { kind: "pods", type: "DELETED", object: withRv(p0, "13") });
    expect(deleted.objects.pods.map(objectKey)).toEqual(["default/kubia-1"]);
    // Untouched kinds keep their arrays (React can skip them).
    expect(deleted.objects.nodes).toBe(base.objects.nodes);
  });

  it("ignores a change older than the cached object", () => {
    const stale = withRv({ ...p0, status: { phase: "Pending" } }, "9");
    expect(applyChange(base, { kind: "pods", type: "MODIFIED", object: stale })).toBe(base);
    expect(applyChange(base, { kind: "pods", type: "DELETED", object: withRv(p0, "9") })).toBe(base);
  });

  it("compares resourceVersions as numbers, not strings", () => {
    const newer = withRv({ ...p0, status: { phase: "Succeeded" } }, "100");
    const next = applyChange(snapshot([withRv(p0, "99")]), { kind: "pods", type: "MODIFIED", object: newer });
    expect(next.objects.pods[0].status?.phase).toBe("Succeeded");
  });

  it("returns the same snapshot for a repeated event", () => {
    expect(applyChange(base, { kind: "pods", type: "MODIFIED", object: withRv(p0, "10") })).toBe(base);
  });

  it("a late DELETED of an earlier incarnation keeps the recreated pod", () => {
    const recreated = snapshot([withRv(pod("kubia-0"), "20", "u-new")]);
    const lateDelete = withRv(p0, "25", "u0");
    expect(applyChange(recreated, { kind: "pods", type: "DELETED", object: lateDelete })).toBe(recreated);
  });

  it("a recreated pod replaces the cached one (new uid, higher resourceVersion)", () => {
    const next = applyChange(base, { kind: "pods", type: "ADDED", object: withRv(pod("kubia-0"), "30", "u-new") });
    expect(next.objects.pods.map((p) => p.metadata?.uid)).toEqual(["u-new"]);
  });

  it("applies opaque (non-numeric) resourceVersions without comparing", () => {
    const opaque = snapshot([withRv(p0, "abc")]);
    const next = applyChange(opaque, { kind: "pods", type: "MODIFIED", object: withRv({ ...p0, status: { phase: "Failed" } }, "abd") });
    expect(next.objects.pods[0].status?.phase).toBe("Failed");
  });
});

describe("applyAction / applyMessages", () => {
  const action = (id: string): ActionRecord => ({ id, at: new Date().toISOString(), action: "scale", target: "statefulset/kubia", kubectl: "kubectl scale …", ok: true });

  it("prepends actions once, newest first, bounded", () => {
    let s = snapshot([]);
    s = applyAction(s, action("a"));
    s = applyAction(s, action("b"));
    s = applyAction(s, action("a"));
    expect(s.actions.map((a) => a.id)).toEqual(["b", "a"]);
    expect(applyAction(s, action("c"), 2).actions.map((a) => a.id)).toEqual(["c", "b"]);
  });

  it("a snapshot message replaces everything; nothing applies before the first snapshot", () => {
    const first = snapshot([withRv(pod("kubia-0"), "1")]);
    expect(applyMessages(undefined, [{ event: "change", data: { kind: "pods", type: "ADDED", object: withRv(pod("kubia-9"), "2") } }])).toBeUndefined();
    const status: StreamStatus = { connected: false, kinds: { ...first.status, pods: { synced: false, error: "connection refused" } } };
    const result = applyMessages(undefined, [
      { event: "snapshot", data: first },
      { event: "change", data: { kind: "pods", type: "ADDED", object: withRv(pod("kubia-1"), "3") } },
      { event: "status", data: status },
      { event: "action", data: action("x") },
    ]);
    expect(result?.objects.pods.map(objectKey)).toEqual(["default/kubia-0", "default/kubia-1"]);
    expect(result?.status.pods).toEqual({ synced: false, error: "connection refused" });
    expect(result?.actions.map((a) => a.id)).toEqual(["x"]);
  });
});

describe("applyMessages (one batch per frame)", () => {
  it("gives what applying the changes one by one gives, and keeps untouched objects and kinds", () => {
    const names = ["kubia-0", "kubia-1", "kubia-2", "kubia-3"];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const base = snapshot([withRv(pod("kubia-0", { uid: "u0" }), "1"), withRv(pod("kubia-2", { uid: "u2" }), "2")]);
      const messages = Array.from({ length: 30 }, () => {
        const name = names[Math.floor(random() * names.length)];
        const type = (["ADDED", "MODIFIED", "DELETED"] as const)[Math.floor(random() * 3)];
        const object = withRv(pod(name, { uid: `u${name.slice(-1)}` }), String(Math.floor(random() * 40)));
        return { event: "change" as const, data: { kind: "pods" as const, type, object } };
      });
      const batched = applyMessages(base, messages)!;
      const oneByOne = messages.reduce((s, m) => applyChange(s, m.data), base);
      expect(batched.objects.pods.map((p) => [objectKey(p), p.metadata?.resourceVersion]).sort()).toEqual(oneByOne.objects.pods.map((p) => [objectKey(p), p.metadata?.resourceVersion]).sort());
      expect(batched.objects.nodes).toBe(base.objects.nodes);
    }
    const base = snapshot([withRv(pod("kubia-0", { uid: "u0" }), "1"), withRv(pod("kubia-2", { uid: "u2" }), "2")]);
    const after = applyMessages(base, [{ event: "change", data: { kind: "pods", type: "MODIFIED", object: withRv(pod("kubia-2", { uid: "u2" }), "3") } }])!;
    expect(after.objects.pods[0]).toBe(base.objects.pods[0]);
  });
});

describe("applyMessages over many frames (each list's index handed to the next)", () => {
  it("stays what applying the changes one by one gives, frame after frame, and from an older snapshot again", () => {
    const names = Array.from({ length: 12 }, (_, i) => `kubia-${i}`);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pods = (s: Snapshot) => s.objects.pods.map((p) => `${objectKey(p)}@${p.metadata?.resourceVersion}`).sort();
    let rv = 1;
    const frame = () =>
      Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const name = names[Math.floor(random() * names.length)];
        // Mostly adds and updates (no deletion: the index is handed on), sometimes a deletion.
        const type = random() < 0.15 ? ("DELETED" as const) : ("MODIFIED" as const);
        return { event: "change" as const, data: { kind: "pods" as const, type, object: withRv(pod(name, { uid: `u-${name}` }), String(rv++)) } };
      });
    const start = snapshot([]);
    let batched = start;
    let oneByOne = start;
    const older: [Snapshot, Snapshot][] = [];
    for (let i = 0; i < 200; i++) {
      const messages = frame();
      if (i % 20 === 0) older.push([batched, oneByOne]);
      batched = applyMessages(batched, messages)!;
      oneByOne = messages.reduce((s, m) => applyChange(s, m.data), oneByOne);
      expect(pods(batched)).toEqual(pods(oneByOne));
    }
    // A snapshot whose list's index went to a later one (a replayed moment) is a correct base again.
    for (const [b, o] of older) {
      const messages = frame();
      expect(pods(applyMessages(b, messages)!)).toEqual(pods(messages.reduce((s, m) => applyChange(s, m.data), o)));
    }
  });
});

describe("cluster messages", () => {
  it("replace the cluster description (a new speed or pause) and keep the objects", () => {
    const base = snapshot([pod("kubia-0")]);
    const paused = { ...base.cluster, clock: { speed: 0.25, paused: true, clusterTime: 1, at: 2 } };
    const next = applyMessages(base, [{ event: "cluster", data: paused }]);
    expect(next?.cluster.clock).toEqual({ speed: 0.25, paused: true, clusterTime: 1, at: 2 });
    expect(next?.objects).toBe(base.objects);
  });
});
