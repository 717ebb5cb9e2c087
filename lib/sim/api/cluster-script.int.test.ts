import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Json } from "./testing/kit";

/**
 * `npm run cluster` (scripts/cluster.ts) as a teacher runs it: one ready line, a kubeconfig, a clean
 * stop on SIGTERM, and the state back after a restart. Runs the script with node's tsx loader in a
 * single process, so the signal reaches the cluster itself.
 */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const READY = /^playground cluster ready: api=(http:\/\/127\.0\.0\.1:\d+) dns=127\.0\.0\.1:(\d+) kubeconfig=(\S+)$/m;

interface Started {
  child: ChildProcess;
  api: string;
  dnsPort: number;
  kubeconfig: string;
  output(): string;
}

function startScript(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/cluster.ts"], {
    cwd: ROOT,
    env: { ...process.env, PLAYGROUND_API_PORT: "0", PLAYGROUND_DNS_PORT: "0", PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "50", PLAYGROUND_SEED_DEMO: "1" },
  });
  let out = "";
  child.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${out}`)), 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, api: m[1], dnsPort: Number(m[2]), kubeconfig: path.resolve(ROOT, m[3]), output: () => out });
      }
    });
    child.on("exit", (code) => reject(new Error(`cluster exited early (${code}):\n${out}`)));
  });
}

function stopScript(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve(s.child.exitCode);
    s.child.once("exit", (code) => resolve(code));
    s.child.kill("SIGTERM");
  });
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe("npm run cluster", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-script-"));
  const dataDir = path.join(dir, "data");
  let running: Started | undefined;
  afterAll(async () => {
    if (running) await stopScript(running);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints one ready line, writes a kubeconfig, seeds the demo and keeps state across a restart", async () => {
    running = await startScript(dataDir);
    expect(running.kubeconfig).toBe(path.join(dataDir, "kubeconfig"));
    const kubeconfig = parseYaml(fs.readFileSync(running.kubeconfig, "utf8"));
    expect(kubeconfig).toMatchObject({ "current-context": "playground", clusters: [{ name: "playground", cluster: { server: running.api } }], contexts: [{ context: { namespace: "default" } }] });
    expect(running.dnsPort).toBeGreaterThan(0);
    expect((await json(`${running.api}/apis/apps/v1/namespaces/default/statefulsets/kubia`)).status).toBe(200);
    const created = await json(`${running.api}/api/v1/namespaces/default/configmaps`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ metadata: { name: "survives" }, data: { note: "written before the restart" } }),
    });
    expect(created.status).toBe(201);

    const stopStart = Date.now();
    expect(await stopScript(running)).toBe(0);
    expect(Date.now() - stopStart).toBeLessThan(10_000);
    expect(running.output().match(new RegExp(READY.source, "gm"))).toHaveLength(1);

    running = await startScript(dataDir);
    const kept = await json(`${running.api}/api/v1/namespaces/default/configmaps/survives`);
    expect(kept.body.data).toEqual({ note: "written before the restart" });
    expect((await json(`${running.api}/apis/apps/v1/namespaces/default/statefulsets`)).body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual(["kubia"]);
    expect(await stopScript(running)).toBe(0);
    running = undefined;
  });
});
