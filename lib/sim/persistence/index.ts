import fs from "node:fs";
import path from "node:path";
import type { VolumeData } from "../context";
import type { Store } from "../store/store";
import { acquireLock, DurableLog, writeFileAtomic } from "./files";
import { decodeLog, decodeSnapshot, encodeRecord, encodeSnapshot, type LogEntry, type LogRecord, PersistenceError, type State } from "./format";

export { PersistenceError } from "./format";

export const SNAPSHOT_FILE = "state.snapshot";
export const LOG_FILE = "state.wal";
const LOCK_FILE = "state.lock";

export interface PersistenceOptions {
  dataDir: string;
  store: Store;
  volumes: VolumeData;
  /** Fold the log into a new snapshot after this many records (bounds restart time and disk use). */
  compactAfter?: number;
  /** fsync every write (default). Off only where durability against power loss does not matter. */
  sync?: boolean;
  /** Told about a torn last log record that was dropped on open (a crash mid-write). */
  onWarning?: (message: string) => void;
  /**
   * Discard the saved state and start empty. Defaults to PLAYGROUND_RESET=1, the way out that a
   * PersistenceError names, so that advice holds however the cluster was started.
   */
  reset?: boolean;
  /** Runs once the saved state is loaded, before it is folded into a fresh snapshot (startup.ts's checks). */
  afterLoad?: () => void;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function currentState(store: Store, volumes: VolumeData): State {
  return { store: store.snapshot(), volumes: Object.fromEntries(volumes.names().map((pv) => [pv, volumes.read(pv)])) };
}

function applyRecord(record: LogRecord, store: Store, volumes: VolumeData): void {
  if (record.kind === "object") store.replay({ ...record.event });
  else if (record.content === null) volumes.erase(record.pv);
  else volumes.write(record.pv, record.content);
}

/** Loads snapshot + log into the store and volumes; returns the last sequence number applied. */
function load(opts: PersistenceOptions, snapshotFile: string, logFile: string): number {
  let seq = 0;
  const snapshotText = readIfExists(snapshotFile);
  if (snapshotText !== undefined) {
    const snapshot = decodeSnapshot(snapshotFile, snapshotText);
    opts.store.restore(snapshot.state.store);
    for (const pv of opts.volumes.names()) opts.volumes.erase(pv);
    for (const [pv, content] of Object.entries(snapshot.state.volumes)) opts.volumes.write(pv, content);
    seq = snapshot.seq;
  }
  const logText = readIfExists(logFile) ?? "";
  const log = decodeLog(logFile, logText);
  const fresh = log.records.filter((r) => r.seq > seq); // older ones are already in the snapshot
  if (fresh.length && fresh[0].seq !== seq + 1) {
    throw new PersistenceError(logFile, `it continues at record ${fresh[0].seq} but the snapshot ends at ${seq}`);
  }
  for (const record of fresh) applyRecord(record, opts.store, opts.volumes);
  if (log.tornTail) {
    opts.onWarning?.(`${logFile}: dropped an incomplete last record (the previous run stopped in the middle of writing it; it was never acknowledged).`);
  }
  return fresh.length ? fresh[fresh.length - 1].seq : seq;
}

/**
 * Makes the embedded cluster's state survive restarts and crashes. On open it loads the saved
 * snapshot and write-ahead log into `store` and `volumes` (attach before anything else writes to
 * them: the saved state replaces what they hold). From then on every store commit and every
 * volume change is appended to the log before the write returns, so `kill -9` at any moment loses
 * nothing that was acknowledged; the fsync against power loss follows within the same turn of the
 * event loop, shared by the writes of that turn (DurableLog). A damaged file stops the start with a
 * PersistenceError naming it and the way out; only a torn last log record is tolerated.
 */
export async function attachPersistence(opts: PersistenceOptions): Promise<{ close(): Promise<void> }> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const snapshotFile = path.join(opts.dataDir, SNAPSHOT_FILE);
  const logFile = path.join(opts.dataDir, LOG_FILE);
  const releaseLock = acquireLock(path.join(opts.dataDir, LOCK_FILE)); // before reset: never wipe a running cluster's files
  if (opts.reset ?? process.env.PLAYGROUND_RESET === "1") resetPersistence(opts.dataDir);
  let log: DurableLog | undefined;
  let unsubscribe: (() => void)[] = [];
  try {
    fs.rmSync(`${snapshotFile}.tmp`, { force: true }); // a snapshot that was never renamed into place
    let seq = load(opts, snapshotFile, logFile);
    opts.afterLoad?.();
    const sync = opts.sync !== false;
    // A snapshot costs O(objects): fold the log after at least as many records as there are
    // objects, so a big cluster (1,000 pods) does not rewrite its whole state every 1,000 writes.
    const minCompact = Math.max(1, opts.compactAfter ?? 1000);
    const objectCount = () => opts.store.resources().reduce((n, r) => n + opts.store.count(r), 0);
    let compactAfter = minCompact;
    log = DurableLog.open(logFile, { sync });
    const wal = log;
    let sinceSnapshot = 0;

    // The snapshot is renamed into place before the log is emptied: a crash in between leaves log
    // records the snapshot already holds, which `load` skips by their sequence numbers.
    const compact = () => {
      writeFileAtomic(snapshotFile, encodeSnapshot(seq, currentState(opts.store, opts.volumes)));
      wal.truncate();
      sinceSnapshot = 0;
      compactAfter = opts.compactAfter !== undefined ? minCompact : Math.max(minCompact, 2 * objectCount());
    };
    const record = (entry: LogEntry) => {
      wal.append(encodeRecord({ ...entry, seq: seq + 1 }));
      seq += 1;
      if (++sinceSnapshot >= compactAfter) compact();
    };

    compact(); // start from one clean snapshot (drops a torn tail, folds in the old log)
    unsubscribe = [
      opts.store.onCommit((e) => record({ kind: "object", event: { resource: e.resource, type: e.type, object: e.object, resourceVersion: e.resourceVersion } })),
      opts.volumes.onChange((pv) => record({ kind: "volume", pv, content: opts.volumes.names().includes(pv) ? opts.volumes.read(pv) : null })),
    ];
    return {
      close: async () => {
        unsubscribe.forEach((u) => u());
        unsubscribe = [];
        if (!log) return;
        compact();
        log.close();
        log = undefined;
        releaseLock();
      },
    };
  } catch (e) {
    unsubscribe.forEach((u) => u());
    log?.close();
    releaseLock();
    throw e;
  }
}

/** PLAYGROUND_RESET=1: forget the saved cluster state (snapshot and log) before attaching. */
export function resetPersistence(dataDir: string): void {
  for (const file of [SNAPSHOT_FILE, LOG_FILE, `${SNAPSHOT_FILE}.tmp`]) fs.rmSync(path.join(dataDir, file), { force: true });
}
