import { COMMANDS, echoArguments, notSimulated, printfFormat, testExpression } from "./commands";
import type { ContainerView } from "./container";
import { FsError, resolvePath } from "./filesystem";
import { EXECUTABLES } from "./image";
import { NETWORK_COMMANDS } from "./network";
import { type AndOrList, parse, type Pipeline, type Redirect, type Script, type SimpleCommand, ShellSyntaxError, type Word } from "./parser";
import {
  BufferOutput,
  type Input,
  Interrupted,
  type Interrupts,
  LineReader,
  NULL_OUTPUT,
  type Output,
  type Process,
  type Program,
  stringInput,
} from "./process";

export type Dialect = "sh" | "bash";

export interface ShellIO {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

/** `exit`: unwinds to the shell program, which ends with the code. */
class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A word after expansion, with which characters may still glob (those not quoted). */
interface Field {
  text: string;
  globbable: boolean[];
}

const GLOB = /[*?]/;

/** Output to a file opened by a redirection: each write goes to the file at once; a failure is kept for the shell to report. */
class FileOutput implements Output {
  error?: FsError;
  constructor(
    private readonly container: ContainerView,
    private readonly path: string,
  ) {}

  write(text: string): void {
    if (this.error || !text) return;
    try {
      this.container.fs.writeFile(this.path, text, true);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      this.error = e;
    }
  }
}

/** All programs a name can run, by the name in EXECUTABLES. */
function programTable(): Record<string, Program> {
  return { ...COMMANDS, ...NETWORK_COMMANDS, sh: shellProgram("sh"), bash: shellProgram("bash") };
}

/** Where `name` is on PATH (or the path itself when it has a slash), and what it runs. */
export function findExecutable(container: ContainerView, name: string, pathVar: string, cwd = "/"): { path: string; program?: Program; error?: "notFound" | "denied" } {
  const table = programTable();
  if (name.includes("/")) {
    const path = resolvePath(cwd, name);
    const entry = container.fs.tryStat(path);
    if (!entry) return { path, error: "notFound" };
    const programName = EXECUTABLES[path];
    if (entry.type !== "file" || !programName) return { path, error: "denied" };
    return { path, program: table[programName] ?? notSimulated };
  }
  for (const dir of pathVar.split(":")) {
    const path = resolvePath("/", `${dir || "."}/${name}`);
    const programName = EXECUTABLES[path];
    if (programName && container.fs.tryStat(path)?.type === "file") return { path, program: table[programName] ?? notSimulated };
  }
  return { path: name, error: "notFound" };
}

/**
 * One shell process: its variables, working directory and last status, and the execution of
 * parsed scripts. Messages follow dash (`sh: 1: foo: not found`) or bash (`bash: foo: command not found`).
 */
export class Shell {
  readonly vars: Map<string, string>;
  private readonly exported: Set<string>;
  cwd: string;
  status = 0;
  private line = 1;
  /** The shell's own standard output (set by main), to tell a program whether it writes to the terminal. */
  private rootOutput?: Output;

  constructor(
    readonly dialect: Dialect,
    readonly container: ContainerView,
    env: Map<string, string>,
    cwd: string,
    readonly arg0: string,
    readonly args: string[],
    readonly interrupts: Interrupts,
    readonly terminal: { columns: number } | undefined,
    /** bash reading a script from a pipe says `line N:`; dash always names the line. */
    private readonly lineInMessages: boolean,
  ) {
    this.vars = new Map(env);
    this.exported = new Set(env.keys());
    this.cwd = cwd;
    // Like dash and bash at startup: PWD names the working directory and is exported.
    this.vars.set("PWD", cwd);
    this.exported.add("PWD");
  }

  /** A copy for a subshell ($(…)): what it changes does not come back. */
  private subshell(): Shell {
    const child = new Shell(this.dialect, this.container, new Map(), this.cwd, this.arg0, this.args, this.interrupts, this.terminal, this.lineInMessages);
    for (const [k, v] of this.vars) child.vars.set(k, v);
    for (const k of this.exported) child.exported.add(k);
    child.status = this.status;
    child.line = this.line;
    return child;
  }

  /** The prefix of this shell's own error messages. */
  prefix(): string {
    if (this.dialect === "sh") return `${this.arg0}: ${this.line}: `;
    return this.lineInMessages ? `${this.arg0}: line ${this.line}: ` : `${this.arg0}: `;
  }

