import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * Debian's chromium when it is installed (nothing downloads a browser on these machines), with
 * the flags that keep it from reaching anything but loopback; Playwright's own browser elsewhere.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  if (!existsSync(DEBIAN_CHROMIUM)) return {};
  return {
    executablePath: DEBIAN_CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  };
}
