import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { freePort, hasProductionBuild, ROOT } from "../../lib/kube/testing/launcher";

/**
 * API server outage seen from the browser. This spec runs its own pair of processes so it can
 * take the API server away without any test hook in the product: the embedded cluster alone
 * (`scripts/cluster.ts`) and a dashboard server (`next start`) pointed at its kubeconfig, on free
 * loopback ports. The cluster is killed with SIGKILL while the page is live; the same data
 * directory is served elsewhere for a moment to change things the dashboard cannot see (scale to
 * 3, force-delete kubia-0); then the cluster comes back on its ports. The disconnected banner must
 * appear within 2 s and clear, and — without a reload — the page must show exactly what a fresh
 * /api/snapshot and the API server itself say.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-outage-"));
const processes = new Set<ChildProcess>();
let apiPort = 0;
let dnsPort = 0;
let dashboard = "";
let cluster: ChildProcess | undefined;

function track(child: ChildProcess): ChildProcess {
  processes.add(child);
  child.on("exit", () => processes.delete(child));
  return child;
}

/** Starts scripts/cluster.ts; resolves with its API URL once it is ready. */
function startCluster(ports: { api: number; dns: number }): Promise<{ child: ChildProcess; api: string }> {
  const child = track(
    spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/cluster.ts")], {
      cwd: ROOT,
      env: { ...process.env, PLAYGROUND_API_PORT: String(ports.api), PLAYGROUND_DNS_PORT: String(ports.dns), PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "10" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster not ready:\n${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /playground cluster ready: api=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, api: m[1] });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code, signal) => reject(new Error(`cluster exited (${code ?? signal}):\n${out}`)));
  });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

