import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startEndpointsController } from "./endpoints";
import { addPod, addService } from "./testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;

function runPod(ctx: Ctx, name: string, opts: { ip?: string; ready?: boolean; node?: string; labels?: Record<string, string> } = {}) {
  const pod = addPod(ctx, name, { hostname: name, subdomain: "kubia", nodeName: opts.node ?? "k8s-node1", labels: opts.labels });
  const status = {
    phase: "Running",
    ...(opts.ip ? { podIP: opts.ip, podIPs: [{ ip: opts.ip }] } : {}),
    conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }],
  };
  return ctx.store.update("pods", { ...pod, status }, { subresource: "status" });
}

const slices = (ctx: Ctx) => ctx.store.list("endpointslices.discovery.k8s.io", { namespace: "default" }).items;
const endpoints = (ctx: Ctx, name = "kubia") => ctx.store.tryGet("endpoints", "default", name);
const headless = { clusterIP: "None", selector: { app: "kubia" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] };

describe("endpoints and EndpointSlice controllers", () => {
  it("lists ready and not-ready pods with hostname, node and target", () => {
    const ctx = createTestContext();
    const c = startEndpointsController(ctx);
    addService(ctx, "kubia", headless);
    const p0 = runPod(ctx, "kubia-0", { ip: "10.1.1.2" });
    runPod(ctx, "kubia-1", { ip: "10.1.2.2", ready: false, node: "k8s-node2" });
    runPod(ctx, "kubia-2"); // no IP yet: skipped
    runPod(ctx, "other", { ip: "10.1.3.9", labels: { app: "other" } });
    ctx.clock.advance(0);

    const ep = endpoints(ctx)!;
    expect(ep.metadata?.labels).toEqual({ app: "kubia", "service.kubernetes.io/headless": "", "endpoints.kubernetes.io/managed-by": "endpoint-controller" });
    expect(ep.subsets).toEqual([
      {
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
        addresses: [{ ip: "10.1.1.2", hostname: "kubia-0", nodeName: "k8s-node1", targetRef: { kind: "Pod", namespace: "default", name: "kubia-0", uid: p0.metadata.uid } }],
        notReadyAddresses: [{ ip: "10.1.2.2", hostname: "kubia-1", nodeName: "k8s-node2", targetRef: expect.objectContaining({ name: "kubia-1" }) }],
      },
    ]);

    const [slice, ...more] = slices(ctx);
    expect(more).toEqual([]);
    expect(slice.metadata?.name).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata?.labels).toEqual({
      app: "kubia",
      "service.kubernetes.io/headless": "",
      "kubernetes.io/service-name": "kubia",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(slice.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Service", name: "kubia", controller: true });
    expect(slice.addressType).toBe("IPv4");
    expect(slice.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(slice.endpoints).toEqual([
      { addresses: ["10.1.1.2"], conditions: { ready: true, serving: true, terminating: false }, hostname: "kubia-0", nodeName: "k8s-node1", targetRef: { kind: "Pod", namespace: "default", name: "kubia-0", uid: p0.metadata.uid } },
      { addresses: ["10.1.2.2"], conditions: { ready: false, serving: false, terminating: false }, hostname: "kubia-1", nodeName: "k8s-node2", targetRef: expect.objectContaining({ name: "kubia-1" }) },
    ]);
    c.stop();
  });

  it("resolves named target ports per pod, publishes not-ready addresses when asked, and omits hostname for other services", () => {
    const ctx = createTestContext();
    const c = startEndpointsController(ctx);
    addService(ctx, "kubia-public", { selector: { app: "kubia" }, publishNotReadyAddresses: true, ports: [{ name: "web", port: 80, targetPort: "http" as never, protocol: "TCP" }] });
    runPod(ctx, "kubia-0", { ip: "10.1.1.2", ready: false });
    ctx.clock.advance(0);
    expect(endpoints(ctx, "kubia-public")!.subsets).toEqual([{ ports: [{ name: "web", port: 8080, protocol: "TCP" }], addresses: [expect.not.objectContaining({ hostname: expect.anything() })] }]);
    expect(slices(ctx)[0].endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    c.stop();
  });

  it("shows a terminating pod as serving but not ready in slices and drops it from Endpoints", () => {
    const ctx = createTestContext();
    const c = startEndpointsController(ctx);
    addService(ctx, "kubia", headless);
    runPod(ctx, "kubia-0", { ip: "10.1.1.2" });
    ctx.clock.advance(0);
    ctx.store.delete("pods", "default", "kubia-0"); // scheduled: graceful, stays Terminating
    ctx.clock.advance(0);
    expect(slices(ctx)[0].endpoints[0].conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(endpoints(ctx)!.subsets).toBeUndefined();
    c.stop();
  });

  it("keeps a placeholder slice without pods, writes nothing when nothing changed, and cleans up with the service", () => {
    const ctx = createTestContext();
    const c = startEndpointsController(ctx);
    addService(ctx, "kubia", headless);
    ctx.clock.advance(0);
    expect(slices(ctx).map((s) => [s.ports, s.endpoints])).toEqual([[null, []]]);
    const placeholder = slices(ctx)[0].metadata!.name;
    runPod(ctx, "kubia-0", { ip: "10.1.1.2" });
    ctx.clock.advance(0);
    expect(slices(ctx).map((s) => s.metadata!.name)).toEqual([placeholder]); // updated in place
    const versions = () => [endpoints(ctx)!.metadata!.resourceVersion, slices(ctx)[0].metadata!.resourceVersion];
    const before = versions();
    runPod(ctx, "unrelated", { ip: "10.1.1.3", labels: { app: "other" } });
    ctx.clock.advance(1000);
    expect(versions()).toEqual(before);
    ctx.store.delete("services", "default", "kubia");
    ctx.clock.advance(0);
    expect(endpoints(ctx)).toBeUndefined();
    expect(slices(ctx)).toEqual([]);
    c.stop();
  });
});
