import { describe, expect, it } from "vitest";
import { createSimLog, LOG_INTERVAL_MS } from "./log";

describe("the embedded cluster's log", () => {
  const setup = (debug = false) => {
    let t = 0;
    const lines: string[] = [];
    const log = createSimLog({ now: () => t, write: (l) => lines.push(l), debug, quiet: false });
    return { log, lines, advance: (ms: number) => (t += ms) };
  };

  it("logs an error by default in one line, then at most once a minute per source, counting what it held back", () => {
    const { log, lines, advance } = setup();
    log.error("statefulset-controller", "reconcile default/kubia failed", new Error("boom"));
    log.error("statefulset-controller", "reconcile default/kubia failed", new Error("boom"));
    log.error("api", "GET /api/v1/pods → 500", new Error("disk full"));
    advance(LOG_INTERVAL_MS - 1);
    log.error("statefulset-controller", "reconcile default/kubia failed", new Error("boom"));
    advance(1);
    log.error("statefulset-controller", "reconcile default/kubia failed", new Error("boom"));
    expect(lines).toEqual([
      "[cluster] statefulset-controller: reconcile default/kubia failed: boom",
      "[cluster] api: GET /api/v1/pods → 500: disk full",
      "[cluster] statefulset-controller: reconcile default/kubia failed: boom (2 more since the last line)",
    ]);
  });

  it("keeps a multi-line message on one line", () => {
    const { log, lines } = setup();
    log.error("pv-controller", "reconcile pv-1 failed", new Error("first\nsecond"));
    expect(lines).toEqual(["[cluster] pv-controller: reconcile pv-1 failed: first second"]);
  });

  it("logs every occurrence with its stack under PLAYGROUND_DEBUG", () => {
    const { log, lines } = setup(true);
    const err = new Error("boom");
    log.error("scheduler", "reconcile default/kubia-0 failed", err);
    log.error("scheduler", "reconcile default/kubia-0 failed", err);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(err.stack!.split("\n")[1]);
  });
});
