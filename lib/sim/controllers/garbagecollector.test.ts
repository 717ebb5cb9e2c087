import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredObject } from "../store/store";
import { createTestContext } from "../testing/context";
import { startGarbageCollector } from "./garbagecollector";
import type { RunningController } from "./runtime/controller";

let ctx: ReturnType<typeof createTestContext>;
let gc: RunningController;

beforeEach(() => {
  ctx = createTestContext();
  gc = startGarbageCollector(ctx);
});
afterEach(() => gc.stop());

const drain = () => ctx.clock.advance(0);

function configMap(name: string, owners: StoredObject[] = [], block = true): StoredObject {
  return ctx.store.create("configmaps", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace: "default",
      ownerReferences: owners.map((o) => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, blockOwnerDeletion: block })),
    },
  });
}

function pod(name: string, owners: StoredObject[] = [], nodeName?: string): StoredObject {
  return ctx.store.create("pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      ownerReferences: owners.map((o) => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true })),
    },
    spec: { containers: [{ name: "c", image: "luksa/kubia-pet" }], ...(nodeName ? { nodeName } : {}) },
  });
}

const exists = (resource: string, name: string) => ctx.store.tryGet(resource, "default", name);

describe("background cascading", () => {
  it("deletes dependents once their owner is gone", () => {
    const owner = configMap("owner");
    configMap("child", [owner]);
    configMap("unrelated");
    drain();
    expect(exists("configmaps", "child")).toBeDefined();
    ctx.store.delete("configmaps", "default", "owner");
    drain();
    expect(exists("configmaps", "child")).toBeUndefined();
    expect(exists("configmaps", "unrelated")).toBeDefined();
  });

  it("cascades through several levels (owner → pod → claim)", () => {
    const owner = configMap("owner");
    const p = pod("p", [owner]);
    configMap("grandchild", [p]);
    ctx.store.delete("configmaps", "default", "owner");
    drain();
    expect(exists("pods", "p")).toBeUndefined();
    expect(exists("configmaps", "grandchild")).toBeUndefined();
  });

  it("identifies owners by uid: a new object with the old owner's name does not keep dependents", () => {
    const owner = configMap("owner");
    configMap("child", [owner]);
    ctx.store.delete("configmaps", "default", "owner");
    configMap("owner"); // recreated at once, before the collector runs
    drain();
    expect(exists("configmaps", "child")).toBeUndefined();
  });

  it("only drops the dangling reference of a dependent that has another live owner", () => {
    const a = configMap("a");
    const b = configMap("b");
    configMap("child", [a, b]);
    ctx.store.delete("configmaps", "default", "a");
    drain();
    const child = exists("configmaps", "child")!;
    expect(child.metadata.ownerReferences!.map((r) => r.name)).toEqual(["b"]);
  });

  it("waits while the owner is only Terminating, and deletes a scheduled dependent gracefully", () => {
    const owner = pod("owner", [], "node-a");
    pod("child", [owner], "node-a");
    ctx.store.delete("pods", "default", "owner");
    drain();
    expect(exists("pods", "owner")!.metadata.deletionTimestamp).toBeDefined();
    expect(exists("pods", "child")!.metadata.deletionTimestamp).toBeUndefined();
    ctx.store.delete("pods", "default", "owner", { gracePeriodSeconds: 0 });
    drain();
    expect(exists("pods", "child")!.metadata.deletionTimestamp).toBeDefined(); // Terminating, for its kubelet
  });
});

describe("foreground cascading", () => {
  it("deletes dependents first and removes the owner only when no blocking dependent remains", () => {
    const owner = configMap("owner");
    pod("blocking", [owner], "node-a");
    configMap("non-blocking", [owner], false);
    ctx.store.delete("configmaps", "default", "owner", { propagationPolicy: "Foreground" });
    drain();
    expect(exists("configmaps", "non-blocking")).toBeUndefined();
    expect(exists("pods", "blocking")!.metadata.deletionTimestamp).toBeDefined();
    expect(exists("configmaps", "owner")!.metadata.finalizers).toEqual(["foregroundDeletion"]);
    ctx.store.delete("pods", "default", "blocking", { gracePeriodSeconds: 0 }); // the kubelet finishes
    drain();
    expect(exists("configmaps", "owner")).toBeUndefined();
  });

  it("keeps other finalizers: the owner stays until they are gone too", () => {
    const owner = ctx.store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner", namespace: "default", finalizers: ["example.com/hold"] } });
    configMap("child", [owner]);
    ctx.store.delete("configmaps", "default", "owner", { propagationPolicy: "Foreground" });
    drain();
    expect(exists("configmaps", "child")).toBeUndefined();
    expect(exists("configmaps", "owner")!.metadata.finalizers).toEqual(["example.com/hold"]);
  });
});

describe("orphan", () => {
  it("strips the owner's references from dependents, then lets the owner go", () => {
    const owner = configMap("owner");
    const other = configMap("other");
    configMap("child", [owner, other]);
    configMap("only-child", [owner]);
    ctx.store.delete("configmaps", "default", "owner", { propagationPolicy: "Orphan" });
    drain();
    expect(exists("configmaps", "owner")).toBeUndefined();
    expect(exists("configmaps", "child")!.metadata.ownerReferences!.map((r) => r.name)).toEqual(["other"]);
    expect(exists("configmaps", "only-child")!.metadata.ownerReferences).toBeUndefined();
  });
});

describe("cluster-scoped owners", () => {
  it("deletes namespaced dependents of a deleted node-like owner", () => {
    const node = ctx.store.create("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    ctx.store.create("leases.coordination.k8s.io", {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "n1", namespace: "kube-node-lease", ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "n1", uid: node.metadata.uid! }] },
    });
    ctx.store.delete("nodes", undefined, "n1");
    drain();
    expect(ctx.store.tryGet("leases.coordination.k8s.io", "kube-node-lease", "n1")).toBeUndefined();
  });
});

describe("work per change", () => {
  it("an update that leaves the owner references as they were enqueues nothing; one that changes them is acted on", () => {
    const owner = configMap("owner");
    configMap("child", [owner]);
    drain();
    const added: string[] = [];
    const add = gc.queue.add.bind(gc.queue);
    gc.queue.add = (key: string) => {
      added.push(key);
      add(key);
    };
    const child = exists("configmaps", "child")!;
    ctx.store.update("configmaps", { ...child, data: { renewed: "1" } });
    drain();
    expect(added).toEqual([]);
    // A reference to an owner that does not exist (another uid): the child is collected.
    const renewed = exists("configmaps", "child")!;
    const refs = renewed.metadata.ownerReferences!.map((r) => ({ ...r, uid: "gone" }));
    ctx.store.update("configmaps", { ...renewed, metadata: { ...renewed.metadata, ownerReferences: refs } });
    drain();
    expect(added).toContain("configmaps|default|child");
    expect(exists("configmaps", "child")).toBeUndefined();
  });
});