  environment(extra: { name: string; value: string }[] = []): Map<string, string> {
    const env = new Map<string, string>();
    for (const k of this.exported) if (this.vars.has(k)) env.set(k, this.vars.get(k)!);
    for (const { name, value } of extra) env.set(name, value);
    return env;
  }

  /** Parses and runs source text; a syntax error is reported and sets status 2, like dash. */
  async runText(text: string, firstLine: number, io: ShellIO, signal: AbortSignal): Promise<void> {
    let script: Script;
    try {
      script = parse(text, firstLine);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.line = e.line;
      io.stderr.write(`${this.prefix()}${e.message}\n`);
      this.status = 2;
      return;
    }
    await this.runScript(script, io, signal);
  }

  async runScript(script: Script, io: ShellIO, signal: AbortSignal): Promise<void> {
    for (const list of script) await this.runAndOr(list, io, signal);
  }

  private async runAndOr(list: AndOrList, io: ShellIO, signal: AbortSignal): Promise<void> {
    this.line = list.line;
    this.status = await this.runPipeline(list.first, io, signal);
    for (const { op, pipeline } of list.rest) {
      if ((op === "&&") !== (this.status === 0)) continue;
      this.status = await this.runPipeline(pipeline, io, signal);
    }
  }

  /** Runs the commands of a pipeline one after the other, each reading what the previous one wrote. */
  private async runPipeline(pipeline: Pipeline, io: ShellIO, signal: AbortSignal): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    for (const [i, command] of pipeline.commands.entries()) {
      const last = i === pipeline.commands.length - 1;
      const out = last ? io.stdout : new BufferOutput();
      status = await this.runCommand(command, { stdin, stdout: out, stderr: io.stderr }, signal);
      if (!last) stdin = stringInput((out as BufferOutput).text);
    }
    return pipeline.negated ? (status === 0 ? 1 : 0) : status;
  }

  private async runCommand(command: SimpleCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
    const assignments: { name: string; value: string }[] = [];
    for (const a of command.assignments) assignments.push({ name: a.name, value: (await this.expandWord(a.value, io, signal, false)).map((f) => f.text).join(" ") });
    const argv = await this.expandWords(command.words, io, signal);
    const redirected = this.openRedirects(command.redirects, io);
    if (typeof redirected === "number") return redirected;
    if (argv.length === 0) {
      for (const { name, value } of assignments) this.vars.set(name, value);
      return 0;
    }
    const files = redirected.files;
    const status = await this.execute(argv, assignments, redirected.io, signal);
    for (const file of files) {
      if (file.error) {
        redirected.io.stderr.write(`${argv[0]}: write error: ${file.error.message}\n`);
        return 1;
      }
    }
    return status;
  }

  /** Applies redirections left to right; a file that cannot be opened stops the command (status 2 in dash). */
  private openRedirects(redirects: Redirect[], io: ShellIO): { io: ShellIO; files: FileOutput[] } | number {
    const fds: [Input, Output, Output] = [io.stdin, io.stdout, io.stderr];
    const files: FileOutput[] = [];
    for (const r of redirects) {
      const target = r.target.parts.map((p) => (p.kind === "text" ? p.text : p.kind === "variable" ? this.variable(p.name) : "")).join("");
      if (r.op === ">&") {
        if (target === "-" || !/^[12]$/.test(target) || r.fd === 0) continue;
        fds[r.fd] = fds[Number(target)] as Output;
        continue;
      }
      const path = resolvePath(this.cwd, target);
      try {
        if (r.op === "<") {
          const content = this.container.fs.readFile(path);
          fds[0] = stringInput(content);
          continue;
        }
        if (r.fd !== 1 && r.fd !== 2) continue;
        if (path === "/dev/null") {
          fds[r.fd] = NULL_OUTPUT;
          continue;
        }
        this.container.fs.writeFile(path, "", r.op === ">>");
        const file = new FileOutput(this.container, path);
        files.push(file);
        fds[r.fd] = file;
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        io.stderr.write(this.redirectError(target, r.op === "<", e));
        return this.dialect === "sh" ? 2 : 1;
      }
    }
    return { io: { stdin: fds[0], stdout: fds[1] as Output, stderr: fds[2] as Output }, files };
  }

  private redirectError(target: string, reading: boolean, e: FsError): string {
    if (this.dialect === "bash") return `${this.prefix()}${target}: ${e.message}\n`;
    // dash's errmsg(): ENOENT reads "No such file" on open and "Directory nonexistent" on create.
    const reason = e.code === "ENOENT" ? (reading ? "No such file" : "Directory nonexistent") : e.message;
    return `${this.prefix()}cannot ${reading ? "open" : "create"} ${target}: ${reason}\n`;
  }

