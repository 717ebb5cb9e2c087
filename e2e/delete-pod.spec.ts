import { expect, test } from "./support/fixtures";
import { podUid, pvcVolume } from "./support/kubectl";

/** Kubernetes in Action 10.3.3: a deleted pod is replaced by a new pod with the same name (and claim), not a new identity. */
test("Delete: the pod goes Terminating with a countdown, then comes back with the same name and a new uid", async ({ dashboard }) => {
  const name = "kubia-0";
  const pod = dashboard.pod(name);
  const oldUid = await podUid(name);
  expect(oldUid).not.toBe("");
  await expect(dashboard.field(pod, "UID")).toHaveText(oldUid);
  const pv = await dashboard.expectPvcBound(`data-${name}`);

  await pod.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dashboard.status(pod, "Terminating")).toBeVisible();
  // The kubia container takes its whole grace period (30 s, sped up by the embedded cluster).
  await expect(pod.getByRole("timer", { name: `Grace period of ${name}` })).toHaveText(/\d+s left of 30s grace period|Grace period over/);
  await expect(dashboard.newestCommand()).toContainText(`kubectl delete pod ${name} -n default`);

  // Same name back, a different object: new uid, in the page and in the cluster.
  await expect(dashboard.field(pod, "UID")).not.toHaveText(oldUid, { timeout: 60_000 });
  await dashboard.expectPodRunningReady(name);
  const newUid = await podUid(name);
  expect(newUid).not.toBe("");
  expect(newUid).not.toBe(oldUid);
  await expect(dashboard.field(pod, "UID")).toHaveText(newUid);

  // And the same claim and volume.
  const pvc = dashboard.pvc(`data-${name}`);
  await expect(dashboard.status(pvc, "Reused")).toBeVisible();
  await expect(dashboard.field(pvc, "Volume")).toHaveText(pv);
  expect(await pvcVolume(`data-${name}`)).toBe(pv);
});
