import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startKubelets } from "./kubelet";
import { addNode, addPod, eventsFor, getPod } from "./testing/fixtures";

const withHostPort = (hostPort: number) => [{ name: "app", image: "registry.k8s.io/e2e-test-images/agnhost:2.56", ports: [{ containerPort: hostPort, hostPort, protocol: "TCP" }] }];

describe("kubelet admission", () => {
  it("rejects a pod bound to its node whose host port a running pod holds: Failed, NodePorts, a Warning, never started", () => {
    const ctx = createTestContext();
    addNode(ctx, "k8s-node1");
    addNode(ctx, "k8s-node2");
    const kubelets = startKubelets(ctx);
    addPod(ctx, "holder", { nodeName: "k8s-node1", containers: withHostPort(21017) });
    ctx.clock.advance(0);
    addPod(ctx, "ss-0", { nodeName: "k8s-node1", containers: withHostPort(21017) });
    addPod(ctx, "elsewhere", { nodeName: "k8s-node2", containers: withHostPort(21017) });
    ctx.clock.advance(30_000);
    expect(getPod(ctx, "holder")!.status?.phase).toBe("Running");
    expect(getPod(ctx, "elsewhere")!.status?.phase).toBe("Running");
    const rejected = getPod(ctx, "ss-0")!;
    expect(rejected.status).toMatchObject({
      phase: "Failed",
      reason: "NodePorts",
      message: "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
      startTime: expect.any(String),
    });
    expect(rejected.status?.containerStatuses).toBeUndefined();
    expect(eventsFor(ctx, "ss-0")).toEqual(["NodePorts: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports"]);
    kubelets.stop();
  });
});
