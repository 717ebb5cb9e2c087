import { expect, type APIRequestContext } from "@playwright/test";
import type { History } from "../../lib/k8s/replay";
import type { DashboardPage } from "../pages/DashboardPage";

/** The dashboard server's recorded watch events (GET /api/history), on either cluster. */
export async function history(request: APIRequestContext): Promise<History> {
  const res = await request.get("/api/history");
  expect(res.ok()).toBe(true);
  return (await res.json()) as History;
}

/** Scales down by one from the header and waits until the highest ordinal's pod has gone. */
export async function scaleDownAndWaitGone(dashboard: DashboardPage, timeout: number): Promise<void> {
  await dashboard.scaleDown();
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toBeVisible();
  await expect(dashboard.pod("kubia-2")).toHaveCount(0, { timeout });
}
