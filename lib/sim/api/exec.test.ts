import { PassThrough, Readable } from "node:stream";
import { Exec, KubeConfig, type V1Node, type V1Pod, type V1Status } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { NODE_DOWN_ANNOTATION } from "../node/network";
import { kubiaWorld } from "../node/testing/shell";
import type { StoredObject } from "../store/store";
import { createStrategies } from "../strategies";
import { type ApiServer, startApiServer } from "./server";

/**
 * pods/exec over the WebSocket channel protocol, driven by @kubernetes/client-node's Exec (v5):
 * output channels, the exit code in the error channel's Status, stdin and its close signal, TTY,
 * and the API server's and kubelet's refusals.
 */

let world: ReturnType<typeof kubiaWorld>;
let api: ApiServer;
let kc: KubeConfig;

beforeEach(async () => {
  world = kubiaWorld();
  api = await startApiServer(world.ctx, { port: 0, strategies: createStrategies(world.ctx.store) });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "sim", server: api.url, skipTLSVerify: true }],
    users: [{ name: "admin" }],
    contexts: [{ name: "sim", cluster: "sim", user: "admin" }],
    currentContext: "sim",
  });
});
afterEach(async () => {
  await api.stop();
});

interface Result {
  stdout: string;
  stderr: string;
  status: V1Status;
}

async function exec(pod: string, command: string[], opts: { stdin?: string; tty?: boolean; container?: string } = {}): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const stdin = opts.stdin === undefined ? null : Readable.from([opts.stdin]);
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc).exec("default", pod, opts.container ?? "kubia", command, stdout, opts.tty ? null : stderr, stdin, !!opts.tty, resolve).catch(reject);
  });
  return { stdout: out, stderr: err, status };
}

const exitCode = (status: V1Status) => (status.status === "Success" ? 0 : Number(status.details?.causes?.find((c) => c.reason === "ExitCode")?.message));

/** The raw HTTP answer to a WebSocket upgrade the server refuses. */
function refusedUpgrade(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${api.url.replace("http", "ws")}${path}`, ["v5.channel.k8s.io"]);
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on("open", () => reject(new Error("upgraded")));
    ws.on("error", () => undefined);
  });
}

function updatePod(name: string, change: (pod: V1Pod) => void, subresource?: "status") {
  const pod = world.ctx.store.get("pods", "default", name);
  change(pod);
  world.ctx.store.update("pods", pod as unknown as StoredObject, subresource ? { subresource } : {});
}

function updateNode(name: string, change: (node: V1Node) => void, subresource?: "status") {
  const node = world.ctx.store.get("nodes", undefined, name);
  change(node);
  world.ctx.store.update("nodes", node as unknown as StoredObject, subresource ? { subresource } : {});
}

describe("discovery", () => {
  it("lists pods/exec like kube-apiserver (PodExecOptions, create and get)", async () => {
    const list = await (await fetch(`${api.url}/api/v1`)).json();
    expect(list.resources.find((r: { name: string }) => r.name === "pods/exec")).toEqual({ name: "pods/exec", singularName: "", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"] });
    const aggregated = await (await fetch(`${api.url}/api`, { headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" } })).json();
    const pods = aggregated.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === "pods");
    expect(pods.subresources).toContainEqual({ subresource: "exec", responseKind: { group: "", version: "v1", kind: "PodExecOptions" }, verbs: ["create", "get"] });
  });
});

describe("plain requests", () => {
  const path = (pod: string, query = "command=hostname&stdout=true") => `/api/v1/namespaces/default/pods/${pod}/exec?${query}`;

  it("answers 400 Upgrade request required after checking the pod, 404 for a missing pod", async () => {
    const res = await fetch(api.url + path("kubia-0"), { method: "POST" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", message: "Upgrade request required", code: 400 });
    const missing = await fetch(api.url + path("kubia-9"));
    expect(await missing.json()).toMatchObject({ reason: "NotFound", message: 'pods "kubia-9" not found', code: 404 });
    expect((await fetch(api.url + path("kubia-0"), { method: "PUT" })).status).toBe(405);
  });

  it("refuses an unknown container and a pod without a node before upgrading", async () => {
    expect(await refusedUpgrade(path("kubia-0", "command=ls&stdout=true&container=nope"))).toMatchObject({ status: 400, body: expect.stringContaining("container nope is not valid for pod kubia-0") });
    updatePod("kubia-1", (p) => delete p.spec!.nodeName);
    expect(await refusedUpgrade(path("kubia-1"))).toMatchObject({ status: 400, body: expect.stringContaining("pod kubia-1 does not have a host assigned") });
  });

  it("answers other upgrade requests as plain requests", async () => {
    const res = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${api.url.replace("http", "ws")}/version`);
      ws.on("unexpected-response", (_req, r) => resolve(r.statusCode ?? 0));
      ws.on("error", () => undefined);
    });
    expect(res).toBe(200);
  });
});

