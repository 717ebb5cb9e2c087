import type { ContainerView } from "./container";
import { FsError } from "./filesystem";

/** A process's standard input: chunks (a whole line from a terminal), null at end of input. */
export interface Input {
  read(signal?: AbortSignal): Promise<string | null>;
}

export interface Output {
  write(text: string): void;
}

/** What every simulated program runs with. */
export interface Process {
  /** argv[0] is the name the program was started as. */
  argv: string[];
  stdin: Input;
  stdout: Output;
  stderr: Output;
  env: Map<string, string>;
  cwd: string;
  container: ContainerView;
  /** Aborted by Ctrl-C (SIGINT) or when the container goes away. */
  signal: AbortSignal;
  /** Set when stdout is a terminal: its width (ls columns, curl's progress meter). */
  terminal?: { columns: number };
  /** Interrupt handling of an interactive shell (Ctrl-C goes to the innermost one). */
  interrupts: Interrupts;
  /** Signals sent to the process by name (SIGTERM from the runtime stopping its container); only a container's main process gets them. */
  signals?: ProcessSignals;
}

/**
 * Signals sent to a container's main process (PID 1) by the runtime. PID 1 gets no default action
 * from the kernel: a signal nobody handles is ignored, so only a listener (a shell's trap) reacts.
 */
export class ProcessSignals {
  private readonly listeners = new Set<(name: string) => void>();

  listen(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(name: string): void {
    for (const listener of [...this.listeners]) listener(name);
  }
}

export type Program = (p: Process) => Promise<number>;

/** Thrown when a signal stops a program; the shell reports 128 + 2 (SIGINT). */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

/** Ctrl-C goes to the innermost interactive shell, which stops what it runs in the foreground. */
export class Interrupts {
  private readonly handlers: (() => void)[] = [];

  push(handler: () => void): () => void {
    this.handlers.push(handler);
    return () => {
      const at = this.handlers.lastIndexOf(handler);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  interrupt(): void {
    this.handlers[this.handlers.length - 1]?.();
  }
}

export const EMPTY_INPUT: Input = { read: async () => null };

export function stringInput(text: string): Input {
  let done = text === "";
  return {
    async read() {
      if (done) return null;
      done = true;
      return text;
    },
  };
}

/** Collects everything written, up to `limit` characters (a pipe or $(…) keeps only that much). */
export class BufferOutput implements Output {
  text = "";
  constructor(private readonly limit = 1024 * 1024) {}

  write(text: string): void {
    if (this.text.length < this.limit) this.text += text.slice(0, this.limit - this.text.length);
  }
}

export const NULL_OUTPUT: Output = { write: () => undefined };

/** Splits chunked input into lines (each with its "\n", the last maybe without), for `sh` reading a script. */
export class LineReader {
  private buffer = "";
  private ended = false;

  constructor(private readonly input: Input) {}

  async readLine(signal?: AbortSignal): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl + 1);
        this.buffer = this.buffer.slice(nl + 1);
        return line;
      }
      if (this.ended) {
        if (!this.buffer) return null;
        const rest = this.buffer;
        this.buffer = "";
        return rest;
      }
      const chunk = await this.input.read(signal);
      if (chunk === null) this.ended = true;
      else this.buffer += chunk;
    }
  }
}

/** Waits `ms` of cluster time (scaled like every other delay of the simulation); a signal cuts it short. */
export function sleep(container: ContainerView, ms: number, signal: AbortSignal): Promise<void> {
  const { ctx } = container;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Interrupted());
    const timer = ctx.clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      ctx.clock.clearTimeout(timer);
      reject(new Interrupted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Throws Interrupted if the signal fired (between steps of a program). */
export function checkSignal(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}

/** Output to a file opened by a redirection: each write goes to the file at once; a failure is kept for the shell to report. */
export class FileOutput implements Output {
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
