import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WATCHED_KINDS, type KindStatus, type Snapshot, type WatchedKind } from "@/lib/k8s/contract";
import { pod } from "@/lib/k8s/testing/fixtures";
import { ClusterFeed } from "./feed";
import { connectFeed, type StreamRole } from "./stream";

/** EventSource as the browser has it, driven by the test. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen?: () => void;
  onerror?: () => void;
  private readonly listeners = new Map<string, ((e: { data: string; lastEventId: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: { data: string; lastEventId: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  emit(name: string, data: unknown, id: number) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data), lastEventId: String(id) });
  }
  close() {
    this.readyState = 2;
  }
}

/** navigator.locks: one holder per name, the next waiter gets it when the holder's promise settles. */
function fakeLocks() {
  const waiting: (() => void)[] = [];
  let held = false;
  const next = () => {
    held = false;
    const w = waiting.shift();
    if (w) w();
  };
  return {
    request(_name: string, opts: { signal?: AbortSignal }, cb: () => Promise<void>): Promise<void> {
      return new Promise((resolve, reject) => {
        const run = () => {
          held = true;
          cb().then(() => (resolve(), next()));
        };
        if (!held) return run();
        waiting.push(run);
        opts.signal?.addEventListener("abort", () => {
          const i = waiting.indexOf(run);
          if (i >= 0) {
            waiting.splice(i, 1);
            reject(new Error("AbortError"));
          }
        });
      });
    },
  };
}

function snapshot(eventId: number): Snapshot {
  const empty = Object.fromEntries(WATCHED_KINDS.map((k) => [k, []])) as unknown as Snapshot["objects"];
  const status = Object.fromEntries(WATCHED_KINDS.map((k) => [k, { synced: true }])) as Record<WatchedKind, KindStatus>;
  return {
    cluster: { mode: "embedded", namespace: "default", context: "embedded", capabilities: { nodeFailure: true, faults: true, dnsServer: true, nodes: true, persistentVolumes: true }, speed: 1, clock: { speed: 1, paused: false, clusterTime: 0, at: 0 }, maxReplicas: 50 },
    objects: { ...empty, pods: [{ ...pod("kubia-0"), metadata: { ...pod("kubia-0").metadata, resourceVersion: "5" } }] },
    status,
    eventId,
    actions: [],
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const feedNow = () => new ClusterFeed((flush) => queueMicrotask(flush));

describe("one event stream per browser", () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal("EventSource", FakeEventSource);
    vi.stubGlobal("navigator", { locks: fakeLocks() });
    vi.stubGlobal("fetch", vi.fn(() => Promise.reject(new Error("no snapshot load expected"))));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("opens one EventSource for all tabs; followers copy the leader's snapshot and get its messages; the next tab takes over on close", async () => {
    const roles: StreamRole[][] = [[], [], []];
    const feeds = [feedNow(), feedNow(), feedNow()];
    const closeA = connectFeed(feeds[0], (r) => roles[0].push(r));
    await settle();
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe("/api/stream");
    source.emit("snapshot", snapshot(7), 7);
    const closeB = connectFeed(feeds[1], (r) => roles[1].push(r));
    const closeC = connectFeed(feeds[2], (r) => roles[2].push(r));
    await settle();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(roles).toEqual([["follower", "leader"], ["follower"], ["follower"]]);
    expect(feeds.map((f) => f.getState().snapshot?.eventId)).toEqual([7, 7, 7]);

    const changed = { ...pod("kubia-1"), metadata: { ...pod("kubia-1").metadata, resourceVersion: "9" } };
    source.emit("change", { kind: "pods", type: "ADDED", object: changed }, 8);
    await settle();
    expect(feeds.map((f) => f.getState().snapshot?.objects.pods.map((p) => p.metadata?.name))).toEqual([
      ["kubia-0", "kubia-1"],
      ["kubia-0", "kubia-1"],
      ["kubia-0", "kubia-1"],
    ]);

    closeA();
    await settle();
    expect(FakeEventSource.instances).toHaveLength(2);
    // The new leader resumes where its copy is, so the server replays instead of sending a snapshot.
    expect(FakeEventSource.instances[1].url).toBe("/api/stream?lastEventId=7");
    expect(roles[1]).toEqual(["follower", "leader"]);
    closeB();
    closeC();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("relays a burst that arrives in one task as one BroadcastChannel message, in order", async () => {
    const feeds = [feedNow(), feedNow()];
    const closeA = connectFeed(feeds[0]);
    await settle();
    const source = FakeEventSource.instances[0];
    source.emit("snapshot", snapshot(7), 7);
    const closeB = connectFeed(feeds[1]);
    await settle();
    const posts = vi.spyOn(BroadcastChannel.prototype, "postMessage");
    const names = Array.from({ length: 200 }, (_, i) => `kubia-${i + 1}`);
    names.forEach((name, i) => {
      const object = { ...pod(name), metadata: { ...pod(name).metadata, resourceVersion: String(10 + i) } };
      source.emit("change", { kind: "pods", type: "ADDED", object }, 8 + i);
    });
    await settle();
    expect(posts).toHaveBeenCalledTimes(1);
    expect(feeds[1].getState().snapshot?.objects.pods.map((p) => p.metadata?.name)).toEqual(["kubia-0", ...names]);
    posts.mockRestore();
    // The server's batch of changes (one `changes` frame) reaches leader and follower alike.
    const batch = ["kubia-300", "kubia-301"].map((name, i) => ({ kind: "pods", type: "ADDED", object: { ...pod(name), metadata: { ...pod(name).metadata, resourceVersion: String(500 + i) } } }));
    source.emit("changes", batch, 300);
    await settle();
    for (const feed of feeds) expect(feed.getState().snapshot?.objects.pods.map((p) => p.metadata?.name).slice(-2)).toEqual(["kubia-300", "kubia-301"]);
    closeA();
    closeB();
  });

  it("falls back to a stream per tab without Web Locks", async () => {
    vi.stubGlobal("navigator", {});
    const roles: StreamRole[] = [];
    const close = connectFeed(feedNow(), (r) => roles.push(r));
    const close2 = connectFeed(feedNow());
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(roles).toEqual(["solo"]);
    close();
    close2();
  });
});

describe("ClusterFeed", () => {
  it("applies what arrives within one frame in one render, and holds changes that come before the snapshot", () => {
    const frames: (() => void)[] = [];
    const feed = new ClusterFeed((flush) => frames.push(flush));
    let renders = 0;
    feed.subscribe(() => renders++);
    const p1 = { ...pod("kubia-1"), metadata: { ...pod("kubia-1").metadata, resourceVersion: "9" } };
    feed.push({ event: "change", data: { kind: "pods", type: "ADDED", object: p1 } });
    frames.shift()!();
    expect(feed.getState().snapshot).toBeUndefined();
    feed.push({ event: "snapshot", data: snapshot(3) });
    for (let i = 0; i < 50; i++) feed.push({ event: "change", data: { kind: "pods", type: "MODIFIED", object: { ...p1, metadata: { ...p1.metadata, resourceVersion: String(10 + i) } } } });
    expect(frames).toHaveLength(1);
    renders = 0;
    frames.shift()!();
    expect(renders).toBe(1);
    expect(feed.getState().snapshot?.objects.pods.map((p) => [p.metadata?.name, p.metadata?.resourceVersion])).toEqual([
      ["kubia-0", "5"],
      ["kubia-1", "59"],
    ]);
  });
});
