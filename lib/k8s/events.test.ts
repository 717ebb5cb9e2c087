import { describe, expect, it } from "vitest";
import type { ActionRecord } from "./contract";
import { actionClusterTime, byNewest, eventCount, eventsFor, eventTime, involves, latestEvent, mergeTimeline, type ObjectRef } from "./events";
import { at, event, T0 } from "./testing/fixtures";

describe("eventTime", () => {
  it("prefers series.lastObservedTime, then lastTimestamp, eventTime, firstTimestamp, creation", () => {
    const e = event("Pod", "kubia-0", "Pulled", "x", { at: 1_000 });
    expect(eventTime(e)).toBe(T0 + 1_000);
    e.series = { count: 3, lastObservedTime: at(9_000) };
    expect(eventTime(e)).toBe(T0 + 9_000);
    expect(eventCount(e)).toBe(3);
    const micro = event("Pod", "kubia-0", "Scheduled", "y");
    delete micro.lastTimestamp;
    delete micro.firstTimestamp;
    micro.eventTime = at(4_000);
    expect(eventTime(micro)).toBe(T0 + 4_000);
  });
});

describe("eventsFor", () => {
  it("filters by kind, name and uid, newest first", () => {
    const events = [
      event("Pod", "kubia-0", "Scheduled", "a", { at: 1_000, uid: "u1" }),
      event("Pod", "kubia-0", "Started", "b", { at: 3_000, uid: "u1" }),
      event("Pod", "kubia-0", "Killing", "older pod", { at: 2_000, uid: "u0" }),
      event("PersistentVolumeClaim", "kubia-0", "x", "not a pod", { at: 5_000 }),
      event("Pod", "kubia-1", "Started", "other pod", { at: 4_000 }),
    ];
    expect(eventsFor(events, { kind: "Pod", name: "kubia-0" }).map((e) => e.message)).toEqual(["b", "older pod", "a"]);
    expect(eventsFor(events, { kind: "Pod", name: "kubia-0", uid: "u1" }).map((e) => e.message)).toEqual(["b", "a"]);
  });
});

describe("mergeTimeline", () => {
  const action = (id: string, ms: number, kubectl: string): ActionRecord => ({ id, at: new Date(T0 + ms).toISOString(), action: "scale", target: "statefulset/kubia", kubectl, ok: true });
  it("interleaves events and actions newest first, an action below the events of the same instant", () => {
    const events = [
      event("StatefulSet", "kubia", "SuccessfulCreate", "Create Pod kubia-2 in StatefulSet kubia successful", { at: 10_000 }),
      event("Pod", "kubia-2", "Scheduled", "Successfully assigned default/kubia-2 to k8s-node3", { at: 11_000 }),
    ];
    const timeline = mergeTimeline(events, [action("a1", 10_000, "kubectl scale statefulset kubia --replicas=3 -n default"), action("a0", 1_000, "kubectl scale statefulset kubia --replicas=2 -n default")]);
    expect(timeline.map((t) => (t.source === "event" ? t.reason : `action:${t.id}`))).toEqual(["Scheduled", "SuccessfulCreate", "action:action/a1", "action:action/a0"]);
    const first = timeline[0];
    expect(first.source === "event" && first.object).toBe("Pod/kubia-2");
  });
  it("limits the length", () => {
    const events = Array.from({ length: 10 }, (_, i) => event("Pod", "kubia-0", `R${i}`, "m", { at: i * 1000 }));
    expect(mergeTimeline(events, [], 3).map((t) => (t.source === "event" ? t.reason : ""))).toEqual(["R9", "R8", "R7"]);
  });

  it("puts each action at the cluster time recorded with it, not at its wall time", () => {
    // The embedded cluster ran at 10×, then was paused: wall and cluster time are far apart, and
    // converting the wall times afterwards with the paused clock would put every action at "now".
    const clusterAction = (id: string, wallMs: number, clusterMs: number): ActionRecord => ({ ...action(id, wallMs, `kubectl ${id}`), clusterAt: new Date(T0 + clusterMs).toISOString() });
    const actions = Array.from({ length: 100 }, (_, i) => clusterAction(`a${i}`, 900_000 + i, i * 1_000));
    const events = [event("Pod", "kubia-2", "Killing", "Stopping container kubia", { at: 150_000 })];
    expect(actionClusterTime(actions[5])).toBe(T0 + 5_000);
    const timeline = mergeTimeline(events, actions, 10);
    // The newest ten: the Event (150 s), then the actions done last (99 s down to 91 s).
    expect(timeline.map((t) => (t.source === "event" ? t.reason : t.id))).toEqual(["Killing", ...Array.from({ length: 9 }, (_, i) => `action/a${99 - i}`)]);
    expect(timeline[0].source).toBe("event");
    expect(timeline[1].at).toBe(T0 + 99_000);
  });

  it("gives the first `limit` of the whole list sorted, ties at the limit included, from thousands of entries", () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Few distinct seconds: many ties, so the entries at the limit share their time with others.
    const events = Array.from({ length: 3_000 }, (_, i) => event("Pod", `kubia-${i % 50}`, `R${i}`, "m", { at: Math.floor(random() * 40) * 1_000 }));
    const actions = Array.from({ length: 40 }, (_, i) => action(`a${i}`, Math.floor(random() * 40) * 1_000, "kubectl x"));
    const whole = mergeTimeline(events, actions);
    expect(whole).toHaveLength(3_040);
    for (const limit of [1, 80, 500]) expect(mergeTimeline(events, actions, limit)).toEqual(whole.slice(0, limit));
  });

  it("keeps an older record's wall time when it has no cluster time", () => {
    expect(actionClusterTime(action("old", 7_000, "kubectl x"))).toBe(T0 + 7_000);
  });
});

