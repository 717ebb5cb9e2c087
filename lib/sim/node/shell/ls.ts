import { type Entry, FsError, resolvePath } from "./filesystem";
import { checkSignal, type Process, type Program } from "./process";
import { byteOrder, invalidOption, options, path } from "./args";
import { formatDate } from "./system";

/** GNU coreutils 8.23 `ls`: -l -a -A -1 -d -F -h -i, columns on a terminal. */

export function modeString(entry: Entry): string {
  const type = entry.type === "dir" ? "d" : entry.type === "device" ? "c" : entry.type === "symlink" ? "l" : "-";
  const m = entry.mode;
  const triplet = (bits: number, special: boolean, specialChar: string) =>
    `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${special ? (bits & 1 ? specialChar : specialChar.toUpperCase()) : bits & 1 ? "x" : "-"}`;
  return type + triplet((m >> 6) & 7, (m & 0o4000) !== 0, "s") + triplet((m >> 3) & 7, (m & 0o2000) !== 0, "s") + triplet(m & 7, (m & 0o1000) !== 0, "t");
}

/** ls -l's time: "%b %e %H:%M" within the last six months, else "%b %e  %Y". */
export function lsTime(mtime: number, now: number): string {
  const sixMonths = (365.2425 * 24 * 60 * 60 * 1000) / 2;
  const recent = mtime > now - sixMonths && mtime <= now + 60_000;
  return formatDate(mtime, recent ? "%b %e %H:%M" : "%b %e  %Y");
}

interface Listed {
  name: string;
  path: string;
  entry: Entry;
}

export function listDirectory(p: Process, dir: string, all: boolean, almostAll: boolean): Listed[] {
  const child = (name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);
  const names = p.container.fs.list(dir).filter((n) => all || almostAll || !n.startsWith("."));
  const items = names.map((name) => ({ name, path: child(name), entry: p.container.fs.lstat(child(name)) }));
  if (all) {
    items.push({ name: ".", path: dir, entry: p.container.fs.stat(dir) });
    items.push({ name: "..", path: resolvePath(dir, ".."), entry: p.container.fs.stat(resolvePath(dir, "..")) });
  }
  return items.sort((a, b) => byteOrder(a.name, b.name));
}

export function linkCount(p: Process, item: Listed): number {
  if (item.entry.type !== "dir") return 1;
  try {
    return 2 + p.container.fs.list(item.path).filter((n) => p.container.fs.tryLstat(item.path === "/" ? `/${n}` : `${item.path}/${n}`)?.type === "dir").length;
  } catch {
    return 2;
  }
}

export function sizeOf(entry: Entry): number {
  if (entry.type === "symlink") return Buffer.byteLength(entry.target);
  return entry.type === "file" ? Buffer.byteLength(entry.content) : entry.type === "dir" ? 4096 : 0;
}

/** ls -h: powers of 1024, one decimal below 10, rounded up (`4.0K`, `12K`, `1.1M`); bytes as they are. */
function humanSize(bytes: number): string {
  const units = ["K", "M", "G", "T"];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit < 0) return String(bytes);
  return value < 10 ? `${(Math.ceil(value * 10) / 10).toFixed(1)}${units[unit]}` : `${Math.ceil(value)}${units[unit]}`;
}

/**
 * ls -i: the file's inode number. The playground's files have none; a number derived from the path
 * (FNV-1a) is stable for a file and different between files, which is what a learner compares.
 */
function inodeOf(p: Process, file: string): number {
  const real = p.container.fs.walk(file, false);
  let hash = 0x811c9dc5;
  for (const c of Buffer.from(real)) hash = Math.imul(hash ^ c, 0x01000193) >>> 0;
  return real === "/" ? 2 : 100_000 + (hash % 9_000_000);
}

/** Blocks of 1 KiB an ext4 file takes (4 KiB allocation units), for `total`. */
export function blocksOf(entry: Entry): number {
  if (entry.type === "device" || entry.type === "symlink") return 0;
  return Math.ceil(sizeOf(entry) / 4096) * 4;
}

