import { stringify } from "yaml";
import type { V1StatefulSet } from "@kubernetes/client-node";
import { demoObjects } from "../../lib/k8s/demo";
import { setNodeDown } from "../../tools/real-cluster/cluster";
import { kubectl } from "./kubectl";
import { expect, NAMESPACE, test } from "./pw/fixtures";
import { SA_CONTEXT } from "./rbac";
import { SKIP_REAL } from "./target";
import { scaleKeepsAndReusesClaims } from "../scenarios/scale";

/**
 * The dashboard in a browser against the real control plane (kube-apiserver, kube-controller-manager,
 * kube-scheduler; KWOK kubelets), running with only the rights of the rendered deploy/ Role +
 * the deploy/overlays/cluster-read overlay. The flows that make sense without containers: no volume data, no DNS
 * server — ordinals, claims, Terminating, force delete, node failure, live updates.
 */
test.skip(SKIP_REAL, "PLAYGROUND_SKIP_REAL=1: real-cluster tests skipped on purpose");

const dnsName = (pod: string) => `kubia-${pod.split("-")[1]}.kubia.${NAMESPACE}.svc.cluster.local`;

test("ordinal pods on real nodes, each with its PVC bound to a provisioned PV", async ({ dashboard, admin, page }) => {
  await expect(page.getByText(new RegExp(`^Cluster ${SA_CONTEXT} · namespace ${NAMESPACE}$`))).toBeVisible();
  for (const name of ["kubia-0", "kubia-1"]) {
    await dashboard.expectPodRunningReady(name);
    const card = dashboard.pod(name);
    const truth = (await admin.pod(name))!;
    await expect(card).toHaveAttribute("data-uid", truth.metadata!.uid!);
    await expect(dashboard.field(card, "Node")).toHaveText(truth.spec!.nodeName!);
    await expect(dashboard.field(card, "Pod IP")).toHaveText(truth.status!.podIP!);
    await expect(dashboard.field(card, "Hostname")).toHaveText(name);
    await expect(dashboard.field(card, "DNS name")).toHaveText(dnsName(name));
    const claim = `data-${name}`;
    const volume = await dashboard.expectPvcBound(claim);
    const pvc = await admin.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: NAMESPACE });
    expect(volume).toBe(pvc.spec?.volumeName);
    expect(volume).toBe(`pvc-${pvc.metadata?.uid}`);
    await expect(dashboard.status(dashboard.pvc(claim), "Bound")).toBeVisible();
    await expect(dashboard.field(dashboard.pvc(claim), "Reclaim")).toHaveText("Delete"); // the PV is readable (cluster-read)
    // The node's card lists the pod.
    await expect(dashboard.node(truth.spec!.nodeName!).getByRole("list", { name: `Pods on ${truth.spec!.nodeName}` })).toContainText(name);
  }
  for (const node of ["k8s-node1", "k8s-node2", "k8s-node3"]) await expect(dashboard.node(node)).toHaveAttribute("data-status", "Ready");
  // Failing a node is the embedded cluster's feature: no such buttons on a real cluster.
  await expect(page.getByRole("button", { name: "Fail node" })).toHaveCount(0);
});

test("scale 2→3→1→2: claims are Retained on scale-down and Reused, with the same PV, on scale-up", async ({ dashboard, admin }) => {
  // The scenario of e2e/scenarios/scale.ts; KWOK pods run no containers, so no volume data here.
  const volumeOf = async (claim: string) => (await admin.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: NAMESPACE })).spec?.volumeName;
  await scaleKeepsAndReusesClaims(dashboard, { volumeOf, volumeData: false });
});

test("Delete: the pod stays Terminating with its grace period counting down, then a new one replaces it", async ({ dashboard, admin, page }) => {
  const old = (await admin.pod("kubia-0"))!.metadata!.uid!;
  await dashboard.pod("kubia-0").getByRole("button", { name: "Delete", exact: true }).click();
  const card = dashboard.pod("kubia-0");
  await expect(dashboard.status(card, "Terminating")).toBeVisible();
  await expect(card).toHaveAttribute("data-uid", old); // the same pod object, being deleted
  await expect(card.getByRole("timer", { name: "Grace period of kubia-0" })).toHaveText(/^\d+s left of 30s grace period$/);
  const truth = (await admin.pod("kubia-0"))!;
  expect(truth.metadata?.uid).toBe(old);
  expect(truth.metadata?.deletionTimestamp).toBeTruthy();
  // Newest command of the console strip (the first line is the standing `kubectl get pods -w`).
  await expect(page.getByRole("region", { name: "kubectl" }).getByRole("listitem").nth(1)).toContainText(`$ kubectl delete pod kubia-0 -n ${NAMESPACE}`);

  await expect(card).not.toHaveAttribute("data-uid", old, { timeout: 60_000 });
  await dashboard.expectPodRunningReady("kubia-0");
  await expect(dashboard.status(dashboard.pvc("data-kubia-0"), "Reused")).toBeVisible();
});

