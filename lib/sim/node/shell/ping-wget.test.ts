import { describe, expect, it, vi } from "vitest";
import { execIn, kubiaWorld } from "../testing/shell";

/** Runs `argv` in kubia-0, moving the cluster clock on a second at a time while it waits. */
async function timed(world: ReturnType<typeof kubiaWorld>, argv: string[], seconds: number) {
  const done = execIn(world.ctx, "kubia-0", argv);
  for (let i = 0; i < seconds; i++) {
    await vi.waitFor(() => expect(world.ctx.clock.pending()).toBeGreaterThan(0));
    world.ctx.clock.advance(1000);
  }
  return done;
}

describe("ping", () => {
  it("gets replies from a running pod, and none from a Service's cluster IP", async () => {
    const world = kubiaWorld();
    const r = await timed(world, ["ping", "-c", "2", "kubia-1.kubia"], 1);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PING kubia-1\.kubia \(10\.1\.2\.11\) 56\(84\) bytes of data\.\n64 bytes from 10\.1\.2\.11: icmp_seq=1 ttl=63 time=0\.0\d\d ms\n64 bytes from 10\.1\.2\.11: icmp_seq=2 ttl=63 time=0\.0\d\d ms\n\n--- kubia-1\.kubia ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1000ms\nrtt /);
    const svc = await timed(world, ["ping", "-c", "2", "10.96.100.1"], 1);
    expect(svc.code).toBe(1);
    expect(svc.stdout).toContain("2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n");
    expect(await execIn(world.ctx, "kubia-0", ["ping", "nope"])).toEqual({ code: 2, stdout: "", stderr: "ping: unknown host nope\n" });
  });

  it("loses every packet under the broken-network fault", async () => {
    const world = kubiaWorld();
    world.ctx.faults.set({ brokenPodNetwork: true });
    const r = await timed(world, ["ping", "-c", "3", "10.1.2.11"], 2);
    expect(r.stdout).toBe("PING 10.1.2.11 (10.1.2.11) 56(84) bytes of data.\n\n--- 10.1.2.11 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2000ms\n");
    expect(r.code).toBe(1);
  });
});

describe("wget", () => {
  it("-qO- prints what the app answers through a Service", async () => {
    const world = kubiaWorld();
    expect(await execIn(world.ctx, "kubia-0", ["wget", "-qO-", "http://kubia-public"])).toEqual({ code: 0, stdout: "You've hit kubia-1\nData stored on this pod: No data posted yet\n", stderr: "" });
    const saved = await execIn(world.ctx, "kubia-0", "wget -q kubia-1.kubia:8080 -O /tmp/page && cat /tmp/page");
    expect(saved.stdout).toBe("You've hit kubia-1\nData stored on this pod: No data posted yet\n");
    expect(await execIn(world.ctx, "kubia-0", ["wget", "-qO-", "nope"])).toEqual({ code: 4, stdout: "", stderr: "wget: unable to resolve host address 'nope'\n" });
  });
});
