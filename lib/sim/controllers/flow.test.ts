import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startEndpointsController } from "./endpoints";
import { startKubelets } from "./kubelet";
import { startNodeLifecycle } from "./nodelifecycle";
import { startPvController } from "./pv";
import { startScheduler } from "./scheduler";
import { addNode, addPod, addPvc, addService, addStorageClass, eventsFor, getPod } from "./testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;

/** The book's cluster: three nodes, the default class, and every controller of this area running. */
function cluster() {
  const ctx = createTestContext();
  for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) addNode(ctx, n);
  addStorageClass(ctx);
  const running = [startScheduler(ctx), startPvController(ctx), startKubelets(ctx), startNodeLifecycle(ctx), startEndpointsController(ctx)];
  addService(ctx, "kubia", { clusterIP: "None", selector: { app: "kubia" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] });
  return { ctx, stop: () => running.forEach((r) => r.stop()) };
}

function petWithClaim(ctx: Ctx, ordinal: number) {
  addPvc(ctx, `data-kubia-${ordinal}`, { storageClassName: null }); // the class comes from admission or the controller
  addPod(ctx, `kubia-${ordinal}`, { claims: [`data-kubia-${ordinal}`], hostname: `kubia-${ordinal}`, subdomain: "kubia" });
}

const claim = (ctx: Ctx, name: string) => ctx.store.tryGet("persistentvolumeclaims", "default", name);

describe("the controllers together", () => {
  it("runs the book's StatefulSet pod: FailedScheduling until the claim is bound, then Scheduled, Running and in DNS endpoints", () => {
    const { ctx, stop } = cluster();
    petWithClaim(ctx, 0);
    ctx.clock.advance(10_000);
    const pod = getPod(ctx, "kubia-0")!;
    expect(pod.status?.phase).toBe("Running");
    const events = eventsFor(ctx, "kubia-0");
    expect(events[0]).toBe(
      "FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(events[1]).toBe("Scheduled: Successfully assigned default/kubia-0 to k8s-node1");
    expect(events.slice(2).map((e) => e.split(":")[0])).toEqual(["Pulling", "Pulled", "Created", "Started"]);
    const ep = ctx.store.get("endpoints", "default", "kubia");
    expect(ep.subsets?.[0].addresses).toEqual([expect.objectContaining({ ip: pod.status?.podIP, hostname: "kubia-0", nodeName: "k8s-node1" })]);
    stop();
  });

  it("keeps the pod Pending while storage is unavailable and runs it once the fault is cleared", () => {
    const { ctx, stop } = cluster();
    ctx.faults.set({ storageUnavailable: true });
    petWithClaim(ctx, 1);
    ctx.clock.advance(120_000);
    expect(getPod(ctx, "kubia-1")!.status?.phase).toBe("Pending");
    expect(getPod(ctx, "kubia-1")!.status?.conditions?.[0]).toMatchObject({ type: "PodScheduled", status: "False", reason: "Unschedulable" });
    expect(claim(ctx, "data-kubia-1")!.status?.phase).toBe("Pending");
    ctx.faults.set({ storageUnavailable: false });
    ctx.clock.advance(15_000);
    expect(getPod(ctx, "kubia-1")!.status?.phase).toBe("Running");
    stop();
  });

  it("keeps the volume's data across pod deletion and reuses the same PV for the new pod", () => {
    const { ctx, stop } = cluster();
    petWithClaim(ctx, 0);
    ctx.clock.advance(10_000);
    const pv = claim(ctx, "data-kubia-0")!.spec!.volumeName!;
    ctx.volumes.write(pv, "hello from kubia-0");
    ctx.store.delete("pods", "default", "kubia-0");
    ctx.clock.advance(30_000);
    expect(getPod(ctx, "kubia-0")).toBeUndefined();
    expect(claim(ctx, "data-kubia-0")!.spec?.volumeName).toBe(pv);
    addPod(ctx, "kubia-0", { claims: ["data-kubia-0"] });
    ctx.clock.advance(10_000);
    expect(getPod(ctx, "kubia-0")!.status?.phase).toBe("Running");
    expect(ctx.volumes.read(pv)).toBe("hello from kubia-0");
    stop();
  });
});
