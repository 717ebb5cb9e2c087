import { expect } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import type { ClusterProbe } from "./probe";

const DEMO_NODES = ["k8s-node1", "k8s-node2", "k8s-node3"];

/**
 * Kubernetes in Action 10.3.2, written once for both clusters: the StatefulSet's pods have ordinal
 * names, stable hostnames and DNS names, a claim each bound to a provisioned volume, and what the
 * page shows of them is what the API server says.
 */
export async function ordinalPodsMatchTheCluster(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  await expect(dashboard.picker).toHaveValue("kubia");
  const header = dashboard.header("kubia");
  await expect(dashboard.field(header, "Desired")).toHaveText("2");
  await expect(dashboard.field(header, "Ready")).toHaveText("2");
  await expect(dashboard.field(header, "Service")).toHaveText("kubia");

  for (const name of ["kubia-0", "kubia-1"]) {
    await dashboard.expectPodRunningReady(name);
    const card = dashboard.pod(name);
    const truth = (await probe.pod(name))!;
    await expect(card).toHaveAttribute("data-uid", truth.metadata!.uid!);
    await expect(dashboard.field(card, "UID")).toHaveText(truth.metadata!.uid!);
    await expect(dashboard.field(card, "Node")).toHaveText(truth.spec!.nodeName!);
    await expect(dashboard.field(card, "Pod IP")).toHaveText(truth.status!.podIP!);
    await expect(dashboard.field(card, "Hostname")).toHaveText(name);
    await expect(dashboard.field(card, "DNS name")).toHaveText(`${name}.kubia.${probe.namespace}.svc.cluster.local`);
    // The node's card lists the pod.
    await expect(dashboard.node(truth.spec!.nodeName!).getByRole("list", { name: `Pods on ${truth.spec!.nodeName}` })).toContainText(name);

    // Its claim, bound to the volume provisioned for it (named after the claim's uid).
    const claimName = `data-${name}`;
    const shown = await dashboard.expectPvcBound(claimName);
    const claim = (await probe.claim(claimName))!;
    expect(shown).toBe(claim.spec?.volumeName);
    expect(shown).toBe(`pvc-${claim.metadata?.uid}`);
    const pvc = dashboard.pvc(claimName);
    await expect(dashboard.status(pvc, "Bound")).toBeVisible();
    await expect(dashboard.field(pvc, "Capacity")).toHaveText("1Mi");
    const volume = (await probe.volume(shown))!;
    await expect(dashboard.field(pvc, "Reclaim")).toHaveText(volume.spec!.persistentVolumeReclaimPolicy!);
  }
  // Two replicas: no third ordinal.
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(dashboard.pvc("data-kubia-2")).toHaveCount(0);
  for (const node of DEMO_NODES) await expect(dashboard.node(node)).toHaveAttribute("data-status", "Ready");
  // Failing a node is the embedded cluster's feature: no such buttons on a real cluster.
  await expect(dashboard.page.getByRole("button", { name: "Fail node" })).toHaveCount(probe.nodeButtons ? DEMO_NODES.length : 0);
}
