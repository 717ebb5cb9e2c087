import { describe, expect, it } from "vitest";
import { bootstrapCluster, DEMO_SEEDED_ANNOTATION, nodeNames } from "./bootstrap";
import { clusterOptionsFromEnv } from "./cluster";
import { createTestContext } from "./testing/context";

const names = (ctx: ReturnType<typeof createTestContext>, resource: string, namespace?: string) =>
  ctx.store.list(resource, namespace ? { namespace } : {}).items.map((o) => o.metadata.name);

describe("bootstrapCluster", () => {
  it("creates the namespaces, three Ready nodes with pod CIDRs, the default StorageClass and system Services", () => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: false });
    expect(names(ctx, "namespaces")).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    const nodes = ctx.store.list("nodes").items;
    expect(nodes.map((n) => [n.metadata!.name, n.spec!.podCIDR])).toEqual([
      ["k8s-node1", "10.1.1.0/24"],
      ["k8s-node2", "10.1.2.0/24"],
      ["k8s-node3", "10.1.3.0/24"],
    ]);
    for (const n of nodes) {
      expect(n.status!.conditions!.find((c) => c.type === "Ready")!.status).toBe("True");
      expect(n.status!.nodeInfo!.kubeletVersion).toBe("v1.36.3");
      expect(n.metadata!.labels!["kubernetes.io/hostname"]).toBe(n.metadata!.name);
      expect(Object.keys(n.metadata!.labels!).some((l) => l.startsWith("node-role.kubernetes.io/"))).toBe(false);
    }
    const sc = ctx.store.get("storageclasses.storage.k8s.io", undefined, "standard");
    expect(sc).toMatchObject({ provisioner: "playground.k8s.io/hostpath", volumeBindingMode: "Immediate", reclaimPolicy: "Delete" });
    expect(sc.metadata!.annotations!["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    expect((ctx.store.get("services", "default", "kubernetes")).spec!.clusterIP).toBe("10.96.0.1");
    expect((ctx.store.get("services", "kube-system", "kube-dns")).spec!.clusterIP).toBe("10.96.0.10");
    expect(names(ctx, "serviceaccounts")).toHaveLength(4);
    expect(ctx.store.tryGet("statefulsets.apps", "default", "kubia")).toBeUndefined();
  });

  it("seeds the kubia demo once and does not bring it back after the user deleted it", () => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: true });
    expect(ctx.store.tryGet("statefulsets.apps", "default", "kubia")).toBeDefined();
    expect(names(ctx, "services", "default")).toEqual(["kubernetes", "kubia", "kubia-public"]);
    expect(ctx.store.get("namespaces", undefined, "default").metadata.annotations![DEMO_SEEDED_ANNOTATION]).toBe("true");
    ctx.store.delete("statefulsets.apps", "default", "kubia");
    bootstrapCluster(ctx, { seedDemo: true });
    expect(ctx.store.tryGet("statefulsets.apps", "default", "kubia")).toBeUndefined();
  });

  it("is idempotent and leaves user changes alone", () => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: true });
    const set = ctx.store.get("statefulsets.apps", "default", "kubia");
    ctx.store.update("statefulsets.apps", { ...set, spec: { ...set.spec!, replicas: 5 } });
    const node = ctx.store.get("nodes", undefined, "k8s-node2");
    ctx.store.update("nodes", { ...node, metadata: { ...node.metadata, annotations: { ...node.metadata.annotations, "playground.k8s.io/down": "true" } } });
    ctx.store.delete("storageclasses.storage.k8s.io", undefined, "standard");
    const rv = ctx.store.resourceVersion;
    bootstrapCluster(ctx, { seedDemo: true });
    expect(ctx.store.resourceVersion).toBe(rv); // nothing written
    expect((ctx.store.get("statefulsets.apps", "default", "kubia").spec as { replicas: number }).replicas).toBe(5);
    expect(ctx.store.get("nodes", undefined, "k8s-node2").metadata.annotations!["playground.k8s.io/down"]).toBe("true");
    expect(ctx.store.tryGet("storageclasses.storage.k8s.io", undefined, "standard")).toBeUndefined();
  });

  it("restores what a real control plane restores by itself (a deleted node re-registers)", () => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: false });
    ctx.store.delete("nodes", undefined, "k8s-node3");
    bootstrapCluster(ctx, { seedDemo: false });
    expect(names(ctx, "nodes")).toEqual(["k8s-node1", "k8s-node2", "k8s-node3"]);
  });

  it("sizes the cluster from PLAYGROUND_NODES: each node keeps the real allocatable of 110 pods", () => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: false, nodes: 10 });
    const nodes = ctx.store.list("nodes").items;
    expect(nodes.map((n) => n.metadata!.name).sort()).toEqual(nodeNames(10).sort());
    expect(new Set(nodes.map((n) => n.spec!.podCIDR)).size).toBe(10);
    for (const n of nodes) expect(n.status!.allocatable).toMatchObject({ pods: "110", cpu: "2" });
    expect(clusterOptionsFromEnv({ PLAYGROUND_NODES: "10" }).nodes).toBe(10);
    expect(clusterOptionsFromEnv({}).nodes).toBe(3);
    for (const bad of ["0", "-1", "2.5", "x", "151"]) expect(() => clusterOptionsFromEnv({ PLAYGROUND_NODES: bad })).toThrow(/PLAYGROUND_NODES/);
  });
});
