import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { buildSlots } from "@/lib/k8s/slots";
import { pod, pv, pvc, statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { laneProps, OrdinalSlot, sameLaneProps } from "./OrdinalSlot";
import { render } from "./testing/render";

describe("OrdinalSlot", () => {
  const claim = pvc("data-kubia-1", { created: 0 });
  const slotsWith = (pods: ReturnType<typeof pod>[], replicas: number) =>
    buildSlots({ statefulSet: statefulSet(replicas), pods, pvcs: [claim], pvs: [pv(claim)], events: [], now: T0 + 10_000 }).find((s) => s.ordinal === 1)!;

  it("draws the pod, then its PVC, then the volume's data panel under the PVC", () => {
    const html = render(<OrdinalSlot slot={slotsWith([pod("kubia-1", { created: 300, node: "k8s-node2", ip: "10.1.1.7" })], 2)} events={[]} />);
    const podAt = html.indexOf('aria-label="Pod kubia-1"');
    const pvcAt = html.indexOf('aria-label="PVC data-kubia-1"');
    const dataAt = html.indexOf('aria-label="Volume data of kubia-1"');
    expect(podAt).toBeGreaterThan(-1);
    expect(pvcAt).toBeGreaterThan(podAt);
    expect(dataAt).toBeGreaterThan(pvcAt);
  });

  it("keeps a retained PVC in its slot with a 'no pod' placeholder and no data panel (nothing to proxy through)", () => {
    const html = render(<OrdinalSlot slot={slotsWith([], 1)} events={[]} />);
    expect(html).toContain('aria-label="PVC data-kubia-1"');
    expect(html).toContain("no pod");
    expect(html).not.toContain('aria-label="Pod kubia-1"');
    expect(html).not.toContain("Volume data of kubia-1");
  });

  it("redraws only the lane whose objects changed: one of 100 after a pod's change, none after a clock tick", () => {
    const set = statefulSet(100);
    const pods = Array.from({ length: 100 }, (_, i) => pod(`kubia-${i}`, { created: 0, node: "k8s-node1", ip: `10.1.1.${i}` }));
    const build = (list: V1Pod[], now: number) => buildSlots({ statefulSet: set, pods: list, pvcs: [], pvs: [], events: [], now });
    const nodes = new Map([["k8s-node1", { metadata: { name: "k8s-node1" } }]]);
    const event = (name: string): CoreV1Event => ({ metadata: { name }, involvedObject: { kind: "Pod", name: "kubia-7" } });
    const events = [event("e1")];
    const lanes = (slots: ReturnType<typeof build>, ev = events) => slots.map((s) => laneProps(s, nodes, ev));
    const redrawn = (a: ReturnType<typeof lanes>, b: ReturnType<typeof lanes>) => a.filter((p, i) => !sameLaneProps(p, b[i])).length;
    const before = lanes(build(pods, T0 + 10_000));
    const changed: V1Pod[] = pods.map((p, i) => (i === 42 ? { ...p, status: { ...p.status, phase: "Failed" } } : p));
    expect(redrawn(before, lanes(build(changed, T0 + 10_000)))).toBe(1);
    // A new event, a new tick of the clock: scheduled pods' lanes stay as they are.
    expect(redrawn(before, lanes(build(pods, T0 + 11_000), [...events, event("e2")]))).toBe(0);
    // An unscheduled pod's lane follows the events (its FailedScheduling message).
    const pending: V1Pod[] = pods.map((p, i) => (i === 7 ? { ...p, spec: { ...p.spec!, nodeName: undefined } } : p));
    const pendingLanes = lanes(build(pending, T0 + 10_000));
    expect(redrawn(pendingLanes, lanes(build(pending, T0 + 10_000), [...events]))).toBe(1);
  });
});
