import { beforeEach, describe, expect, it, vi } from "vitest";
import { node, pod, T0 } from "@/lib/k8s/testing/fixtures";
import { embeddedCluster, textOf } from "./testing/render";

/** useNow reads the clock when its module loads: load the components (and the context they share) after setting it. */
async function load(now: number) {
  vi.resetModules();
  vi.useFakeTimers({ now, toFake: ["Date"] });
  const [{ PodCard }, { render }] = await Promise.all([import("./PodCard"), import("./testing/render")]);
  return { PodCard, render };
}

describe("PodCard", () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it("is an article named 'Pod kubia-1' with status, placement, DNS name and the two delete buttons", async () => {
    const { PodCard, render } = await load(T0 + 65_000);
    const html = render(<PodCard pod={pod("kubia-1", { created: 3_000, node: "k8s-node2", ip: "10.1.1.7", uid: "uid-1" })} node={node("k8s-node2")} events={[]} />);
    expect(html).toMatch(/^<article aria-label="Pod kubia-1"/);
    const text = textOf(html);
    expect(text).toContain("Running");
    expect(text).toContain("Ready 1/1");
    expect(text).toContain("Age 62s");
    expect(text).toContain("Node k8s-node2");
    expect(text).toContain("Pod IP 10.1.1.7");
    expect(text).toContain("kubia-1.kubia.default.svc.cluster.local");
    expect(text).toContain("uid-1");
    expect(html).toMatch(/<button[^>]*>Delete<\/button>/);
    expect(html).toMatch(/<button[^>]*>Force delete<\/button>/);
    // The volume's data panel lives in the slot under the PVC (the data belongs to the volume).
    expect(html).not.toContain('aria-label="Data for kubia-1"');
    expect(html).not.toContain("pod-terminating");
  });

  it("a Terminating pod says so, fades, and counts its grace period down", async () => {
    const { PodCard, render } = await load(T0 + 17_500);
    const html = render(<PodCard pod={pod("kubia-1", { node: "k8s-node2", deleting: { at: 10_000, grace: 30 } })} node={node("k8s-node2")} events={[]} />);
    expect(html).toContain('data-status="Terminating"');
    expect(html).toContain("pod-terminating");
    expect(textOf(html)).toContain("23s left of 30s grace period");
  });

  it("after the grace period on a dead node it tells you why the pod stays Terminating", async () => {
    const { PodCard, render } = await load(T0 + 600_000);
    const html = render(<PodCard pod={pod("kubia-1", { node: "k8s-node2", deleting: { at: 10_000, grace: 30 } })} node={node("k8s-node2", { ready: "Unknown" })} events={[]} />);
    const text = textOf(html);
    expect(text).toContain("Grace period over");
    expect(text).toContain("Node k8s-node2 is down");
    expect(text).toContain("(NotReady)");
  });

  it("counts faster on a sped-up embedded cluster", async () => {
    const { PodCard, render } = await load(T0 + 11_000);
    // The cluster clock read at the DELETE runs ten times faster: one wall second later, 10 s of grace are gone.
    const clock = { speed: 10, paused: false, clusterTime: T0 + 10_000, at: T0 + 10_000 };
    const html = render(<PodCard pod={pod("kubia-1", { node: "n", deleting: { at: 10_000, grace: 30 } })} events={[]} />, { ...embeddedCluster, speed: 10, clock });
    expect(textOf(html)).toContain("20s left of 30s grace period");
  });

  it("shows why a pending pod is unschedulable", async () => {
    const { PodCard, render } = await load(T0);
    const p = pod("kubia-0", { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims." }] });
    expect(textOf(render(<PodCard pod={p} events={[]} />))).toContain("Unschedulable: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
  });
});
