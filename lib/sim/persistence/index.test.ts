import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import type { VolumeData } from "../context";
import { createVolumeData } from "../node/volumes";
import { Store, type StoredObject } from "../store/store";
import { attachPersistence, LOG_FILE, PersistenceError, resetPersistence, SNAPSHOT_FILE } from "./index";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-persistence-"));
  dirs.push(dir);
  return dir;
}

function cluster(): { store: Store; volumes: VolumeData } {
  return { store: new Store(new ManualClock()), volumes: createVolumeData() };
}

const configMap = (name: string, value: string): StoredObject =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { value } });

/** What a process killed with -9 leaves behind: files as they are, and a lock whose owner is gone. */
function simulateCrash(dir: string): void {
  fs.rmSync(path.join(dir, "state.lock"));
}

const dump = (c: { store: Store; volumes: VolumeData }) =>
  JSON.stringify({ objects: c.store.snapshot(), volumes: c.volumes.names().map((pv) => [pv, c.volumes.read(pv)]) });

describe("attachPersistence", () => {
  it("brings back objects, deletions, resourceVersion and volume contents after a clean restart", async () => {
    const dir = tempDir();
    const first = cluster();
    const p = await attachPersistence({ dataDir: dir, ...first });
    first.store.create("configmaps", configMap("a", "1"));
    const b = first.store.create("configmaps", configMap("b", "2"));
    b.data = { value: "two" } as never;
    first.store.update("configmaps", b);
    first.store.create("configmaps", configMap("gone", "x"));
    first.store.delete("configmaps", "default", "gone");
    first.volumes.write("pvc-1", "Hey there! ünïcödé\n");
    first.volumes.write("pvc-2", "");
    first.volumes.write("pvc-3", "erased soon");
    first.volumes.erase("pvc-3");
    await p.close();

    const second = cluster();
    const q = await attachPersistence({ dataDir: dir, ...second });
    expect(dump(second)).toBe(dump(first));
    expect(second.store.resourceVersion).toBe(first.store.resourceVersion);
    expect(second.volumes.names()).toEqual(["pvc-1", "pvc-2"]);
    expect(second.store.tryGet("configmaps", "default", "gone")).toBeUndefined();
    await q.close();
  });

  it("replays the write-ahead log after a crash (no close, no final snapshot)", async () => {
    const dir = tempDir();
    const first = cluster();
    await attachPersistence({ dataDir: dir, ...first, compactAfter: 10_000 });
    for (let i = 0; i < 20; i++) first.store.create("configmaps", configMap(`cm-${i}`, `v${i}`));
    first.volumes.write("pvc-9", "data");
    simulateCrash(dir);
    expect(fs.readFileSync(path.join(dir, LOG_FILE), "utf8").trim().split("\n")).toHaveLength(21);

    const second = cluster();
    const q = await attachPersistence({ dataDir: dir, ...second });
    expect(dump(second)).toBe(dump(first));
    await q.close();
  });

  it("drops a torn last record with a warning, and keeps appending cleanly after it", async () => {
    const dir = tempDir();
    const first = cluster();
    await attachPersistence({ dataDir: dir, ...first, compactAfter: 10_000 });
    first.store.create("configmaps", configMap("kept", "yes"));
    simulateCrash(dir);
    fs.appendFileSync(path.join(dir, LOG_FILE), '0badc0de {"seq":3,"kind":"volume","pv":"pvc-1","cont');

    const warnings: string[] = [];
    const second = cluster();
    await attachPersistence({ dataDir: dir, ...second, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringContaining("dropped an incomplete last record")]);
    expect(second.store.get("configmaps", "default", "kept").data).toEqual({ value: "yes" });
    expect(second.volumes.names()).toEqual([]);
    second.volumes.write("pvc-1", "after the crash");
    simulateCrash(dir);

    const third = cluster();
    const r = await attachPersistence({ dataDir: dir, ...third });
    expect(third.volumes.read("pvc-1")).toBe("after the crash");
    await r.close();
  });

  it("refuses a corrupt log record in the middle, naming the file and the way out", async () => {
    const dir = tempDir();
    const first = cluster();
    await attachPersistence({ dataDir: dir, ...first, compactAfter: 10_000 });
    for (let i = 0; i < 3; i++) first.store.create("configmaps", configMap(`cm-${i}`, "v"));
    simulateCrash(dir);
    const logFile = path.join(dir, LOG_FILE);
    fs.writeFileSync(logFile, fs.readFileSync(logFile, "utf8").replace('"cm-1"', '"cm-X"'));

    const attempt = attachPersistence({ dataDir: dir, ...cluster() });
    await expect(attempt).rejects.toThrow(PersistenceError);
    await expect(attempt).rejects.toThrow(`The cluster state file ${logFile} is damaged: record 2 is corrupt`);
    await expect(attempt).rejects.toThrow(/PLAYGROUND_RESET=1/);
    // Nothing was "repaired": the damaged file is still there for inspection.
    expect(fs.readFileSync(logFile, "utf8")).toContain("cm-X");
  });

  it("refuses a truncated snapshot instead of starting empty", async () => {
    const dir = tempDir();
    const first = cluster();
    const p = await attachPersistence({ dataDir: dir, ...first });
    first.store.create("configmaps", configMap("a", "1"));
    await p.close();
    const snapshot = path.join(dir, SNAPSHOT_FILE);
    const content = fs.readFileSync(snapshot);
    fs.writeFileSync(snapshot, content.subarray(0, content.length - 20));
    await expect(attachPersistence({ dataDir: dir, ...cluster() })).rejects.toThrow(
      new RegExp(`${SNAPSHOT_FILE} is damaged: its content does not match its checksum.*mv `),
    );
  });

  it("compacts the log into the snapshot and still restores every change", async () => {
    const dir = tempDir();
    const first = cluster();
    await attachPersistence({ dataDir: dir, ...first, compactAfter: 5 });
    for (let i = 0; i < 23; i++) first.store.create("configmaps", configMap(`cm-${i}`, `v${i}`));
    const logLines = fs.readFileSync(path.join(dir, LOG_FILE), "utf8").split("\n").filter(Boolean);
    expect(logLines.length).toBe(3); // 23 = 4 snapshots × 5 + 3 records in the log
    simulateCrash(dir);
    const second = cluster();
    const q = await attachPersistence({ dataDir: dir, ...second });
    expect(dump(second)).toBe(dump(first));
    await q.close();
  });

  it("skips log records the snapshot already holds (a crash between snapshot rename and log truncation)", async () => {
    const dir = tempDir();
    const logFile = path.join(dir, LOG_FILE);
    const first = cluster();
    await attachPersistence({ dataDir: dir, ...first, compactAfter: 10_000 });
    for (let i = 0; i < 10; i++) first.store.create("configmaps", configMap(`cm-${i}`, "old"));
    simulateCrash(dir);
    const oldLog = fs.readFileSync(logFile, "utf8");

    const second = cluster();
    await attachPersistence({ dataDir: dir, ...second, compactAfter: 10_000 }); // snapshot now holds records 1..10
    const cm = second.store.get("configmaps", "default", "cm-3");
    cm.data = { value: "new" } as never;
    second.store.update("configmaps", cm); // record 11
    simulateCrash(dir);
    fs.writeFileSync(logFile, oldLog + fs.readFileSync(logFile, "utf8"));

    const third = cluster();
    const r = await attachPersistence({ dataDir: dir, ...third });
    expect(dump(third)).toBe(dump(second));
    expect(third.store.get("configmaps", "default", "cm-3").data).toEqual({ value: "new" });
    await r.close();
  });

  it("allows one process per data directory, and takes over the lock of a dead one", async () => {
    const dir = tempDir();
    const p = await attachPersistence({ dataDir: dir, ...cluster() });
    await expect(attachPersistence({ dataDir: dir, ...cluster() })).rejects.toThrow(/is in use by process \d+/);
    await p.close();
    fs.writeFileSync(path.join(dir, "state.lock"), "999999999");
    const q = await attachPersistence({ dataDir: dir, ...cluster() });
    await q.close();
  });

  it("forgets everything on reset, including a damaged state (the way out the error names)", async () => {
    const dir = tempDir();
    const first = cluster();
    const p = await attachPersistence({ dataDir: dir, ...first });
    first.store.create("configmaps", configMap("a", "1"));
    await p.close();
    resetPersistence(dir);
    const second = cluster();
    const q = await attachPersistence({ dataDir: dir, ...second });
    expect(second.store.list("configmaps").items).toEqual([]);
    second.store.create("configmaps", configMap("b", "2"));
    await q.close();

    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), "garbage");
    await expect(attachPersistence({ dataDir: dir, ...cluster() })).rejects.toThrow(PersistenceError);
    process.env.PLAYGROUND_RESET = "1";
    try {
      const third = cluster();
      const r = await attachPersistence({ dataDir: dir, ...third });
      expect(third.store.list("configmaps").items).toEqual([]);
      await r.close();
    } finally {
      delete process.env.PLAYGROUND_RESET;
    }
  });
});
