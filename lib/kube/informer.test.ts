import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { KindStatus } from "@/lib/k8s/contract";
import { ResilientInformer, type ListResult, type ListWatchSource, type RawWatchEvent, type WatchEventType } from "./informer";

interface Obj {
  metadata: { name: string; resourceVersion: string };
}
const obj = (name: string, rv: string): Obj => ({ metadata: { name, resourceVersion: rv } });

/** A scripted API server: list answers come from a queue, every watch is recorded and driven by the test. */
class FakeSource implements ListWatchSource<Obj> {
  lists: (ListResult<Obj> | Error)[] = [];
  listCalls = 0;
  watches: { rv: string; onEvent: (e: RawWatchEvent) => void; onDone: (err: unknown) => void; aborted: boolean }[] = [];
  watchFailure?: Error;

  async list(): Promise<ListResult<Obj>> {
    this.listCalls++;
    const next = this.lists.shift();
    if (!next) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    if (next instanceof Error) throw next;
    return next;
  }

  async watch(rv: string, onEvent: (e: RawWatchEvent) => void, onDone: (err: unknown) => void): Promise<() => void> {
    if (this.watchFailure) {
      // client-node's Watch calls done(err) before resolving when the request fails.
      onDone(this.watchFailure);
      return () => {};
    }
    const w = { rv, onEvent, onDone, aborted: false };
    this.watches.push(w);
    return () => {
      w.aborted = true;
    };
  }

  get current() {
    return this.watches.at(-1)!;
  }
  get open() {
    return this.watches.filter((w) => !w.aborted);
  }
}

class RecordingSink {
  replaced: Obj[][] = [];
  applied: string[] = [];
  statuses: KindStatus[] = [];
  forbiddenMessage?: string;
  replace(items: Obj[]) {
    this.replaced.push(items);
  }
  apply(type: WatchEventType, o: Obj) {
    this.applied.push(`${type} ${o.metadata.name}@${o.metadata.resourceVersion}`);
  }
  status(s: KindStatus) {
    this.statuses.push(s);
  }
  forbidden(message: string) {
    this.forbiddenMessage = message;
  }
  get last() {
    return this.statuses.at(-1);
  }
}

const noJitter = { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 };

