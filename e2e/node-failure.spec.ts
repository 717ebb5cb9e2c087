import { expect, test } from "./support/fixtures";
import { podNode, pvcVolume } from "./support/kubectl";

/**
 * Kubernetes in Action 10.5: when a node dies the API server cannot learn whether its pods still
 * run, so a StatefulSet pod stays Terminating until someone force-deletes it; then the StatefulSet
 * creates it again elsewhere, with the same claim, volume and data.
 */
test("Fail node: kubia-1 is stuck Terminating until Force delete, then comes back elsewhere with its volume", async ({ dashboard }) => {
  test.setTimeout(240_000);
  const pod = dashboard.pod("kubia-1");
  const line = `kubia-1 wrote this before its node died (${Date.now()})`;
  await dashboard.writeData("kubia-1", line);
  const pv = await dashboard.expectPvcBound("data-kubia-1");
  const nodeName = await podNode("kubia-1");
  expect(nodeName).toMatch(/^k8s-node\d$/);
  await expect(dashboard.field(pod, "Node")).toHaveText(nodeName);

  const node = dashboard.node(nodeName);
  await node.getByRole("button", { name: "Fail node" }).click();
  await expect(dashboard.newestCommand()).toContainText(`kubectl annotate node ${nodeName} playground.k8s.io/down=true`);
  // The node controller notices the silent kubelet (node-monitor-grace-period, sped up).
  await expect(node.getByText(/^(NotReady|Unknown)$/)).toBeVisible({ timeout: 60_000 });
  await expect(dashboard.field(pod, "Node")).toContainText(/NotReady|Unknown/);

  // The pod cannot be reached any more: the API server's own error reaches the user.
  await dashboard.readData("kubia-1");
  const dataAlert = dashboard.volumeData("kubia-1").getByRole("alert");
  await expect(dataAlert).toContainText("ServiceUnavailable", { timeout: 20_000 });
  await expect(dataAlert).toContainText(/error trying to reach service/);

  // Taint-based eviction (300 s toleration, sped up) deletes the pod; nobody can confirm it: stuck Terminating.
  await expect(dashboard.status(pod, "Terminating")).toBeVisible({ timeout: 120_000 });
  await expect(pod).toContainText(`Node ${nodeName} is down: its kubelet cannot confirm, so the pod stays Terminating until you force delete it.`, {
    timeout: 30_000,
  });
  await expect(dashboard.status(pod, "Terminating")).toBeVisible();

  // Force delete, behind a dialog that explains the at-most-one guarantee it bypasses.
  const dialog = await dashboard.openForceDelete("kubia-1");
  await expect(dialog).toHaveAccessibleName("Force delete kubia-1?");
  await expect(dialog).toContainText(/at most one/i);
  await expect(dialog).toContainText(`Node ${nodeName} is not Ready`);
  await expect(dialog).toContainText("kubectl delete pod kubia-1 --force --grace-period=0 -n default");
  await dialog.getByRole("button", { name: "Force delete" }).click();
  await expect(dialog).toBeHidden();
  await expect(dashboard.newestCommand()).toContainText("kubectl delete pod kubia-1 --force --grace-period=0 -n default");

  // kubia-1 again, on a healthy node, with the same claim, the same PV and the data written before.
  await dashboard.expectPodRunningReady("kubia-1", 90_000);
  const newNode = await podNode("kubia-1");
  expect(newNode).not.toBe(nodeName);
  await expect(dashboard.field(pod, "Node")).toHaveText(newNode);
  const pvc = dashboard.pvc("data-kubia-1");
  await expect(dashboard.field(pvc, "Volume")).toHaveText(pv);
  await expect(dashboard.status(pvc, "Reused")).toBeVisible();
  expect(await pvcVolume("data-kubia-1")).toBe(pv);
  await expect(await dashboard.readData("kubia-1")).toContainText(line);

  // Recover the node.
  await node.getByRole("button", { name: "Recover node" }).click();
  await expect(dashboard.newestCommand()).toContainText(`kubectl annotate node ${nodeName} playground.k8s.io/down-`);
  await expect(node.getByText("Ready", { exact: true })).toBeVisible({ timeout: 60_000 });
});