async function api(base: string, method: string, urlPath: string, body?: unknown, contentType = "application/json") {
  const res = await fetch(base + urlPath, { method, headers: body ? { "Content-Type": contentType } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

type PodLike = { metadata: { name: string; uid: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } };
const kubiaPods = (items: PodLike[]) => items.filter((p) => /^kubia-\d+$/.test(p.metadata.name));

async function waitForPods(base: string, check: (pods: PodLike[]) => boolean): Promise<PodLike[]> {
  for (let i = 0; i < 600; i++) {
    const { json } = await api(base, "GET", "/api/v1/namespaces/default/pods");
    const pods = kubiaPods(json.items as PodLike[]);
    if (check(pods)) return pods;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("pods did not reach the expected state");
}

const ready = (p: PodLike) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/** The kubia pods and claims the page shows: `name/uid` of each pod card, names of the claim cards. */
async function domState(page: Page): Promise<{ pods: string[]; pvcs: string[] }> {
  const pods = await page.locator('article[aria-label^="Pod kubia-"]').evaluateAll((els) => els.map((e) => `${e.getAttribute("aria-label")!.slice(4)}/${e.getAttribute("data-uid")}`).sort());
  const pvcs = await page.locator('article[aria-label^="PVC data-kubia-"]').evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")!.slice(4)).sort());
  return { pods, pvcs };
}

test.beforeAll(async () => {
  test.skip(!hasProductionBuild(), "needs `next build` (npm run test:e2e builds first)");
  apiPort = await freePort();
  dnsPort = await freePort();
  cluster = (await startCluster({ api: apiPort, dns: dnsPort })).child;
  const port = await freePort();
  dashboard = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYGROUND_MODE: "embedded", PLAYGROUND_EMBEDDED_KUBECONFIG: path.join(dataDir, "kubeconfig"), PLAYGROUND_DNS_PORT: String(dnsPort), NEXT_TELEMETRY_DISABLED: "1" };
  for (const key of ["PLAYGROUND_TOKEN", "PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "HOST"]) delete env[key];
  const next = track(spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: ROOT, env, stdio: "ignore" }));
  for (let i = 0; i < 240; i++) {
    if (next.exitCode !== null) throw new Error("next start exited");
    try {
      if ((await fetch(`${dashboard}/api/cluster`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await waitForPods(`http://127.0.0.1:${apiPort}`, (pods) => pods.length === 2 && pods.every(ready));
});

test.afterAll(async () => {
  for (const child of [...processes]) await stop(child, "SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("API server outage: banner within 2 s, then it clears and the page converges without a reload", async ({ page }) => {
  const banner = page.getByRole("alert", { name: "Connection" });
  await page.goto(`${dashboard}/`);
  await expect(page.getByRole("article", { name: "Pod kubia-0" })).toBeVisible({ timeout: 30_000 });
  await expect(banner).toBeHidden({ timeout: 30_000 });
  const oldUid = await page.getByRole("article", { name: "Pod kubia-0" }).getAttribute("data-uid");
  await page.evaluate(() => ((window as unknown as { __sameDocument: number }).__sameDocument = 42));

  // The API server dies (kill -9: no goodbye on the watches, state only in the write-ahead log).
  const killedAt = Date.now();
  await stop(cluster!, "SIGKILL");
  await expect(banner).toBeVisible({ timeout: 2_000 });
  const bannerMs = Date.now() - killedAt;
  await expect(banner).toContainText(/not answering|reconnecting/);

  // Meanwhile the cluster changes where the dashboard cannot see it.
  const hidden = await startCluster({ api: 0, dns: 0 });
  await api(hidden.api, "PATCH", "/apis/apps/v1/namespaces/default/statefulsets/kubia/scale", { spec: { replicas: 3 } }, "application/merge-patch+json");
  await waitForPods(hidden.api, (pods) => pods.length === 3 && pods.every(ready));
  await api(hidden.api, "DELETE", "/api/v1/namespaces/default/pods/kubia-0", { gracePeriodSeconds: 0 });
  await waitForPods(hidden.api, (pods) => pods.length === 3 && pods.every(ready) && pods.find((p) => p.metadata.name === "kubia-0")!.metadata.uid !== oldUid);
  await stop(hidden.child, "SIGTERM");
  await expect(banner, "still disconnected while the API server is away").toBeVisible();

  // It comes back on its ports; the page recovers by itself.
  const restartedAt = Date.now();
  cluster = (await startCluster({ api: apiPort, dns: dnsPort })).child;
  await expect(banner).toBeHidden({ timeout: 30_000 });
  const recoveryMs = Date.now() - restartedAt;
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: number }).__sameDocument), "no page reload").toBe(42);

  // The page shows exactly what a fresh snapshot and the API server say: kubia-0..2, kubia-0 recreated.
  const apiBase = `http://127.0.0.1:${apiPort}`;
  await expect
    .poll(
      async () => {
        const dom = await domState(page);
        const snap = (await (await fetch(`${dashboard}/api/snapshot`)).json()) as { objects: { pods: PodLike[]; persistentvolumeclaims: PodLike[] } };
        const fromSnapshot = {
          pods: kubiaPods(snap.objects.pods).map((p) => `${p.metadata.name}/${p.metadata.uid}`).sort(),
          pvcs: snap.objects.persistentvolumeclaims.map((c) => c.metadata.name).filter((n) => /^data-kubia-\d+$/.test(n)).sort(),
        };
        const pods = kubiaPods((await api(apiBase, "GET", "/api/v1/namespaces/default/pods")).json.items as PodLike[]);
        const fromApiServer = pods.map((p) => `${p.metadata.name}/${p.metadata.uid}`).sort();
        const same = JSON.stringify(dom) === JSON.stringify(fromSnapshot) && JSON.stringify(dom.pods) === JSON.stringify(fromApiServer);
        return same ? "converged" : JSON.stringify({ dom, fromSnapshot, fromApiServer });
      },
      { timeout: 30_000, intervals: [250] },
    )
    .toBe("converged");
  const dom = await domState(page);
  expect(dom.pods.map((p) => p.split("/")[0])).toEqual(["kubia-0", "kubia-1", "kubia-2"]);
  expect(dom.pods.find((p) => p.startsWith("kubia-0/"))).not.toBe(`kubia-0/${oldUid}`);
  console.log(`[outage e2e] banner after ${bannerMs} ms; cleared ${recoveryMs} ms after the API server restarted; page converged without reload`);
});

test("a hung API server (SIGSTOP: connections open, nothing answers): banner within 4 s, clears after SIGCONT", async ({ page }) => {
  const banner = page.getByRole("alert", { name: "Connection" });
  await page.goto(`${dashboard}/`);
  await expect(page.getByRole("article", { name: "Pod kubia-0" })).toBeVisible({ timeout: 30_000 });
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as { __sameDocument: number }).__sameDocument = 7));

  const stoppedAt = Date.now();
  cluster!.kill("SIGSTOP");
  try {
    await expect(banner).toBeVisible({ timeout: 4_000 });
  } finally {
    cluster!.kill("SIGCONT");
  }
  const bannerMs = Date.now() - stoppedAt;
  const resumedAt = Date.now();
  await expect(banner).toBeHidden({ timeout: 30_000 });
  const recoveryMs = Date.now() - resumedAt;
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: number }).__sameDocument), "no page reload").toBe(7);
  await expect(page.getByRole("article", { name: "Pod kubia-0" })).toBeVisible();
  console.log(`[outage e2e] hung API server: banner after ${bannerMs} ms; cleared ${recoveryMs} ms after SIGCONT`);
});
