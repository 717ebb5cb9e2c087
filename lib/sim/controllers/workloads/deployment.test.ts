import type { V1Deployment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { withTestCluster } from "../testing/cluster";

const world = withTestCluster();
const seconds = (s: number) => world.seconds(s);
const deployment = () => world.ctx.store.get("deployments.apps", "default", "dev");
const replicaSets = () => world.ctx.store.list("replicasets.apps", { namespace: "default" }).items;
const pods = () => (world.ctx.store.list("pods", { namespace: "default" }).items).filter((p) => !p.metadata?.deletionTimestamp);
const events = () => world.ctx.store.list("events", { namespace: "default" }).items.filter((e) => e.involvedObject.kind === "Deployment").map((e) => e.message);

function create(replicas: number, image = "luksa/kubia") {
  const labels = { app: "dev" };
  world.ctx.store.create("deployments.apps", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "dev", namespace: "default" },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "kubia", image }] } } },
  });
}

function setImage(image: string) {
  const d = world.ctx.store.get("deployments.apps", "default", "dev");
  const spec = structuredClone(d.spec) as V1Deployment["spec"] & object;
  spec.template.spec!.containers[0].image = image;
  world.ctx.store.update("deployments.apps", { ...d, spec });
}

describe("the Deployment and ReplicaSet controllers", () => {
  it("run a Deployment as a ReplicaSet <name>-<hash> of pods <name>-<hash>-<5 chars>, then report it rolled out", () => {
    create(3);
    seconds(60);
    const [rs] = replicaSets();
    expect(rs.metadata!.name).toMatch(/^dev-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata!.annotations!["deployment.kubernetes.io/revision"]).toBe("1");
    const hash = rs.metadata!.labels!["pod-template-hash"];
    expect(pods().map((p) => p.metadata!.name)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^dev-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`))]));
    expect(pods()).toHaveLength(3);
    const status = deployment().status!;
    expect(status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(status.conditions!.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(["Available=True/MinimumReplicasAvailable", "Progressing=True/NewReplicaSetAvailable"]);
    expect(events()).toEqual([`Scaled up replica set ${rs.metadata!.name} from 0 to 3`]);
  });

  it("roll a new template out within maxSurge/maxUnavailable, keep the old ReplicaSet at 0 as revision 1", () => {
    create(4);
    seconds(60);
    setImage("luksa/kubia:v2");
    let maxPods = 0;
    let minAvailable = 4;
    for (let i = 0; i < 240; i++) {
      seconds(0.5);
      maxPods = Math.max(maxPods, pods().length);
      minAvailable = Math.min(minAvailable, deployment().status?.availableReplicas ?? 0);
    }
    expect(maxPods).toBeLessThanOrEqual(5); // 4 + 25% surge
    expect(minAvailable).toBeGreaterThanOrEqual(3); // 4 − 25% unavailable
    const sets = replicaSets().sort((a, b) => Number(a.metadata!.annotations!["deployment.kubernetes.io/revision"]) - Number(b.metadata!.annotations!["deployment.kubernetes.io/revision"]));
    expect(sets.map((rs) => [rs.metadata!.annotations!["deployment.kubernetes.io/revision"], rs.spec!.replicas])).toEqual([["1", 0], ["2", 4]]);
    expect(pods().every((p) => p.spec!.containers[0].image === "luksa/kubia:v2")).toBe(true);
    expect(deployment().metadata!.annotations!["deployment.kubernetes.io/revision"]).toBe("2");
  });

  it("undo: the old template's ReplicaSet becomes revision 3 and scales back up", () => {
    create(2);
    seconds(60);
    setImage("luksa/kubia:v2");
    seconds(120);
    setImage("luksa/kubia");
    seconds(120);
    const byRevision = Object.fromEntries(replicaSets().map((rs) => [rs.metadata!.annotations!["deployment.kubernetes.io/revision"], rs]));
    expect(Object.keys(byRevision).sort()).toEqual(["2", "3"]);
    expect(byRevision["3"].spec!.template!.spec!.containers[0].image).toBe("luksa/kubia");
    expect(byRevision["3"].metadata!.annotations!["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(byRevision["3"].spec!.replicas).toBe(2);
  });

  it("replaces a deleted pod and removes extra ones when scaled down", () => {
    create(2);
    seconds(60);
    const victim = pods()[0].metadata!.name!;
    world.ctx.store.delete("pods", "default", victim);
    seconds(60);
    expect(pods()).toHaveLength(2);
    expect(pods().map((p) => p.metadata!.name)).not.toContain(victim);
    const d = world.ctx.store.get("deployments.apps", "default", "dev");
    world.ctx.store.update("deployments.apps", { ...d, spec: { ...d.spec!, replicas: 1 } });
    seconds(60);
    expect(pods()).toHaveLength(1);
    expect(deployment().status).toMatchObject({ replicas: 1, availableReplicas: 1 });
  });
});
