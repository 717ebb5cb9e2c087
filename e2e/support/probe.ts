import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { expect } from "@playwright/test";
import type { ClusterProbe } from "../scenarios/probe";
import { kubectl, KubectlError } from "./kubectl";

/** An object as `kubectl get -o json` prints it; undefined when it does not exist. */
async function getJson<T>(kind: string, name: string, namespace?: string): Promise<T | undefined> {
  try {
    return JSON.parse(await kubectl(["get", kind, name, ...(namespace ? ["-n", namespace] : []), "-o", "json"])) as T;
  } catch (err) {
    if (err instanceof KubectlError && /NotFound|not found/.test(err.stderr)) return undefined;
    throw err;
  }
}

/**
 * The embedded cluster seen from the teacher's terminal (kubectl with the e2e kubeconfig): its pods
 * run the kubia app (volume data), the dashboard fails and recovers nodes, and its clock runs sped
 * up, so the taint-based eviction happens within a test.
 */
export const embeddedProbe: ClusterProbe = {
  namespace: "default",
  pod: (name) => getJson<V1Pod>("pod", name, "default"),
  claim: (name) => getJson<V1PersistentVolumeClaim>("pvc", name, "default"),
  volume: (name) => getJson<V1PersistentVolume>("pv", name),
  volumeData: true,
  nodeButtons: true,
  faults: true,
  evictsInTime: true,
  kubectl,
  async failNode(dashboard, node) {
    await dashboard.node(node).getByRole("button", { name: "Fail node" }).click();
    await expect(dashboard.newestCommand()).toContainText(`kubectl annotate node ${node} playground.k8s.io/down=true`);
  },
  async recoverNode(dashboard, node) {
    await dashboard.node(node).getByRole("button", { name: "Recover node" }).click();
    await expect(dashboard.newestCommand()).toContainText(`kubectl annotate node ${node} playground.k8s.io/down-`);
  },
};