  private async execute(argv: string[], assignments: { name: string; value: string }[], io: ShellIO, signal: AbortSignal): Promise<number> {
    const [name] = argv;
    const builtin = this.builtins[name];
    if (builtin) return builtin(argv, io, signal);
    const found = findExecutable(this.container, name, this.vars.get("PATH") ?? "", this.cwd);
    if (!found.program) {
      if (found.error === "denied") {
        io.stderr.write(`${this.prefix()}${name}: Permission denied\n`);
        return 126;
      }
      io.stderr.write(this.dialect === "sh" ? `${this.prefix()}${name}: not found\n` : `${this.prefix()}${name}: command not found\n`);
      return 127;
    }
    const process: Process = {
      argv,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      env: this.environment(assignments),
      cwd: this.cwd,
      container: this.container,
      signal,
      terminal: this.terminal && io.stdout === this.rootOutput ? this.terminal : undefined,
      interrupts: this.interrupts,
    };
    return found.program(process);
  }

  private readonly builtins: Record<string, (argv: string[], io: ShellIO, signal: AbortSignal) => Promise<number>> = {
    ":": async () => 0,
    true: async () => 0,
    false: async () => 1,
    cd: async (argv, io) => this.cd(argv, io),
    pwd: async (_argv, io) => {
      io.stdout.write(this.cwd + "\n");
      return 0;
    },
    echo: async (argv, io) => {
      io.stdout.write(echoArguments(argv.slice(1), this.dialect === "sh" ? "dash" : "bash"));
      return 0;
    },
    printf: async (argv, io) => {
      if (argv.length < 2) {
        io.stderr.write(`${this.prefix()}printf: usage: printf format [arguments]\n`);
        return 2;
      }
      io.stdout.write(printfFormat(argv[1], argv.slice(2)));
      return 0;
    },
    exit: async (argv, io) => {
      const code = argv[1] === undefined ? this.status : Number(argv[1]);
      if (!Number.isInteger(code)) {
        io.stderr.write(`${this.prefix()}exit: Illegal number: ${argv[1]}\n`);
        throw new ExitRequest(2);
      }
      throw new ExitRequest(((code % 256) + 256) % 256);
    },
    export: async (argv) => {
      for (const arg of argv.slice(1)) {
        const eq = arg.indexOf("=");
        const name = eq < 0 ? arg : arg.slice(0, eq);
        if (eq >= 0) this.vars.set(name, arg.slice(eq + 1));
        this.exported.add(name);
      }
      return 0;
    },
    unset: async (argv) => {
      for (const name of argv.slice(1)) {
        this.vars.delete(name);
        this.exported.delete(name);
      }
      return 0;
    },
    test: async (argv, io) => testExpression(argv.slice(1), this.container, this.cwd, (m) => io.stderr.write(`${this.prefix()}test: ${m}\n`)),
    "[": async (argv, io) => {
      if (argv[argv.length - 1] !== "]") {
        io.stderr.write(`${this.prefix()}[: missing ]\n`);
        return 2;
      }
      return testExpression(argv.slice(1, -1), this.container, this.cwd, (m) => io.stderr.write(`${this.prefix()}[: ${m}\n`));
    },
    exec: async (argv, io, signal) => {
      if (argv.length < 2) return 0;
      throw new ExitRequest(await this.execute(argv.slice(1), [], io, signal));
    },
  };

  private cd(argv: string[], io: ShellIO): number {
    const target = argv[1] ?? this.vars.get("HOME") ?? "/";
    const path = resolvePath(this.cwd, target === "-" ? (this.vars.get("OLDPWD") ?? this.cwd) : target);
    const entry = this.container.fs.tryStat(path);
    if (!entry || entry.type !== "dir") {
      io.stderr.write(this.dialect === "sh" ? `${this.prefix()}cd: can't cd to ${target}\n` : `${this.prefix()}cd: ${target}: ${entry ? "Not a directory" : "No such file or directory"}\n`);
      return this.dialect === "sh" ? 2 : 1;
    }
    this.vars.set("OLDPWD", this.cwd);
    this.cwd = path;
    this.vars.set("PWD", path);
    if (target === "-") io.stdout.write(path + "\n");
    return 0;
  }

