import { test as base, expect } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage";
import type { ClusterProbe } from "../scenarios/probe";
import { embeddedProbe } from "./probe";
import { clearFaults, recoverAllNodes, resetDemo, setSpeed, snapshot, unsettled } from "./playground";

/** How long the reset demo may take to settle: reset waits for the old objects, then kubia-0 and kubia-1 start one after the other. */
export const SETTLE_TIMEOUT_MS = 90_000;

/**
 * Every test starts from the start of the chapter: no faults, all nodes up, the kubia demo reset (2 replicas,
 * fresh claims and empty volumes) and settled, and the dashboard open on it.
 */
export const test = base.extend<{ freshDemo: void; dashboard: DashboardPage; probe: ClusterProbe }>({
  // The teacher's terminal beside the page: what the scenarios of e2e/scenarios/ ask of the cluster.
  probe: async ({}, provide) => {
    await provide(embeddedProbe);
  },
  freshDemo: [
    async ({ request }, provide) => {
      await setSpeed(request);
      await clearFaults(request);
      await recoverAllNodes(request);
      await resetDemo(request);
      await expect
        .poll(async () => unsettled(await snapshot(request)), { timeout: SETTLE_TIMEOUT_MS, intervals: [250, 500, 1_000], message: "the reset demo settles" })
        .toBe("");
      await provide();
    },
    { auto: true, timeout: SETTLE_TIMEOUT_MS + 60_000 },
  ],
  // Fixture callbacks are named `provide`, not Playwright's usual `use`, which React's hooks lint rule takes for React's use().
  dashboard: async ({ page }, provide) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();
    await provide(dashboard);
  },
});

export { expect };
