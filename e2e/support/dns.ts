import { Resolver } from "node:dns/promises";

/**
 * Asks the embedded cluster's DNS server directly (playwright.config.ts: PLAYGROUND_DNS_PORT, 11053
 * by default), as `dig @127.0.0.1 -p 11053 SRV kubia.default.svc.cluster.local` would, so the test
 * can compare the page with the server's answer.
 */
export const E2E_DNS_PORT = Number(process.env.E2E_DNS_PORT ?? 11053);

function resolver(): Resolver {
  const r = new Resolver({ timeout: 2_000, tries: 2 });
  r.setServers([`127.0.0.1:${E2E_DNS_PORT}`]);
  return r;
}

export async function resolveSrv(name: string): Promise<{ priority: number; weight: number; port: number; name: string }[]> {
  try {
    return await resolver().resolveSrv(name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOTFOUND" || (err as NodeJS.ErrnoException).code === "ENODATA") return [];
    throw err;
  }
}

export async function resolveA(name: string): Promise<string[]> {
  try {
    return await resolver().resolve4(name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOTFOUND" || (err as NodeJS.ErrnoException).code === "ENODATA") return [];
    throw err;
  }
}
