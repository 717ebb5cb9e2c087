import type { ContainerView } from "./container";
import { basename, type Entry, FsError, resolvePath } from "./filesystem";
import { checkSignal, type Input, type Process, type Program, sleep } from "./process";

/**
 * The GNU coreutils (8.23, Debian jessie) programs of the book's image, with their messages in the
 * C locale (the image sets no LANG): `cat: x: No such file or directory`, `ls: cannot access x: …`.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Byte order, as `sort`/`ls` compare in the C locale. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Splits `-abc` style options from operands; `--` ends options. Unknown letters are reported. */
function options(args: string[], known: string, withValue = ""): { flags: Set<string>; values: Map<string, string>; operands: string[]; bad?: string } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k];
      if (withValue.includes(letter)) {
        const value = arg.slice(k + 1) || args[++i];
        if (value === undefined) return { flags, values, operands, bad: letter };
        values.set(letter, value);
        break;
      }
      if (!known.includes(letter)) return { flags, values, operands, bad: letter };
      flags.add(letter);
    }
  }
  return { flags, values, operands };
}

function invalidOption(p: Process, name: string, letter: string): number {
  p.stderr.write(`${name}: invalid option -- '${letter}'\nTry '${name} --help' for more information.\n`);
  return name === "ls" ? 2 : 1;
}

const path = (p: Process, operand: string) => resolvePath(p.cwd, operand);

/** Reads standard input chunk by chunk, writing each through `onChunk` (cat streams what is typed). */
async function eachChunk(input: Input, signal: AbortSignal, onChunk: (text: string) => void): Promise<void> {
  for (;;) {
    const chunk = await input.read(signal);
    if (chunk === null) return;
    onChunk(chunk);
  }
}

async function readOperand(p: Process, operand: string): Promise<string> {
  if (operand === "-") {
    let text = "";
    await eachChunk(p.stdin, p.signal, (c) => (text += c));
    return text;
  }
  return p.container.fs.readFile(path(p, operand));
}

