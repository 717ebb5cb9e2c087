import { FsError } from "./filesystem";
import { path, readOperand } from "./args";
import type { Process, Program } from "./process";

/**
 * GNU coreutils 8.23 `dd`, for what the upstream e2e specs and learners run with it:
 * `dd if=/dev/zero of=FILE bs=1 count=1 conv=fsync`, `echo x | dd of=FILE conv=fsync`. Operands
 * if=, of=, bs=, ibs=, obs=, count=, conv= (fsync, fdatasync, notrunc, sync ignored as the
 * playground's files are always on disk) and status= (none, noxfer). skip=, seek=, iflag= and
 * oflag= are said to be not simulated rather than misread.
 */

const NOT_SIMULATED = new Set(["skip", "seek", "iflag", "oflag", "cbs", "iseek", "oseek"]);
const CONVERSIONS = new Set(["fsync", "fdatasync", "notrunc", "sync", "noerror"]);

/** dd's block sizes: a number with an optional multiplier suffix (c w b k K M G, kB MB GB, KiB …). */
function parseSize(text: string): number | undefined {
  const match = /^(\d+)(c|w|b|kB|KB|KiB|k|K|MB|MiB|M|GB|GiB|G)?$/.exec(text);
  if (!match) return undefined;
  const unit = match[2] ?? "";
  const factor: Record<string, number> = { "": 1, c: 1, w: 2, b: 512, kB: 1000, KB: 1000, k: 1024, K: 1024, KiB: 1024, MB: 1e6, M: 2 ** 20, MiB: 2 ** 20, GB: 1e9, G: 2 ** 30, GiB: 2 ** 30 };
  return Number(match[1]) * factor[unit];
}

interface Operands {
  input?: string;
  output?: string;
  ibs: number;
  obs: number;
  count?: number;
  conv: Set<string>;
  status?: string;
}

function parseOperands(p: Process): Operands | number {
  const ops: Operands = { ibs: 512, obs: 512, conv: new Set() };
  for (const arg of p.argv.slice(1)) {
    const eq = arg.indexOf("=");
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    if (eq < 0 || !["if", "of", "bs", "ibs", "obs", "count", "conv", "status", ...NOT_SIMULATED].includes(key)) {
      p.stderr.write(`dd: unrecognized operand '${arg}'\nTry 'dd --help' for more information.\n`);
      return 1;
    }
    if (NOT_SIMULATED.has(key)) {
      p.stderr.write(`dd: the operand '${key}=' is in the real dd but not simulated by the playground\n`);
      return 126;
    }
    if (key === "if") ops.input = value;
    else if (key === "of") ops.output = value;
    else if (key === "conv" || key === "status") {
      const bad = key === "conv" ? value.split(",").find((c) => !CONVERSIONS.has(c)) : ["none", "noxfer", "progress"].includes(value) ? undefined : value;
      if (bad !== undefined) {
        p.stderr.write(`dd: invalid ${key === "conv" ? "conversion" : "status level"}: '${bad}'\nTry 'dd --help' for more information.\n`);
        return 1;
      }
      if (key === "conv") value.split(",").forEach((c) => ops.conv.add(c));
      else ops.status = value;
    } else {
      const n = parseSize(value);
      if (n === undefined || (n === 0 && key !== "count")) {
        p.stderr.write(`dd: invalid number: '${value}'\n`);
        return 1;
      }
      if (key === "count") ops.count = n;
      if (key === "bs" || key === "ibs") ops.ibs = n;
      if (key === "bs" || key === "obs") ops.obs = n;
    }
  }
  return ops;
}

/** The bytes dd reads: a file, a device, or its standard input. Undefined (reported) when it cannot. */
async function readInput(p: Process, ops: Operands): Promise<Buffer | number> {
  if (ops.input === undefined) return Buffer.from(await readOperand(p, "-"), "utf8");
  const entry = p.container.fs.tryStat(path(p, ops.input));
  if (entry?.type === "device" && entry.device === "zero") {
    if (ops.count === undefined) {
      p.stderr.write("dd: reading /dev/zero without count= (until the disk is full) is not simulated by the playground\n");
      return 126;
    }
    return Buffer.alloc(ops.count * ops.ibs);
  }
  try {
    return Buffer.from(p.container.fs.readFile(path(p, ops.input)), "utf8");
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    p.stderr.write(`dd: failed to open '${ops.input}': ${e.message}\n`);
    return 1;
  }
}

/** `N+M records`: whole blocks and a partial last one. */
const records = (bytes: number, size: number) => `${Math.floor(bytes / size)}+${bytes % size ? 1 : 0}`;

/** human_readable with human_SI | human_B and autoscale, as dd 8.23 prints sizes: `1 B`, `12 kB`, `1.0 MB`. */
export function siSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value < 10 ? (Math.ceil(value * 10) / 10).toFixed(1) : Math.ceil(value)} ${units[unit]}`;
}

function statistics(p: Process, ops: Operands, bytes: number, seconds: number): void {
  if (ops.status === "none") return;
  p.stderr.write(`${records(bytes, ops.ibs)} records in\n${records(bytes, ops.obs)} records out\n`);
  if (ops.status === "noxfer") return;
  const rate = seconds > 0 ? `${siSize(bytes / seconds)}/s` : "Infinity B/s";
  p.stderr.write(`${bytes} byte${bytes === 1 ? "" : "s"} (${siSize(bytes)}) copied, ${seconds} s, ${rate}\n`);
}

export const dd: Program = async (p) => {
  const ops = parseOperands(p);
  if (typeof ops === "number") return ops;
  const started = p.container.ctx.clock.now();
  const input = await readInput(p, ops);
  if (typeof input === "number") return input;
  const data = ops.count === undefined ? input : input.subarray(0, ops.count * ops.ibs);
  // The playground's files hold text; zero bytes and other binary data keep one character per byte.
  const text = data.toString(ops.input !== undefined && p.container.fs.tryStat(path(p, ops.input))?.type === "device" ? "latin1" : "utf8");
  if (ops.output === undefined) p.stdout.write(text);
  else {
    const target = path(p, ops.output);
    try {
      const existing = ops.conv.has("notrunc") ? p.container.fs.tryStat(target) : undefined;
      const kept = existing?.type === "file" ? existing.content.slice(text.length) : "";
      p.container.fs.writeFile(target, text + kept);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`dd: failed to open '${ops.output}': ${e.message}\n`);
      return 1;
    }
  }
  statistics(p, ops, data.length, (p.container.ctx.clock.now() - started) / 1000);
  return 0;
};
