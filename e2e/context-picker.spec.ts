import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { launchPlayground, type LaunchedPlayground } from "../lib/kube/testing/launcher";
import { DashboardPage } from "./pages/DashboardPage";

/**
 * The context picker in a browser. Two embedded clusters stand for two real clusters (each is a
 * Kubernetes API server; their own dashboards are only used to make them differ), and a third
 * dashboard runs in real-cluster mode on a kubeconfig with one context for each. Choosing in the
 * list changes nothing; "Use context" switches, the page goes live on the other cluster without a
 * reload, in the same namespace.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

let clusterA: LaunchedPlayground;
let clusterB: LaunchedPlayground;
let dashboard: LaunchedPlayground;
let dir: string;

function kubeconfig(): string {
  const file = path.join(dir, "two-contexts.kubeconfig");
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- { name: a, cluster: { server: "${clusterA.apiUrl}" } }
- { name: b, cluster: { server: "${clusterB.apiUrl}" } }
users:
- { name: teacher, user: { token: not-checked-by-the-embedded-cluster } }
contexts:
- { name: class-a, context: { cluster: a, user: teacher } }
- { name: class-b, context: { cluster: b, user: teacher } }
current-context: class-a
`,
  );
  return file;
}

const json = (url: string) => ({ "Content-Type": "application/json", Origin: url, "Sec-Fetch-Site": "same-origin" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "context-picker-"));
  [clusterA, clusterB] = await Promise.all([launchPlayground({ speed: 20 }), launchPlayground({ speed: 20 })]);
  // Make cluster B recognisable: three replicas of kubia.
  const scaled = await fetch(`${clusterB.url}/api/statefulsets/kubia/scale`, { method: "POST", headers: json(clusterB.url), body: JSON.stringify({ replicas: 3 }) });
  expect(scaled.status).toBe(200);
  dashboard = await launchPlayground({ env: { PLAYGROUND_MODE: "real", PLAYGROUND_KUBECONFIG: kubeconfig(), PLAYGROUND_NAMESPACE: "default" } });
});

test.afterAll(async () => {
  await Promise.all([dashboard, clusterA, clusterB].map((p) => p?.stop()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the header offers the kubeconfig's contexts and switches only when told to", async ({ page }) => {
  await page.goto(dashboard.url);
  const view = new DashboardPage(page);
  await expect(view.picker).toHaveValue("kubia");
  const contexts = page.getByRole("combobox", { name: "Kubernetes context" });
  const use = page.getByRole("button", { name: "Use context" });
  await expect(contexts).toHaveValue("class-a");
  await expect(contexts.getByRole("option")).toHaveText(["class-a", "class-b"]);
  await expect(page.getByText("In every context the dashboard acts only in namespace default.")).toBeVisible();
  await expect(page.getByText("Cluster class-a")).toBeVisible();
  await expect(view.field(view.header("kubia"), "Desired")).toHaveText("2");
  await expect(use).toBeDisabled();

  // Choosing is not switching.
  await contexts.selectOption("class-b");
  await expect(use).toBeEnabled();
  await page.waitForTimeout(1_000);
  await expect(page.getByText("Cluster class-a")).toBeVisible();
  await expect(view.field(view.header("kubia"), "Desired")).toHaveText("2");

  // Switching: the page follows the other cluster live, no reload.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await use.click();
  await expect(page.getByText("Cluster class-b")).toBeVisible({ timeout: 30_000 });
  await expect(view.field(view.header("kubia"), "Desired")).toHaveText("3", { timeout: 30_000 });
  await view.expectPodRunningReady("kubia-2");
  await expect(contexts).toHaveValue("class-b");
  await expect(use).toBeDisabled();
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  // What the server says now, independently of the page.
  const list = await (await fetch(`${dashboard.url}/api/contexts`)).json();
  expect(list).toEqual({ current: "class-b", contexts: ["class-a", "class-b"], switchable: true, namespace: "default" });
});
