import { defineConfig, devices } from "@playwright/test";
import { REAL_E2E_BASE_URL } from "./e2e/real-dashboard/pw/settings";
import { chromiumLaunchOptions } from "./testing/chromium";

/**
 * E2E of the dashboard against a REAL control plane (`npm run test:real`, after the vitest part):
 * kube-apiserver, controller manager, scheduler and KWOK kubelets of tools/real-cluster (or the
 * cluster named by PLAYGROUND_KUBECONFIG), the dashboard in real mode with only the rights of
 * the rendered deploy/ Role + the cluster-read overlay. Needs `next build`. Specs: e2e/real-dashboard/*.flow.ts
 * (not *.spec.ts, so the embedded suite of playwright.config.ts never picks them up).
 */
/** PLAYGROUND_SKIP_REAL=1 skips the real-cluster tests on purpose (and says so): no cluster, no server; the flows report skipped. */
const skip = process.env.PLAYGROUND_SKIP_REAL === "1";
if (skip) console.warn("\n*** REAL-CLUSTER DASHBOARD E2E SKIPPED: PLAYGROUND_SKIP_REAL=1 ***\n");

export default defineConfig({
  testDir: "e2e/real-dashboard",
  testMatch: "**/*.flow.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // Not under test-results/: the embedded suite's run empties that directory when it starts.
  outputDir: ".playground-real-e2e/test-results",
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: ".playground-real-e2e/report" }]] : "list",
  use: {
    baseURL: REAL_E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 1000 },
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
  webServer: skip
    ? undefined
    : {
        // Starts (or reuses) the control plane, applies the RBAC sample, runs the launcher in real mode.
        command: "node --import tsx e2e/real-dashboard/serve.ts",
        url: `${REAL_E2E_BASE_URL}/api/cluster`,
        // A cold build of the control plane takes minutes (see tools/real-cluster/README.md); cached: seconds.
        timeout: 20 * 60_000,
        reuseExistingServer: false,
        // serve.ts stops the launcher and then the cluster it started.
        gracefulShutdown: { signal: "SIGTERM", timeout: 60_000 },
        stdout: "pipe",
        stderr: "pipe",
        env: { NEXT_TELEMETRY_DISABLED: "1" },
      },
});
