import { describe, expect, it, vi } from "vitest";
import { NODE_DOWN_ANNOTATION } from "../network";
import { searchCandidates } from "./network";
import { execIn, kubiaWorld } from "../testing/shell";

const SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n";

/** Runs `script` in kubia-0 and moves the cluster clock on by `ms` once it waits on a timer. */
async function timed(world: ReturnType<typeof kubiaWorld>, script: string, ms: number) {
  const done = execIn(world.ctx, "kubia-0", script);
  await vi.waitFor(() => expect(world.ctx.clock.pending()).toBeGreaterThan(0));
  // Let the command reach every timer it sets (curl -m arms one before it starts connecting).
  await new Promise((resolve) => setTimeout(resolve, 20));
  world.ctx.clock.advance(ms);
  return done;
}

describe("searchCandidates", () => {
  it("tries the search path first below ndots:5, the name alone first from 5 dots", () => {
    const search = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"];
    expect(searchCandidates("kubia-1.kubia", search)).toEqual(["kubia-1.kubia.default.svc.cluster.local", "kubia-1.kubia.svc.cluster.local", "kubia-1.kubia.cluster.local", "kubia-1.kubia"]);
    expect(searchCandidates("kubia.default.svc.cluster.local.", search)).toEqual(["kubia.default.svc.cluster.local"]);
    expect(searchCandidates("a.b.c.d.e.f", search)[0]).toBe("a.b.c.d.e.f");
  });
});

describe("nslookup", () => {
  it("answers from the cluster DNS along the pod's search path", async () => {
    const { ctx } = kubiaWorld();
    expect((await execIn(ctx, "kubia-0", ["nslookup", "kubia-1.kubia"])).stdout).toBe(`${SERVER}Name:\tkubia-1.kubia.default.svc.cluster.local\nAddress: 10.1.2.11\n\n`);
    expect((await execIn(ctx, "kubia-0", ["nslookup", "kubia"])).stdout).toBe(
      `${SERVER}Name:\tkubia.default.svc.cluster.local\nAddress: 10.1.2.10\nName:\tkubia.default.svc.cluster.local\nAddress: 10.1.2.11\n\n`,
    );
    expect((await execIn(ctx, "kubia-0", ["nslookup", "-type=srv", "kubia.default.svc.cluster.local"])).stdout).toBe(
      `${SERVER}kubia.default.svc.cluster.local\tservice = 0 50 8080 kubia-0.kubia.default.svc.cluster.local.\nkubia.default.svc.cluster.local\tservice = 0 50 8080 kubia-1.kubia.default.svc.cluster.local.\n\n`,
    );
    // CoreDNS answers a PTR for every endpoint with the address (slices in name order, which are random here).
    const ptr = (await execIn(ctx, "kubia-0", ["nslookup", "10.1.2.11"])).stdout;
    expect(ptr.startsWith(SERVER)).toBe(true);
    expect(ptr.slice(SERVER.length).split("\n").sort()).toEqual([
      "",
      "",
      "11.2.1.10.in-addr.arpa\tname = 10-1-2-11.kubia-public.default.svc.cluster.local.",
      "11.2.1.10.in-addr.arpa\tname = kubia-1.kubia.default.svc.cluster.local.",
    ]);
  });

  it("says NXDOMAIN for a name the cluster does not have", async () => {
    const { ctx } = kubiaWorld();
    expect(await execIn(ctx, "kubia-0", ["nslookup", "kubia-5.kubia"])).toEqual({ stdout: `${SERVER}** server can't find kubia-5.kubia: NXDOMAIN\n\n`, stderr: "", code: 1 });
  });

  it("times out when the pod network is broken", async () => {
    const world = kubiaWorld();
    world.ctx.faults.set({ brokenPodNetwork: true });
    const r = await timed(world, "nslookup kubia-1.kubia", 15_000);
    expect(r).toEqual({ stdout: ";; connection timed out; no servers could be reached\n\n", stderr: "", code: 1 });
  });
});

