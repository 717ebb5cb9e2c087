import { ExitRequest, shellBuiltins } from "./builtins";
import type { ContainerView } from "./container";
import { FsError, resolvePath } from "./filesystem";
import { findExecutable } from "./executables";
import { type Field, glob } from "./glob";
import { type AndOrList, type Command, parse, type Pipeline, type Redirect, type Script, type SimpleCommand, ShellSyntaxError, type Word } from "./parser";
import { ReturnRequest, runCompound } from "./compound";
import { Traps } from "./traps";
import { readLoop } from "./readloop";
import {
  BufferOutput,
  FileOutput,
  type Input,
  type Interrupts,
  NULL_OUTPUT,
  type Output,
  type Process,
  stringInput,
} from "./process";

export type Dialect = "sh" | "bash";

/** POSIX special builtins: found before functions of the same name. */
const SPECIAL_BUILTINS = new Set([":", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "trap", "unset", "."]);

export interface ShellIO {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

/*
 * Why the playground keeps its own shell rather than `just-bash` (npm, 3.4.2, checked on Node 20):
 * just-bash runs whole scripts (no process reading a terminal line by line for `kubectl exec -it`),
 * brings ~90 MB of dependencies (sql.js, quickjs-emscripten, undici, a native lzma module built at
 * install), speaks to the host's real network for curl, and has neither nslookup nor dig. What the
 * book needs here is the opposite: a small userland whose files are the pod's volumes, whose
 * network is the simulated pod network, and whose messages are dash's and Debian's.
 */

/**
 * One shell process: its variables, working directory and last status, and the execution of
 * parsed scripts. Messages follow dash (`sh: 1: foo: not found`) or bash (`bash: foo: command not found`).
 */
export class Shell {
  readonly vars: Map<string, string>;
  readonly exported: Set<string>;
  /** Functions defined by `name() { … }`, run before builtins and programs of that name. */
  readonly functions = new Map<string, Command>();
  readonly traps = new Traps();
  /** `sh -x`: each simple command, expanded, is written to stderr after "+ " (PS4) before it runs. */
  xtrace = false;
  /** Loops running now (break and continue outside any loop do nothing). */
  loopDepth = 0;
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
    /** The positional parameters ($1 …); a function call has its own for as long as it runs. */
    public args: string[],
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

  /** A copy for a subshell ($(…), ( … )): what it changes does not come back. */
  subshell(): Shell {
    const child = new Shell(this.dialect, this.container, new Map(), this.cwd, this.arg0, this.args, this.interrupts, this.terminal, this.lineInMessages);
    for (const [k, v] of this.vars) child.vars.set(k, v);
    for (const k of this.exported) child.exported.add(k);
    for (const [k, v] of this.functions) child.functions.set(k, v);
    child.status = this.status;
    child.xtrace = this.xtrace;
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
    await this.runPendingTraps(io, signal);
  }

  /** Runs the traps of signals that arrived while a command ran; `$?` is kept across them, as in dash. */
  async runPendingTraps(io: ShellIO, signal: AbortSignal): Promise<void> {
    for (let pending = this.traps.next(); pending !== undefined; pending = this.traps.next()) {
      const saved = this.status;
      await this.runText(this.traps.action(pending) ?? "", this.line, io, signal);
      this.status = saved;
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

  private async runCommand(command: Command, io: ShellIO, signal: AbortSignal): Promise<number> {
    return command.kind === "simple" ? this.runSimple(command, io, signal) : runCompound(this, command, io, signal);
  }

  private async runSimple(command: SimpleCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
    const assignments: { name: string; value: string }[] = [];
    for (const a of command.assignments) assignments.push({ name: a.name, value: (await this.expandWord(a.value, io, signal, false)).map((f) => f.text).join(" ") });
    const argv = await this.expandWords(command.words, io, signal);
    // dash 0.5.7 (Debian jessie) traces the words as they are, without quoting them.
    if (this.xtrace) io.stderr.write(`${this.vars.get("PS4") ?? "+ "}${[...assignments.map((a) => `${a.name}=${a.value}`), ...argv].join(" ")}\n`);
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
  openRedirects(redirects: Redirect[], io: ShellIO): { io: ShellIO; files: FileOutput[] } | number {
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

  async execute(argv: string[], assignments: { name: string; value: string }[], io: ShellIO, signal: AbortSignal): Promise<number> {
    const [name] = argv;
    const builtin = this.builtins[name];
    if (builtin && SPECIAL_BUILTINS.has(name)) return builtin(argv, io, signal);
    const fn = this.functions.get(name);
    if (fn) return this.callFunction(fn, argv, io, signal);
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

  /** Runs a function with argv[1…] as its positional parameters; `return` ends it. */
  private async callFunction(body: Command, argv: string[], io: ShellIO, signal: AbortSignal): Promise<number> {
    const saved = { args: this.args, loopDepth: this.loopDepth };
    this.args = argv.slice(1);
    // As in dash (evalfun), a function body is outside the caller's loops: break in it does nothing.
    this.loopDepth = 0;
    try {
      return await this.runCommand(body, io, signal);
    } catch (e) {
      if (!(e instanceof ReturnRequest)) throw e;
      return e.code;
    } finally {
      this.args = saved.args;
      this.loopDepth = saved.loopDepth;
    }
  }

  private readonly builtins = shellBuiltins(this);

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

  async expandWords(words: Word[], io: ShellIO, signal: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      for (const field of await this.expandWord(word, io, signal, true)) out.push(...glob(this.container.fs, this.cwd, field));
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

  /**
   * The shell program: `-c script [name [args]]`, a script file, or commands read from standard
   * input — interactively, with a prompt and Ctrl-C handling, when that input is a terminal.
   */
  async main(p: Process, interactive: boolean, source: { script: string } | { stdin: Input }): Promise<number> {
    this.rootOutput = p.stdout;
    const io: ShellIO = { stdin: p.stdin, stdout: p.stdout, stderr: p.stderr };
    let code: number;
    try {
      if ("script" in source) await this.runText(source.script, 1, io, p.signal);
      else await readLoop(this, p, io, interactive);
      code = this.status;
    } catch (e) {
      if (!(e instanceof ExitRequest)) throw e;
      if (interactive && this.dialect === "bash") p.stderr.write("exit\n");
      code = e.code;
    }
    return this.exitTrap(code, io, p.signal);
  }

  /** `trap … EXIT` runs as the shell ends; an `exit` in it sets the status, else the shell's stands. */
  private async exitTrap(code: number, io: ShellIO, signal: AbortSignal): Promise<number> {
    const action = this.traps.action("EXIT");
    if (!action) return code;
    this.traps.set("EXIT", undefined);
    this.status = code;
    try {
      await this.runText(action, this.line, io, signal);
      return code;
    } catch (e) {
      if (!(e instanceof ExitRequest)) throw e;
      return e.code;
    }
  }
}
