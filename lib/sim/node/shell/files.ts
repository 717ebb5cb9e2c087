import { FsError } from "./filesystem";
import type { Process, Program } from "./process";
import { invalidOption, options, path } from "./args";

/** The file programs of the image (GNU coreutils 8.23): mkdir, touch, rm, mv, rmdir, ln (ls is in ls.ts). */

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
  // lstat: a symbolic link goes, never what it points to.
  const entry = p.container.fs.lstat(target);
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
      const entry = p.container.fs.lstat(target);
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
  const entry = p.container.fs.lstat(from);
  if (entry.type === "symlink") return p.container.fs.symlink(entry.target, to);
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
    const entry = p.container.fs.lstat(source);
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

/**
 * `ln -s TARGET [LINK]` / `ln -s TARGET… DIRECTORY`, with -f (replace) and -v. Hard links are not
 * simulated (the playground's files have no inodes to share): said so rather than faked with a copy.
 */
export const ln: Program = async (p) => {
  const opts = options(p.argv.slice(1), "sfnv");
  if (opts.bad) return invalidOption(p, "ln", opts.bad);
  if (!opts.operands.length) return missingOperand(p, "ln", "file operand");
  if (!opts.flags.has("s")) {
    p.stderr.write("ln: hard links are in the real ln but not simulated by the playground; use ln -s\n");
    return 126;
  }
  const operands = opts.operands.length === 1 ? [...opts.operands, "."] : opts.operands;
  const last = operands[operands.length - 1];
  const intoDirectory = p.container.fs.tryStat(path(p, last))?.type === "dir" && !(opts.flags.has("n") && p.container.fs.tryLstat(path(p, last))?.type === "symlink");
  if (operands.length > 2 && !intoDirectory) {
    p.stderr.write(`ln: target '${last}' is not a directory\n`);
    return 1;
  }
  const pairs = intoDirectory ? operands.slice(0, -1).map((t) => [t, `${last.replace(/\/+$/, "")}/${t.replace(/\/+$/, "").split("/").pop()}`]) : [operands];
  let status = 0;
  for (const [target, link] of pairs) {
    try {
      if (opts.flags.has("f") && p.container.fs.tryLstat(path(p, link)) && p.container.fs.lstat(path(p, link)).type !== "dir") p.container.fs.unlink(path(p, link));
      p.container.fs.symlink(target, path(p, link));
      if (opts.flags.has("v")) p.stdout.write(`'${link}' -> '${target}'\n`);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`ln: failed to create symbolic link '${link}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};
