import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The whole embedded cluster (`npm run cluster`: API server, controllers, kubelets, persistence)
 * in a child process, killed with SIGKILL in the middle of a burst of writes made through its
 * HTTP API — object creates, updates and deletes, scale patches and volume writes through the
 * pod proxy, several in flight at once. Restarted on the same data directory, every acknowledged
 * write must be back exactly (uid, resourceVersion, data, volume bytes); a write in flight at the
 * kill may have landed or not, nothing else. Then a truncated state file must stop the start
 * with a message naming the file and the way out. (lib/sim/persistence has the store-level
 * version of this test; this one crashes the real process while the controllers run too.)
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-crash-"));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface RunningChild {
  child: ChildProcess;
  api: string;
  output: () => string;
}

function startClusterProcess(env: Record<string, string> = {}): Promise<RunningChild> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/cluster.ts")], {
    cwd: ROOT,
    env: { ...process.env, PLAYGROUND_API_PORT: "0", PLAYGROUND_DNS_PORT: "0", PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "50", PLAYGROUND_RESET: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster did not start:\n${out}`)), 60_000);
    const onData = () => {
      const m = /playground cluster ready: api=(\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({ child, api: m[1], output: () => out });
    };
    child.stdout!.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`cluster exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** Exit code and output of a start that is expected to fail. */
function failedStart(env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/cluster.ts")], {
      cwd: ROOT,
      env: { ...process.env, PLAYGROUND_API_PORT: "0", PLAYGROUND_DNS_PORT: "0", PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "50", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output: out });
    });
  });
}

