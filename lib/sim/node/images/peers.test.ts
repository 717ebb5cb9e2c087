import { describe, expect, it } from "vitest";
import { addService, addSlice } from "../../dns/testing/fixtures";
import { proxyToPod } from "../proxy";
import { boundClaim, kubiaContext, request, runningPod } from "../testing/fixtures";

/** Chapter 10's finale: kubia-pet-peers finds its peers through the headless service's SRV records. */
function peersCluster() {
  const ctx = kubiaContext();
  ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  addService(ctx.store, "kubia", { clusterIP: "None", ports: [{ name: "http", port: 80, targetPort: 8080 }] });
  const pods = [0, 1].map((i) => {
    boundClaim(ctx, `data-kubia-${i}`, `pvc-${i}`);
    return runningPod(ctx, { name: `kubia-${i}`, ip: `10.1.${i + 1}.10`, node: `k8s-node${i + 1}`, data: `data-kubia-${i}`, image: "luksa/kubia-pet-peers" });
  });
  return { ctx, pods };
}

describe("luksa/kubia-pet-peers", () => {
  it("says so when the SRV lookup finds nothing (a headless service without ready endpoints is NXDOMAIN)", async () => {
    const { ctx, pods } = peersCluster();
    const res = await proxyToPod(ctx, pods[0], undefined, request());
    expect(res.body.toString()).toBe(
      "You've hit kubia-0\nData stored in the cluster:\nCould not look up DNS SRV records: Error: querySrv ENOTFOUND kubia.default.svc.cluster.local",
    );
  });

  it("collects every peer's data through DNS SRV and each peer's /data", async () => {
    const { ctx, pods } = peersCluster();
    addSlice(ctx.store, "kubia", [
      { ip: "10.1.1.10", hostname: "kubia-0" },
      { ip: "10.1.2.10", hostname: "kubia-1" },
    ]);
    await proxyToPod(ctx, pods[1], undefined, request("POST", "The sun is shining"));
    expect((await proxyToPod(ctx, pods[1], undefined, request("GET", "", "/data"))).body.toString()).toBe("The sun is shining");
    expect((await proxyToPod(ctx, pods[0], undefined, request())).body.toString()).toBe(
      "You've hit kubia-0\nData stored in the cluster:\n" +
        "- kubia-0.kubia.default.svc.cluster.local: No data posted yet\n" +
        "- kubia-1.kubia.default.svc.cluster.local: The sun is shining\n",
    );
  });

  it("reports a peer on a failed node as node's connect timeout", async () => {
    const { ctx, pods } = peersCluster();
    addSlice(ctx.store, "kubia", [
      { ip: "10.1.1.10", hostname: "kubia-0" },
      { ip: "10.1.2.10", hostname: "kubia-1" },
    ]);
    const node = ctx.store.get("nodes", undefined, "k8s-node2");
    node.metadata.annotations = { "playground.k8s.io/down": "true" };
    ctx.store.update("nodes", node);
    const pending = proxyToPod(ctx, pods[0], undefined, request());
    await new Promise((r) => setTimeout(r, 0));
    ctx.clock.advance(127_000);
    expect((await pending).body.toString()).toContain("- kubia-1.kubia.default.svc.cluster.local: Error: connect ETIMEDOUT 10.1.2.10:8080\n");
  });
});
