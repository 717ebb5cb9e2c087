import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DnsServer, startDnsServer } from "../../dns/server";
import { execIn, kubiaWorld } from "../testing/shell";

/**
 * The simulated dig and host in a pod, against the real dig (Debian's dnsutils) asking the embedded
 * DNS server the same question about the same cluster: the records, their layout and +short agree.
 */
const DIG = "/usr/bin/dig";
const run = promisify(execFile);

let world: ReturnType<typeof kubiaWorld>;
let server: DnsServer;
beforeAll(async () => {
  if (!existsSync(DIG)) throw new Error(`${DIG} is missing: apt-get install -y dnsutils`);
  world = kubiaWorld();
  server = await startDnsServer(world.ctx.store, { host: "127.0.0.1", port: 0 });
});
afterAll(() => server?.stop());

const realDig = async (...args: string[]) => (await run(DIG, ["@127.0.0.1", "-p", String(server.port), "+time=2", "+tries=1", ...args])).stdout;

/** The lines of one section of dig's output (exact bytes, tabs included), sorted (the server shuffles records). */
function section(out: string, name: string): string[] {
  const start = out.indexOf(`;; ${name} SECTION:\n`);
  if (start < 0) return [];
  const body = out.slice(start).split("\n").slice(1);
  return body.slice(0, body.indexOf("")).sort();
}

/** The SOA serial: CoreDNS's is the time of the last change, which the in-pod zone does not track. */
const withoutSerial = (line: string) => line.replace(/(hostmaster\.cluster\.local\. )\d+/, "$1SERIAL");

describe("dig in a pod", () => {
  it("prints the book's SRV answer as real dig does: header, warnings, sections, columns", async () => {
    const query = ["SRV", "kubia.default.svc.cluster.local"];
    const ours = await execIn(world.ctx, "kubia-0", ["dig", ...query]);
    const real = await realDig(...query);
    expect(ours.code).toBe(0);
    for (const name of ["QUESTION", "ANSWER", "ADDITIONAL"]) expect(section(ours.stdout, name), name).toEqual(section(real, name));
    expect(section(ours.stdout, "ANSWER")).toHaveLength(2);
    const lines = (out: string) => out.split("\n").filter((l) => /^;; (flags|WARNING|You are|Got answer)|->>HEADER/.test(l)).map((l) => l.replace(/id: \d+/, "id: N"));
    expect(lines(ours.stdout)).toEqual(lines(real));
    expect(ours.stdout).toMatch(/^\n; <<>> DiG 9\.11\.3-1ubuntu1\.16-Ubuntu <<>> SRV kubia\.default\.svc\.cluster\.local\n;; global options: \+cmd\n;; Got answer:\n/);
    expect(ours.stdout).toMatch(/\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 4096\n; COOKIE: [0-9a-f]{16} \(echoed\)\n;; QUESTION SECTION:\n/);
    expect(ours.stdout).toMatch(/\n;; Query time: 0 msec\n;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\)\n;; WHEN: \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\n;; MSG SIZE {2}rcvd: \d+\n\n$/);
    expect(ours.stdout.match(/rcvd: (\d+)/)![1]).toBe(real.match(/rcvd: (\d+)/)![1]);
  });

  it("+short prints the records only; NXDOMAIN and the SOA as real dig does", async () => {
    const short = await execIn(world.ctx, "kubia-0", ["dig", "+short", "SRV", "kubia.default.svc.cluster.local"]);
    expect(short.stdout.split("\n").sort()).toEqual((await realDig("+short", "SRV", "kubia.default.svc.cluster.local")).split("\n").sort());
    const a = await execIn(world.ctx, "kubia-0", ["dig", "kubia-public.default.svc.cluster.local", "+short"]);
    expect(a.stdout).toBe("10.96.100.1\n");
    const missing = await execIn(world.ctx, "kubia-0", ["dig", "nope.default.svc.cluster.local"]);
    const real = await realDig("nope.default.svc.cluster.local");
    expect(missing.stdout).toContain("status: NXDOMAIN");
    expect(section(missing.stdout, "AUTHORITY").map(withoutSerial)).toEqual(section(real, "AUTHORITY").map(withoutSerial));
    expect((await execIn(world.ctx, "kubia-0", ["dig", "-x", "10.1.2.11", "+short"])).stdout).toBe((await realDig("-x", "10.1.2.11", "+short")));
  });

  it("times out when the pod network is broken (exit code 9)", async () => {
    world.ctx.faults.set({ brokenPodNetwork: true });
    try {
      const done = execIn(world.ctx, "kubia-0", ["dig", "+short", "kubia"]);
      await vi.waitFor(() => expect(world.ctx.clock.pending()).toBeGreaterThan(0));
      world.ctx.clock.advance(15_000);
      expect(await done).toEqual({ code: 9, stdout: ";; connection timed out; no servers could be reached\n", stderr: "" });
    } finally {
      world.ctx.faults.set({ brokenPodNetwork: false });
    }
  });
});

describe("host in a pod", () => {
  it("follows the search path and prints one line per record", async () => {
    expect((await execIn(world.ctx, "kubia-0", ["host", "kubia-1.kubia"])).stdout).toBe("kubia-1.kubia.default.svc.cluster.local has address 10.1.2.11\n");
    const srv = await execIn(world.ctx, "kubia-0", ["host", "-t", "SRV", "kubia"]);
    expect(srv.stdout.split("\n").filter(Boolean).sort()).toEqual([
      "kubia.default.svc.cluster.local has SRV record 0 50 8080 kubia-0.kubia.default.svc.cluster.local.",
      "kubia.default.svc.cluster.local has SRV record 0 50 8080 kubia-1.kubia.default.svc.cluster.local.",
    ]);
    expect(await execIn(world.ctx, "kubia-0", ["host", "nope"])).toEqual({ code: 1, stdout: "Host nope not found: 3(NXDOMAIN)\n", stderr: "" });
  });
});
