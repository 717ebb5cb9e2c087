import { describe, expect, it } from "vitest";
import { Store, type StoredObject } from "./store";
import { ManualClock } from "../clock";
import { StatusError } from "./errors";
import { RESOURCES, resourceKey } from "./resources";
import type { ResourceKey } from "./types";

const pod = (name: string, labels: Record<string, string> = {}): StoredObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels },
  spec: { containers: [{ name: "c", image: "x" }] },
});

function podStore() {
  const clock = new ManualClock();
  const store = new Store(clock, 10);
  store.setStrategy("pods", {
    gracePeriod: (obj, requested) => (obj.spec as { nodeName?: string }).nodeName ? (requested ?? 30) : 0,
  });
  return { store, clock };
}

describe("Store", () => {
  it("assigns uid, generation and a growing resourceVersion", () => {
    const { store } = podStore();
    const a = store.create("pods", pod("a"));
    const b = store.create("pods", pod("b"));
    expect(a.metadata.uid).toMatch(/-/);
    expect(a.metadata.generation).toBe(1);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
  });

  it("refuses a duplicate name with AlreadyExists and a stale update with Conflict", () => {
    const { store } = podStore();
    const a = store.create("pods", pod("a"));
    expect(() => store.create("pods", pod("a"))).toThrowError(/already exists/);
    store.update("pods", { ...a, metadata: { ...a.metadata, labels: { x: "1" } } });
    try {
      store.update("pods", { ...a, metadata: { ...a.metadata, labels: { x: "2" } } });
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).code).toBe(409);
      expect((e as StatusError).reason).toBe("Conflict");
    }
  });

  it("bumps generation only when spec changes and keeps status on main-resource updates", () => {
    const { store } = podStore();
    const a = store.create("pods", pod("a"));
    const withStatus = store.update("pods", { ...a, status: { phase: "Running" } }, { subresource: "status" });
    expect(withStatus.metadata.generation).toBe(1);
    const relabeled = store.update("pods", { ...withStatus, status: undefined, metadata: { ...withStatus.metadata, labels: { l: "v" } } });
    expect(relabeled.status).toEqual({ phase: "Running" });
    expect(relabeled.metadata.generation).toBe(1);
    const respecced = store.update("pods", { ...relabeled, spec: { containers: [{ name: "c", image: "y" }] } });
    expect(respecced.metadata.generation).toBe(2);
  });

  it("filters lists by label and field selectors", () => {
    const { store } = podStore();
    store.create("pods", pod("a", { app: "kubia" }));
    store.create("pods", pod("b", { app: "other" }));
    expect(store.list("pods", { labelSelector: "app=kubia" }).items.map((p) => p.metadata.name)).toEqual(["a"]);
    expect(store.list("pods", { labelSelector: "app in (kubia,other)" }).items).toHaveLength(2);
    expect(store.list("pods", { fieldSelector: "metadata.name=b" }).items.map((p) => p.metadata.name)).toEqual(["b"]);
  });

  it("keeps a scheduled pod Terminating until its grace ends, and removes it at once when forced", () => {
    const { store } = podStore();
    store.create("pods", { ...pod("a"), spec: { nodeName: "n1", containers: [] } });
    const r = store.delete("pods", "default", "a", {});
    expect(r.removed).toBe(false);
    expect(r.object.metadata.deletionTimestamp).toBeTruthy();
    expect(r.object.metadata.deletionGracePeriodSeconds).toBe(30);
    const forced = store.delete("pods", "default", "a", { gracePeriodSeconds: 0 });
    expect(forced.removed).toBe(true);
    expect(store.tryGet("pods", "default", "a")).toBeUndefined();
  });

  it("shows a grace-0 pod deletion to watchers as MODIFIED (Terminating) then DELETED, as the API server does", () => {
    // Found by the differential fidelity suite (e2e/fidelity, force-delete): kube-apiserver's
    // BeforeDelete writes deletionTimestamp + deletionGracePeriodSeconds 0 before removing a pod.
    const { store } = podStore();
    store.create("pods", { ...pod("forced"), spec: { nodeName: "n1", containers: [] } });
    store.create("pods", pod("unscheduled"));
    store.create("pods", { ...pod("graceful"), spec: { nodeName: "n1", containers: [] } });
    store.delete("pods", "default", "graceful", {});
    const seen: string[] = [];
    store.watch("pods", {}, (t, o) => seen.push(`${t} ${o.metadata.name} ${o.metadata.deletionGracePeriodSeconds ?? "-"} ${o.metadata.deletionTimestamp ? "T" : "-"}`));
    expect(store.delete("pods", "default", "forced", { gracePeriodSeconds: 0 }).removed).toBe(true);
    expect(store.delete("pods", "default", "unscheduled").removed).toBe(true);
    // The kubelet's final delete (or --force) of a Terminating pod shortens its grace to 0 first, too.
    expect(store.delete("pods", "default", "graceful", { gracePeriodSeconds: 0 }).removed).toBe(true);
    expect(seen).toEqual([
      "MODIFIED forced 0 T",
      "DELETED forced 0 T",
      "MODIFIED unscheduled 0 T",
      "DELETED unscheduled 0 T",
      "MODIFIED graceful 0 T",
      "DELETED graceful 0 T",
    ]);
    // A resource without graceful deletion goes with a single DELETED.
    store.create("services", { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" } });
    const services: string[] = [];
    store.watch("services", {}, (t) => services.push(t));
    store.delete("services", "default", "s");
    expect(services).toEqual(["DELETED"]);
  });

  it("removes an unscheduled pod at once", () => {
    const { store } = podStore();
    store.create("pods", pod("a"));
    expect(store.delete("pods", "default", "a").removed).toBe(true);
  });

  it("keeps an object with finalizers until they are removed", () => {
    const { store } = podStore();
    store.create("persistentvolumeclaims", { ...pod("c"), kind: "PersistentVolumeClaim", metadata: { name: "c", namespace: "default", finalizers: ["kubernetes.io/pvc-protection"] } });
    const r = store.delete("persistentvolumeclaims", "default", "c");
    expect(r.removed).toBe(false);
    const obj = store.get("persistentvolumeclaims", "default", "c");
    store.update("persistentvolumeclaims", { ...obj, metadata: { ...obj.metadata, finalizers: [] } });
    expect(store.tryGet("persistentvolumeclaims", "default", "c")).toBeUndefined();
  });

  it("replays history to a watch and answers 410 Expired for a version it no longer keeps", () => {
    const { store } = podStore();
    const first = store.create("pods", pod("a"));
    for (let i = 0; i < 30; i++) store.create("pods", pod(`p${i}`));
    expect(() => store.watch("pods", { resourceVersion: first.metadata.resourceVersion }, () => {})).toThrowError(/too old/);
    const seen: string[] = [];
    const rv = store.resourceVersion;
    store.create("pods", pod("late"));
    store.watch("pods", { resourceVersion: String(rv) }, (t, o) => seen.push(`${t} ${o.metadata.name}`));
    expect(seen).toEqual(["ADDED late"]);
  });

  it("turns an object leaving a selector into DELETED for that watch", () => {
    const { store } = podStore();
    const a = store.create("pods", pod("a", { app: "kubia" }));
    const seen: string[] = [];
    store.watch("pods", { labelSelector: "app=kubia" }, (t, o) => seen.push(`${t} ${o.metadata.name}`));
    store.update("pods", { ...a, metadata: { ...a.metadata, labels: { app: "gone" } } });
    expect(seen).toEqual(["DELETED a"]);
  });
});

