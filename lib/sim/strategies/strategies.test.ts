import { describe, expect, it } from "vitest";
import type { V1PersistentVolumeClaim, V1Service, V1StatefulSet, V1Status } from "@kubernetes/client-node";
import { ManualClock } from "../clock";
import { StatusError } from "../store/errors";
import { Store, type StoredObject } from "../store/store";
import { registerStrategies } from ".";
import { inServiceCidr } from "./service";

function newStore() {
  const store = new Store(new ManualClock());
  const strategies = registerStrategies(store);
  return { store, strategies };
}

function sts(overrides: Partial<V1StatefulSet["spec"]> = {}): StoredObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: "default" },
    spec: {
      serviceName: "web",
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      ...overrides,
    },
  };
}

function statusOf(fn: () => unknown): V1Status {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.toStatus();
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("StatefulSet strategy", () => {
  it("fills the apps/v1 defaults", () => {
    const { store } = newStore();
    const created = store.create("statefulsets.apps", sts());
    expect(created.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    });
    expect(created.spec!.template.spec).toMatchObject({ restartPolicy: "Always", terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst" });
    expect(created.spec!.template.spec!.containers[0]).toMatchObject({ imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" });
    expect(created.spec!.volumeClaimTemplates![0]).toMatchObject({ apiVersion: "v1", kind: "PersistentVolumeClaim", spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } });
  });

  it("refuses a selector that does not match the template labels", () => {
    const { store } = newStore();
    const status = statusOf(() => store.create("statefulsets.apps", sts({ selector: { matchLabels: { app: "other" } } })));
    expect(status.code).toBe(422);
    expect(status.reason).toBe("Invalid");
    expect(status.message).toBe('StatefulSet.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
    expect(status.details?.causes?.[0]).toMatchObject({ field: "spec.template.metadata.labels", reason: "FieldValueInvalid" });
  });

  it("refuses negative replicas and a missing selector together", () => {
    const { store } = newStore();
    const status = statusOf(() => store.create("statefulsets.apps", sts({ replicas: -1, selector: undefined })));
    const fields = status.details?.causes?.map((c) => c.field);
    expect(fields).toContain("spec.replicas");
    expect(fields).toContain("spec.selector");
    expect(status.message).toMatch(/^StatefulSet.apps "web" is invalid: \[/);
  });

  it("allows replicas/template changes but forbids changing volumeClaimTemplates", () => {
    const { store } = newStore();
    const created = store.create("statefulsets.apps", sts());
    const scaled = structuredClone(created);
    scaled.spec!.replicas = 3;
    expect((store.update("statefulsets.apps", scaled)).spec!.replicas).toBe(3);
    const changed = store.get("statefulsets.apps", "default", "web");
    changed.spec!.volumeClaimTemplates![0].spec!.resources!.requests!.storage = "2Gi";
    const status = statusOf(() => store.update("statefulsets.apps", changed));
    expect(status.message).toBe(
      "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });

  it("validates the name as a DNS-1123 subdomain", () => {
    const { store } = newStore();
    const bad = sts();
    bad.metadata.name = "Web_1";
    const status = statusOf(() => store.create("statefulsets.apps", bad));
    expect(status.details?.causes?.[0]).toMatchObject({ field: "metadata.name", reason: "FieldValueInvalid" });
    expect(status.details?.causes?.[0].message).toContain('Invalid value: "Web_1": a lowercase RFC 1123 subdomain');
  });
});

describe("Service strategy", () => {
  const svc = (name: string, spec: V1Service["spec"]): StoredObject => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec });

  it("allocates distinct ClusterIPs from 10.96.0.0/12 and defaults targetPort", () => {
    const { store } = newStore();
    const a = store.create("services", svc("a", { ports: [{ port: 80 }] }));
    const b = store.create("services", svc("b", { ports: [{ port: 80 }] }));
    expect(inServiceCidr(a.spec!.clusterIP!)).toBe(true);
    expect(a.spec!.clusterIPs).toEqual([a.spec!.clusterIP]);
    expect(a.spec!.clusterIP).not.toBe(b.spec!.clusterIP);
    expect(a.spec!.ports![0]).toMatchObject({ protocol: "TCP", targetPort: 80 });
    expect(a.spec).toMatchObject({ type: "ClusterIP", sessionAffinity: "None", ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" });
  });

  it("keeps a headless service headless and keeps the IP on an update that omits it", () => {
    const { store, strategies } = newStore();
    const headless = store.create("services", svc("h", { clusterIP: "None", ports: [{ port: 80 }] }));
    expect(headless.spec!.clusterIPs).toEqual(["None"]);
    const created = store.create("services", svc("c", { ports: [{ port: 80 }] }));
    const update = svc("c", { ports: [{ port: 81 }] });
    update.metadata.resourceVersion = created.metadata.resourceVersion;
    strategies.get("services")!.prepareForUpdate!(update, created);
    const updated = store.update("services", update);
    expect(updated.spec!.clusterIP).toBe(created.spec!.clusterIP);
  });

  it("refuses a DNS-1035-invalid name, missing ports and a taken IP", () => {
    const { store } = newStore();
    expect(statusOf(() => store.create("services", svc("1abc", { ports: [{ port: 80 }] }))).details?.causes?.[0].message).toContain("DNS-1035 label");
    expect(statusOf(() => store.create("services", svc("noports", {}))).details?.causes?.[0]).toMatchObject({ field: "spec.ports", reason: "FieldValueRequired" });
    store.create("services", svc("x", { clusterIP: "10.96.5.5", ports: [{ port: 80 }] }));
    expect(statusOf(() => store.create("services", svc("y", { clusterIP: "10.96.5.5", ports: [{ port: 80 }] }))).message).toContain("provided IP is already allocated");
  });
});

describe("PersistentVolumeClaim strategy", () => {
  const pvc = (name: string, spec: V1PersistentVolumeClaim["spec"]): StoredObject =>
    ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "default" }, spec });
  const claimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } };

  it("gets the default StorageClass only when the field is absent", () => {
    const { store } = newStore();
    store.create("storageclasses.storage.k8s.io", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "playground.k8s.io/hostpath",
    });
    const a = store.create("persistentvolumeclaims", pvc("a", { ...claimSpec }));
    const b = store.create("persistentvolumeclaims", pvc("b", { ...claimSpec, storageClassName: "" }));
    expect(a.spec!.storageClassName).toBe("standard");
    expect(a.spec!.volumeMode).toBe("Filesystem");
    expect(a.status!.phase).toBe("Pending");
    expect(b.spec!.storageClassName).toBe("");
  });

  it("stays without a class when there is no default one", () => {
    const { store } = newStore();
    const a = store.create("persistentvolumeclaims", pvc("a", { ...claimSpec }));
    expect(a.spec!.storageClassName).toBeUndefined();
  });

  it("allows binding and resizing but not changing access modes", () => {
    const { store } = newStore();
    const created = store.create("persistentvolumeclaims", pvc("a", { ...claimSpec }));
    const bound = structuredClone(created);
    bound.spec!.volumeName = "pvc-123";
    bound.spec!.resources!.requests!.storage = "2Mi";
    store.update("persistentvolumeclaims", bound);
    const changed = store.get("persistentvolumeclaims", "default", "a");
    changed.spec!.accessModes = ["ReadWriteMany"];
    expect(statusOf(() => store.update("persistentvolumeclaims", changed)).message).toBe(
      'PersistentVolumeClaim "a" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests for bound claims',
    );
  });

  it("requires access modes and a storage request", () => {
    const { store } = newStore();
    const fields = statusOf(() => store.create("persistentvolumeclaims", pvc("a", {}))).details?.causes?.map((c) => c.field);
    expect(fields).toEqual(["spec.accessModes", "spec.resources[storage]"]);
  });
});

describe("Pod strategy", () => {
  it("requires containers with names and images", () => {
    const { store } = newStore();
    const status = statusOf(() => store.create("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "" }] } }));
    expect(status.details?.causes?.map((c) => c.field)).toEqual(["spec.containers[0].name", "spec.containers[0].image"]);
  });

  it("lets a client change an image but not the node", () => {
    const { store, strategies } = newStore();
    const pod = store.create("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "a:1" }] } });
    const hooks = strategies.get("pods")!;
    const image = structuredClone(pod) as StoredObject & { spec: { containers: { image: string }[]; nodeName?: string } };
    image.spec.containers[0].image = "a:2";
    expect(() => hooks.validateUpdate!(image, pod)).not.toThrow();
    image.spec.nodeName = "k8s-node1";
    expect(statusOf(() => hooks.validateUpdate!(image, pod)).message).toContain("spec: Forbidden: pod updates may not change fields other than");
  });

  it("compares specs semantically: an omitted list equals an empty one, a real change still counts", () => {
    const { store, strategies } = newStore();
    const pod = store.create("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "a:1" }], volumes: [] } });
    const hooks = strategies.get("pods")!;
    const omitted = structuredClone(pod) as StoredObject & { spec: { volumes?: unknown[] } };
    delete omitted.spec.volumes;
    expect(() => hooks.validateUpdate!(omitted, pod)).not.toThrow();
    omitted.spec.volumes = [{ name: "v", emptyDir: {} }];
    expect(statusOf(() => hooks.validateUpdate!(omitted, pod)).message).toContain("pod updates may not change fields other than");
  });
});
