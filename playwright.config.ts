import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./testing/chromium";

/**
 * E2E against the real app on the embedded cluster: `npm start`'s launcher with a throw-away
 * data dir, non-default ports (a teacher's running playground is left alone) and a faster
 * simulated clock so graceful terminations take seconds, not half a minute.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
  webServer: {
    command: `rm -rf .playground-e2e && node --import tsx scripts/playground.ts`,
    url: `http://127.0.0.1:${PORT}/api/cluster`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      PLAYGROUND_API_PORT: process.env.E2E_API_PORT ?? "17443",
      PLAYGROUND_DNS_PORT: process.env.E2E_DNS_PORT ?? "11053",
      PLAYGROUND_DATA_DIR: ".playground-e2e",
      PLAYGROUND_SPEED: process.env.E2E_SPEED ?? "10",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
