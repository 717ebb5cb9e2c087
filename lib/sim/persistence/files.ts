import fs from "node:fs";
import path from "node:path";
import { simLog } from "../log";

/**
 * Durable file operations. Synchronous on purpose: the store calls its commit hooks synchronously
 * and a write must be on disk before the API call that made it returns.
 */

/** Makes a rename or a new file's directory entry survive power loss (fsync of the directory). */
export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `file` atomically: write a temporary file, fsync it, rename it over the old one, fsync
 * the directory. A crash at any point leaves either the old or the new content, never a mix.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDirectory(path.dirname(file));
}

/**
 * An append-only log file. Every append is written (write(2)) before `append` returns, so it
 * survives the process being killed; the fdatasync that makes it survive power loss runs off the
 * event loop (libuv's thread pool) and is shared by every append made while one is in flight
 * (group commit, as etcd batches its WAL fsyncs): a reconcile pass that writes 500 objects costs
 * one or two fsyncs, not 500, and no fsync ever blocks the API server (at speed 100 a synchronous
 * fdatasync per turn took a quarter of the process's time). `close` syncs what is left.
 */
export class DurableLog {
  private syncPending = false;
  private syncing = false;

  private constructor(
    private fd: number,
    private readonly sync: boolean,
  ) {}

  static open(file: string, opts: { sync: boolean }): DurableLog {
    const existed = fs.existsSync(file);
    const log = new DurableLog(fs.openSync(file, "a"), opts.sync);
    if (!existed && opts.sync) fsyncDirectory(path.dirname(file));
    return log;
  }

  /** One write(2) per record, so a kill can only tear the record being written, never an earlier one. */
  append(text: string): void {
    fs.writeSync(this.fd, text);
    if (!this.sync) return;
    this.syncPending = true;
    this.startSync();
  }

  /** One fdatasync at a time in the thread pool; what was appended meanwhile waits for the next. */
  private startSync(): void {
    if (this.syncing || !this.syncPending || this.fd < 0) return;
    this.syncing = true;
    this.syncPending = false;
    fs.fdatasync(this.fd, (err) => {
      this.syncing = false;
      // The data is written already (it survives a kill); a failed sync only weakens the power-loss guarantee.
      if (err && this.fd >= 0) simLog.error("persistence", "fdatasync of the write-ahead log failed", err);
      this.startSync();
    });
  }

  /** Synchronous fdatasync of everything appended so far (close, tests). */
  flush(): void {
    if (this.fd < 0 || (!this.syncPending && !this.syncing)) return;
    this.syncPending = false;
    fs.fdatasyncSync(this.fd);
  }

  /** Empties the log once a snapshot covers it. */
  truncate(): void {
    this.syncPending = false;
    fs.ftruncateSync(this.fd, 0);
    if (this.sync) fs.fsyncSync(this.fd);
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process per data directory: two writers would interleave their logs. A lock left by a
 * process that died (kill -9, power loss) is taken over.
 */
export function acquireLock(file: string): () => void {
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new Error(`The data directory ${path.dirname(file)} is in use by process ${holder} (another playground or cluster?). Stop it first, or use another PLAYGROUND_DATA_DIR.`);
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
}
