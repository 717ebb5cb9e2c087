/**
 * Smoke test of the local real control plane (and of any cluster given by PLAYGROUND_KUBECONFIG /
 * PLAYGROUND_CONTEXT): the kubia StatefulSet through the real kubectl and @kubernetes/client-node
 * over TLS with a client certificate. `npm run test:real`.
 *
 * Without Go this FAILS (GoMissingError) unless PLAYGROUND_SKIP_REAL=1 says to skip on purpose.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod, type V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { demoObjects } from "@/lib/k8s/demo";
import { KUBECTL, requireKubectl } from "@/testing/kubectl";
import { down, kubeConfigFor, nodeReadyStatus, setNodeDown, up, waitForNodeReadyStatus, type ClusterEnv } from "./cluster";
import { settingsFromEnv } from "./config";
import { sleep, waitFor } from "../../testing/wait";

const skip = process.env.PLAYGROUND_SKIP_REAL === "1";
if (skip) console.warn("\n*** REAL-CLUSTER TESTS SKIPPED: PLAYGROUND_SKIP_REAL=1 ***\n");

/** A short grace period keeps the smoke test quick; the cluster honours whatever the pod asks. */
const GRACE_SECONDS = 10;



function isReady(pod: V1Pod): boolean {
  return pod.status?.phase === "Running" && pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

function notFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

describe.skipIf(skip)("real control plane: kubia StatefulSet", () => {
  let env: ClusterEnv;
  let startedHere = false;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const namespace = `smoke-${randomBytes(3).toString("hex")}`;
  const localCluster = !process.env.PLAYGROUND_KUBECONFIG;
  let failedNode: string | undefined;

  function kubectl(args: string[], input?: string): string {
    const result = spawnSync(KUBECTL, ["--kubeconfig", env.PLAYGROUND_KUBECONFIG, "--context", env.PLAYGROUND_CONTEXT, "-n", namespace, ...args], {
      input,
      encoding: "utf8",
      timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.status}): ${result.stderr}${result.error ?? ""}`);
    return result.stdout;
  }

  const readPod = (name: string) => core.readNamespacedPod({ name, namespace });
  const readClaim = (name: string) => core.readNamespacedPersistentVolumeClaim({ name, namespace });
  const boundVolume = (pvc: V1PersistentVolumeClaim) => (pvc.status?.phase === "Bound" ? pvc.spec?.volumeName : undefined);

  async function waitReadyPods(names: string[]): Promise<V1Pod[]> {
    return waitFor(`Ready pods ${names.join(", ")}`, async () => {
      const pods = await Promise.all(names.map((n) => readPod(n).catch(() => undefined)));
      return pods.every((p) => p && isReady(p) && !p.metadata?.deletionTimestamp) ? (pods as V1Pod[]) : undefined;
    }, 90_000);
  }

  beforeAll(async () => {
    if (localCluster) {
      const result = await up({ log: (line) => console.log(`[real-cluster] ${line}`) });
      env = result;
      startedHere = !result.reused;
    } else {
      env = { PLAYGROUND_KUBECONFIG: process.env.PLAYGROUND_KUBECONFIG!, PLAYGROUND_CONTEXT: process.env.PLAYGROUND_CONTEXT ?? "" };
    }
    requireKubectl();
    const kc = kubeConfigFor(env);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // Pods are refused until the namespace's default ServiceAccount exists.
    await waitFor("default ServiceAccount", () => core.readNamespacedServiceAccount({ name: "default", namespace }));
  });

  afterAll(async () => {
    if (!env) return;
    if (failedNode) await setNodeDown(env, failedNode, false).catch(() => undefined);
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (startedHere && process.env.PLAYGROUND_REAL_KEEP !== "1") await down({ log: () => {} });
  });

  it("creates the services with client-node and the StatefulSet with kubectl apply; pods become Ready with bound PVCs", async () => {
    const { services, statefulSet } = demoObjects(namespace);
    for (const body of services) await core.createNamespacedService({ namespace, body });
    statefulSet.spec!.template.spec!.terminationGracePeriodSeconds = GRACE_SECONDS;
    expect(kubectl(["apply", "-f", "-"], stringify(statefulSet))).toContain("statefulset.apps/kubia");

    const pods = await waitReadyPods(["kubia-0", "kubia-1"]);
    expect(pods.map((p) => p.spec?.hostname)).toEqual(["kubia-0", "kubia-1"]);
    expect(pods.every((p) => p.spec?.subdomain === "kubia" && p.status?.podIP)).toBe(true);
    for (const name of ["data-kubia-0", "data-kubia-1"]) {
      const volume = await waitFor(`${name} Bound`, async () => boundVolume(await readClaim(name)));
      expect(volume).toMatch(/^pvc-[0-9a-f-]{36}$/);
    }
    const listed = kubectl(["get", "pods", "-o", "name"]);
    expect(listed.trim().split("\n").sort()).toEqual(["pod/kubia-0", "pod/kubia-1"]);
  });

  it.skipIf(!localCluster)("dials a kubelet only on loopback: kubectl logs is refused at the node's 127.0.2.x InternalIP (KWOK serves no kubelet API)", () => {
    const result = spawnSync(KUBECTL, ["--kubeconfig", env.PLAYGROUND_KUBECONFIG, "--context", env.PLAYGROUND_CONTEXT, "-n", namespace, "logs", "kubia-0"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    // Not a name lookup of k8s-nodeN through the host's resolver: the API server dials the InternalIP.
    expect(result.stderr).toMatch(/dial tcp 127\.0\.2\.\d+:10250: connect: connection refused/);
  });

  it("keeps data-kubia-1 across scale 2 -> 1 -> 2 and re-attaches the same PV", async () => {
    const volumeBefore = boundVolume(await readClaim("data-kubia-1"));
    expect(volumeBefore).toBeTruthy();

    kubectl(["scale", "statefulset", "kubia", "--replicas=1"]);
    const terminating = await waitFor("kubia-1 Terminating", async () => {
      const pod = await readPod("kubia-1");
      return pod.metadata?.deletionTimestamp ? pod : undefined;
    });
    expect(terminating.metadata?.deletionGracePeriodSeconds).toBe(GRACE_SECONDS);
    await waitFor("kubia-1 gone", async () => readPod("kubia-1").then(() => undefined, (err) => (notFound(err) ? true : undefined)), (GRACE_SECONDS + 30) * 1000);
    expect(boundVolume(await readClaim("data-kubia-1"))).toBe(volumeBefore); // retained, still Bound

    const scale = await apps.patchNamespacedStatefulSetScale(
      { name: "kubia", namespace, body: { spec: { replicas: 2 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(scale.spec?.replicas).toBe(2);
    await waitReadyPods(["kubia-0", "kubia-1"]);
    expect(boundVolume(await readClaim("data-kubia-1"))).toBe(volumeBefore);
    const claims = await core.listNamespacedPersistentVolumeClaim({ namespace });
    expect(claims.items.map((c) => c.metadata?.name).sort()).toEqual(["data-kubia-0", "data-kubia-1"]);
  });

  it("keeps a gracefully deleted pod Terminating for its grace period; a force delete removes it at once", async () => {
    const before = await readPod("kubia-0");
    await core.deleteNamespacedPod({ name: "kubia-0", namespace });
    await sleep(2_000);
    const during = await readPod("kubia-0");
    expect(during.metadata?.uid).toBe(before.metadata?.uid);
    expect(during.metadata?.deletionTimestamp).toBeTruthy();

    kubectl(["delete", "pod", "kubia-0", "--force", "--grace-period=0"]);
    const after = await readPod("kubia-0").catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
    expect(after?.metadata?.uid).not.toBe(before.metadata?.uid); // gone, or already replaced
    await waitReadyPods(["kubia-0", "kubia-1"]);
  });

  it.skipIf(!localCluster)("fails a node: Ready=Unknown, a pod deleted on it stays Terminating until forced; recovers", async () => {
    const victim = await readPod("kubia-1");
    failedNode = victim.spec!.nodeName!;
    await setNodeDown(env, failedNode, true);
    const graceMs = settingsFromEnv().nodeGraceSeconds * 1000;
    const unknown = await waitForNodeReadyStatus(env, failedNode, "Unknown", graceMs + 60_000);
    expect(nodeReadyStatus(unknown)).toBe("Unknown");
    expect(unknown.spec?.taints?.map((t) => t.key)).toContain("node.kubernetes.io/unreachable");

    await core.deleteNamespacedPod({ name: "kubia-1", namespace });
    await sleep((GRACE_SECONDS + 5) * 1000); // well past the grace period: no kubelet to confirm
    const stuck = await readPod("kubia-1");
    expect(stuck.metadata?.uid).toBe(victim.metadata?.uid);
    expect(stuck.metadata?.deletionTimestamp).toBeTruthy();

    kubectl(["delete", "pod", "kubia-1", "--force", "--grace-period=0"]);
    const replaced = await waitReadyPods(["kubia-1"]);
    expect(replaced[0].metadata?.uid).not.toBe(victim.metadata?.uid);
    expect(replaced[0].spec?.nodeName).not.toBe(failedNode); // unreachable taint: scheduled elsewhere

    await setNodeDown(env, failedNode, false);
    await waitForNodeReadyStatus(env, failedNode, "True", 60_000);
    failedNode = undefined;
  }, 300_000);
});
