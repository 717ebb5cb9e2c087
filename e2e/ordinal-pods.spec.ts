import { expect, test } from "./support/fixtures";
import { jsonpath, pvcVolume } from "./support/kubectl";

/** Kubernetes in Action 10.3.2: the StatefulSet's pods have ordinal names, stable hostnames and DNS names, and a claim each. */
test("kubia-0 and kubia-1 run with their DNS names and their claims bound to volumes", async ({ dashboard }) => {
  await expect(dashboard.picker).toHaveValue("kubia");
  const header = dashboard.header("kubia");
  await expect(dashboard.field(header, "Desired")).toHaveText("2");
  await expect(dashboard.field(header, "Ready")).toHaveText("2");
  await expect(dashboard.field(header, "Service")).toHaveText("kubia");

  for (const ordinal of [0, 1]) {
    const name = `kubia-${ordinal}`;
    await dashboard.expectPodRunningReady(name);
    const pod = dashboard.pod(name);
    await expect(dashboard.field(pod, "Hostname")).toHaveText(name);
    await expect(dashboard.field(pod, "DNS name")).toHaveText(`${name}.kubia.default.svc.cluster.local`);
    // What the page shows is what the cluster says (kubectl -o jsonpath).
    await expect(dashboard.field(pod, "Node")).toHaveText(await jsonpath("pod", name, ".spec.nodeName"));
    await expect(dashboard.field(pod, "Pod IP")).toHaveText(await jsonpath("pod", name, ".status.podIP"));
    await expect(dashboard.field(pod, "UID")).toHaveText(await jsonpath("pod", name, ".metadata.uid"));

    const claim = `data-${name}`;
    const pv = await dashboard.expectPvcBound(claim);
    expect(pv).toBe(await pvcVolume(claim));
    const pvc = dashboard.pvc(claim);
    await expect(dashboard.status(pvc, "Bound")).toBeVisible();
    await expect(dashboard.field(pvc, "Capacity")).toHaveText("1Mi");
  }
  // Two replicas: no third ordinal, and no pod from another ordinal scheme.
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(dashboard.pvc("data-kubia-2")).toHaveCount(0);
});