describe("eventsFor and latestEvent over the per-list index", () => {
  /** A deterministic mix: several objects, kinds, uids, reasons and equal times (ties broken by name). */
  function mixedEvents(n: number) {
    const reasons = ["Scheduled", "FailedScheduling", "SuccessfulCreate", "FailedCreate"];
    return Array.from({ length: n }, (_, i) =>
      event(i % 3 === 0 ? "StatefulSet" : "Pod", `kubia-${i % 5}`, reasons[i % 4], `m${i}`, { at: (i * 7919) % 13 * 1_000, uid: i % 2 ? "u1" : undefined }),
    );
  }

  it("agrees with filtering and sorting the whole list, for every object, uid and reason set", () => {
    const events = mixedEvents(200);
    for (const kind of ["Pod", "StatefulSet", "Node"]) {
      for (let k = 0; k < 6; k++) {
        for (const uid of [undefined, "u1", "u2"]) {
          const ref: ObjectRef = { kind, name: `kubia-${k}`, namespace: "default", uid };
          const expected = events.filter((e) => involves(e, ref)).sort(byNewest);
          expect(eventsFor(events, ref)).toEqual(expected);
          for (const reasons of [undefined, ["FailedCreate", "SuccessfulCreate"], ["FailedScheduling"]]) {
            expect(latestEvent(events, ref, reasons)).toBe(expected.find((e) => !reasons || reasons.includes(e.reason ?? "")));
          }
        }
      }
    }
  });

  it("answers from the list it is given: a new list with a newer event gives that event", () => {
    const first = [event("Pod", "kubia-0", "FailedScheduling", "old", { at: 1_000 })];
    expect(latestEvent(first, { kind: "Pod", name: "kubia-0" })?.message).toBe("old");
    const second = [...first, event("Pod", "kubia-0", "FailedScheduling", "new", { at: 2_000 })];
    expect(latestEvent(second, { kind: "Pod", name: "kubia-0" })?.message).toBe("new");
    expect(latestEvent(first, { kind: "Pod", name: "kubia-0" })?.message).toBe("old");
  });
});