export function longListing(p: Process, items: Listed[], human = false): string {
  const now = p.container.ctx.clock.now();
  const rows = items.map((item) => ({
    mode: modeString(item.entry),
    links: String(linkCount(p, item)),
    // The devices: /dev/null is major 1, minor 3; /dev/zero minor 5.
    size: item.entry.type === "device" ? (item.entry.device === "zero" ? "1, 5" : "1, 3") : human ? humanSize(sizeOf(item.entry)) : String(sizeOf(item.entry)),
    time: lsTime(item.entry.mtime, now),
    name: item.entry.type === "symlink" ? `${item.name} -> ${item.entry.target}` : item.name,
  }));
  const linkWidth = Math.max(0, ...rows.map((r) => r.links.length));
  const sizeWidth = Math.max(0, ...rows.map((r) => r.size.length));
  return rows.map((r) => `${r.mode} ${r.links.padStart(linkWidth)} root root ${r.size.padStart(sizeWidth)} ${r.time} ${r.name}\n`).join("");
}

/** ls -i: each line (or name) led by the inode number, right-aligned in long format. */
function withInodes(p: Process, items: Listed[], lines: string[]): string[] {
  const inodes = items.map((item) => String(inodeOf(p, item.path)));
  const width = Math.max(0, ...inodes.map((i) => i.length));
  return lines.map((line, i) => `${inodes[i].padStart(width)} ${line}`);
}

/** ls -C on a terminal: names in columns, filled top to bottom, as wide as the terminal allows. */
export function columns(names: string[], width: number): string {
  if (!names.length) return "";
  for (let rows = 1; rows <= names.length; rows++) {
    const cols = Math.ceil(names.length / rows);
    const widths = Array.from({ length: cols }, (_c, c) => Math.max(...names.slice(c * rows, c * rows + rows).map((n) => n.length)));
    if (widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1) <= width || rows === names.length) {
      let out = "";
      for (let r = 0; r < rows; r++) {
        const line: string[] = [];
        for (let c = 0; c < cols; c++) {
          const name = names[c * rows + r];
          if (name === undefined) continue;
          const last = c === cols - 1 || names[(c + 1) * rows + r] === undefined;
          line.push(last ? name : name.padEnd(widths[c] + 2));
        }
        out += line.join("") + "\n";
      }
      return out;
    }
  }
  return names.join("\n") + "\n";
}

export const ls: Program = async (p) => {
  const opts = options(p.argv.slice(1), "laA1dFhi");
  if (opts.bad) return invalidOption(p, "ls", opts.bad);
  const long = opts.flags.has("l");
  const inodes = opts.flags.has("i");
  const operands = opts.operands.length ? opts.operands : ["."];
  const format = (items: Listed[]) => {
    if (long) {
      const lines = longListing(p, items, opts.flags.has("h")).split("\n").slice(0, -1);
      return (inodes ? withInodes(p, items, lines) : lines).map((l) => l + "\n").join("");
    }
    const names = inodes ? withInodes(p, items, items.map((i) => i.name)) : items.map((i) => i.name);
    return p.terminal && !opts.flags.has("1") ? columns(names, p.terminal.columns) : names.map((n) => n + "\n").join("");
  };
  let status = 0;
  const files: Listed[] = [];
  const dirs: Listed[] = [];
  for (const operand of operands) {
    const target = path(p, operand);
    try {
      // A link named on the command line is followed, except where it is itself listed (-l, -d).
      const link = p.container.fs.lstat(target);
      const entry = link.type === "symlink" && !long && !opts.flags.has("d") ? p.container.fs.stat(target) : link;
      (entry.type === "dir" && !opts.flags.has("d") ? dirs : files).push({ name: operand, path: target, entry });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`ls: cannot access ${operand}: ${e.message}\n`);
      status = 2;
    }
  }
  files.sort((a, b) => byteOrder(a.name, b.name));
  dirs.sort((a, b) => byteOrder(a.name, b.name));
  let out = format(files);
  const headers = files.length + dirs.length > 1 || status !== 0;
  for (const [i, dir] of dirs.entries()) {
    checkSignal(p.signal);
    const items = listDirectory(p, dir.path, opts.flags.has("a"), opts.flags.has("A"));
    if (out || i > 0) out += "\n";
    if (headers) out += `${dir.name}:\n`;
    const total = items.reduce((n, item) => n + blocksOf(item.entry), 0);
    if (long) out += `total ${opts.flags.has("h") ? humanSize(total * 1024) : total}\n`;
    out += format(items);
  }
  p.stdout.write(out);
  return status;
};

