import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type DnsServer } from "./server";
import { addSlice, bookStore } from "./testing/fixtures";
import type { Store } from "../store/store";

/**
 * The book's experiment with the real `dig` (Debian dnsutils): `dig SRV kubia.default.svc.cluster.local`
 * against the embedded DNS server, over UDP and TCP.
 */
const run = promisify(execFile);
const DIG = "/usr/bin/dig";

let server: DnsServer;
let store: Store;

async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run(DIG, ["@127.0.0.1", "-p", String(server.port), "+time=2", "+tries=1", ...args]);
  return stdout;
}

/** Record lines of one section of dig's full output, e.g. section(out, "ANSWER"). */
function section(out: string, name: string): string[] {
  const start = out.indexOf(`;; ${name} SECTION:`);
  if (start < 0) return [];
  return out
    .slice(start)
    .split("\n")
    .slice(1)
    .filter((l, i, all) => all.slice(0, i + 1).every((x) => x.trim() !== ""))
    .map((l) => l.split(/\s+/).join(" "));
}

describe("dig against the embedded DNS server", () => {
  beforeAll(async () => {
    if (!existsSync(DIG)) throw new Error(`${DIG} is missing: apt-get install -y dnsutils`);
    store = bookStore();
    server = await startDnsServer(store, { host: "127.0.0.1", port: 0 });
  });
  afterAll(() => server.stop());

  it("prints the book's SRV answer: flags qr aa rd, TTL 30, weight 50, A records in ADDITIONAL", async () => {
    const out = await dig("SRV", "kubia.default.svc.cluster.local");
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3/);
    expect(out).toMatch(/recursion requested but not available/);
    expect(section(out, "ANSWER")).toEqual([
      "kubia.default.svc.cluster.local. 30 IN SRV 0 50 8080 kubia-0.kubia.default.svc.cluster.local.",
      "kubia.default.svc.cluster.local. 30 IN SRV 0 50 8080 kubia-1.kubia.default.svc.cluster.local.",
    ]);
    expect(section(out, "ADDITIONAL").sort()).toEqual([
      "kubia-0.kubia.default.svc.cluster.local. 30 IN A 10.1.107.193",
      "kubia-1.kubia.default.svc.cluster.local. 30 IN A 10.1.169.130",
    ]);
  });

  it("gives the same answer over TCP", async () => {
    const out = await dig("+tcp", "SRV", "kubia.default.svc.cluster.local");
    expect(out).toMatch(/\(TCP\)/);
    expect(section(out, "ANSWER")).toHaveLength(2);
    expect(section(out, "ADDITIONAL")).toHaveLength(2);
  });

  it("resolves per-pod names, the ClusterIP service and named-port SRV with +short", async () => {
    expect((await dig("+short", "kubia-1.kubia.default.svc.cluster.local")).trim()).toBe("10.1.169.130");
    expect((await dig("+short", "+tcp", "kubia-public.default.svc.cluster.local")).trim()).toBe("10.96.12.34");
    expect((await dig("+short", "SRV", "_http._tcp.kubia-public.default.svc.cluster.local")).trim()).toBe(
      "0 100 80 kubia-public.default.svc.cluster.local.",
    );
    expect((await dig("+short", "-x", "10.96.12.34")).trim()).toBe("kubia-public.default.svc.cluster.local.");
  });

  it("answers NXDOMAIN with the cluster SOA, and REFUSED for the outside world", async () => {
    const nx = await dig("A", "kubia-9.kubia.default.svc.cluster.local");
    expect(nx).toMatch(/status: NXDOMAIN/);
    expect(section(nx, "AUTHORITY")[0]).toMatch(/^cluster\.local\. 30 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30$/);
    expect(await dig("A", "example.com")).toMatch(/status: REFUSED/);
  });

  it("follows the store: a new ready endpoint is in the very next answer", async () => {
    addSlice(store, "kubia", [{ ip: "10.1.55.2", hostname: "kubia-3", pod: "kubia-3" }]);
    const lines = (await dig("+short", "SRV", "kubia.default.svc.cluster.local")).trim().split("\n").sort();
    expect(lines).toEqual([
      "0 33 8080 kubia-0.kubia.default.svc.cluster.local.",
      "0 33 8080 kubia-1.kubia.default.svc.cluster.local.",
      "0 33 8080 kubia-3.kubia.default.svc.cluster.local.",
    ]);
  });

  it("sets TC on a UDP answer that does not fit, and dig's automatic TCP retry gets it all", async () => {
    addSlice(store, "kubia", Array.from({ length: 30 }, (_, i) => ({ ip: `10.1.60.${i + 1}`, hostname: `web-${i}` })));
    const out = await dig("+noedns", "SRV", "kubia.default.svc.cluster.local");
    expect(out).toMatch(/Truncated, retrying in TCP mode/);
    expect(section(out, "ANSWER")).toHaveLength(33);
  });
});
