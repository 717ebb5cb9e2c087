import { basename, type Entry, FsError, resolvePath } from "./filesystem";
import type { Process, Program } from "./process";

/**
 * GNU tar (1.27) for what `kubectl cp` runs through exec: `tar cf - <path>` (an archive of a file or
 * a directory on stdout) and `tar -xmf - [-C dir]` (unpacking stdin). The archive is the ustar
 * format (512-byte blocks; PAX and GNU long names are read). Hand-written rather than a tar
 * library: the userland's files and streams are text (volume contents are strings), and the format
 * needed here is a few dozen lines; a library would add a stream layer around Buffers for it.
 */

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** One ustar header: name (prefix/name split for long paths), mode, size, mtime, type. */
function header(name: string, entry: Entry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  let prefix = "";
  let rest = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", 155);
    prefix = name.slice(0, cut);
    rest = name.slice(cut + 1);
  }
  block.write(rest, 0, 100, "utf8");
  block.write(octal(entry.mode & 0o7777, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(Math.floor(entry.mtime / 1000), 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write(entry.type === "dir" ? "5" : entry.type === "symlink" ? "2" : "0", 156, "ascii");
  if (entry.type === "symlink") block.write(entry.target, 157, 100, "utf8");
  block.write("ustar  \0", 257, "ascii");
  block.write("root", 265, "ascii");
  block.write("root", 297, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + " ", 148, "ascii");
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The archive of `path` (recursively), its members named `name`. */
function archive(p: Process, path: string, name: string, out: Buffer[]): void {
  // A symbolic link is archived as one (GNU tar without -h): a link to a parent cannot loop.
  const entry = p.container.fs.lstat(path);
  if (entry.type === "symlink") out.push(header(name, entry, 0));
  else if (entry.type === "dir") {
    out.push(header(`${name}/`, entry, 0));
    for (const child of p.container.fs.list(path).sort()) archive(p, path === "/" ? `/${child}` : `${path}/${child}`, `${name}/${child}`, out);
  } else if (entry.type === "file") {
    const content = Buffer.from(entry.content, "utf8");
    out.push(header(name, entry, content.length), content, padding(content.length));
  }
}

/** tar cf - <paths>: the archive on stdout; a leading "/" is dropped from member names, as GNU tar says. */
function create(p: Process, operands: string[]): number {
  const out: Buffer[] = [];
  let status = 0;
  if (operands.some((o) => o.startsWith("/"))) p.stderr.write("tar: Removing leading `/' from member names\n");
  for (const operand of operands) {
    try {
      archive(p, resolvePath(p.cwd, operand), operand.replace(/^\/+/, "").replace(/\/+$/, "") || ".", out);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`tar: ${operand.replace(/^\/+/, "")}: Cannot stat: ${e.message}\n`);
      status = 2;
    }
  }
  out.push(Buffer.alloc(BLOCK * 2));
  // The bytes travel as text through the userland's streams: every byte of the ustar framing is ASCII.
  p.stdout.write(Buffer.concat(out).toString("utf8"));
  if (status) p.stderr.write("tar: Exiting with failure status due to previous errors\n");
  return status;
}

const field = (block: Buffer, start: number, length: number) => block.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");

/** The members of an archive: name, type flag and content. */
function* members(data: Buffer): Generator<{ name: string; type: string; content: Buffer; linkName: string }> {
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= data.length; ) {
    const block = data.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) return;
    const size = parseInt(field(block, 124, 12).trim() || "0", 8);
    const type = field(block, 156, 1) || "0";
    const prefix = field(block, 345, 155);
    const content = data.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString("utf8"))?.[1] ?? longName;
      continue;
    }
    if (type === "L") {
      longName = content.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "g") continue;
    const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = undefined;
    yield { name, type, content, linkName: field(block, 157, 100) };
  }
}

/** tar -xf - [-C dir]: unpacks stdin, making the directories on the way. */
async function extract(p: Process, directory: string): Promise<number> {
  let text = "";
  for (;;) {
    const chunk = await p.stdin.read(p.signal);
    if (chunk === null) break;
    text += chunk;
  }
  const base = resolvePath(p.cwd, directory);
  let status = 0;
  for (const member of members(Buffer.from(text, "utf8"))) {
    const target = resolvePath(base, member.name.replace(/^\/+/, ""));
    try {
      makeParents(p, target.slice(0, target.lastIndexOf("/")) || "/");
      if (member.type === "5") makeParents(p, target);
      else if (member.type === "0" || member.type === "7") p.container.fs.writeFile(target, member.content.toString("utf8"));
      else if (member.type === "2") {
        if (p.container.fs.tryLstat(target)) p.container.fs.unlink(target);
        p.container.fs.symlink(member.linkName, target);
      }
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`tar: ${member.name}: Cannot open: ${e.message}\n`);
      status = 2;
    }
  }
  if (status) p.stderr.write("tar: Exiting with failure status due to previous errors\n");
  return status;
}

function makeParents(p: Process, dir: string): void {
  let current = "";
  for (const segment of dir.split("/").filter(Boolean)) {
    current += "/" + segment;
    if (p.container.fs.tryStat(current)?.type !== "dir") p.container.fs.mkdir(current);
  }
}

/** The letters of `cf`, `-xmf`, `--no-same-owner`…; the archive must be `-` (standard input or output). */
export const tar: Program = async (p) => {
  const args = p.argv.slice(1);
  let mode: "c" | "x" | undefined;
  let directory = ".";
  let archiveName: string | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-C") directory = args[++i] ?? ".";
    else if (arg.startsWith("--")) continue; // --no-same-permissions, --no-same-owner: root-owned files either way
    else if (i === 0 || arg.startsWith("-")) {
      for (const letter of arg.replace(/^-/, "")) {
        if (letter === "c" || letter === "x") mode = letter;
        else if (letter === "f") archiveName = args[++i];
        else if (!"mvpo".includes(letter)) {
          p.stderr.write(`tar: invalid option -- '${letter}'\nTry 'tar --help' or 'tar --usage' for more information.\n`);
          return 2;
        }
      }
    } else operands.push(arg);
  }
  if (!mode) {
    p.stderr.write("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n");
    return 2;
  }
  if (archiveName !== "-") {
    p.stderr.write(`tar: ${basename(archiveName ?? "/dev/st0")}: archives other than standard input or output (-f -) are not simulated by the playground\n`);
    return 2;
  }
  if (mode === "c") {
    if (!operands.length) {
      p.stderr.write("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n");
      return 2;
    }
    return create(p, operands);
  }
  return extract(p, directory);
};