  private variable(name: string): string {
    switch (name) {
      case "?":
        return String(this.status);
      case "$":
        return "1";
      case "#":
        return String(this.args.length);
      case "0":
        return this.arg0;
      case "@":
      case "*":
        return this.args.join(" ");
      case "-":
      case "!":
        return "";
      default:
        return /^\d$/.test(name) ? (this.args[Number(name) - 1] ?? "") : (this.vars.get(name) ?? "");
    }
  }

  private async expandWords(words: Word[], io: ShellIO, signal: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      for (const field of await this.expandWord(word, io, signal, true)) out.push(...this.glob(field));
    }
    return out;
  }

  /**
   * Parameter and command substitution, then field splitting of unquoted results on blanks; a word
   * that is all quotes still gives one (maybe empty) field.
   */
  private async expandWord(word: Word, io: ShellIO, signal: AbortSignal, split: boolean): Promise<Field[]> {
    const fields: Field[] = [];
    let current: Field | undefined;
    const append = (text: string, globbable: boolean) => {
      current ??= { text: "", globbable: [] };
      current.text += text;
      for (let k = 0; k < text.length; k++) current.globbable.push(globbable);
    };
    const endField = () => {
      if (current) fields.push(current);
      current = undefined;
    };
    for (const [index, part] of word.parts.entries()) {
      if (part.kind === "text") {
        const text = !part.quoted && index === 0 && (part.text === "~" || part.text.startsWith("~/")) ? (this.vars.get("HOME") ?? "/") + part.text.slice(1) : part.text;
        append(text, !part.quoted);
        continue;
      }
      const value = part.kind === "variable" ? this.variable(part.name) : await this.substitute(part.script, io, signal);
      if (part.quoted || !split) {
        append(value, false);
        continue;
      }
      // Unquoted: split on blanks; leading/trailing blanks end the field in progress.
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) endField();
        if (piece) append(piece, false);
      });
    }
    endField();
    if (!fields.length && word.parts.some((p) => p.quoted)) fields.push({ text: "", globbable: [] });
    return fields;
  }

  /** $(…): runs in a subshell; its output, without trailing newlines, is the value. */
  private async substitute(script: Script, io: ShellIO, signal: AbortSignal): Promise<string> {
    const child = this.subshell();
    const out = new BufferOutput();
    try {
      await child.runScript(script, { stdin: io.stdin, stdout: out, stderr: io.stderr }, signal);
    } catch (e) {
      if (!(e instanceof ExitRequest)) throw e;
      child.status = e.code;
    }
    this.status = child.status;
    return out.text.replace(/\n+$/, "");
  }

  /** Pathname expansion of `*` and `?` that were not quoted; no match leaves the word as it is. */
  private glob(field: Field): string[] {
    const hasGlob = [...field.text].some((ch, i) => field.globbable[i] && GLOB.test(ch));
    if (!hasGlob) return [field.text];
    const absolute = field.text.startsWith("/");
    const segments = field.text.split("/");
    let offset = 0;
    const patterns = segments.map((segment) => {
      const flags = field.globbable.slice(offset, offset + segment.length);
      offset += segment.length + 1;
      return { segment, flags };
    });
    let matches = [absolute ? "/" : ""];
    for (const { segment, flags } of patterns.slice(absolute ? 1 : 0)) {
      if (segment === "") continue;
      const regex = globRegex(segment, flags);
      const next: string[] = [];
      for (const base of matches) {
        if (!regex) {
          next.push(joinPath(base, segment));
          continue;
        }
        const dir = resolvePath(this.cwd, base || ".");
        let names: string[];
        try {
          names = this.container.fs.list(dir);
        } catch {
          continue;
        }
        for (const name of names.sort()) if (regex.test(name) && (!name.startsWith(".") || segment.startsWith("."))) next.push(joinPath(base, name));
      }
      matches = next.filter((m) => regex === undefined || this.container.fs.exists(resolvePath(this.cwd, m)));
    }
    return matches.length ? matches : [field.text];
  }

  /**
   * The shell program: `-c script [name [args]]`, a script file, or commands read from standard
   * input — interactively, with a prompt and Ctrl-C handling, when that input is a terminal.
   */
  async main(p: Process, interactive: boolean, source: { script: string } | { stdin: Input }): Promise<number> {
    this.rootOutput = p.stdout;
    const io: ShellIO = { stdin: p.stdin, stdout: p.stdout, stderr: p.stderr };
    try {
      if ("script" in source) await this.runText(source.script, 1, io, p.signal);
      else await this.readLoop(p, io, interactive);
      return this.status;
    } catch (e) {
      if (e instanceof ExitRequest) {
        if (interactive && this.dialect === "bash") p.stderr.write("exit\n");
        return e.code;
      }
      throw e;
    }
  }

  private async readLoop(p: Process, io: ShellIO, interactive: boolean): Promise<void> {
    const reader = new LineReader(p.stdin);
    let foreground: AbortController | undefined;
    const release = interactive ? p.interrupts.push(() => foreground?.abort()) : () => undefined;
    try {
      for (let line = 1; ; line++) {
        foreground = new AbortController();
        const signal = AbortSignal.any([p.signal, foreground.signal]);
        if (interactive) p.stderr.write(this.prompt());
        let text: string | null;
        try {
          text = interactive ? await p.stdin.read(signal) : await reader.readLine(signal);
        } catch (e) {
          if (!(e instanceof Interrupted) || p.signal.aborted) throw e;
          p.stderr.write("\n");
          continue;
        }
        if (text === null) {
          if (interactive) p.stderr.write(this.dialect === "bash" ? "exit\n" : "\n");
          return;
        }
        try {
          await this.runText(text, line, io, signal);
        } catch (e) {
          if (!(e instanceof Interrupted) || !interactive || p.signal.aborted) throw e;
          this.status = 130;
          p.stderr.write("\n");
        }
      }
    } finally {
      release();
    }
  }

  private prompt(): string {
    if (this.dialect === "sh") return "# ";
    const dir = this.cwd === (this.vars.get("HOME") ?? "/root") ? "~" : this.cwd;
    return `root@${this.container.hostname}:${dir}# `;
  }
}