test("Force delete on a healthy node: the dialog says it is not needed; the pod goes at once", async ({ dashboard, admin }) => {
  const before = (await admin.pod("kubia-1"))!;
  const dialog = await dashboard.openForceDelete("kubia-1");
  await expect(dialog).toContainText(`Node ${before.spec!.nodeName} is Ready: a normal delete will finish by itself.`);
  await expect(dialog).toContainText(`kubectl delete pod kubia-1 --force --grace-period=0 -n ${NAMESPACE}`);
  await dialog.getByRole("button", { name: "Force delete" }).click();
  await expect(dashboard.dialog).toHaveCount(0);
  // Gone from the API server well within the time a graceful delete keeps it (no Terminating step).
  await expect.poll(async () => (await admin.pod("kubia-1"))?.metadata?.uid ?? "gone", { timeout: 3_000, intervals: [100] }).not.toBe(before.metadata!.uid);
  await expect(dashboard.pod("kubia-1")).not.toHaveAttribute("data-uid", before.metadata!.uid!);
  await dashboard.expectPodRunningReady("kubia-1");
});

test("node failure: a pod deleted on the dead node stays Terminating until force deleted, then runs elsewhere", async ({ dashboard, admin }) => {
  test.setTimeout(240_000);
  const victim = (await admin.pod("kubia-1"))!;
  const node = victim.spec!.nodeName!;
  // The teacher's terminal: `npm run cluster:real -- fail-node N` (the dashboard cannot fail nodes of a real cluster).
  await setNodeDown(admin.env, node, true);
  try {
    const nodeCard = dashboard.node(node);
    await expect(nodeCard).toHaveAttribute("data-status", "NotReady", { timeout: 90_000 });
    await expect(nodeCard.getByRole("list", { name: `Taints of ${node}` })).toContainText("node.kubernetes.io/unreachable:NoExecute");
    await expect(dashboard.field(dashboard.pod("kubia-1"), "Node")).toContainText("(NotReady)");

    await dashboard.pod("kubia-1").getByRole("button", { name: "Delete", exact: true }).click();
    const card = dashboard.pod("kubia-1");
    await expect(dashboard.status(card, "Terminating")).toBeVisible();
    // Its 30 s grace period runs out, and nothing happens: no kubelet to confirm.
    await expect(card.getByRole("timer", { name: "Grace period of kubia-1" })).toHaveText("Grace period over", { timeout: 45_000 });
    await expect(card).toContainText(`Node ${node} is down: its kubelet cannot confirm, so the pod stays Terminating until you force delete it.`);
    await expect(card).toHaveAttribute("data-uid", victim.metadata!.uid!);
    expect((await admin.pod("kubia-1"))?.metadata?.uid).toBe(victim.metadata!.uid);

    const dialog = await dashboard.openForceDelete("kubia-1");
    await expect(dialog).toContainText(`Node ${node} is not Ready.`);
    await dialog.getByRole("button", { name: "Force delete" }).click();
    await expect(card).not.toHaveAttribute("data-uid", victim.metadata!.uid!);
    await dashboard.expectPodRunningReady("kubia-1");
    const replacement = (await admin.pod("kubia-1"))!;
    expect(replacement.spec?.nodeName).not.toBe(node); // the unreachable taint keeps it off the dead node
    await expect(dashboard.field(card, "Node")).toHaveText(replacement.spec!.nodeName!);
    await expect(dashboard.status(dashboard.pvc("data-kubia-1"), "Reused")).toBeVisible();
  } finally {
    await setNodeDown(admin.env, node, false);
  }
  await expect(dashboard.node(node)).toHaveAttribute("data-status", "Ready", { timeout: 60_000 });
});

test("a StatefulSet created with kubectl appears live, and can be shown", async ({ dashboard, admin, page }) => {
  await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia"]);
  const web: V1StatefulSet = demoObjects(NAMESPACE).statefulSet;
  web.metadata = { name: "web", namespace: NAMESPACE, labels: { app: "web" } };
  web.spec!.selector = { matchLabels: { app: "web" } };
  web.spec!.template.metadata = { labels: { app: "web" } };
  web.spec!.serviceName = "web";
  web.spec!.podManagementPolicy = "Parallel";
  web.spec!.template.spec!.terminationGracePeriodSeconds = 1;
  expect(await kubectl(admin.env, ["apply", "-n", NAMESPACE, "-f", "-"], stringify(web))).toContain("statefulset.apps/web created");

  // No reload: the watch brings it.
  await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia", "web"]);
  await dashboard.picker.selectOption("web");
  await expect(page).toHaveURL(/[?&]statefulset=web\b/);
  await expect(dashboard.header("web")).toBeVisible();
  await expect(dashboard.header("web").getByText("Parallel", { exact: true })).toBeVisible();
  for (const name of ["web-0", "web-1"]) {
    await dashboard.expectPodRunningReady(name);
    await dashboard.expectPvcBound(`data-${name}`);
  }

  await kubectl(admin.env, ["delete", "statefulset", "web", "-n", NAMESPACE, "--wait=false"]);
  await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia"]);
  await expect(dashboard.picker).toHaveValue("kubia");
});
