import net from "node:net";
import { PassThrough } from "node:stream";
import { KubeConfig, PortForward } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kubiaWorld } from "../node/testing/shell";
import type { StoredObject } from "../store/store";
import { createStrategies } from "../strategies";
import { type ApiServer, startApiServer } from "./server";
import { NODE_DOWN_ANNOTATION } from "../node/network";
import { dataFrame, FrameType, pingFrame } from "./spdy/frames";
import { testClient, until } from "./spdy/testing/client";

/**
 * pods/portforward at the API server: discovery, plain requests, the kubelet's handshake answers,
 * and a whole SPDY/3.1 session over a raw upgraded socket reaching the pod's app (the real kubectl
 * drives both upgrade paths in kubectl-portforward.int.test.ts).
 */

let world: ReturnType<typeof kubiaWorld>;
let api: ApiServer;

beforeEach(async () => {
  world = kubiaWorld();
  api = await startApiServer(world.ctx, { port: 0, strategies: createStrategies(world.ctx.store) });
});
afterEach(async () => {
  await api.stop();
});

const path = (pod: string) => `/api/v1/namespaces/default/pods/${pod}/portforward`;

/** Sends a raw upgrade request; resolves with the response head and the socket, positioned after it. */
function rawUpgrade(pod: string, headers: Record<string, string>, method = "POST", query = ""): Promise<{ head: string; socket: net.Socket; rest: Buffer }> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const lines = Object.entries({ Host: "localhost", "Content-Length": "0", ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`${method} ${path(pod)}${query} HTTP/1.1\r\n${lines.join("")}\r\n`);
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      socket.pause();
      resolve({ head: buf.subarray(0, end).toString(), socket, rest: buf.subarray(end + 4) });
    };
    socket.on("data", onData);
    socket.on("error", reject);
  });
}

