import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { Snapshot, StreamChange, StreamStatus, WatchedKind } from "@/lib/k8s/contract";
import { WATCHED_KINDS } from "@/lib/k8s/contract";
import { embeddedCluster } from "@/lib/k8s/testing/fixtures";
import { Hub, type HubMessage } from "./hub";

const cluster = embeddedCluster;

function pod(name: string, rv: string, phase = "Running"): V1Pod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", resourceVersion: rv, uid: `uid-${name}` }, status: { phase } };
}

function makeHub(options: Partial<ConstructorParameters<typeof Hub>[0]> = {}) {
  return new Hub({ clusterInfo: () => cluster, idBase: 1_000, ...options });
}

function collect(hub: Hub, lastEventId?: string) {
  const live: HubMessage[] = [];
  const sub = hub.subscribe(lastEventId, (m) => live.push(m));
  return { sub, live };
}

const changes = (messages: HubMessage[]) =>
  messages.filter((m) => m.event === "change").map((m) => {
    const c = JSON.parse(m.data) as StreamChange;
    return `${c.type} ${c.kind} ${c.object.metadata?.name}@${c.object.metadata?.resourceVersion}`;
  });

describe("Hub cache and changes", () => {
  it("applies watch events, normalises ADDED/MODIFIED and drops duplicates and unknown deletes", () => {
    const hub = makeHub();
    const { live } = collect(hub);
    hub.apply("pods", "MODIFIED", pod("kubia-0", "1")); // unknown yet: it is an ADDED for the browser
    hub.apply("pods", "MODIFIED", pod("kubia-0", "1")); // duplicate
    hub.apply("pods", "ADDED", pod("kubia-0", "2")); // known: a MODIFIED
    hub.apply("pods", "DELETED", pod("kubia-9", "3")); // never seen
    hub.apply("pods", "DELETED", pod("kubia-0", "4"));
    expect(changes(live)).toEqual(["ADDED pods kubia-0@1", "MODIFIED pods kubia-0@2", "DELETED pods kubia-0@4"]);
    expect(hub.list("pods")).toEqual([]);
  });

  it("a relist emits exactly the changes that converge the cache: deleted objects disappear, changed ones update", () => {
    const hub = makeHub();
    hub.replace("pods", [pod("kubia-0", "1"), pod("kubia-1", "2"), pod("kubia-2", "3")]);
    const { live } = collect(hub);
    // During an outage kubia-1 was deleted, kubia-2 changed and kubia-3 appeared.
    hub.replace("pods", [pod("kubia-0", "1"), pod("kubia-2", "7"), pod("kubia-3", "8")]);
    expect(changes(live).sort()).toEqual(["ADDED pods kubia-3@8", "DELETED pods kubia-1@2", "MODIFIED pods kubia-2@7"]);
    expect(hub.list("pods").map((p) => p.metadata?.name).sort()).toEqual(["kubia-0", "kubia-2", "kubia-3"]);
  });

  it("keys objects by namespace and name", () => {
    const hub = makeHub();
    hub.apply("pods", "ADDED", pod("a", "1"));
    hub.apply("pods", "ADDED", { ...pod("a", "2"), metadata: { name: "a", namespace: "other", resourceVersion: "2" } });
    expect(hub.list("pods")).toHaveLength(2);
    expect(hub.get("pods", "default", "a")?.metadata?.resourceVersion).toBe("1");
  });
});

