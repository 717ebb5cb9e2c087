import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createVolumeData } from "../node/volumes";
import { Store } from "../store/store";
import { attachPersistence, SNAPSHOT_FILE } from "./index";

/**
 * kill -9 in the middle of a burst of writes, then reopen: every write the child acknowledged must
 * be back, byte for byte. The child announces each write (WILL) before making it and acknowledges
 * it (ACK) after the call returned; only the last announced write may or may not have made it.
 */
const CHILD = path.join(import.meta.dirname, "testing", "crashChild.ts");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-crash-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface ChildRun {
  lines: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the child until it has acknowledged `acks` writes, then SIGKILLs it. */
function runChild(prefix: string, acks: number | "none"): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, prefix], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let acked = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (acks !== "none" && child.exitCode === null && child.signalCode === null) {
        acked = (out.match(/^ACK /gm) ?? []).length;
        if (acked >= acks) child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      // Only complete lines count: the last one may have been cut by the kill.
      resolve({ lines: out.split("\n").slice(0, -1), signal, stderr: err });
    });
  });
}

type Expected = Map<string, string | null>; // "obj name" / "vol pv" → JSON of the acknowledged value, or null for gone

/** Folds a run's acknowledgements into what must be on disk; returns the write that was in flight, if any. */
function acknowledged(run: ChildRun, expected: Expected): string | undefined {
  let inFlight: string | undefined;
  for (const line of run.lines) {
    const m = /^(WILL|ACK) (obj|vol) (\S+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const key = `${m[2]} ${m[3]}`;
    if (m[1] === "WILL") inFlight = key;
    else {
      expected.set(key, m[4] === "null" ? null : m[4]);
      inFlight = undefined;
    }
  }
  return inFlight;
}

function valueOf(key: string, store: Store, volumes: ReturnType<typeof createVolumeData>): string {
  const [kind, name] = key.split(" ");
  if (kind === "obj") return JSON.stringify(store.tryGet("configmaps", "default", name) ?? null);
  return volumes.names().includes(name) ? JSON.stringify(volumes.read(name)) : "null";
}

/**
 * Reopens the data directory and compares every acknowledged write. The write in flight at the
 * kill may or may not have landed; whichever it is, later rounds must keep it, so `expected` takes it.
 */
async function reopenAndCompare(expected: Expected, inFlight: string | undefined): Promise<number> {
  const store = new Store();
  const volumes = createVolumeData();
  const persistence = await attachPersistence({ dataDir, store, volumes });
  let checked = 0;
  try {
    for (const [key, value] of expected) {
      if (key === inFlight) continue;
      expect(valueOf(key, store, volumes), key).toBe(value ?? "null");
      checked++;
    }
    if (inFlight) expected.set(inFlight, valueOf(inFlight, store, volumes));
  } finally {
    await persistence.close();
  }
  return checked;
}

describe("crash safety (kill -9 mid-burst)", () => {
  const expected: Expected = new Map();

  it.each([
    ["r1", 150],
    ["r2", 700],
    ["r3", 40],
  ])("round %s: every acknowledged write survives a kill -9 after %i acknowledgements", async (prefix, acks) => {
    const run = await runChild(prefix, acks);
    expect(run.stderr).toBe("");
    expect(run.lines[0]).toBe("READY");
    expect(run.signal).toBe("SIGKILL"); // killed in the middle of its burst, not finished
    const inFlight = acknowledged(run, expected);
    const checked = await reopenAndCompare(expected, inFlight);
    expect(checked).toBeGreaterThanOrEqual(Math.min(acks, 40) / 2);
  });

  it("reports a truncated snapshot by name instead of starting empty", async () => {
    const snapshot = path.join(dataDir, SNAPSHOT_FILE);
    const content = fs.readFileSync(snapshot);
    fs.writeFileSync(snapshot, content.subarray(0, Math.floor(content.length / 2)));
    const run = await runChild("r4", "none");
    expect(run.signal).toBeNull();
    expect(run.lines.join("\n")).toMatch(new RegExp(`^ERROR The cluster state file ${snapshot} is damaged: .*PLAYGROUND_RESET=1`, "m"));
  });
});