const cat: Program = async (p) => {
  const opts = options(p.argv.slice(1), "nAEsvTbu");
  if (opts.bad) return invalidOption(p, "cat", opts.bad);
  const operands = opts.operands.length ? opts.operands : ["-"];
  let status = 0;
  let lineNo = 0;
  const number = (text: string) => (opts.flags.has("n") ? text.replace(/^(?=.)|(?<=\n)(?=.)/gs, () => `${String(++lineNo).padStart(6)}\t`) : text);
  for (const operand of operands) {
    checkSignal(p.signal);
    if (operand === "-") {
      await eachChunk(p.stdin, p.signal, (chunk) => p.stdout.write(number(chunk)));
      continue;
    }
    try {
      p.stdout.write(number(p.container.fs.readFile(path(p, operand))));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`cat: ${operand}: ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

/** GNU echo (/bin/echo, bash's builtin) or dash's builtin echo, which always interprets backslashes. */
export function echoArguments(args: string[], flavor: "gnu" | "bash" | "dash"): string {
  let newline = true;
  let escapes = flavor === "dash";
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (flavor === "dash") {
      if (arg !== "-n") break;
      newline = false;
      continue;
    }
    if (!/^-[neE]+$/.test(arg)) break;
    for (const letter of arg.slice(1)) {
      if (letter === "n") newline = false;
      else escapes = letter === "e";
    }
  }
  let text = args.slice(i).join(" ");
  if (escapes) {
    const cut = text.indexOf("\\c");
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = unescape(text);
  }
  return newline ? text + "\n" : text;
}

function unescape(text: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\u0007", b: "\b", f: "\f", v: "\v", "\\": "\\", e: "\u001b" };
  return text.replace(/\\(0[0-7]{0,3}|[ntrabfve\\])/g, (_m, code: string) => (code[0] === "0" ? String.fromCharCode(parseInt(code.slice(1) || "0", 8)) : simple[code]));
}

const echo: Program = async (p) => {
  p.stdout.write(echoArguments(p.argv.slice(1), "gnu"));
  return 0;
};

/** printf(1)/dash's printf: %s %d %i %c %x %o %%, backslash escapes; the format repeats for leftover arguments. */
export function printfFormat(format: string, args: string[]): string {
  let out = "";
  let used = 0;
  do {
    const before = used;
    out += unescape(format).replace(/%([-0 ]?\d*)([sdicxo%])/g, (_m, flags: string, conversion: string) => {
      if (conversion === "%") return "%";
      const arg = args[used++] ?? "";
      let value: string;
      if (conversion === "s") value = arg;
      else if (conversion === "c") value = arg.slice(0, 1);
      else {
        const n = Number.parseInt(arg || "0", 10) || 0;
        value = conversion === "x" ? n.toString(16) : conversion === "o" ? n.toString(8) : String(n);
      }
      const width = Number.parseInt(flags.replace(/[-0 ]/, ""), 10) || 0;
      return flags.startsWith("-") ? value.padEnd(width) : value.padStart(width, flags.startsWith("0") ? "0" : " ");
    });
    if (used === before) break;
  } while (used < args.length);
  return out;
}

/** test(1) / `[`: the unary file and string tests and the binary comparisons; 0 true, 1 false, 2 error. */
export function testExpression(args: string[], container: ContainerView, cwd: string, error: (message: string) => void): number {
  const stat = (operand: string) => container.fs.tryStat(resolvePath(cwd, operand));
  const unary: Record<string, (operand: string) => boolean> = {
    "-e": (o) => !!stat(o),
    "-f": (o) => stat(o)?.type === "file",
    "-d": (o) => stat(o)?.type === "dir",
    "-s": (o) => {
      const e = stat(o);
      return !!e && (e.type === "dir" || (e.type === "file" && e.content.length > 0));
    },
    "-r": (o) => !!stat(o),
    "-w": (o) => !!stat(o) && !container.fs.readOnly(resolvePath(cwd, o)),
    "-x": (o) => {
      const e = stat(o);
      return !!e && (e.mode & 0o111) !== 0;
    },
    "-z": (o) => o.length === 0,
    "-n": (o) => o.length > 0,
  };
  const integer = (s: string): number | undefined => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : undefined);
  const binary: Record<string, (a: string, b: string) => boolean | undefined> = {
    "=": (a, b) => a === b,
    "!=": (a, b) => a !== b,
    "-eq": (a, b) => numeric(a, b, (x, y) => x === y),
    "-ne": (a, b) => numeric(a, b, (x, y) => x !== y),
    "-lt": (a, b) => numeric(a, b, (x, y) => x < y),
    "-le": (a, b) => numeric(a, b, (x, y) => x <= y),
    "-gt": (a, b) => numeric(a, b, (x, y) => x > y),
    "-ge": (a, b) => numeric(a, b, (x, y) => x >= y),
  };
  function numeric(a: string, b: string, compare: (x: number, y: number) => boolean): boolean | undefined {
    const x = integer(a);
    const y = integer(b);
    if (x === undefined || y === undefined) {
      error(`Illegal number: ${x === undefined ? a : b}`);
      return undefined;
    }
    return compare(x, y);
  }
  const evaluate = (a: string[]): boolean | undefined => {
    if (a.length === 0) return false;
    if (a[0] === "!") {
      const inner = evaluate(a.slice(1));
      return inner === undefined ? undefined : !inner;
    }
    if (a.length === 1) return a[0].length > 0;
    if (a.length === 2 && unary[a[0]]) return unary[a[0]](a[1]);
    if (a.length === 3 && binary[a[1]]) return binary[a[1]](a[0], a[2]);
    error(a.length === 2 ? `${a[0]}: unexpected operator` : `${a[1] ?? a[0]}: unexpected operator`);
    return undefined;
  };
  const result = evaluate(args);
  return result === undefined ? 2 : result ? 0 : 1;
}

const testProgram: Program = async (p) => {
  const bracket = p.argv[0].endsWith("[");
  let args = p.argv.slice(1);
  if (bracket) {
    if (args[args.length - 1] !== "]") {
      p.stderr.write("[: missing ']'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  return testExpression(args, p.container, p.cwd, (m) => p.stderr.write(`${bracket ? "[" : "test"}: ${m}\n`));
};

const hostname: Program = async (p) => {
  const opts = options(p.argv.slice(1), "fisdAIy");
  if (opts.bad) return invalidOption(p, "hostname", opts.bad);
  const c = p.container;
  if (opts.operands.length) {
    p.stderr.write("hostname: you must be root to change the host name\n");
    return 1;
  }
  const short = c.hostname.split(".")[0];
  if (opts.flags.has("i")) p.stdout.write(`${c.podIP}\n`);
  else if (opts.flags.has("I")) p.stdout.write(`${c.podIP} \n`);
  else if (opts.flags.has("f") || opts.flags.has("A")) p.stdout.write(`${c.fqdn}\n`);
  else if (opts.flags.has("d")) p.stdout.write(`${c.fqdn.slice(short.length + 1)}\n`);
  else p.stdout.write(`${opts.flags.has("s") ? short : c.hostname}\n`);
  return 0;
};

const env: Program = async (p) => {
  const vars = new Map(p.env);
  for (const arg of p.argv.slice(1)) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      p.stderr.write(`env: running a command (${arg}) is not simulated by the playground; use the shell: NAME=value ${arg}\n`);
      return 126;
    }
    vars.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  for (const [k, v] of vars) p.stdout.write(`${k}=${v}\n`);
  return 0;
};

const printenv: Program = async (p) => {
  const names = p.argv.slice(1);
  if (!names.length) return env({ ...p, argv: ["env"] });
  let status = 0;
  for (const name of names) {
    const value = p.env.get(name);
    if (value === undefined) status = 1;
    else p.stdout.write(value + "\n");
  }
  return status;
};

/** strftime in UTC (the container's TZ is unset): the conversions people type. */
export function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  const conversions: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()],
    A: () => ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    d: () => pad2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    H: () => pad2(d.getUTCHours()),
    M: () => pad2(d.getUTCMinutes()),
    S: () => pad2(d.getUTCSeconds()),
    m: () => pad2(d.getUTCMonth() + 1),
    Y: () => String(d.getUTCFullYear()),
    y: () => pad2(d.getUTCFullYear() % 100),
    s: () => String(Math.floor(ms / 1000)),
    N: () => String((ms % 1000) * 1_000_000).padStart(9, "0"),
    Z: () => "UTC",
    z: () => "+0000",
    F: () => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    T: () => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
    n: () => "\n",
    t: () => "\t",
    "%": () => "%",
  };
  return format.replace(/%(.)/g, (m, c: string) => conversions[c]?.() ?? m);
}

const date: Program = async (p) => {
  const args = p.argv.slice(1).filter((a) => a !== "-u" && a !== "--utc");
  const format = args.find((a) => a.startsWith("+"));
  const other = args.find((a) => !a.startsWith("+"));
  if (other) {
    p.stderr.write(`date: invalid date '${other}'\n`);
    return 1;
  }
  p.stdout.write(formatDate(p.container.ctx.clock.now(), format ? format.slice(1) : "%a %b %e %H:%M:%S %Z %Y") + "\n");
  return 0;
};

const pwd: Program = async (p) => {
  p.stdout.write(p.cwd + "\n");
  return 0;
};

const mkdir: Program = async (p) => {
  const opts = options(p.argv.slice(1), "pv");
  if (opts.bad) return invalidOption(p, "mkdir", opts.bad);
  if (!opts.operands.length) {
    p.stderr.write("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const operand of opts.operands) {
    const target = path(p, operand);
    try {
      if (opts.flags.has("p")) {
        let current = "";
        for (const segment of target.split("/").filter(Boolean)) {
          current += "/" + segment;
          const entry = p.container.fs.tryStat(current);
          if (entry?.type === "dir") continue;
          if (entry) throw new FsError("EEXIST");
          p.container.fs.mkdir(current);
        }
      } else p.container.fs.mkdir(target);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`mkdir: cannot create directory '${operand}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

const touch: Program = async (p) => {
  const opts = options(p.argv.slice(1), "acm");
  if (opts.bad) return invalidOption(p, "touch", opts.bad);
  if (!opts.operands.length) {
    p.stderr.write("touch: missing file operand\nTry 'touch --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const operand of opts.operands) {
    const target = path(p, operand);
    try {
      const entry = p.container.fs.tryStat(target);
      if (entry?.type === "dir" || entry?.type === "device") continue;
      if (entry && opts.flags.has("c")) continue;
      // Rewriting the same bytes is how the playground moves a file's modification time.
      p.container.fs.writeFile(target, entry?.type === "file" ? entry.content : "");
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`touch: cannot touch '${operand}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

/** Removes `target` and, for a directory, everything in it (rm -r). */
function removeTree(p: Process, target: string): void {
  const entry = p.container.fs.stat(target);
  if (entry.type === "dir") {
    for (const name of p.container.fs.list(target)) removeTree(p, target === "/" ? `/${name}` : `${target}/${name}`);
    p.container.fs.rmdir(target);
  } else p.container.fs.unlink(target);
}

const rm: Program = async (p) => {
  const opts = options(p.argv.slice(1), "rRfiv");
  if (opts.bad) return invalidOption(p, "rm", opts.bad);
  const force = opts.flags.has("f");
  const recursive = opts.flags.has("r") || opts.flags.has("R");
  if (!opts.operands.length) {
    if (force) return 0;
    p.stderr.write("rm: missing operand\nTry 'rm --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const operand of opts.operands) {
    const target = path(p, operand);
    if (recursive && target === "/") {
      p.stderr.write("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      status = 1;
      continue;
    }
    try {
      const entry = p.container.fs.stat(target);
      if (entry.type === "dir" && !recursive) throw new FsError("EISDIR");
      if (recursive) removeTree(p, target);
      else p.container.fs.unlink(target);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (force && e.code === "ENOENT") continue;
      p.stderr.write(`rm: cannot remove '${operand}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

const rmdir: Program = async (p) => {
  const operands = p.argv.slice(1);
  if (!operands.length) {
    p.stderr.write("rmdir: missing operand\nTry 'rmdir --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const operand of operands) {
    try {
      p.container.fs.rmdir(path(p, operand));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`rmdir: failed to remove '${operand}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

/** `-n N`, `-N` or `-c N` of head and tail; undefined when the count is not a number. */
function countOption(args: string[], name: string, p: Process): { lines?: number; bytes?: number; follow: boolean; operands: string[] } | undefined {
  let lines: number | undefined = 10;
  let bytes: number | undefined;
  let follow = false;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let value: string | undefined;
    if (/^-\d+$/.test(arg)) value = arg.slice(1);
    else if (arg === "-n" || arg === "-c") value = args[++i];
    else if (/^-[nc].+/.test(arg)) value = arg.slice(2);
    else if (arg === "-f" || arg === "-F") {
      follow = true;
      continue;
    } else {
      operands.push(arg);
      continue;
    }
    if (value === undefined || !/^[+-]?\d+$/.test(value)) {
      p.stderr.write(`${name}: invalid number of ${arg.startsWith("-c") ? "bytes" : "lines"}: '${value ?? ""}'\n`);
      return undefined;
    }
    if (arg.startsWith("-c")) {
      bytes = Math.abs(Number(value));
      lines = undefined;
    } else lines = Math.abs(Number(value));
  }
  return { lines, bytes, follow, operands };
}

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
}

function headOrTail(which: "head" | "tail"): Program {
  return async (p) => {
    const opts = countOption(p.argv.slice(1), which, p);
    if (!opts) return 1;
    if (opts.follow && which === "tail") return follow(p, opts.operands, opts.lines ?? 10);
    const operands = opts.operands.length ? opts.operands : ["-"];
    let status = 0;
    for (const [i, operand] of operands.entries()) {
      let text: string;
      try {
        text = await readOperand(p, operand);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        p.stderr.write(`${which}: cannot open '${operand}' for reading: ${e.message}\n`);
        status = 1;
        continue;
      }
      if (operands.length > 1) p.stdout.write(`${i ? "\n" : ""}==> ${operand === "-" ? "standard input" : operand} <==\n`);
      if (opts.bytes !== undefined) {
        const buf = Buffer.from(text);
        p.stdout.write((which === "head" ? buf.subarray(0, opts.bytes) : buf.subarray(Math.max(0, buf.length - opts.bytes))).toString("utf8"));
      } else {
        const lines = splitLines(text);
        p.stdout.write((which === "head" ? lines.slice(0, opts.lines) : lines.slice(Math.max(0, lines.length - opts.lines!))).join(""));
      }
    }
    return status;
  };
}

/** tail -f: the last lines, then whatever is appended, checked every second until Ctrl-C. */
async function follow(p: Process, operands: string[], lines: number): Promise<number> {
  const [operand] = operands;
  if (!operand) {
    p.stderr.write("tail: following standard input is not simulated by the playground\n");
    return 1;
  }
  const target = path(p, operand);
  let seen: string;
  try {
    seen = p.container.fs.readFile(target);
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    p.stderr.write(`tail: cannot open '${operand}' for reading: ${e.message}\n`);
    return 1;
  }
  const all = splitLines(seen);
  p.stdout.write(all.slice(Math.max(0, all.length - lines)).join(""));
  for (;;) {
    await sleep(p.container, 1000, p.signal);
    const now = p.container.fs.tryStat(target);
    const content = now?.type === "file" ? now.content : "";
    if (content.length < seen.length) p.stderr.write(`tail: ${operand}: file truncated\n`);
    if (content !== seen) p.stdout.write(content.startsWith(seen) ? content.slice(seen.length) : content);
    seen = content;
  }
}

const wc: Program = async (p) => {
  const opts = options(p.argv.slice(1), "lwcmL");
  if (opts.bad) return invalidOption(p, "wc", opts.bad);
  const picked = ["l", "w", "m", "c"].filter((f) => opts.flags.has(f));
  const shown = picked.length ? picked : ["l", "w", "c"];
  const operands = opts.operands.length ? opts.operands : ["-"];
  const rows: { counts: number[]; name: string }[] = [];
  let status = 0;
  let regularBytes = 0;
  let minimumWidth = 1;
  for (const operand of operands) {
    let text: string;
    try {
      text = await readOperand(p, operand);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`wc: ${operand}: ${e.message}\n`);
      status = 1;
      continue;
    }
    const counts: Record<string, number> = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter(Boolean).length,
      m: [...text].length,
      c: Buffer.byteLength(text),
    };
    if (operand === "-") minimumWidth = 7;
    else regularBytes += counts.c;
    rows.push({ counts: shown.map((f) => counts[f]), name: operand === "-" ? "" : operand });
  }
  if (rows.length > 1) rows.push({ counts: shown.map((_f, i) => rows.reduce((n, r) => n + r.counts[i], 0)), name: "total" });
  // GNU wc: one count of one input needs no padding; otherwise the width of the total size.
  const width = shown.length === 1 && rows.length === 1 ? 1 : Math.max(minimumWidth, String(regularBytes).length);
  for (const row of rows) p.stdout.write(row.counts.map((n) => String(n).padStart(width)).join(" ") + (row.name ? ` ${row.name}` : "") + "\n");
  return status;
};

const sleepProgram: Program = async (p) => {
  const operands = p.argv.slice(1);
  if (!operands.length) {
    p.stderr.write("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let total = 0;
  for (const operand of operands) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(operand);
    if (!m) {
      p.stderr.write(`sleep: invalid time interval '${operand}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    total += Number(m[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]!;
  }
  await sleep(p.container, total * 1000, p.signal);
  return 0;
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
function lsTime(mtime: number, now: number): string {
  const sixMonths = (365.2425 * 24 * 60 * 60 * 1000) / 2;
  const recent = mtime > now - sixMonths && mtime <= now + 60_000;
  return formatDate(mtime, recent ? "%b %e %H:%M" : "%b %e  %Y");
}

interface Listed {
  name: string;
  path: string;
  entry: Entry;
}

function listDirectory(p: Process, dir: string, all: boolean, almostAll: boolean): Listed[] {
  const child = (name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);
  const names = p.container.fs.list(dir).filter((n) => all || almostAll || !n.startsWith("."));
  const items = names.map((name) => ({ name, path: child(name), entry: p.container.fs.stat(child(name)) }));
  if (all) {
    items.push({ name: ".", path: dir, entry: p.container.fs.stat(dir) });
    items.push({ name: "..", path: resolvePath(dir, ".."), entry: p.container.fs.stat(resolvePath(dir, "..")) });
  }
  return items.sort((a, b) => byteOrder(a.name, b.name));
}

function linkCount(p: Process, item: Listed): number {
  if (item.entry.type !== "dir") return 1;
  try {
    return 2 + p.container.fs.list(item.path).filter((n) => p.container.fs.tryStat(item.path === "/" ? `/${n}` : `${item.path}/${n}`)?.type === "dir").length;
  } catch {
    return 2;
  }
}

function sizeOf(entry: Entry): number {
  return entry.type === "file" ? Buffer.byteLength(entry.content) : entry.type === "dir" ? 4096 : 0;
}

/** Blocks of 1 KiB an ext4 file takes (4 KiB allocation units), for `total`. */
function blocksOf(entry: Entry): number {
  if (entry.type === "device") return 0;
  return Math.ceil(sizeOf(entry) / 4096) * 4;
}

function longListing(p: Process, items: Listed[]): string {
  const now = p.container.ctx.clock.now();
  const rows = items.map((item) => ({
    mode: modeString(item.entry),
    links: String(linkCount(p, item)),
    // /dev/null is the only device: major 1, minor 3.
    size: item.entry.type === "device" ? "1, 3" : String(sizeOf(item.entry)),
    time: lsTime(item.entry.mtime, now),
    name: item.name,
  }));
  const linkWidth = Math.max(0, ...rows.map((r) => r.links.length));
  const sizeWidth = Math.max(0, ...rows.map((r) => r.size.length));
  return rows.map((r) => `${r.mode} ${r.links.padStart(linkWidth)} root root ${r.size.padStart(sizeWidth)} ${r.time} ${r.name}\n`).join("");
}

/** ls -C on a terminal: names in columns, filled top to bottom, as wide as the terminal allows. */
function columns(names: string[], width: number): string {
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

const ls: Program = async (p) => {
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

/** A basic regular expression (grep's default) as a JS one: \( \) \| \+ \? \{ \} are the operators. */
function basicRegex(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += "()|+?{}".includes(next) ? next : `\\${next}`;
    } else out += "()|+?{}".includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

const grep: Program = async (p) => {
  const opts = options(p.argv.slice(1), "ivcnqEFhHlwx", "e");
  if (opts.bad) {
    p.stderr.write(`grep: invalid option -- '${opts.bad}'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n`);
    return 2;
  }
  const operands = [...opts.operands];
  const pattern = opts.values.get("e") ?? operands.shift();
  if (pattern === undefined) {
    p.stderr.write("Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  let source = opts.flags.has("F") ? pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : opts.flags.has("E") ? pattern : basicRegex(pattern);
  if (opts.flags.has("w")) source = `\\b(?:${source})\\b`;
  if (opts.flags.has("x")) source = `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, opts.flags.has("i") ? "i" : "");
  } catch {
    p.stderr.write("grep: Invalid regular expression\n");
    return 2;
  }
  const files = operands.length ? operands : ["-"];
  const named = (files.length > 1 || opts.flags.has("H")) && !opts.flags.has("h");
  let matched = false;
  let status = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readOperand(p, file);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`grep: ${file}: ${e.message}\n`);
      status = 2;
      continue;
    }
    const name = file === "-" ? "(standard input)" : file;
    const hits = splitLines(text).flatMap((line, i) => (regex.test(line.replace(/\n$/, "")) !== opts.flags.has("v") ? [{ line: line.replace(/\n$/, ""), number: i + 1 }] : []));
    matched ||= hits.length > 0;
    if (opts.flags.has("q")) continue;
    if (opts.flags.has("l")) {
      if (hits.length) p.stdout.write(`${name}\n`);
    } else if (opts.flags.has("c")) p.stdout.write(`${named ? `${name}:` : ""}${hits.length}\n`);
    else for (const h of hits) p.stdout.write(`${named ? `${name}:` : ""}${opts.flags.has("n") ? `${h.number}:` : ""}${h.line}\n`);
  }
  return status === 2 && !(opts.flags.has("q") && matched) ? 2 : matched ? 0 : 1;
};

const sort: Program = async (p) => {
  const opts = options(p.argv.slice(1), "rnuf");
  if (opts.bad) return invalidOption(p, "sort", opts.bad);
  const lines: string[] = [];
  for (const file of opts.operands.length ? opts.operands : ["-"]) {
    try {
      lines.push(...splitLines(await readOperand(p, file)).map((l) => l.replace(/\n$/, "")));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`sort: cannot read: ${file}: ${e.message}\n`);
      return 2;
    }
  }
  const key = (l: string) => (opts.flags.has("f") ? l.toUpperCase() : l);
  const numeric = (l: string) => Number.parseFloat(l) || 0;
  lines.sort((a, b) => (opts.flags.has("n") ? numeric(a) - numeric(b) || byteOrder(a, b) : byteOrder(key(a), key(b))));
  if (opts.flags.has("r")) lines.reverse();
  const out = opts.flags.has("u") ? lines.filter((l, i) => i === 0 || key(l) !== key(lines[i - 1])) : lines;
  p.stdout.write(out.map((l) => l + "\n").join(""));
  return 0;
};

const uname: Program = async (p) => {
  const opts = options(p.argv.slice(1), "asnrvmpio");
  if (opts.bad) return invalidOption(p, "uname", opts.bad);
  const node = p.container.ctx.store.tryGet("nodes", undefined, p.container.pod.spec?.nodeName ?? "") as { status?: { nodeInfo?: { kernelVersion?: string } } } | undefined;
  const fields: [string, string][] = [
    ["s", "Linux"],
    ["n", p.container.hostname],
    ["r", node?.status?.nodeInfo?.kernelVersion ?? "6.1.0-28-amd64"],
    ["v", "#1 SMP"],
    ["m", "x86_64"],
    ["o", "GNU/Linux"],
  ];
  const all = opts.flags.has("a");
  const picked = fields.filter(([f]) => all || opts.flags.has(f));
  p.stdout.write((picked.length ? picked : fields.slice(0, 1)).map(([, v]) => v).join(" ") + "\n");
  return 0;
};

const whoami: Program = async (p) => {
  p.stdout.write("root\n");
  return 0;
};

const id: Program = async (p) => {
  p.stdout.write("uid=0(root) gid=0(root) groups=0(root)\n");
  return 0;
};

/** Programs the real image has that the playground does not imitate: said plainly, never faked. */
export const notSimulated: Program = async (p) => {
  p.stderr.write(`${basename(p.argv[0])}: this program is in the real image but not simulated by the playground\n`);
  return 126;
};

const exitWith = (code: number): Program => async () => code;

export const COMMANDS: Record<string, Program> = {
  cat,
  ls,
  echo,
  hostname,
  env,
  printenv,
  date,
  pwd,
  mkdir,
  touch,
  rm,
  rmdir,
  head: headOrTail("head"),
  tail: headOrTail("tail"),
  wc,
  sleep: sleepProgram,
  true: exitWith(0),
  false: exitWith(1),
  test: testProgram,
  "[": testProgram,
  grep,
  sort,
  uname,
  whoami,
  id,
};
