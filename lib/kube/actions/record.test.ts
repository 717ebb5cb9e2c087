import { describe, expect, it } from "vitest";
import type { SpeedState } from "@/lib/k8s/speed";
import type { PlaygroundRuntime } from "../runtime";
import { actionTimes, runAction } from "./record";

/** Just what runAction reads of a runtime: its clock and its hub. */
function fakeRuntime(clock: SpeedState) {
  const recorded: unknown[] = [];
  const runtime = { clock: () => clock, hub: { recordAction: (r: unknown) => recorded.push(r) } } as unknown as PlaygroundRuntime;
  return { runtime, recorded };
}

describe("actionTimes", () => {
  const wall = Date.UTC(2026, 11, 7, 1, 0, 0);
  it("stamps the cluster's time at the action, extrapolated at the cluster's speed", () => {
    const { runtime } = fakeRuntime({ speed: 10, paused: false, clusterTime: wall - 60_000, at: wall - 1_000 });
    expect(actionTimes(runtime, wall)).toEqual({ at: new Date(wall).toISOString(), clusterAt: new Date(wall - 50_000).toISOString() });
  });
  it("stamps the paused moment while the clock stands still", () => {
    const { runtime } = fakeRuntime({ speed: 1, paused: true, clusterTime: wall - 5_000, at: wall - 30_000 });
    expect(actionTimes(runtime, wall).clusterAt).toBe(new Date(wall - 5_000).toISOString());
  });
});

describe("runAction", () => {
  it("records the cluster time with the action, also when it fails", async () => {
    const clusterTime = Date.UTC(2026, 0, 1);
    const { runtime, recorded } = fakeRuntime({ speed: 1, paused: true, clusterTime, at: 0 });
    const ok = await runAction(runtime, { action: "scale", target: "statefulset/kubia", kubectl: "kubectl scale" }, async () => undefined);
    expect(ok.clusterAt).toBe(new Date(clusterTime).toISOString());
    await expect(runAction(runtime, { action: "scale", target: "statefulset/kubia", kubectl: "kubectl scale" }, () => Promise.reject(new Error("boom")))).rejects.toThrow();
    expect(recorded).toHaveLength(2);
    expect(recorded.map((r) => (r as { clusterAt: string }).clusterAt)).toEqual([ok.clusterAt, ok.clusterAt]);
  });
});
