import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import type { ChangeEvent, StoreSnapshot } from "../store/store";

/**
 * On-disk format of the embedded cluster's state.
 *
 * Snapshot (`state.snapshot`): two lines, a header with the SHA-256 of the body, then the body
 * (all objects and all volume contents as JSON). `seq` is the last log record it includes.
 *
 * Write-ahead log (`state.wal`): one record per line, `<crc32 hex> <json>`; `seq` increases by one
 * per record. A record is either a committed store change or a volume's new content (null: erased).
 */

export const FORMAT = "statefulset-playground/state";
export const FORMAT_VERSION = 1;

export interface State {
  store: StoreSnapshot;
  volumes: Record<string, string>;
}

export type LogEntry =
  | { kind: "object"; event: Pick<ChangeEvent, "resource" | "type" | "object" | "resourceVersion"> }
  | { kind: "volume"; pv: string; content: string | null };

export type LogRecord = LogEntry & { seq: number };

/** A state file that cannot be trusted. The message names the file and the way out. */
export class PersistenceError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `The cluster state file ${file} is damaged: ${reason}. ` +
        `Refusing to start from a partial state. To keep it for inspection and start with an empty cluster, ` +
        `move it away (mv "${file}" "${file}.damaged"), or start with PLAYGROUND_RESET=1 to discard the saved state.`,
    );
    this.name = "PersistenceError";
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function encodeSnapshot(seq: number, state: State): string {
  const body = JSON.stringify(state);
  return `${JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, seq, sha256: sha256(body) })}\n${body}\n`;
}

export function decodeSnapshot(file: string, text: string): { seq: number; state: State } {
  const [headerLine, body, ...rest] = text.split("\n");
  let header: { format?: string; version?: number; seq?: number; sha256?: string };
  try {
    header = JSON.parse(headerLine);
  } catch {
    throw new PersistenceError(file, "its header is not readable (truncated or overwritten?)");
  }
  if (header.format !== FORMAT) throw new PersistenceError(file, "it is not a playground state file");
  if (header.version !== FORMAT_VERSION) throw new PersistenceError(file, `it has format version ${header.version}, this playground reads ${FORMAT_VERSION}`);
  if (body === undefined || rest.join("") !== "" || sha256(body) !== header.sha256) {
    throw new PersistenceError(file, "its content does not match its checksum (truncated or modified)");
  }
  const state = JSON.parse(body) as State;
  if (!Number.isInteger(header.seq) || !state?.store?.objects || typeof state.volumes !== "object") {
    throw new PersistenceError(file, "it lacks the objects or volumes it should hold");
  }
  return { seq: header.seq!, state };
}

export function encodeRecord(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/** Parses one complete log line; undefined when it does not check out. */
export function decodeRecord(line: string): LogRecord | undefined {
  const match = /^([0-9a-f]{8}) (.*)$/.exec(line);
  if (!match || crc32(match[2]).toString(16).padStart(8, "0") !== match[1]) return undefined;
  try {
    const record = JSON.parse(match[2]) as LogRecord;
    return Number.isInteger(record.seq) && (record.kind === "object" || record.kind === "volume") ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a log. A last line without its newline is a record torn by a crash in the middle of its
 * write: it was never acknowledged, so it is dropped (`validLength` tells where the log really
 * ends), as databases do with a torn WAL tail. Any other damage is an error.
 */
export function decodeLog(file: string, text: string): { records: LogRecord[]; validLength: number; tornTail: boolean } {
  const records: LogRecord[] = [];
  let offset = 0;
  for (;;) {
    const end = text.indexOf("\n", offset);
    if (end < 0) break;
    const record = decodeRecord(text.slice(offset, end));
    if (!record) throw new PersistenceError(file, `record ${records.length + 1} is corrupt`);
    const expected = records.length ? records[records.length - 1].seq + 1 : record.seq;
    if (record.seq !== expected) throw new PersistenceError(file, `record ${records.length + 1} has sequence ${record.seq}, expected ${expected}`);
    records.push(record);
    offset = end + 1;
  }
  const tornTail = offset < text.length;
  return { records, validLength: Buffer.byteLength(text.slice(0, offset)), tornTail };
}