async function call(api: string, method: string, urlPath: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; text: string }> {
  const res = await fetch(api + urlPath, {
    method,
    headers: body === undefined ? {} : { "Content-Type": contentType },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, text: await res.text() };
}

async function waitForReadyPods(api: string, names: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, text } = await call(api, "GET", "/api/v1/namespaces/default/pods");
    if (status === 200) {
      const pods = JSON.parse(text).items as { metadata: { name: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }[];
      const ready = (n: string) => pods.some((p) => p.metadata.name === n && !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
      if (names.every(ready)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`pods ${names.join(", ")} not ready in time`);
}

/** What the test knows about one key: the last acknowledged value, and the one in flight at the kill. */
interface Knowledge {
  acked?: string | null; // JSON of what must be there, null = must be gone; undefined = never acknowledged
  inFlight?: string | null;
}

type Ledger = Map<string, Knowledge>;

function set(ledger: Ledger, key: string, field: keyof Knowledge, value: string | null | undefined): void {
  const k = ledger.get(key) ?? {};
  if (value === undefined) delete k[field];
  else k[field] = value;
  ledger.set(key, k);
}

const cmState = (o: { metadata: { uid: string; resourceVersion: string }; data?: unknown }) => JSON.stringify({ uid: o.metadata.uid, rv: o.metadata.resourceVersion, data: o.data ?? null });
const cmData = (data: unknown) => JSON.stringify(data);

/** Creates, updates and deletes ConfigMaps of one prefix, one request at a time, until stopped. */
async function configMapWorker(api: string, prefix: string, ledger: Ledger, acks: { n: number }, stop: () => boolean): Promise<void> {
  const live: { name: string; obj: Record<string, unknown> & { metadata: { name: string; uid: string; resourceVersion: string } } }[] = [];
  for (let i = 0; !stop(); i++) {
    const op = i % 5;
    try {
      if (op < 3 || live.length === 0) {
        const name = `${prefix}-${i}`;
        const data = { v: randomBytes(12).toString("base64"), i: String(i) };
        set(ledger, `cm ${name}`, "inFlight", `data:${cmData(data)}`);
        const res = await call(api, "POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });
        if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${res.text}`);
        const obj = JSON.parse(res.text);
        set(ledger, `cm ${name}`, "acked", cmState(obj));
        set(ledger, `cm ${name}`, "inFlight", undefined);
        live.push({ name, obj });
      } else if (op === 3) {
        const target = live[i % live.length];
        const data = { v: randomBytes(6).toString("hex"), updated: String(i) };
        set(ledger, `cm ${target.name}`, "inFlight", `data:${cmData(data)}`);
        const res = await call(api, "PUT", `/api/v1/namespaces/default/configmaps/${target.name}`, { ...target.obj, data });
        if (res.status !== 200) throw new Error(`update ${target.name}: ${res.status} ${res.text}`);
        target.obj = JSON.parse(res.text);
        set(ledger, `cm ${target.name}`, "acked", cmState(target.obj as never));
        set(ledger, `cm ${target.name}`, "inFlight", undefined);
      } else {
        const [target] = live.splice(i % live.length, 1);
        set(ledger, `cm ${target.name}`, "inFlight", null);
        const res = await call(api, "DELETE", `/api/v1/namespaces/default/configmaps/${target.name}`);
        if (res.status !== 200) throw new Error(`delete ${target.name}: ${res.status} ${res.text}`);
        set(ledger, `cm ${target.name}`, "acked", null);
        set(ledger, `cm ${target.name}`, "inFlight", undefined);
      }
      acks.n++;
    } catch (err) {
      if (stop()) return; // the kill: what was in flight stays "in flight"
      throw err;
    }
  }
}

/** Writes new content to a pod's volume through the API server's pod proxy (the kubia app stores the body). */
async function volumeWorker(api: string, pod: string, ledger: Ledger, acks: { n: number }, stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i++) {
    const content = `${pod} write ${i} ✓ ${randomBytes(18).toString("base64")}`;
    set(ledger, `vol ${pod}`, "inFlight", content);
    try {
      const res = await call(api, "POST", `/api/v1/namespaces/default/pods/${pod}/proxy/`, content, "text/plain; charset=utf-8");
      if (res.status !== 200) throw new Error(`write ${pod}: ${res.status} ${res.text}`);
      set(ledger, `vol ${pod}`, "acked", content);
      set(ledger, `vol ${pod}`, "inFlight", undefined);
      acks.n++;
    } catch (err) {
      if (stop()) return;
      throw err;
    }
  }
}

/** Scales kubia between 2 and 3 through the scale subresource (kubia-0 and kubia-1 always stay). */
async function scaleWorker(api: string, ledger: Ledger, acks: { n: number }, stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i++) {
    const replicas = 2 + (i % 2);
    set(ledger, "sts kubia", "inFlight", String(replicas));
    try {
      const res = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/statefulsets/kubia/scale", { spec: { replicas } }, "application/merge-patch+json");
      if (res.status !== 200) throw new Error(`scale: ${res.status} ${res.text}`);
      set(ledger, "sts kubia", "acked", String(replicas));
      set(ledger, "sts kubia", "inFlight", undefined);
      acks.n++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } catch (err) {
      if (stop()) return;
      throw err;
    }
  }
}

async function currentValue(api: string, key: string): Promise<string | null> {
  const [kind, name] = key.split(" ");
  if (kind === "cm") {
    const res = await call(api, "GET", `/api/v1/namespaces/default/configmaps/${name}`);
    if (res.status === 404) return null;
    return cmState(JSON.parse(res.text));
  }
  if (kind === "vol") {
    const res = await call(api, "GET", `/api/v1/namespaces/default/pods/${name}/proxy/`);
    const m = /Data stored on this pod: (.*)\n/.exec(res.text);
    return m ? m[1] : `unreadable: ${res.status} ${res.text}`;
  }
  const res = await call(api, "GET", `/apis/apps/v1/namespaces/default/statefulsets/${name}`);
  return String(JSON.parse(res.text).spec.replicas);
}

function matches(actual: string | null, expected: string | null | undefined): boolean {
  if (expected === undefined) return actual === null;
  if (expected === null || actual === null) return actual === expected;
  // An in-flight create/update is known by its data only (its uid and version were never seen).
  if (expected.startsWith("data:")) return actual !== null && JSON.parse(actual).data !== undefined && JSON.stringify(JSON.parse(actual).data) === expected.slice(5);
  return actual === expected;
}

/** Every kind the controllers leave alone in a steady state: what existed before the kill must all be back. */
const STABLE = [
  "/api/v1/namespaces",
  "/api/v1/nodes",
  "/api/v1/persistentvolumes",
  "/api/v1/namespaces/default/services",
  "/api/v1/namespaces/default/persistentvolumeclaims",
  "/apis/apps/v1/namespaces/default/statefulsets",
  "/apis/storage.k8s.io/v1/storageclasses",
];

async function stableObjects(api: string): Promise<Map<string, { uid: string; rv: number }>> {
  const out = new Map<string, { uid: string; rv: number }>();
  for (const list of STABLE) {
    const { text } = await call(api, "GET", list);
    for (const o of JSON.parse(text).items as { metadata: { namespace?: string; name: string; uid: string; resourceVersion: string } }[]) {
      out.set(`${list} ${o.metadata.name}`, { uid: o.metadata.uid, rv: Number(o.metadata.resourceVersion) });
    }
  }
  return out;
}

describe("the embedded cluster survives kill -9 in the middle of a burst of writes", () => {
  it("every acknowledged object and volume byte is back after a restart", async () => {
    const first = await startClusterProcess();
    await waitForReadyPods(first.api, ["kubia-0", "kubia-1"]);
    const before = await stableObjects(first.api);
    const ledger: Ledger = new Map();
    const acks = { n: 0 };
    let killed = false;
    const stop = () => killed;
    const workers = [
      configMapWorker(first.api, "crash-a", ledger, acks, stop),
      configMapWorker(first.api, "crash-b", ledger, acks, stop),
      configMapWorker(first.api, "crash-c", ledger, acks, stop),
      volumeWorker(first.api, "kubia-0", ledger, acks, stop),
      volumeWorker(first.api, "kubia-1", ledger, acks, stop),
      scaleWorker(first.api, ledger, acks, stop),
    ];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.child.on("exit", (_code, signal) => resolve(signal)));
    // Kill once plenty is acknowledged, while every worker has a request in flight.
    const target = 300;
    while (acks.n < target) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (first.child.exitCode !== null) throw new Error(`the cluster died on its own:\n${first.output()}`);
    }
    killed = true;
    first.child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await Promise.all(workers);
    const inFlightAtKill = [...ledger.values()].filter((k) => k.inFlight !== undefined).length;
    const rvBefore = Math.max(...[...ledger.values()].flatMap((k) => (typeof k.acked === "string" && k.acked.startsWith("{") ? [Number(JSON.parse(k.acked).rv)] : [])));

    const second = await startClusterProcess();
    await waitForReadyPods(second.api, ["kubia-0", "kubia-1"]);
    const wrong: string[] = [];
    let checked = 0;
    for (const [key, k] of ledger) {
      const actual = await currentValue(second.api, key);
      const ok = matches(actual, k.acked) || (k.inFlight !== undefined && matches(actual, k.inFlight));
      if (!ok) wrong.push(`${key}: ${actual} (acknowledged ${k.acked}${k.inFlight !== undefined ? `, in flight ${k.inFlight}` : ""})`);
      checked++;
    }
    expect(wrong, "acknowledged writes lost or changed").toEqual([]);
    // Nothing that existed before the burst went missing or went back in time.
    const after = await stableObjects(second.api);
    for (const [key, o] of before) {
      expect(after.get(key)?.uid, `${key} survived`).toBe(o.uid);
      expect(after.get(key)!.rv, `${key} not older`).toBeGreaterThanOrEqual(o.rv);
    }
    // The global resourceVersion never goes backwards (a lost tail of the log would rewind it).
    const { text } = await call(second.api, "GET", "/api/v1/namespaces/default/configmaps");
    expect(Number(JSON.parse(text).metadata.resourceVersion)).toBeGreaterThanOrEqual(rvBefore);
    console.log(`[crash] kill -9 after ${acks.n} acknowledged writes (${inFlightAtKill} in flight); ${checked} keys checked, ${before.size} pre-existing objects back; nothing lost`);

    // A clean stop, then a truncated snapshot: the start refuses and says which file and what to do.
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.on("exit", resolve));
    const snapshot = path.join(dataDir, "state.snapshot");
    const content = fs.readFileSync(snapshot);
    fs.writeFileSync(snapshot, content.subarray(0, Math.floor(content.length * 0.6)));
    const broken = await failedStart();
    expect(broken.code).not.toBe(0);
    expect(broken.output).toContain(snapshot);
    expect(broken.output).toMatch(/damaged/);
    expect(broken.output).toContain("PLAYGROUND_RESET=1");
    // …and the way out it names works (starting empty, with the demo seeded again).
    const reset = await startClusterProcess({ PLAYGROUND_RESET: "1" });
    await waitForReadyPods(reset.api, ["kubia-0", "kubia-1"]);
    expect((await call(reset.api, "GET", "/api/v1/namespaces/default/configmaps/crash-a-0")).status).toBe(404);
    reset.child.kill("SIGTERM");
    await new Promise((resolve) => reset.child.on("exit", resolve));
  });
});
