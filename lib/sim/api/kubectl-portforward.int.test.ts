import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runningReady, whileNodeOfPodIsDown, withKubectlCluster } from "./testing/kubectl-cluster";
import { eventually } from "@/testing/wait";
import { KUBECTL, SKIP_KUBECTL } from "@/testing/kubectl";

/**
 * `kubectl port-forward` (the real kubectl: SPDY/3.1 tunnelled in a WebSocket, and the plain SPDY
 * upgrade with KUBECTL_PORT_FORWARD_WEBSOCKETS=false) against the embedded cluster with the book's
 * chapter-10 StatefulSet: HTTP through the tunnel reaches the pod's kubia app (GET, POST into its
 * volume, concurrent requests, MiB bodies both ways), a Service forwards to one of its pods, a port
 * nothing listens on gets the runtime's error, and a deleted pod ends kubectl.
 */

interface PortForward {
  localPort: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number>;
  stop(): Promise<void>;
}

/** Starts `kubectl port-forward` and waits for its "Forwarding from 127.0.0.1:NNNN -> PORT" line. */
async function portForward(kubeconfig: string, cacheDir: string, args: string[], env: Record<string, string> = {}): Promise<PortForward> {
  const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, "port-forward", ...args], { env: { ...process.env, KUBECONFIG: "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const localPort: number = await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`kubectl port-forward exited ${child.exitCode}: ${stderr}`);
    const m = /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(stdout);
    return m ? Number(m[1]) : undefined;
  }, "kubectl port-forward listening").then((port) => port!);
  return {
    localPort,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One HTTP request to the forwarded local port, on a new connection. */
function request(port: number, method: string, body?: Buffer | string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: "/", agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe.skipIf(SKIP_KUBECTL)("kubectl port-forward against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-portforward", { seedDemo: true });
  const forward = (args: string[], env?: Record<string, string>) => portForward(world.cluster.kubeconfigPath, path.join(world.dir, "cache"), args, env);


  beforeAll(() => eventually(() => runningReady(world.k, ["kubia-0", "kubia-1"]), "kubia-0 and kubia-1 Running"));

  const hit = (pod: string, data = "No data posted yet") => `You've hit ${pod}\nData stored on this pod: ${data}\n`;
  /** A few MiB of text, different each time (the kubia app keeps the body as UTF-8 text). */
  const bigBody = (mib: number) => randomBytes((mib * 1024 * 1024 * 3) / 4).toString("base64");

  it("answers GETs through the WebSocket tunnel as kubia-0's app, sequentially and concurrently", async () => {
    const pf = await forward(["pod/kubia-0", ":8080", "-v=4"]);
    try {
      expect(pf.stdout()).toMatch(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${pf.localPort} -> 8080\\nForwarding from \\[::1\\]:${pf.localPort} -> 8080\\n`));
      for (let i = 0; i < 5; i++) {
        const r = await request(pf.localPort, "GET");
        expect(r.status).toBe(200);
        expect(r.body.toString()).toBe(hit("kubia-0"));
        expect(r.headers["transfer-encoding"]).toBe("chunked");
      }
      const all = await Promise.all(Array.from({ length: 8 }, () => request(pf.localPort, "GET")));
      expect(all.map((r) => r.body.toString())).toEqual(Array(8).fill(hit("kubia-0")));
      expect(pf.stdout().match(/Handling connection for \d+\n/g)).toHaveLength(13);
      // The tunnel, not the SPDY fallback, carried it.
      expect(pf.stderr()).toContain("negotiated protocol: portforward.k8s.io");
      expect(pf.stderr()).not.toContain("fallback to secondary dialer");
    } finally {
      await pf.stop();
    }
  });

  it("POSTs into the pod's volume, which kubectl exec then shows", async () => {
    const pf = await forward(["pod/kubia-0", ":8080"]);
    try {
      const posted = await request(pf.localPort, "POST", "posted through port-forward");
      expect([posted.status, posted.body.toString()]).toEqual([200, "Data stored on pod kubia-0\n"]);
      expect((await request(pf.localPort, "GET")).body.toString()).toBe(hit("kubia-0", "posted through port-forward"));
    } finally {
      await pf.stop();
    }
    expect(await world.k.run(["exec", "kubia-0", "--", "cat", "/var/data/kubia.txt"])).toEqual({ code: 0, stdout: "posted through port-forward", stderr: "" });
  });

  it("forwards a Service's port to a pod behind it (kubectl resolves the pod and the targetPort)", async () => {
    const pf = await forward(["svc/kubia-public", ":80"]);
    try {
      expect(pf.stdout()).toContain(`Forwarding from 127.0.0.1:${pf.localPort} -> 8080\n`);
      expect((await request(pf.localPort, "GET")).body.toString()).toMatch(/^You've hit kubia-[01]\nData stored on this pod: /);
    } finally {
      await pf.stop();
    }
  });

  it.each([
    ["the WebSocket tunnel", {}],
    ["the SPDY upgrade (KUBECTL_PORT_FORWARD_WEBSOCKETS=false)", { KUBECTL_PORT_FORWARD_WEBSOCKETS: "false" }],
  ] as [string, Record<string, string>][])("carries MiB bodies both ways over %s", async (_path, env) => {
    const pf = await forward(["pod/kubia-1", ":8080", "-v=6"], env);
    try {
      const body = bigBody(3);
      const posted = await request(pf.localPort, "POST", body);
      expect([posted.status, posted.body.toString()]).toEqual([200, "Data stored on pod kubia-1\n"]);
      const got = await request(pf.localPort, "GET");
      expect(got.body.length).toBe(Buffer.byteLength(hit("kubia-1", body)));
      expect(got.body.toString() === hit("kubia-1", body)).toBe(true);
      const upgrades = pf.stderr().match(/verb="(GET|POST)" url="[^"]*\/portforward" status="(\d+)[^"]*"/g) ?? [];
      expect(upgrades.map((u) => /verb="(\w+)".*status="(\d+)/.exec(u)!.slice(1).join(" "))).toEqual(env.KUBECTL_PORT_FORWARD_WEBSOCKETS ? ["POST 101"] : ["GET 101"]);
    } finally {
      await pf.stop();
    }
  });

  it("reports the runtime's error for a port nothing listens on, and kubectl gives up", async () => {
    const pf = await forward(["pod/kubia-1", ":8081"]);
    await expect(request(pf.localPort, "GET")).rejects.toThrow();
    expect(await pf.exited).toBe(1);
    const sandbox = "[0-9a-f]{64}";
    expect(pf.stderr()).toMatch(
      new RegExp(
        `"Unhandled Error" err="an error occurred forwarding ${pf.localPort} -> 8081: error forwarding port 8081 to pod ${sandbox}, uid : ` +
          `failed to execute portforward in network namespace \\\\"/var/run/netns/cni-[0-9a-f-]{36}\\\\": failed to connect to localhost:8081 inside namespace \\\\"${sandbox}\\\\", ` +
          `IPv4: dial tcp4 127\\.0\\.0\\.1:8081: connect: connection refused IPv6 dial tcp6 \\[::1\\]:8081: connect: connection refused "\\nerror: lost connection to pod\\n$`,
      ),
    );
  });

  it("ends kubectl with its message when the forwarded pod is deleted", async () => {
    const pf = await forward(["pod/kubia-1", ":8080"]);
    expect((await request(pf.localPort, "GET")).body.toString()).toMatch(/^You've hit kubia-1\n/);
    await world.k.ok(["delete", "pod", "kubia-1"]);
    await expect(request(pf.localPort, "GET")).rejects.toThrow();
    expect(await pf.exited).toBe(1);
    expect(pf.stderr()).toMatch(/an error occurred forwarding \d+ -> 8080: error forwarding port 8080 to pod ([0-9a-f]{64}), uid : failed to find sandbox \\"\1\\" in store: not found"\nerror: lost connection to pod\n$/);
    await eventually(() => runningReady(world.k, ["kubia-0", "kubia-1"]), "kubia-1 replaced");
  });

  it("refuses a pod that is not running, as kubectl checks before it dials", async () => {
    await world.k.ok(["run", "pending", "--image=luksa/kubia-pet", "--overrides", JSON.stringify({ spec: { nodeSelector: { "playground.k8s.io/nowhere": "true" } } })]);
    const r = await world.k.run(["port-forward", "pod/pending", ":8080"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error: unable to forward port because pod is not running. Current status=Pending\n" });
  });

  it("cannot reach the kubelet of a failed node (the dial times out; kubectl retries over SPDY)", async () => {
    await whileNodeOfPodIsDown(world.k, "kubia-0", async (ip) => {
      const r = await world.k.run(["port-forward", "pod/kubia-0", ":8080"]);
      expect(r).toEqual({ code: 1, stdout: "", stderr: `error: error upgrading connection: unable to upgrade connection: error dialing backend: dial tcp ${ip}:10250: i/o timeout\n` });
    });
  });
});