function joinPath(base: string, name: string): string {
  if (base === "") return name;
  return base.endsWith("/") ? base + name : `${base}/${name}`;
}

/** A segment pattern as a regex, or undefined when nothing in it globs. */
function globRegex(segment: string, flags: boolean[]): RegExp | undefined {
  if (![...segment].some((ch, i) => flags[i] && GLOB.test(ch))) return undefined;
  let source = "";
  [...segment].forEach((ch, i) => {
    if (flags[i] && ch === "*") source += "[^/]*";
    else if (flags[i] && ch === "?") source += "[^/]";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`^${source}$`);
}

/** Options of `sh`/`bash` as started by exec or by another shell. */
function shellArguments(argv: string[]): { script?: string; file?: string; arg0: string; args: string[]; error?: string } {
  const [arg0, ...rest] = argv;
  let i = 0;
  let command = false;
  for (; i < rest.length && rest[i].startsWith("-") && rest[i] !== "-" && rest[i] !== "--"; i++) {
    const opts = rest[i].slice(1);
    if (opts.includes("c")) command = true;
    else if (!/^[eixsuvl]+$/.test(opts)) return { arg0, args: [], error: `${arg0}: 0: Illegal option ${rest[i].slice(0, 2)}` };
  }
  if (rest[i] === "--") i++;
  if (command) {
    if (i >= rest.length) return { arg0, args: [], error: `${arg0}: 0: -c requires an argument` };
    return { script: rest[i], arg0: rest[i + 1] ?? arg0, args: rest.slice(i + 2) };
  }
  if (i < rest.length) return { file: rest[i], arg0: rest[i], args: rest.slice(i + 1) };
  return { arg0, args: [] };
}

/** /bin/sh (dash) and /bin/bash as programs. */
export function shellProgram(dialect: Dialect): Program {
  return async (p) => {
    const parsed = shellArguments(p.argv);
    const name = dialect === "bash" ? "bash" : p.argv[0].replace(/^.*\//, "");
    if (parsed.error) {
      p.stderr.write(parsed.error + "\n");
      return 2;
    }
    const interactive = !parsed.script && !parsed.file && !!p.terminal;
    const arg0 = parsed.script !== undefined || parsed.file ? parsed.arg0 : name;
    const shell = new Shell(dialect, p.container, p.env, p.cwd, arg0, parsed.args, p.interrupts, p.terminal, dialect === "bash" && !interactive && parsed.script === undefined);
    if (parsed.file) {
      let script: string;
      try {
        script = p.container.fs.readFile(resolvePath(p.cwd, parsed.file));
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        p.stderr.write(dialect === "sh" ? `${name}: 0: Can't open ${parsed.file}\n` : `${name}: ${parsed.file}: ${e.message}\n`);
        return 127;
      }
      return shell.main(p, false, { script });
    }
    if (parsed.script !== undefined) return shell.main(p, false, { script: parsed.script });
    return shell.main(p, interactive, { stdin: p.stdin });
  };
}
