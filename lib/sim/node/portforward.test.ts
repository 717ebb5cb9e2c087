import { Duplex, PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { SimContext } from "../context";
import { PORT_FORWARD_MAX_BODY_BYTES, PortForwardError, portForwardToPod, sandboxId } from "./portforward";
import { waitFor } from "@/testing/wait";
import { boundClaim, kubiaContext, runningPod } from "./testing/fixtures";

/** The client's end of one forwarded connection: raw bytes in, raw bytes out. */
function connection() {
  const fromClient = new PassThrough();
  const toClient = new PassThrough();
  const server = Duplex.from({ readable: fromClient, writable: toClient });
  let received = "";
  let ended = false;
  toClient.on("data", (c: Buffer) => (received += c.toString("latin1")));
  toClient.on("end", () => (ended = true));
  return { server, send: (text: string | Buffer) => fromClient.write(text), close: () => fromClient.end(), received: () => received, ended: () => ended };
}

const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

function kubia0(ctx: SimContext, opts: { image?: string; data?: boolean } = {}) {
  if (opts.data !== false) boundClaim(ctx, "data-kubia-0", "pvc-0001");
  return runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: opts.data === false ? undefined : "data-kubia-0", image: opts.image });
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PortForwardError) return e.message;
    throw e;
  }
  throw new Error("expected the port-forward to fail");
}

describe("the runtime's port forwarding to the pod's app", () => {
  it("serves HTTP on the connection as the kubia app's node server, keep-alive, until the client closes", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    c.send("GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
    c.send("POST / HTTP/1.1\r\nHost: localhost:8080\r\nContent-Length: 5\r\n\r\nhello");
    c.send("GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
    await waitFor("three answers", () => (c.received().split("HTTP/1.1 200 OK").length === 4 && c.received().endsWith("0\r\n\r\n")) || undefined, 5000, 2);
    const chunked = (body: string) => `HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    expect(c.received()).toBe(
      chunked("You've hit kubia-0\nData stored on this pod: No data posted yet\n") + chunked("Data stored on pod kubia-0\n") + chunked("You've hit kubia-0\nData stored on this pod: hello\n"),
    );
    expect(ctx.volumes.read("pvc-0001")).toBe("hello");
    c.close();
    await done;
    expect(c.ended()).toBe(true);
  });

  it("is seen by the app as coming from localhost inside the pod", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx, { image: "luksa/kubia" });
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    c.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    await done;
    expect(c.received()).toMatch(/Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n13\r\nYou've hit kubia-0\n\r\n0\r\n\r\n$/);
    expect(ctx.logs.read("default", "kubia-0", "kubia")).toBe("Received request from ::ffff:127.0.0.1\n");
  });

  it("still reaches the app when the pod network is broken: the runtime dials localhost inside the pod, not the pod's IP", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    ctx.faults.set({ brokenPodNetwork: true });
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    c.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    await done;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*You've hit kubia-0\n/);
  });

  it("fails a port nothing listens on with containerd's text, naming the sandbox and its network namespace", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    const id = sandboxId(pod);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await failure(portForwardToPod(ctx, pod, 8081, connection().server))).toMatch(
      new RegExp(
        `^failed to execute portforward in network namespace "/var/run/netns/cni-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}": failed to connect to localhost:8081 inside namespace "${id}", ` +
          `IPv4: dial tcp4 127\\.0\\.0\\.1:8081: connect: connection refused IPv6 dial tcp6 \\[::1\\]:8081: connect: connection refused $`,
      ),
    );
  });

  it("refuses when the app is not running, and when the pod's claim is not bound", async () => {
    const ctx = kubiaContext();
    const waiting = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", running: false });
    expect(await failure(portForwardToPod(ctx, waiting, 8080, connection().server))).toMatch(/connect: connection refused $/);
    boundClaim(ctx, "data-kubia-1", undefined);
    const unbound = runningPod(ctx, { name: "kubia-1", ip: "10.1.1.11", data: "data-kubia-1" });
    expect(await failure(portForwardToPod(ctx, unbound, 8080, connection().server))).toMatch(/connect: connection refused $/);
  });

  it("has no sandbox for a pod that is gone or replaced, and a closed namespace for one that finished", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    const replacement = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.12", data: "data-kubia-0" });
    expect(await failure(portForwardToPod(ctx, pod, 8080, connection().server))).toBe(`failed to find sandbox "${sandboxId(pod)}" in store: not found`);
    const finished = { ...replacement, status: { ...replacement.status, phase: "Succeeded" } };
    ctx.store.update("pods", finished as never, { subresource: "status" });
    expect(await failure(portForwardToPod(ctx, replacement, 8080, connection().server))).toBe(`network namespace for sandbox "${sandboxId(replacement)}" is closed`);
  });

  it("closes the connection when the pod is deleted while it is open", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    await settle();
    ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    await done;
    await settle();
    expect(c.ended()).toBe(true);
  });

  it("closes without an answer when the app crashes, and logs its last words", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx, { data: false });
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
    await done;
    await settle();
    expect([c.received(), c.ended()]).toEqual(["", true]);
    expect(ctx.logs.read("default", "kubia-0", "kubia")).toContain("Error: ENOENT: no such file or directory, open '/var/data/kubia.txt'");
  });

  it("answers 413 and closes past the playground's body bound, without storing it", async () => {
    const ctx = kubiaContext();
    const pod = kubia0(ctx);
    const c = connection();
    const done = portForwardToPod(ctx, pod, 8080, c.server);
    const size = PORT_FORWARD_MAX_BODY_BYTES + 1;
    c.send(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
    c.send(Buffer.alloc(size, 0x61));
    await done;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(ctx.volumes.names()).toEqual([]);
  });
});
