import { expect, test } from "./support/fixtures";
import { kubectl } from "./support/kubectl";

/** A StatefulSet applied from a terminal shows up in the picker of an open page: the page is live, not a snapshot. */
const NAME = "web";
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
  selector:
    matchLabels: { app: ${NAME} }
  template:
    metadata:
      labels: { app: ${NAME} }
    spec:
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

async function removeWeb(): Promise<void> {
  await kubectl(["delete", "statefulset,service", NAME, "-n", "default", "--ignore-not-found", "--wait=false"]);
  await kubectl(["delete", "pod", "-l", `app=${NAME}`, "-n", "default", "--force", "--grace-period=0", "--ignore-not-found"]);
  await kubectl(["delete", "pvc", "-l", `app=${NAME}`, "-n", "default", "--ignore-not-found", "--wait=false"]);
}

test.beforeEach(removeWeb);
test.afterEach(removeWeb);

test("a StatefulSet created with kubectl apply appears in the picker without a reload and shows its pods", async ({ dashboard, page }) => {
  test.setTimeout(180_000);
  await expect(dashboard.picker.getByRole("option", { name: NAME, exact: true })).toHaveCount(0);
  // A marker on the window: still there afterwards means the page was never reloaded.
  await page.evaluate(() => Object.assign(window, { e2eNoReload: true }));

  const applied = await kubectl(["apply", "-n", "default", "-f", "-"], MANIFEST);
  expect(applied).toContain(`statefulset.apps/${NAME} created`);

  await expect(dashboard.picker.getByRole("option", { name: NAME, exact: true })).toBeAttached();
  await dashboard.picker.selectOption(NAME);
  await expect(dashboard.header(NAME)).toBeVisible();
  await expect(page).toHaveURL(/[?&]statefulset=web\b/);
  await expect(dashboard.field(dashboard.header(NAME), "Service")).toHaveText(NAME);

  await dashboard.expectPodRunningReady(`${NAME}-0`, 90_000);
  await dashboard.expectPodRunningReady(`${NAME}-1`, 90_000);
  await dashboard.expectPvcBound(`www-${NAME}-0`);
  await dashboard.expectPvcBound(`www-${NAME}-1`);
  await expect(dashboard.field(dashboard.pod(`${NAME}-0`), "DNS name")).toHaveText(`${NAME}-0.${NAME}.default.svc.cluster.local`);
  // Only this StatefulSet's pods are drawn.
  await expect(dashboard.pod("kubia-0")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);

  // And back to the demo.
  await dashboard.picker.selectOption("kubia");
  await dashboard.expectPodRunningReady("kubia-0");
  await expect(dashboard.pod(`${NAME}-0`)).toHaveCount(0);
});