function setup(options: ConstructorParameters<typeof ResilientInformer>[3] = {}) {
  const source = new FakeSource();
  const sink = new RecordingSink();
  const informer = new ResilientInformer<Obj>("pods", source, sink, { backoff: noJitter, ...options });
  return { source, sink, informer };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("ResilientInformer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lists, hands the list to the sink, then watches from the list's resourceVersion", async () => {
    const { source, sink, informer } = setup();
    source.lists.push({ items: [obj("a", "5")], resourceVersion: "10" });
    informer.start();
    await flush();
    expect(sink.replaced).toEqual([[obj("a", "5")]]);
    expect(source.watches.map((w) => w.rv)).toEqual(["10"]);
    expect(sink.last).toEqual({ synced: true });
    source.current.onEvent({ type: "ADDED", object: obj("b", "11") });
    source.current.onEvent({ type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } });
    expect(sink.applied).toEqual(["ADDED b@11"]);
    // A clean close (the server's watch timeout) re-watches from the last seen resourceVersion without a relist.
    vi.advanceTimersByTime(5_000);
    source.current.onDone(null);
    await flush();
    expect(source.listCalls).toBe(1);
    expect(source.watches.map((w) => w.rv)).toEqual(["10", "15"]);
    informer.stop();
  });

  it("relists at once on a 410 watch ERROR event and on an HTTP 410", async () => {
    const { source, sink, informer } = setup();
    source.lists.push({ items: [], resourceVersion: "10" }, { items: [obj("a", "30")], resourceVersion: "30" }, { items: [], resourceVersion: "40" });
    informer.start();
    await flush();
    vi.advanceTimersByTime(2_000);
    source.current.onEvent({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" } });
    await flush();
    expect(source.listCalls).toBe(2);
    expect(sink.replaced.at(-1)).toEqual([obj("a", "30")]);
    expect(source.current.rv).toBe("30");
    vi.advanceTimersByTime(2_000);
    source.current.onDone(Object.assign(new Error("Gone"), { statusCode: 410 }));
    await flush();
    expect(source.listCalls).toBe(3);
    expect(source.current.rv).toBe("40");
    expect(source.open).toHaveLength(1);
    informer.stop();
  });

  it("restarts with growing back-off after errors, reports them, and recovers with a relist", async () => {
    const { source, sink, informer } = setup();
    source.lists.push({ items: [obj("a", "1"), obj("b", "2")], resourceVersion: "2" });
    informer.start();
    await flush();
    // The API server goes away: the watch breaks, lists are refused.
    source.current.onDone(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    await flush();
    expect(sink.last).toMatchObject({ synced: false });
    expect(sink.last?.error).toMatch(/unreachable|ECONNRESET/);
    const listTimes: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      const before = source.listCalls;
      while (source.listCalls === before) await vi.advanceTimersByTimeAsync(10);
      listTimes.push(Date.now() - start);
    }
    // Delays 100, 200, 400, 800 (no jitter): each gap at least the previous one doubled.
    const gaps = listTimes.map((t, i) => t - (listTimes[i - 1] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
    expect(gaps[3]).toBeGreaterThanOrEqual(800);
    // Back: b was deleted during the outage. The relist result replaces the cache (the hub diffs it).
    source.lists.push({ items: [obj("a", "1")], resourceVersion: "9" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.replaced.at(-1)).toEqual([obj("a", "1")]);
    expect(sink.last).toEqual({ synced: true });
    expect(source.open).toHaveLength(1);
    expect(source.current.rv).toBe("9");
    informer.stop();
  });

  it("caps the back-off at maxMs", async () => {
    const { source, informer } = setup();
    informer.start();
    await vi.advanceTimersByTimeAsync(10_000);
    const before = source.listCalls;
    await vi.advanceTimersByTimeAsync(10_000);
    // At most one attempt per maxMs (1 s) once capped.
    expect(source.listCalls - before).toBeLessThanOrEqual(10);
    expect(source.listCalls - before).toBeGreaterThanOrEqual(9);
    informer.stop();
  });

  it("a failing watch request (done before resolve) backs off instead of spinning, and never opens two watches", async () => {
    const { source, sink, informer } = setup();
    for (let i = 0; i < 20; i++) source.lists.push({ items: [], resourceVersion: String(i + 1) });
    source.watchFailure = Object.assign(new Error("Internal Server Error"), { statusCode: 500 });
    informer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(source.listCalls).toBeLessThanOrEqual(5);
    expect(sink.last?.synced).toBe(false);
    source.watchFailure = undefined;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(source.open).toHaveLength(1);
    expect(sink.last).toEqual({ synced: true });
    informer.stop();
  });

  it("ignores events and done callbacks from an abandoned watch", async () => {
    const { source, sink, informer } = setup();
    source.lists.push({ items: [], resourceVersion: "1" }, { items: [], resourceVersion: "2" });
    informer.start();
    await flush();
    const first = source.current;
    first.onEvent({ type: "ERROR", object: { code: 410 } });
    await flush();
    expect(first.aborted).toBe(true);
    first.onEvent({ type: "ADDED", object: obj("ghost", "99") });
    first.onDone(new Error("late"));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sink.applied).toEqual([]);
    expect(source.open).toHaveLength(1);
    expect(sink.last).toEqual({ synced: true });
    informer.stop();
  });

  it("restarts a silent watch after the idle timeout", async () => {
    const { source, informer } = setup({ idleTimeoutMs: 60_000 });
    source.lists.push({ items: [], resourceVersion: "1" });
    informer.start();
    await flush();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(source.watches).toHaveLength(2);
    expect(source.watches[0].aborted).toBe(true);
    expect(source.open).toHaveLength(1);
    informer.stop();
  });

  it("a clean close right after opening backs off (no hot loop)", async () => {
    const { source, informer } = setup();
    source.lists.push({ items: [], resourceVersion: "1" });
    informer.start();
    await flush();
    for (let i = 0; i < 5; i++) {
      source.current.onDone(null);
      await flush();
    }
    await vi.advanceTimersByTimeAsync(50);
    expect(source.watches.length).toBeLessThanOrEqual(2);
    informer.stop();
  });

  it("disables a cluster-scoped kind on a 403 at the first list", async () => {
    const { source, sink, informer } = setup({ disableOnForbidden: true });
    source.lists.push(Object.assign(new Error("forbidden"), { code: 403 }));
    informer.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sink.forbiddenMessage).toMatch(/403|forbidden/i);
    expect(source.listCalls).toBe(1);
    expect(informer.running).toBe(false);
  });

  it("keeps retrying a namespaced kind on 403 (RBAC may be fixed)", async () => {
    const { source, sink, informer } = setup();
    source.lists.push(Object.assign(new Error("forbidden"), { code: 403 }));
    informer.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sink.forbiddenMessage).toBeUndefined();
    expect(source.listCalls).toBeGreaterThan(1);
    informer.stop();
  });

  it("stop() aborts the watch and nothing restarts afterwards", async () => {
    const { source, informer } = setup();
    source.lists.push({ items: [], resourceVersion: "1" });
    informer.start();
    await flush();
    informer.stop();
    expect(source.current.aborted).toBe(true);
    source.current.onDone(new Error("aborted"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(source.listCalls).toBe(1);
    expect(source.watches).toHaveLength(1);
  });
});
