import { describe, expect, it } from "vitest";
import { buildSlots } from "@/lib/k8s/slots";
import { pod, pv, pvc, statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { OrdinalSlot } from "./OrdinalSlot";
import { render } from "./testing/render";

describe("OrdinalSlot", () => {
  const claim = pvc("data-kubia-1", { created: 0 });
  const slotsWith = (pods: ReturnType<typeof pod>[], replicas: number) =>
    buildSlots({ statefulSet: statefulSet(replicas), pods, pvcs: [claim], pvs: [pv(claim)], events: [], now: T0 + 10_000 }).find((s) => s.ordinal === 1)!;

  it("draws the pod, then its PVC, then the volume's data panel under the PVC", () => {
    const html = render(<OrdinalSlot slot={slotsWith([pod("kubia-1", { created: 300, node: "k8s-node2", ip: "10.1.1.7" })], 2)} nodes={new Map()} events={[]} />);
    const podAt = html.indexOf('aria-label="Pod kubia-1"');
    const pvcAt = html.indexOf('aria-label="PVC data-kubia-1"');
    const dataAt = html.indexOf('aria-label="Volume data of kubia-1"');
    expect(podAt).toBeGreaterThan(-1);
    expect(pvcAt).toBeGreaterThan(podAt);
    expect(dataAt).toBeGreaterThan(pvcAt);
  });

  it("keeps a retained PVC in its slot with a 'no pod' placeholder and no data panel (nothing to proxy through)", () => {
    const html = render(<OrdinalSlot slot={slotsWith([], 1)} nodes={new Map()} events={[]} />);
    expect(html).toContain('aria-label="PVC data-kubia-1"');
    expect(html).toContain("no pod");
    expect(html).not.toContain('aria-label="Pod kubia-1"');
    expect(html).not.toContain("Volume data of kubia-1");
  });
});
