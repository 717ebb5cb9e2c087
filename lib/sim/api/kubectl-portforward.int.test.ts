import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { eventually } from "@/testing/wait";
import { KUBECTL, kubectlFor, parseTable, requireKubectl, SKIP_KUBECTL } from "@/testing/kubectl";

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
  let cluster: RunningCluster;
  let dir: string;
  let k: ReturnType<typeof kubectlFor>;
  const forward = (args: string[], env?: Record<string, string>) => portForward(cluster.kubeconfigPath, path.join(dir, "cache"), args, env);

  const runningReady = async (names: string[]) => {
    const rows = parseTable(await k.ok(["get", "pods"]));
    return names.every((n) => rows.some((r) => r.NAME === n && r.READY === "1/1" && r.STATUS === "Running")) ? rows : undefined;
  };

  beforeAll(async () => {
    requireKubectl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-kubectl-portforward-"));
    cluster = await startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(dir, "data"), speed: 50, seedDemo: true });
    k = kubectlFor(cluster.kubeconfigPath, path.join(dir, "cache"));
    await eventually(() => runningReady(["kubia-0", "kubia-1"]), "kubia-0 and kubia-1 Running");
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers GETs through the tunnel as kubia-0's app, sequentially and concurrently", async () => {
    const pf = await forward(["pod/kubia-0", ":8080"]);
    try {
      expect(pf.stdout()).toMatch(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${pf.localPort} -> 8080\\nForwarding from \\[::1\\]:${pf.localPort} -> 8080\\n`));
      for (let i = 0; i < 5; i++) {
        const r = await request(pf.localPort, "GET");
        expect(r.status).toBe(200);
        expect(r.body.toString()).toBe("You've hit kubia-0\nData stored on this pod: No data posted yet\n");
        expect(r.headers["transfer-encoding"]).toBe("chunked");
      }
      const all = await Promise.all(Array.from({ length: 8 }, () => request(pf.localPort, "GET")));
      expect(all.map((r) => r.body.toString())).toEqual(Array(8).fill("You've hit kubia-0\nData stored on this pod: No data posted yet\n"));
      expect(pf.stdout().match(/Handling connection for \d+/g)).toHaveLength(13);
    } catch (e) {
      console.error("DEBUG", pf.stderr());
      throw e;
    } finally {
      await pf.stop();
    }
  });
});
