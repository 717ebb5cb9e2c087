import { FsError } from "./filesystem";
import { checkSignal, type Process, type Program, sleep } from "./process";
import { byteOrder, eachChunk, invalidOption, options, path, readOperand } from "./args";

/** The text programs of the image (GNU coreutils 8.23, grep 2.20): cat, echo, head, tail, wc, grep, sort. */

export const cat: Program = async (p) => {
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

export function unescape(text: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\u0007", b: "\b", f: "\f", v: "\v", "\\": "\\", e: "\u001b" };
  return text.replace(/\\(0[0-7]{0,3}|[ntrabfve\\])/g, (_m, code: string) => (code[0] === "0" ? String.fromCharCode(parseInt(code.slice(1) || "0", 8)) : simple[code]));
}

export const echo: Program = async (p) => {
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


/** `-n N`, `-N` or `-c N` of head and tail; undefined when the count is not a number. */
export function countOption(args: string[], name: string, p: Process): { lines?: number; bytes?: number; follow: boolean; operands: string[] } | undefined {
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

export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
}

export function headOrTail(which: "head" | "tail"): Program {
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
export async function follow(p: Process, operands: string[], lines: number): Promise<number> {
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

export const wc: Program = async (p) => {
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


/** A basic regular expression (grep's default) as a JS one: \( \) \| \+ \? \{ \} are the operators. */
export function basicRegex(pattern: string): string {
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

export const grep: Program = async (p) => {
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

export const sort: Program = async (p) => {
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

