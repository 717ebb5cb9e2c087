import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { launchPlayground, type LaunchedPlayground } from "../lib/kube/testing/launcher";
import { DashboardPage } from "./pages/DashboardPage";
import { assembleStandalone } from "../scripts/standalone";

/**
 * What the container image runs, outside a container: `.next/standalone` completed by
 * scripts/standalone.ts, started as the image's ENTRYPOINT does (`node playground.mjs --server
 * server.js`: the bundled launcher, no tsx, the embedded cluster, the standalone server), with
 * the image's settings (an access token). The page must serve and go live in a browser; the
 * health route answers without the token and reveals nothing; everything else needs the token.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

const token = randomBytes(16).toString("hex");
let playground: LaunchedPlayground;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await assembleStandalone();
  playground = await launchPlayground({ bundled: true, speed: 20, env: { PLAYGROUND_TOKEN: token } });
});

test.afterAll(async () => {
  await playground?.stop();
});

test("the bundled launcher runs the standalone server, which serves the live page", async ({ page }) => {
  // The standalone server renames its process ("next-server") and works from its own directory.
  expect(fs.readlinkSync(`/proc/${playground.nextPid()}/cwd`)).toMatch(/\.next\/standalone$/);
  expect(fs.readFileSync(`/proc/${playground.launcher.pid}/cmdline`, "utf8")).toContain("playground.mjs");

  // The one-time URL sets the session; the page then goes live on the embedded cluster's demo.
  await page.goto(`${playground.url}/?token=${token}`);
  const dashboard = new DashboardPage(page);
  await expect(dashboard.picker).toBeEnabled({ timeout: 60_000 });
  await expect(dashboard.picker).toHaveValue("kubia");
  await dashboard.expectPodRunningReady("kubia-0");
  // Assets came from .next/static (copied by scripts/standalone-files.ts): the page is styled and interactive.
  await expect(dashboard.scaleUpButton).toBeEnabled();
});

test("the health route answers without the token and says nothing else; the API needs the token", async () => {
  const health = await fetch(`${playground.url}/api/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  expect((await fetch(`${playground.url}/api/healthz?x=1`)).status).toBe(400);
  expect((await fetch(`${playground.url}/api/cluster`)).status).toBe(401);
  expect((await fetch(`${playground.url}/`)).status).toBe(401);
  const cluster = await fetch(`${playground.url}/api/cluster`, { headers: { Authorization: `Bearer ${token}` } });
  expect(cluster.status).toBe(200);
  expect(await cluster.json()).toMatchObject({ mode: "embedded", namespace: "default" });
});
