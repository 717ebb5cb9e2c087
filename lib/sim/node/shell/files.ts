import { type Entry, FsError, resolvePath } from "./filesystem";
import { checkSignal, type Process, type Program } from "./process";
import { byteOrder, invalidOption, options, path } from "./args";
import { formatDate } from "./system";

/** The file programs of the image (GNU coreutils 8.23): mkdir, touch, rm, mv, rmdir, ls. */

/**
 * Runs `each` on every operand as coreutils does: a file-system error is reported as
 * `<program>: <failure> '<operand>': <reason>` and the program goes on, ending with status 1.
 * `each` may also return 1 for a failure it reported itself.
 */
function eachOperand(p: Process, name: string, operands: string[], failure: string, each: (target: string) => number | void): number {
  let status = 0;
  for (const operand of operands) {
    try {
      status = each(path(p, operand)) || status;
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`${name}: ${failure} '${operand}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
}

/** The usual complaint of a program given nothing to work on. */
function missingOperand(p: Process, name: string, what = "operand"): number {
  p.stderr.write(`${name}: missing ${what}\nTry '${name} --help' for more information.\n`);
  return 1;
}

/** mkdir -p: every missing directory on the way; an existing non-directory fails. */
function makeParents(p: Process, target: string): void {
  let current = "";
  for (const segment of target.split("/").filter(Boolean)) {
    current += "/" + segment;
    const entry = p.container.fs.tryStat(current);
    if (entry?.type === "dir") continue;
    if (entry) throw new FsError("EEXIST");
    p.container.fs.mkdir(current);
  }
}

export const mkdir: Program = async (p) => {
  const opts = options(p.argv.slice(1), "pv");
  if (opts.bad) return invalidOption(p, "mkdir", opts.bad);
  if (!opts.operands.length) return missingOperand(p, "mkdir");
  return eachOperand(p, "mkdir", opts.operands, "cannot create directory", (target) => (opts.flags.has("p") ? makeParents(p, target) : p.container.fs.mkdir(target)));
};

export const touch: Program = async (p) => {
  const opts = options(p.argv.slice(1), "acm");
  if (opts.bad) return invalidOption(p, "touch", opts.bad);
  if (!opts.operands.length) return missingOperand(p, "touch", "file operand");
  return eachOperand(p, "touch", opts.operands, "cannot touch", (target) => {
    const entry = p.container.fs.tryStat(target);
    if (entry?.type === "dir" || entry?.type === "device") return;
    if (entry && opts.flags.has("c")) return;
    // Rewriting the same bytes is how the playground moves a file's modification time.
    p.container.fs.writeFile(target, entry?.type === "file" ? entry.content : "");
  });
};

/** Removes `target` and, for a directory, everything in it (rm -r). */
function removeTree(p: Process, target: string): void {
  const entry = p.container.fs.stat(target);
  if (entry.type === "dir") {
    for (const name of p.container.fs.list(target)) removeTree(p, target === "/" ? `/${name}` : `${target}/${name}`);
    p.container.fs.rmdir(target);
  } else p.container.fs.unlink(target);
}

export const rm: Program = async (p) => {
  const opts = options(p.argv.slice(1), "rRfiv");
  if (opts.bad) return invalidOption(p, "rm", opts.bad);
  const force = opts.flags.has("f");
  const recursive = opts.flags.has("r") || opts.flags.has("R");
  if (!opts.operands.length) return force ? 0 : missingOperand(p, "rm");
  return eachOperand(p, "rm", opts.operands, "cannot remove", (target) => {
    if (recursive && target === "/") {
      p.stderr.write("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      return 1;
    }
    try {
      const entry = p.container.fs.stat(target);
      if (entry.type === "dir" && !recursive) throw new FsError("EISDIR");
      if (recursive) removeTree(p, target);
      else p.container.fs.unlink(target);
    } catch (e) {
      if (!(force && e instanceof FsError && e.code === "ENOENT")) throw e;
    }
  });
};

/** Copies `from` to `to` (a tree for a directory): a rename across mounts is copy and remove, as mv does it. */
function copyTree(p: Process, from: string, to: string): void {
  const entry = p.container.fs.stat(from);
  if (entry.type !== "dir") return p.container.fs.writeFile(to, entry.type === "file" ? entry.content : "");
  if (p.container.fs.tryStat(to)?.type !== "dir") p.container.fs.mkdir(to);
  for (const name of p.container.fs.list(from)) copyTree(p, `${from === "/" ? "" : from}/${name}`, `${to}/${name}`);
}

/** mv SOURCE DEST, or mv SOURCE... DIRECTORY; -v prints `'a' -> 'b'` (coreutils 8.23 in the C locale). */
export const mv: Program = async (p) => {
  const opts = options(p.argv.slice(1), "finv");
  if (opts.bad) return invalidOption(p, "mv", opts.bad);
  if (!opts.operands.length) return missingOperand(p, "mv", "file operand");
  if (opts.operands.length === 1) return missingOperand(p, "mv", `destination file operand after '${opts.operands[0]}'`);
  const last = opts.operands[opts.operands.length - 1];
  const dest = path(p, last);
  const intoDir = p.container.fs.tryStat(dest)?.type === "dir";
  if (opts.operands.length > 2 && !intoDir) {
    p.stderr.write(`mv: target '${last}' is not a directory\n`);
    return 1;
  }
  const sources = opts.operands.slice(0, -1);
  let index = 0;
  return eachOperand(p, "mv", sources, "cannot stat", (source) => {
    const shown = sources[index++];
    const entry = p.container.fs.stat(source);
    const base = source.slice(source.lastIndexOf("/") + 1);
    const target = intoDir ? `${dest === "/" ? "" : dest}/${base}` : dest;
    const targetShown = intoDir ? `${last.replace(/\/+$/, "")}/${base}` : last;
    if (target === source) return;
    if (entry.type === "dir" && (target + "/").startsWith(source + "/")) {
      p.stderr.write(`mv: cannot move '${source}' to a subdirectory of itself, '${target}'\n`);
      return 1;
    }
    copyTree(p, source, target);
    removeTree(p, source);
    if (opts.flags.has("v")) p.stdout.write(`'${shown}' -> '${targetShown}'\n`);
  });
};

export const rmdir: Program = async (p) => {
  const operands = p.argv.slice(1);
  if (!operands.length) return missingOperand(p, "rmdir");
  return eachOperand(p, "rmdir", operands, "failed to remove", (target) => p.container.fs.rmdir(target));
};

/** `ls -l`'s mode column: type, then rwx for owner, group and others (with setuid/setgid/sticky). */
export function modeString(entry: Entry): string {
  const type = entry.type === "dir" ? "d" : entry.type === "device" ? "c" : "-";
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
  const items = names.map((name) => ({ name, path: child(name), entry: p.container.fs.stat(child(name)) }));
  if (all) {
    items.push({ name: ".", path: dir, entry: p.container.fs.stat(dir) });
    items.push({ name: "..", path: resolvePath(dir, ".."), entry: p.container.fs.stat(resolvePath(dir, "..")) });
  }
  return items.sort((a, b) => byteOrder(a.name, b.name));
}

export function linkCount(p: Process, item: Listed): number {
  if (item.entry.type !== "dir") return 1;
  try {
    return 2 + p.container.fs.list(item.path).filter((n) => p.container.fs.tryStat(item.path === "/" ? `/${n}` : `${item.path}/${n}`)?.type === "dir").length;
  } catch {
    return 2;
  }
}

export function sizeOf(entry: Entry): number {
  return entry.type === "file" ? Buffer.byteLength(entry.content) : entry.type === "dir" ? 4096 : 0;
}

/** Blocks of 1 KiB an ext4 file takes (4 KiB allocation units), for `total`. */
export function blocksOf(entry: Entry): number {
  if (entry.type === "device") return 0;
  return Math.ceil(sizeOf(entry) / 4096) * 4;
}

export function longListing(p: Process, items: Listed[]): string {
  const now = p.container.ctx.clock.now();
  const rows = items.map((item) => ({
    mode: modeString(item.entry),
    links: String(linkCount(p, item)),
    // The devices: /dev/null is major 1, minor 3; /dev/zero minor 5.
    size: item.entry.type === "device" ? (item.entry.device === "zero" ? "1, 5" : "1, 3") : String(sizeOf(item.entry)),
    time: lsTime(item.entry.mtime, now),
    name: item.name,
  }));
  const linkWidth = Math.max(0, ...rows.map((r) => r.links.length));
  const sizeWidth = Math.max(0, ...rows.map((r) => r.size.length));
  return rows.map((r) => `${r.mode} ${r.links.padStart(linkWidth)} root root ${r.size.padStart(sizeWidth)} ${r.time} ${r.name}\n`).join("");
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
  const opts = options(p.argv.slice(1), "laA1dFh");
  if (opts.bad) return invalidOption(p, "ls", opts.bad);
  const long = opts.flags.has("l");
  const operands = opts.operands.length ? opts.operands : ["."];
  const format = (items: Listed[]) =>
    long ? longListing(p, items) : p.terminal && !opts.flags.has("1") ? columns(items.map((i) => i.name), p.terminal.columns) : items.map((i) => i.name + "\n").join("");
  let status = 0;
  const files: Listed[] = [];
  const dirs: Listed[] = [];
  for (const operand of operands) {
    const target = path(p, operand);
    try {
      const entry = p.container.fs.stat(target);
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
    if (long) out += `total ${items.reduce((n, item) => n + blocksOf(item.entry), 0)}\n`;
    out += format(items);
  }
  p.stdout.write(out);
  return status;
};