const spdyHeaders = { Connection: "Upgrade", Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": "portforward.k8s.io" };

describe("pods/portforward", () => {
  it("is listed in discovery like kube-apiserver's (PodPortForwardOptions, create and get)", async () => {
    const list = await (await fetch(`${api.url}/api/v1`)).json();
    expect(list.resources.find((r: { name: string }) => r.name === "pods/portforward")).toEqual({ name: "pods/portforward", singularName: "", namespaced: true, kind: "PodPortForwardOptions", verbs: ["create", "get"] });
  });

  it("answers a plain request 400 Upgrade request required, after 404 for a missing pod and 405 for other methods", async () => {
    const plain = await fetch(api.url + path("kubia-0"), { method: "POST" });
    expect([plain.status, (await plain.json()).message]).toEqual([400, "Upgrade request required"]);
    const missing = await fetch(api.url + path("nope"), { method: "POST" });
    expect([missing.status, (await missing.json()).message]).toEqual([404, 'pods "nope" not found']);
    expect((await fetch(api.url + path("kubia-0"), { method: "PUT" })).status).toBe(405);
  });

  it("answers the kubelet's handshake refusals as they are", async () => {
    const noVersion = await rawUpgrade("kubia-0", { Connection: "Upgrade", Upgrade: "SPDY/3.1" });
    expect(noVersion.head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(noVersion.rest.toString()).toMatch(/^unable to upgrade: header X-Stream-Protocol-Version does not exist in request with \d+ headers\n$/);
    const other = await rawUpgrade("kubia-0", { ...spdyHeaders, "X-Stream-Protocol-Version": "channel.k8s.io" });
    expect(other.head).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(other.rest.toString()).toBe("unable to upgrade: unable to negotiate protocol: client supports [channel.k8s.io], server accepts [portforward.k8s.io]\n");
    for (const s of [noVersion.socket, other.socket]) s.destroy();
  });

  it("answers 500 pod not found when the runtime runs nothing of the pod", async () => {
    const pod = world.ctx.store.get("pods", "default", "kubia-0");
    pod.status!.containerStatuses = [{ name: "kubia", image: "luksa/kubia-pet", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] as never;
    world.ctx.store.update("pods", pod as unknown as StoredObject, { subresource: "status" });
    const r = await rawUpgrade("kubia-0", spdyHeaders);
    expect(r.head).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    r.socket.resume();
    const body = await new Promise<string>((resolve) => {
      let text = r.rest.toString();
      r.socket.on("data", (d: Buffer) => (text += d));
      r.socket.on("end", () => resolve(text));
    });
    expect(body).toBe('pod not found ("kubia-0_default")');
  });

  it("upgrades to SPDY/3.1 and forwards a request pair to the pod's app", async () => {
    const r = await rawUpgrade("kubia-0", spdyHeaders);
    expect(r.head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\nConnection: Upgrade\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nUpgrade: SPDY\/3\.1\r\nX-Stream-Protocol-Version: portforward\.k8s\.io$/);
    const client = testClient();
    client.transport.write(r.rest);
    r.socket.pipe(client.transport).pipe(r.socket);
    await client.synStream(1, { streamtype: "error", port: "8080", requestid: "0" });
    await client.synStream(3, { streamtype: "data", port: "8080", requestid: "0" });
    client.write(dataFrame(3, Buffer.from("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")));
    const response = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const data = client.frames.filter((f) => f.kind === "data" && f.streamId === 3);
        if (!data.some((f) => f.flags & 1)) return;
        clearInterval(poll);
        resolve(data.map((f) => (f.kind === "data" ? f.data.toString() : "")).join(""));
      }, 10);
    });
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n[0-9a-f]+\r\nYou've hit kubia-0\nData stored on this pod: No data posted yet\n\r\n0\r\n\r\n$/);
    r.socket.destroy();
  });

  it("stops answering when the pod's node goes down mid-session (its packets are dropped)", async () => {
    const r = await rawUpgrade("kubia-0", spdyHeaders);
    const client = testClient();
    r.socket.pipe(client.transport).pipe(r.socket);
    const pings = () => client.frames.filter((f) => f.kind === "control" && f.type === FrameType.Ping).length;
    client.write(pingFrame(1));
    await until(() => pings() === 1);
    const node = world.ctx.store.get("nodes", undefined, "k8s-node2");
    node.metadata!.annotations = { [NODE_DOWN_ANNOTATION]: "true" };
    world.ctx.store.update("nodes", node as unknown as StoredObject);
    client.write(pingFrame(3));
    await client.synStream(1, { streamtype: "error", port: "8080", requestid: "0" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.frames).toHaveLength(1);
    r.socket.destroy();
  });

  it("upgrades a WebSocket offering SPDY/3.1+portforward.k8s.io with that protocol; one offering no known protocol is refused", async () => {
    // Not an RFC 6455 token, so the `ws` client refuses to send it: the handshake is written by hand, as gorilla's.
    const websocket = (protocol: string) =>
      rawUpgrade("kubia-0", { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": protocol }, "GET", "?ports=8080");
    const tunnel = await websocket("SPDY/3.1+portforward.k8s.io");
    expect(tunnel.head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(tunnel.head).toContain("\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io");
    const unknown = await websocket("v9.channel.k8s.io");
    expect(unknown.head).toBe("HTTP/1.1 403 Forbidden");
    expect(unknown.rest.toString()).toMatch(/^requested protocol\(s\) are not supported: \[v9.channel.k8s.io\]; supports /);
    for (const s of [tunnel.socket, unknown.socket]) s.destroy();
  });

  it("serves the kubelet's WebSocket port forwarding (what @kubernetes/client-node's PortForward speaks)", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "sim", server: api.url, skipTLSVerify: true }],
      users: [{ name: "admin" }],
      contexts: [{ name: "sim", cluster: "sim", user: "admin" }],
      currentContext: "sim",
    });
    const forward = async (port: number) => {
      const output = new PassThrough();
      const errOut = new PassThrough();
      const input = new PassThrough();
      let out = "";
      let err = "";
      output.on("data", (d: Buffer) => (out += d));
      errOut.on("data", (d: Buffer) => (err += d));
      const ws = (await new PortForward(kc).portForward("default", "kubia-0", [port], output, errOut, input)) as { protocol: string; close(): void };
      input.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await until(() => out.endsWith("0\r\n\r\n") || err !== "");
      ws.close();
      return { protocol: ws.protocol, out, err };
    };
    const ok = await forward(8080);
    expect(ok.protocol).toBe("v4.channel.k8s.io");
    expect(ok.out).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*You've hit kubia-0\nData stored on this pod: No data posted yet\n\r\n0\r\n\r\n$/);
    const refused = await forward(8081);
    expect(refused.err).toMatch(/^error forwarding port 8081 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "[^"]+": failed to connect to localhost:8081 inside namespace/);
    const noPorts = await rawUpgrade("kubia-0", { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "v4.channel.k8s.io" }, "GET");
    expect(noPorts.head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    noPorts.socket.destroy();
    // Last (its dial would wait 30 s): the pod's node going down: nothing more arrives on an open WebSocket.
    const output = new PassThrough();
    let out = "";
    output.on("data", (d: Buffer) => (out += d));
    const input = new PassThrough();
    const ws = (await new PortForward(kc).portForward("default", "kubia-0", [8080], output, new PassThrough(), input)) as { close(): void };
    input.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await until(() => out.endsWith("0\r\n\r\n"));
    const answered = out.length;
    const node = world.ctx.store.get("nodes", undefined, "k8s-node2");
    node.metadata!.annotations = { [NODE_DOWN_ANNOTATION]: "true" };
    world.ctx.store.update("nodes", node as unknown as StoredObject);
    input.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(out).toHaveLength(answered);
    ws.close();
  });
});
