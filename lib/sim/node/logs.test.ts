import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { createPodLogs } from "./logs";

describe("createPodLogs", () => {
  it("returns lines as kubectl logs prints them, with timestamps, per container", () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const logs = createPodLogs({ clock });
    logs.append("default", "kubia-0", "kubia", "Kubia server starting...");
    clock.advance(1500);
    logs.append("default", "kubia-0", "kubia", "first\nsecond\n");
    logs.append("default", "kubia-0", "sidecar", "other container");
    expect(logs.read("default", "kubia-0", "kubia")).toBe("Kubia server starting...\nfirst\nsecond\n");
    expect(logs.entries("default", "kubia-0", "kubia").map((e) => e.time - Date.UTC(2026, 0, 1))).toEqual([0, 1500, 1500]);
    expect(logs.read("default", "kubia-1", "kubia")).toBe("");
  });

  it("keeps only the last lines of a container, and forgets a pod's logs on clear", () => {
    const logs = createPodLogs({ maxLinesPerContainer: 3 });
    for (let i = 1; i <= 5; i++) logs.append("default", "kubia-0", "kubia", `line ${i}`);
    logs.append("default", "kubia-00", "kubia", "a pod whose name starts the same");
    expect(logs.read("default", "kubia-0", "kubia")).toBe("line 3\nline 4\nline 5\n");
    logs.clear("default", "kubia-0");
    expect(logs.read("default", "kubia-0", "kubia")).toBe("");
    expect(logs.read("default", "kubia-00", "kubia")).toBe("a pod whose name starts the same\n");
  });
});