describe("resource types", () => {
  it("gives every served resource its client-node type, and no other key", () => {
    // A Record over ResourceKey fails to compile if the type map gains or loses a key without this list.
    const typed: Record<ResourceKey, true> = {
      namespaces: true, nodes: true, pods: true, persistentvolumeclaims: true, persistentvolumes: true, services: true, endpoints: true, events: true,
      configmaps: true, resourcequotas: true, serviceaccounts: true, secrets: true, "statefulsets.apps": true, "deployments.apps": true,
      "replicasets.apps": true, "daemonsets.apps": true, "controllerrevisions.apps": true, "jobs.batch": true,
      "roles.rbac.authorization.k8s.io": true, "rolebindings.rbac.authorization.k8s.io": true, "clusterroles.rbac.authorization.k8s.io": true,
      "clusterrolebindings.rbac.authorization.k8s.io": true, "selfsubjectaccessreviews.authorization.k8s.io": true,
      "selfsubjectrulesreviews.authorization.k8s.io": true, "endpointslices.discovery.k8s.io": true, "storageclasses.storage.k8s.io": true,
      "events.events.k8s.io": true, "leases.coordination.k8s.io": true,
    };
    expect(Object.keys(typed).sort()).toEqual(RESOURCES.map(resourceKey).sort());
  });
});