describe("exec over v5.channel.k8s.io", () => {
  it("streams stdout and reports Success", async () => {
    world.ctx.volumes.write("pvc-0", "hello from the volume");
    const r = await exec("kubia-0", ["cat", "/var/data/kubia.txt"]);
    expect(r).toEqual({ stdout: "hello from the volume", stderr: "", status: { metadata: {}, status: "Success" } });
  });

  it("carries the exit code in a NonZeroExitCode Status, stderr on its own channel", async () => {
    const r = await exec("kubia-0", ["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(r.stdout).toBe("out\n");
    expect(r.stderr).toBe("err\n");
    expect(r.status).toEqual({
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: command terminated with exit code 3",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
  });

  it("fails an unknown command as containerd does (Internal error, no exit code)", async () => {
    const r = await exec("kubia-0", ["foo"]);
    expect(r.status).toMatchObject({ status: "Failure", reason: "InternalError", code: 500 });
    expect(r.status.message).toMatch(
      /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown$/,
    );
  });

  it("feeds stdin to sh and ends it with the v5 close signal", async () => {
    const r = await exec("kubia-0", ["sh"], { stdin: "hostname\necho $((1))\nexit 4\n" });
    expect(r.stdout).toBe("kubia-0\n");
    expect(r.stderr).toContain("sh: 2: Syntax error: arithmetic expansion");
    expect(exitCode(r.status)).toBe(4);
    const eof = await exec("kubia-0", ["cat"], { stdin: "piped\n" });
    expect(eof).toMatchObject({ stdout: "piped\n", status: { status: "Success" } });
  });

  it("writes to the volume through the same storage the app reads", async () => {
    const r = await exec("kubia-0", ["sh", "-c", "echo hi >> /var/data/kubia.txt"]);
    expect(exitCode(r.status)).toBe(0);
    expect(world.ctx.volumes.read("pvc-0")).toBe("hi\n");
  });

  it("runs an interactive shell on a TTY: prompt, echo of what is typed (ahead), CRLF", async () => {
    const r = await exec("kubia-0", ["sh"], { stdin: "hostname\rexit\r", tty: true });
    expect(r.stdout).toBe("# hostname\r\nexit\r\nkubia-0\r\n# ");
    expect(r.status.status).toBe("Success");
  });

  it("kills the process with the container: exit code 137 when the pod is deleted", async () => {
    const pending = exec("kubia-0", ["sleep", "3600"]);
    await vi.waitFor(() => expect(world.ctx.clock.pending()).toBeGreaterThan(0));
    world.ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    expect(exitCode((await pending).status)).toBe(137);
  });
});

describe("what the kubelet refuses", () => {
  it("reports a container that is not running on the error channel (translated at the API server)", async () => {
    updatePod("kubia-0", (p) => (p.status!.containerStatuses![0].state = { waiting: { reason: "ContainerCreating" } }), "status");
    const r = await exec("kubia-0", ["hostname"]);
    expect(r.status).toMatchObject({ reason: "InternalError", message: 'Internal error occurred: unable to upgrade connection: container not found ("kubia")' });
  });

  it("answers 500 before upgrading when the node's kubelet serves WebSockets itself (ExtendWebSocketsToKubelet)", async () => {
    updateNode("k8s-node2", (n) => ((n.status as Record<string, unknown>).declaredFeatures = ["ExtendWebSocketsToKubelet"]), "status");
    updatePod("kubia-0", (p) => (p.status!.containerStatuses![0].state = { waiting: { reason: "ContainerCreating" } }), "status");
    expect(await refusedUpgrade("/api/v1/namespaces/default/pods/kubia-0/exec?command=hostname&stdout=true")).toEqual({ status: 500, body: 'container not found ("kubia")' });
  });

  it("times out dialing the kubelet of a node that is down", async () => {
    updateNode("k8s-node2", (n) => (n.metadata!.annotations = { [NODE_DOWN_ANNOTATION]: "true" }));
    const pending = exec("kubia-0", ["hostname"]);
    await vi.waitFor(() => expect(world.ctx.clock.pending()).toBeGreaterThan(0));
    world.ctx.clock.advance(30_000);
    const r = await pending;
    expect(r.status.message).toBe(
      'Internal error occurred: error sending request: Post "https://192.168.57.102:10250/exec/default/kubia-0/kubia?command=hostname&error=1&output=1": dial tcp 192.168.57.102:10250: i/o timeout',
    );
  });
});
