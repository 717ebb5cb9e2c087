import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expect, test } from "./support/fixtures";

/**
 * The README's picture: the demo at 3 replicas with data written, caught while kubia-2 is
 * Terminating. Always taken (and attached to the report); copied to docs/ with UPDATE_SCREENSHOTS=1.
 */
const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));

test("screenshot of the dashboard with three pods, one Terminating", async ({ dashboard, page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.writeData("kubia-0", "Hello from kubia-0's volume");
  await dashboard.writeData("kubia-1", "kubia-1 keeps this across rescheduling");

  await dashboard.pod("kubia-2").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dashboard.pod("kubia-2").getByRole("timer")).toBeVisible();
  // Writing data scrolled the page; the picture shows the dashboard from its top.
  await page.evaluate(() => window.scrollTo(0, 0));
  const viewport = testInfo.outputPath("screenshot.png");
  const full = testInfo.outputPath("screenshot-full.png");
  await page.screenshot({ path: viewport, animations: "disabled" });
  await page.screenshot({ path: full, fullPage: true, animations: "disabled" });
  await testInfo.attach("screenshot", { path: viewport, contentType: "image/png" });
  await testInfo.attach("screenshot-full", { path: full, contentType: "image/png" });

  if (process.env.UPDATE_SCREENSHOTS === "1") {
    await mkdir(DOCS, { recursive: true });
    await copyFile(viewport, `${DOCS}screenshot.png`);
    await copyFile(full, `${DOCS}screenshot-full.png`);
  }
});