describe("Hub ids, replay and snapshots", () => {
  it("ids are monotonic and start at the process's base", () => {
    const hub = makeHub();
    const { live } = collect(hub);
    hub.apply("pods", "ADDED", pod("a", "1"));
    hub.apply("pods", "ADDED", pod("b", "2"));
    expect(live.map((m) => m.id)).toEqual([1_001, 1_002]);
    expect(hub.eventId).toBe(1_002);
  });

  it("a new subscriber without Last-Event-ID gets a snapshot carrying the current id", () => {
    const hub = makeHub();
    hub.apply("pods", "ADDED", pod("a", "1"));
    const { sub } = collect(hub);
    expect(sub.resumed).toBe(false);
    expect(sub.initial).toHaveLength(1);
    const snapshot = JSON.parse(sub.initial[0].data) as Snapshot;
    expect(sub.initial[0].event).toBe("snapshot");
    expect(snapshot.eventId).toBe(hub.eventId);
    expect(snapshot.objects.pods.map((p) => p.metadata?.name)).toEqual(["a"]);
    expect(Object.keys(snapshot.objects).sort()).toEqual([...WATCHED_KINDS].sort());
  });

  it("resumes after Last-Event-ID with exactly the missed messages, then live ones, no gap and no duplicate", () => {
    const hub = makeHub();
    hub.apply("pods", "ADDED", pod("a", "1"));
    const lastSeen = String(hub.eventId);
    hub.apply("pods", "ADDED", pod("b", "2"));
    hub.apply("pods", "MODIFIED", pod("a", "3"));
    const { sub, live } = collect(hub, lastSeen);
    hub.apply("pods", "DELETED", pod("b", "4"));
    expect(sub.resumed).toBe(true);
    expect(changes(sub.initial)).toEqual(["ADDED pods b@2", "MODIFIED pods a@3"]);
    expect(changes(live)).toEqual(["DELETED pods b@4"]);
    const ids = [...sub.initial, ...live].map((m) => m.id);
    expect(ids).toEqual([Number(lastSeen) + 1, Number(lastSeen) + 2, Number(lastSeen) + 3]);
  });

  it("resuming at the latest id replays nothing", () => {
    const hub = makeHub();
    hub.apply("pods", "ADDED", pod("a", "1"));
    const { sub } = collect(hub, String(hub.eventId));
    expect(sub.resumed).toBe(true);
    expect(sub.initial).toEqual([]);
  });

  it("sends a snapshot when the id is older than the buffer", () => {
    const hub = makeHub({ bufferSize: 3 });
    hub.apply("pods", "ADDED", pod("a", "1"));
    const old = String(hub.eventId);
    for (let i = 2; i < 10; i++) hub.apply("pods", "MODIFIED", pod("a", String(i)));
    const { sub } = collect(hub, old);
    expect(sub.resumed).toBe(false);
    expect(sub.initial[0].event).toBe("snapshot");
  });

  it("the oldest buffered id is still resumable", () => {
    const hub = makeHub({ bufferSize: 3 });
    for (let i = 1; i < 10; i++) hub.apply("pods", "MODIFIED", pod("a", String(i)));
    const { sub } = collect(hub, String(hub.eventId - 3));
    expect(sub.resumed).toBe(true);
    expect(sub.initial).toHaveLength(3);
  });

  it("sends a snapshot for ids from another process (below the base or beyond the latest) and for garbage", () => {
    const hub = makeHub();
    hub.apply("pods", "ADDED", pod("a", "1"));
    for (const id of ["999", String(hub.eventId + 1), "abc", "-1", "1e3", "1001.5", "", "9".repeat(40)]) {
      const { sub } = collect(hub, id);
      expect(sub.resumed, id).toBe(false);
      expect(sub.initial[0].event, id).toBe("snapshot");
    }
  });

  it("replicas started at the same moment get unrelated id ranges (a viewer moving between them gets a snapshot)", () => {
    const replicas = Array.from({ length: 50 }, () => new Hub({ clusterInfo: () => cluster }));
    for (const hub of replicas) {
      expect(Number.isSafeInteger(hub.idBase + 2 ** 40)).toBe(true);
      for (let i = 0; i < 20; i++) hub.apply("pods", "ADDED", pod(`p${i}`, String(i + 1)));
    }
    expect(new Set(replicas.map((h) => h.idBase)).size).toBe(replicas.length);
    for (const [i, hub] of replicas.entries()) {
      const other = replicas[(i + 1) % replicas.length];
      expect(other.subscribe(String(hub.eventId - 5), () => {}).resumed).toBe(false);
      expect(hub.subscribe(String(hub.eventId - 5), () => {}).resumed).toBe(true);
    }
  });

  it("two hubs (two server processes) never accept each other's ids", () => {
    const first = new Hub({ clusterInfo: () => cluster });
    first.apply("pods", "ADDED", pod("a", "1"));
    const id = String(first.eventId);
    const second = new Hub({ clusterInfo: () => cluster, idBase: first.idBase + 1_000_000 });
    expect(second.subscribe(id, () => {}).resumed).toBe(false);
  });

  it("bounds the buffer by bytes too", () => {
    const hub = makeHub({ bufferBytes: 2_000 });
    for (let i = 1; i < 50; i++) hub.apply("pods", "MODIFIED", { ...pod("a", String(i)), spec: { containers: [{ name: "x".repeat(200) }] } });
    const { sub } = collect(hub, String(hub.eventId - 40));
    expect(sub.resumed).toBe(false);
  });

  it("unsubscribe stops live delivery", () => {
    const hub = makeHub();
    const { sub, live } = collect(hub);
    sub.unsubscribe();
    hub.apply("pods", "ADDED", pod("a", "1"));
    expect(live).toEqual([]);
    expect(hub.subscriberCount).toBe(0);
  });

  it("a throwing subscriber does not stop the others", () => {
    const hub = makeHub();
    hub.subscribe(undefined, () => {
      throw new Error("broken");
    });
    const { live } = collect(hub);
    hub.apply("pods", "ADDED", pod("a", "1"));
    expect(live).toHaveLength(1);
  });
});

