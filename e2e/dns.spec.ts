import type { Locator } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { resolveA, resolveSrv } from "./support/dns";
import { jsonpath } from "./support/kubectl";

/** Kubernetes in Action 10.4: the headless service's SRV records list the ready pods; each pod has its own A record. */
const SERVICE = "kubia.default.svc.cluster.local";
const podFqdn = (ordinal: number) => `kubia-${ordinal}.${SERVICE}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An SRV line as dig prints it: `kubia.default.svc.cluster.local. 30 IN SRV 0 50 80 kubia-0.kubia.default.svc.cluster.local.` */
const srvLine = (weight: number, ordinal: number) => new RegExp(`${escape(SERVICE)}\\.\\s+\\d+\\s+IN\\s+SRV\\s+0 ${weight} 80 ${escape(podFqdn(ordinal))}\\.`);

async function expectPodARecord(dns: Locator, ordinal: number): Promise<void> {
  const ip = await jsonpath("pod", `kubia-${ordinal}`, ".status.podIP");
  expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await expect(dns).toContainText(`${podFqdn(ordinal)} → ${ip}`);
  // The page shows what the cluster's DNS server answers.
  expect(await resolveA(podFqdn(ordinal))).toEqual([ip]);
}

test("the DNS panel shows an A record per pod and SRV records for the ready pods, and follows scaling", async ({ dashboard }) => {
  test.setTimeout(180_000);
  const dns = dashboard.dns;
  await expect(dns).toContainText(srvLine(50, 0));
  await expect(dns).toContainText(srvLine(50, 1));
  await expectPodARecord(dns, 0);
  await expectPodARecord(dns, 1);
  expect((await resolveSrv(SERVICE)).map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`).sort()).toEqual([
    `0 50 80 ${podFqdn(0)}`,
    `0 50 80 ${podFqdn(1)}`,
  ]);

  // Three ready pods: three SRV records weighted 100/3.
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  for (const ordinal of [0, 1, 2]) await expect(dns).toContainText(srvLine(33, ordinal));
  await expectPodARecord(dns, 2);

  // Down to one: only kubia-0 is left in the answer.
  await dashboard.scaleTo(1);
  await expect(dashboard.pod("kubia-1")).toHaveCount(0, { timeout: 60_000 });
  await expect(dns).toContainText(srvLine(100, 0));
  await expect(dns).not.toContainText(podFqdn(1));
  await expect(dns).not.toContainText(podFqdn(2));
  expect((await resolveSrv(SERVICE)).map((r) => r.name)).toEqual([podFqdn(0)]);
});
