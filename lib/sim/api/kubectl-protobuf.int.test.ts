import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { kubectlFor, requireKubectl, SKIP_KUBECTL } from "./testing/kubectl";

/**
 * kubectl's typed clients (create namespace/configmap/serviceaccount/service) send their objects in
 * Kubernetes protobuf; the embedded cluster reads them and kubectl prints what a real cluster makes it print.
 */
describe.skipIf(SKIP_KUBECTL)("kubectl's protobuf requests against the embedded cluster", () => {
  let cluster: RunningCluster;
  let dir: string;
  let k: ReturnType<typeof kubectlFor>;

  beforeAll(async () => {
    requireKubectl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-kubectl-pb-"));
    cluster = await startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(dir, "data"), speed: 50, seedDemo: false });
    k = kubectlFor(cluster.kubeconfigPath, path.join(dir, "cache"));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const json = async (args: string[]) => JSON.parse(await k.ok([...args, "-o", "json"]));

  it("creates a namespace, sending protobuf", async () => {
    const r = await k.run(["create", "namespace", "lab", "-v=8"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("namespace/lab created\n");
    // The request body and the answer are both protobuf (kubectl accepts "application/vnd.kubernetes.protobuf,application/json").
    expect(r.stderr.match(/Content-Type: application\/vnd\.kubernetes\.protobuf$/gm)).toHaveLength(2);
    const ns = await json(["get", "namespace", "lab"]);
    expect(ns).toMatchObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "lab", labels: { "kubernetes.io/metadata.name": "lab" } }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  });

  it("creates a configmap, a serviceaccount and a headless service in it", async () => {
    expect(await k.ok(["create", "configmap", "cfg", "-n", "lab", "--from-literal=greeting=hello", "--from-literal=empty="])).toBe("configmap/cfg created\n");
    expect(await k.ok(["create", "serviceaccount", "robot", "-n", "lab"])).toBe("serviceaccount/robot created\n");
    expect(await k.ok(["create", "service", "clusterip", "other", "--clusterip=None", "-n", "lab"])).toBe("service/other created\n");
    const cm = await json(["get", "configmap", "cfg", "-n", "lab"]);
    expect(cm.data).toEqual({ greeting: "hello", empty: "" });
    // Nothing of the protobuf's zero values leaks in (generation: the store gives every kind one, reported separately).
    expect(Object.keys(cm.metadata).filter((key) => key !== "generation").sort()).toEqual(["creationTimestamp", "name", "namespace", "resourceVersion", "uid"]);
    const sa = await json(["get", "serviceaccount", "robot", "-n", "lab"]);
    expect(Object.keys(sa).sort()).toEqual(["apiVersion", "kind", "metadata"]);
    const svc = await json(["get", "service", "other", "-n", "lab"]);
    expect(svc.metadata.labels).toEqual({ app: "other" });
    expect(svc.spec).toEqual({
      clusterIP: "None",
      clusterIPs: ["None"],
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      selector: { app: "other" },
      sessionAffinity: "None",
      type: "ClusterIP",
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it("reports a conflict from a protobuf create as the real cluster does", async () => {
    const again = await k.run(["create", "namespace", "lab"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (AlreadyExists): namespaces "lab" already exists\n');
  });
});