describe("Hub status and actions", () => {
  const status = (m: HubMessage) => JSON.parse(m.data) as StreamStatus;

  it("is connected only when every enabled kind is synced without error, and broadcasts only changes", () => {
    const hub = makeHub();
    const { live } = collect(hub);
    for (const kind of WATCHED_KINDS) hub.setStatus(kind, { synced: true });
    const statuses = live.filter((m) => m.event === "status").map(status);
    expect(statuses.at(-1)?.connected).toBe(true);
    const count = statuses.length;
    hub.setStatus("pods", { synced: true }); // no change, no message
    expect(live.filter((m) => m.event === "status")).toHaveLength(count);
    hub.setStatus("pods", { synced: false, error: "connect ECONNREFUSED" });
    const last = status(live.filter((m) => m.event === "status").at(-1)!);
    expect(last.connected).toBe(false);
    expect(last.kinds.pods).toEqual({ synced: false, error: "connect ECONNREFUSED" });
  });

  it("a disabled (forbidden) kind does not count against connected, and its objects are dropped", () => {
    const hub = makeHub();
    hub.apply("nodes", "ADDED", { metadata: { name: "n1", resourceVersion: "1" } });
    for (const kind of WATCHED_KINDS.filter((k): k is WatchedKind => k !== "nodes")) hub.setStatus(kind, { synced: true });
    expect(hub.streamStatus().connected).toBe(false);
    hub.disable("nodes");
    expect(hub.streamStatus().connected).toBe(true);
    expect(hub.isDisabled("nodes")).toBe(true);
    expect(hub.list("nodes")).toEqual([]);
    expect(hub.synced).toBe(true);
  });

  it("records actions newest first, bounded, and broadcasts them", () => {
    const hub = makeHub({ maxActions: 2 });
    const { live } = collect(hub);
    for (const id of ["1", "2", "3"]) hub.recordAction({ id, at: "t", action: "scale", target: "statefulset/kubia", kubectl: "k", ok: true });
    expect(hub.snapshot().actions.map((a) => a.id)).toEqual(["3", "2"]);
    expect(live.filter((m) => m.event === "action")).toHaveLength(3);
  });

  it("waitFor resolves when the cache satisfies the predicate, or false on timeout", async () => {
    const hub = makeHub();
    const gone = hub.waitFor(() => hub.list("pods").length === 0, 1_000);
    await expect(gone).resolves.toBe(true);
    hub.apply("pods", "ADDED", pod("a", "1"));
    const waiting = hub.waitFor(() => hub.list("pods").length === 0, 1_000);
    hub.apply("pods", "DELETED", pod("a", "2"));
    await expect(waiting).resolves.toBe(true);
    await expect(hub.waitFor(() => false, 20)).resolves.toBe(false);
  });
});

describe("Hub for slow motion and replay", () => {
  it("broadcasts the cluster's new description and hands every change (id and JSON) to onChange", () => {
    const recorded: [number, string][] = [];
    let info = cluster;
    const hub = makeHub({ clusterInfo: () => info, onChange: (id, data) => recorded.push([id, data]) });
    const { live } = collect(hub);
    hub.apply("pods", "ADDED", pod("kubia-0", "1"));
    info = { ...cluster, speed: 0.25, clock: { speed: 0.25, paused: true, clusterTime: 5, at: 6 } };
    hub.clusterChanged();
    const message = live.find((m) => m.event === "cluster")!;
    expect(JSON.parse(message.data)).toMatchObject({ speed: 0.25, clock: { paused: true } });
    expect(recorded).toEqual([[live[0].id, live[0].data]]);
    expect(JSON.parse(recorded[0][1])).toMatchObject({ kind: "pods", type: "ADDED" });
  });
});
