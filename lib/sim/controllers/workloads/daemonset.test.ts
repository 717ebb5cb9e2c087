import type { V1DaemonSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { withTestCluster } from "../testing/cluster";

const world = withTestCluster();
const seconds = (s: number) => world.seconds(s);
const ds = () => world.ctx.store.get("daemonsets.apps", "default", "agent");
const pods = () => (world.ctx.store.list("pods", { namespace: "default" }).items).filter((p) => !p.metadata?.deletionTimestamp);
const nodeNames = () => world.ctx.store.list("nodes").items.map((n) => n.metadata.name!).sort();

function create(image = "busybox", nodeSelector?: Record<string, string>) {
  const labels = { app: "agent" };
  world.ctx.store.create("daemonsets.apps", {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: "default" },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { nodeSelector, containers: [{ name: "agent", image }] } } },
  });
}

describe("the DaemonSet controller", () => {
  it("runs one pod on every node, placed there by the scheduler, and counts them", () => {
    create();
    seconds(60);
    expect(pods().map((p) => p.spec!.nodeName).sort()).toEqual(nodeNames());
    const n = nodeNames().length;
    expect(ds().status).toMatchObject({ desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n, numberAvailable: n, updatedNumberScheduled: n, numberMisscheduled: 0 });
  });

  it("honours the template's node selector", () => {
    const [first] = nodeNames();
    create("busybox", { "kubernetes.io/hostname": first });
    seconds(60);
    expect(pods().map((p) => p.spec!.nodeName)).toEqual([first]);
    expect(ds().status?.desiredNumberScheduled).toBe(1);
  });

  it("rolls a new template out node by node", () => {
    create();
    seconds(60);
    const d = world.ctx.store.get("daemonsets.apps", "default", "agent");
    const spec = structuredClone(d.spec) as V1DaemonSet["spec"] & object;
    spec.template.spec!.containers[0].image = "busybox:1.37";
    world.ctx.store.update("daemonsets.apps", { ...d, spec });
    let mostMissing = 0;
    for (let i = 0; i < 240; i++) {
      seconds(0.5);
      mostMissing = Math.max(mostMissing, nodeNames().length - pods().filter((p) => p.status?.phase === "Running").length);
    }
    expect(mostMissing).toBeLessThanOrEqual(1);
    expect(pods().map((p) => p.spec!.containers[0].image)).toEqual(nodeNames().map(() => "busybox:1.37"));
    expect(ds().status?.updatedNumberScheduled).toBe(nodeNames().length);
  });
});