describe("curl", () => {
  it("reaches a peer's app through the pod network, a Service through kube-proxy, itself on localhost", async () => {
    const { ctx } = kubiaWorld();
    expect(await execIn(ctx, "kubia-0", ["curl", "-s", "kubia-1.kubia:8080"])).toEqual({ stdout: "You've hit kubia-1\nData stored on this pod: No data posted yet\n", stderr: "", code: 0 });
    expect((await execIn(ctx, "kubia-0", ["curl", "-s", "http://kubia-public/anything"])).stdout).toBe("You've hit kubia-1\nData stored on this pod: No data posted yet\n");
    expect((await execIn(ctx, "kubia-0", ["curl", "-s", "localhost:8080"])).stdout).toContain("You've hit kubia-0");
  });

  it("POSTs with -d, which the peer stores on its volume", async () => {
    const { ctx } = kubiaWorld();
    expect((await execIn(ctx, "kubia-0", ["curl", "-s", "-X", "POST", "-d", "from kubia-0", "kubia-1.kubia:8080"])).stdout).toBe("Data stored on pod kubia-1\n");
    expect(ctx.volumes.read("pvc-1")).toBe("from kubia-0");
  });

  it("prints the progress meter on a pipe unless -s, and curl's errors and exit codes", async () => {
    const { ctx } = kubiaWorld();
    const meter = await execIn(ctx, "kubia-0", ["curl", "kubia-1.kubia:8080"]);
    expect(meter.stderr).toMatch(/^ {2}% Total {4}% Received % Xferd {2}Average Speed.*\n.*Dload {2}Upload.*\n\r {2}0 {5}0 .*\r100 {4}63 {4}0 {4}63 .*\n$/);
    expect(await execIn(ctx, "kubia-0", ["curl", "-s", "nosuch:8080"])).toEqual({ stdout: "", stderr: "", code: 6 });
    expect((await execIn(ctx, "kubia-0", ["curl", "-sS", "nosuch:8080"])).stderr).toBe("curl: (6) Could not resolve host: nosuch\n");
    expect(await execIn(ctx, "kubia-0", ["curl", "-sS", "kubia-1.kubia"])).toEqual({ stdout: "", stderr: "curl: (7) Failed to connect to kubia-1.kubia port 80: Connection refused\n", code: 7 });
    expect((await execIn(ctx, "kubia-0", ["curl", "-sS", "https://kubia-1.kubia:8080"])).code).toBe(35);
  });

  it("times out when the pod network is broken: -m, or Linux's connect timeout", async () => {
    const world = kubiaWorld();
    world.ctx.faults.set({ brokenPodNetwork: true });
    const withMax = await timed(world, "curl -sS -m 5 10.1.2.11:8080", 5_000);
    expect(withMax).toEqual({ stdout: "", stderr: "curl: (28) Connection timed out after 5001 milliseconds\n", code: 28 });
    const linux = await timed(world, "curl -sS 10.1.2.11:8080", 127_000);
    expect(linux.stderr).toBe("curl: (7) Failed to connect to 10.1.2.11 port 8080: Connection timed out\n");
    const resolving = await timed(world, "curl -sS kubia-1.kubia:8080", 40_000);
    expect(resolving.stderr).toBe("curl: (6) Could not resolve host: kubia-1.kubia\n");
    expect((await execIn(world.ctx, "kubia-0", ["curl", "-s", "localhost:8080"])).code).toBe(0); // loopback needs no network
  });

  it("times out towards a pod whose node is down", async () => {
    const world = kubiaWorld();
    const node = world.ctx.store.get("nodes", undefined, "k8s-node2");
    node.metadata!.annotations = { [NODE_DOWN_ANNOTATION]: "true" };
    world.ctx.store.update("nodes", node, {});
    const r = await timed(world, "curl -sS --connect-timeout 3 10.1.2.11:8080", 3_000);
    expect(r.stderr).toBe("curl: (28) Connection timed out after 3001 milliseconds\n");
  });
});
