import { expect } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import type { ClusterProbe } from "./probe";

const NAME = "web";
/** A second StatefulSet as a learner would type it (Parallel, a short grace period so the clean-up is quick). */
const MANIFEST = `
apiVersion: v1
kind: Service
metadata:
  name: ${NAME}
  labels: { app: ${NAME} }
spec:
  clusterIP: None
  selector: { app: ${NAME} }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${NAME}
spec:
  serviceName: ${NAME}
  replicas: 2
  podManagementPolicy: Parallel
  selector:
    matchLabels: { app: ${NAME} }
  template:
    metadata:
      labels: { app: ${NAME} }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: ${NAME}
          image: luksa/kubia-pet
          ports: [{ name: http, containerPort: 8080 }]
          volumeMounts: [{ name: www, mountPath: /var/data }]
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 1Mi } }
`;

async function removeWeb(probe: ClusterProbe): Promise<void> {
  const ns = ["-n", probe.namespace, "--ignore-not-found"];
  await probe.kubectl(["delete", "statefulset,service", NAME, ...ns, "--wait=false"]);
  await probe.kubectl(["delete", "pod", "-l", `app=${NAME}`, ...ns, "--force", "--grace-period=0"]);
  await probe.kubectl(["delete", "pvc", "-l", `app=${NAME}`, ...ns, "--wait=false"]);
}

/**
 * Written once for both clusters: a StatefulSet applied from the terminal shows up in the picker of
 * the open page without a reload (the page is live, not a snapshot), can be shown with its pods,
 * claims and DNS names, and leaves the picker when deleted, which falls back to the demo.
 */
export async function kubectlAppliedStatefulSetAppearsLive(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  const page = dashboard.page;
  await removeWeb(probe);
  try {
    await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia"]);
    // A marker on the window: still there afterwards means the page was never reloaded.
    await page.evaluate(() => Object.assign(window, { e2eNoReload: true }));

    expect(await probe.kubectl(["apply", "-n", probe.namespace, "-f", "-"], MANIFEST)).toContain(`statefulset.apps/${NAME} created`);
    await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia", NAME]);
    await dashboard.picker.selectOption(NAME);
    await expect(page).toHaveURL(/[?&]statefulset=web\b/);
    const header = dashboard.header(NAME);
    await expect(header).toBeVisible();
    await expect(dashboard.field(header, "Service")).toHaveText(NAME);
    await expect(header.getByText("Parallel", { exact: true })).toBeVisible();
    for (const pod of [`${NAME}-0`, `${NAME}-1`]) {
      await dashboard.expectPodRunningReady(pod, 90_000);
      await dashboard.expectPvcBound(`www-${pod}`);
      await expect(dashboard.field(dashboard.pod(pod), "DNS name")).toHaveText(`${pod}.${NAME}.${probe.namespace}.svc.cluster.local`);
    }
    // Only this StatefulSet's pods are drawn.
    await expect(dashboard.pod("kubia-0")).toHaveCount(0);

    // Deleted from the terminal: it leaves the picker, which falls back to the demo.
    await probe.kubectl(["delete", "statefulset", NAME, "-n", probe.namespace, "--wait=false"]);
    await expect(dashboard.picker.getByRole("option")).toHaveText(["kubia"]);
    await expect(dashboard.picker).toHaveValue("kubia");
    await dashboard.expectPodRunningReady("kubia-0");
    await expect(dashboard.pod(`${NAME}-0`)).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);
  } finally {
    await removeWeb(probe);
  }
}
