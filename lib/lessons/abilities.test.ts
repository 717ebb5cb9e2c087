import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { node } from "@/lib/k8s/testing/fixtures";
import { KWOK_NODE_ANNOTATION } from "@/lib/k8s/wellknown";
import { abilitiesOf } from "./abilities";

const cluster = (mode: ClusterInfo["mode"]): ClusterInfo => ({
  mode,
  namespace: "default",
  context: mode,
  capabilities: { nodeFailure: mode === "embedded", faults: mode === "embedded", dnsServer: mode === "embedded", nodes: true, persistentVolumes: true },
  speed: 1,
  clock: { speed: 1, paused: false, clusterTime: 0, at: 0 },
  maxReplicas: 50,
});

const kwok = (name: string) => {
  const n = node(name);
  n.metadata!.annotations = { ...n.metadata!.annotations, [KWOK_NODE_ANNOTATION]: "fake" };
  return n;
};

describe("abilitiesOf", () => {
  it("the embedded cluster can do everything a step may need", () => {
    expect(abilitiesOf(cluster("embedded"), [node("k8s-node1")])).toEqual({ faults: true, nodeFailure: true, containers: true });
  });

  it("a real cluster with kubelets runs containers but has no faults and no node buttons", () => {
    expect(abilitiesOf(cluster("real"), [node("worker-1")])).toEqual({ faults: false, nodeFailure: false, containers: true });
    expect(abilitiesOf(cluster("real"), [])).toEqual({ faults: false, nodeFailure: false, containers: true }); // nodes not readable
  });

  it("KWOK's fake nodes run no containers", () => {
    expect(abilitiesOf(cluster("real"), [kwok("k8s-node1"), kwok("k8s-node2")]).containers).toBe(false);
    expect(abilitiesOf(cluster("real"), [node("worker-1"), kwok("k8s-node2")]).containers).toBe(false);
  });
});
