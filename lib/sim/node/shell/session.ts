import { randomBytes } from "node:crypto";
import type { ContainerView } from "./container";
import { findExecutable } from "./executables";
import { EMPTY_INPUT, type Input, Interrupted, Interrupts, type Output, type Process, type ProcessSignals } from "./process";
import { Terminal } from "./terminal";

/** SIGKILL: how the runtime reports a process killed with its container. */
export const KILLED_EXIT_CODE = 137;
/** SIGINT (Ctrl-C) ended the process. */
const INTERRUPTED_EXIT_CODE = 130;
/** What the playground keeps of stdin not read yet (a pipe's buffer would block the writer instead). */
const MAX_PENDING_INPUT = 1024 * 1024;

/**
 * runc could not start the process (containerd then fails the exec: no exit code). `reason` is
 * runc's, e.g. `exec: "foo": executable file not found in $PATH`.
 */
export class ExecStartError extends Error {
  readonly execId = randomBytes(32).toString("hex");

  constructor(readonly reason: string) {
    super(reason);
  }

  /** The error containerd's CRI streaming server reports (before the kubelet and API server wrap it). */
  runtimeMessage(): string {
    return `error executing command in container: failed to exec in container: failed to start exec "${this.execId}": OCI runtime exec failed: exec failed: unable to start container process: ${this.reason}: unknown`;
  }
}

export interface ExecOptions {
  argv: string[];
  tty: boolean;
  stdin: boolean;
  /** For a container's main process: where the runtime's signals arrive. */
  signals?: ProcessSignals;
}

export interface ExecSink {
  stdout(data: string): void;
  stderr(data: string): void;
}

/** A process started by `kubectl exec`, fed by the stream channels. */
export interface ExecSession {
  /** Bytes on the stdin channel. */
  input(data: Buffer): void;
  /** The client closed stdin (v5 close signal). */
  endInput(): void;
  resize(columns: number, rows: number): void;
  /** The container went away: the process is killed (exit code 137). */
  kill(): void;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

/** stdin without a terminal: the bytes as they come, then end of input. */
class PipeInput implements Input {
  private chunks: string[] = [];
  private size = 0;
  private ended = false;
  private waiter?: () => void;
  private readonly decoder = new TextDecoder();

  push(data: Buffer): void {
    const text = this.decoder.decode(data, { stream: true });
    if (this.size + text.length > MAX_PENDING_INPUT) return;
    this.chunks.push(text);
    this.size += text.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async read(signal?: AbortSignal): Promise<string | null> {
    for (;;) {
      if (this.chunks.length) {
        const chunk = this.chunks.shift()!;
        this.size -= chunk.length;
        return chunk;
      }
      if (this.ended) return null;
      if (signal?.aborted) throw new Interrupted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new Interrupted());
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiter = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
      });
    }
  }
}

/** The process environment containerd gives an exec: the container's, TERM with a TTY, and HOME last (runc adds it). */
function execEnvironment(container: ContainerView, tty: boolean): Map<string, string> {
  const env = new Map(container.env);
  if (tty) env.set("TERM", "xterm");
  if (!env.has("HOME")) env.set("HOME", "/root");
  return env;
}

/** runc's lookup of argv[0] in the container's PATH; its error when there is nothing to run. */
function resolveCommand(container: ContainerView, env: Map<string, string>, name: string) {
  if (name === undefined || name === "") throw new ExecStartError('exec: "": executable file not found in $PATH');
  const found = findExecutable(container, name, env.get("PATH") ?? "");
  if (found.program) return found.program;
  if (found.error === "denied") throw new ExecStartError(`exec: "${name}": permission denied`);
  if (name.includes("/")) throw new ExecStartError(`exec: "${name}": stat ${name}: no such file or directory`);
  throw new ExecStartError(`exec: "${name}": executable file not found in $PATH`);
}

/**
 * Starts `argv` in the container as containerd would for an exec: found on the container's PATH
 * (else ExecStartError, thrown at once), with the container's environment, "/" as working
 * directory, and a pseudo-terminal when `tty` (then stderr joins stdout).
 */
export function startExec(container: ContainerView, options: ExecOptions, sink: ExecSink): ExecSession {
  const env = execEnvironment(container, options.tty);
  const program = resolveCommand(container, env, options.argv[0]);
  const killed = new AbortController();
  const interrupts = new Interrupts();
  // Ctrl-C with no interactive shell on top stops the process itself.
  const foreground = new AbortController();
  interrupts.push(() => foreground.abort());
  const pipe = new PipeInput();
  const terminal = options.tty ? new Terminal((data) => sink.stdout(data), () => interrupts.interrupt(), options.argv[0].endsWith("bash") ? "drop" : "echo") : undefined;
  const stdout: Output = terminal ?? { write: (text) => sink.stdout(text) };
  const stderr: Output = terminal ?? { write: (text) => sink.stderr(text) };
  const stdin: Input = !options.stdin ? EMPTY_INPUT : (terminal ?? pipe);
  const proc: Process = {
    argv: options.argv,
    stdin,
    stdout,
    stderr,
    env,
    cwd: "/",
    container,
    signal: AbortSignal.any([killed.signal, foreground.signal]),
    terminal: terminal ? { get columns() { return terminal.columns; } } : undefined,
    interrupts,
    signals: options.signals,
  };
  const exited = program(proc).then(
    (code) => (killed.signal.aborted ? KILLED_EXIT_CODE : code),
    (err) => {
      if (killed.signal.aborted) return KILLED_EXIT_CODE;
      if (err instanceof Interrupted) return INTERRUPTED_EXIT_CODE;
      throw err;
    },
  );
  return {
    input: (data) => (terminal ? terminal.input(data) : pipe.push(data)),
    endInput: () => (terminal ? terminal.hangUp() : pipe.end()),
    resize: (columns, rows) => {
      if (!terminal) return;
      terminal.columns = columns;
      terminal.rows = rows;
    },
    kill: () => killed.abort(),
    exited: Promise.race([exited, new Promise<number>((resolve) => killed.signal.addEventListener("abort", () => resolve(KILLED_EXIT_CODE), { once: true }))]),
  };
}
