import { describe, expect, it } from "vitest";
import { withTestCluster } from "./testing/cluster";
import type { StoredObject } from "../store/store";
import { DEFAULT_POD_QUOTA, DEFAULT_QUOTA_NAME } from "../strategies/quota";
import { QUOTA_LEDGER } from "./resourcequota";

const world = withTestCluster();

const seconds = (s: number) => world.seconds(s);
const quota = (ns: string) => world.ctx.store.tryGet("resourcequotas", ns, DEFAULT_QUOTA_NAME);

function setHardPods(ns: string, pods: number): void {
  const q = world.ctx.store.get("resourcequotas", ns, DEFAULT_QUOTA_NAME);
  q.spec!.hard = { ...q.spec!.hard, pods: String(pods) };
  world.ctx.store.update("resourcequotas", q);
}

function parallelSet(ns: string, replicas: number): StoredObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: ns },
    spec: {
      replicas,
      podManagementPolicy: "Parallel",
      serviceName: "web",
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "luksa/kubia-pet" }] } },
    },
  };
}

describe("the playground's default ResourceQuota", () => {
  it("exists in workload namespaces (not system ones), once, with its status counted", () => {
    seconds(1);
    expect(quota("default")?.spec?.hard).toMatchObject({ pods: String(DEFAULT_POD_QUOTA), persistentvolumeclaims: String(DEFAULT_POD_QUOTA) });
    expect(quota("kube-system")).toBeUndefined();
    world.ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } });
    seconds(1);
    expect(quota("lab")?.status?.used).toMatchObject({ pods: "0", persistentvolumeclaims: "0" });
    world.ctx.store.delete("resourcequotas", "lab", DEFAULT_QUOTA_NAME);
    seconds(1);
    expect(quota("lab")).toBeUndefined(); // deleting it by hand sticks
    const lab = world.ctx.store.get("namespaces", undefined, "lab");
    expect(lab.metadata.annotations ?? {}).toEqual({}); // the namespace's metadata stays as on a real cluster
    expect(world.ctx.store.get("configmaps", QUOTA_LEDGER.namespace, QUOTA_LEDGER.name).data).toMatchObject({ lab: lab.metadata.uid });
  });

  it("stops a StatefulSet scaled to 100000 at the quota with the real 403 and a FailedCreate event", () => {
    seconds(1);
    setHardPods("default", 7);
    world.ctx.store.create("statefulsets.apps", parallelSet("default", 100_000));
    for (let i = 0; i < 30; i++) seconds(1);
    expect(world.ctx.store.count("pods", "default")).toBe(7);
    const events = world.ctx.store.list("events", { namespace: "default" }).items.map((e) => e);
    const failed = events.filter((e) => e.reason === "FailedCreate" && e.involvedObject.name === "web");
    expect(failed.every((e) => e.type === "Warning")).toBe(true);
    expect(failed.map((e) => e.message)).toContain(
      'Create Pod web-7 in StatefulSet web failed error: pods "web-7" is forbidden: exceeded quota: playground-quota, requested: pods=1, used: pods=7, limited: pods=7',
    );
    expect(quota("default")?.status?.used?.pods).toBe("7");
    // Raising the quota lets the controller go on (at its next back-off retry), up to the new bound.
    setHardPods("default", 9);
    for (let i = 0; i < 40; i++) seconds(30);
    expect(world.ctx.store.count("pods", "default")).toBe(9);
  });
});
