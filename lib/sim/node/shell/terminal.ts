import { StringDecoder } from "node:string_decoder";
import { Interrupted, type Input, type Output } from "./process";

/** N_TTY's line buffer: a longer line is cut (the kernel drops what does not fit). */
const MAX_LINE = 4095;

/**
 * The pseudo-terminal of `kubectl exec -t` in canonical mode, as the kernel's line discipline runs
 * it with a shell that does no line editing of its own (dash): echo, backspace/Ctrl-U/Ctrl-W erase,
 * Enter (CR → NL), Ctrl-C (SIGINT, echoed "^C"), Ctrl-D (end of input on an empty line), other
 * control characters echoed as ^X; output NL becomes CR NL. `escapes: "drop"` swallows cursor-key
 * sequences instead (bash's readline would act on them; the playground only keeps them out of the line).
 */
export class Terminal implements Input, Output {
  columns = 80;
  rows = 24;
  private line: string[] = [];
  private readonly ready: (string | null)[] = [];
  private waiter?: { resolve(value: string | null): void; reject(err: Error): void };
  private readonly decoder = new StringDecoder("utf8");
  private pendingEscape = "";

  constructor(
    private readonly send: (data: string) => void,
    private readonly onInterrupt: () => void,
    private readonly escapes: "echo" | "drop" = "echo",
  ) {}

  /** Program output: NL becomes CR NL (ONLCR). */
  write(text: string): void {
    if (text) this.send(text.replace(/\n/g, "\r\n"));
  }

  /** The next line typed (with its "\n"), the partial line on Ctrl-D, or null: Ctrl-D on an empty line. */
  read(signal?: AbortSignal): Promise<string | null> {
    if (this.ready.length) return Promise.resolve(this.ready.shift()!);
    if (signal?.aborted) return Promise.reject(new Interrupted());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiter = undefined;
        reject(new Interrupted());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiter = {
        resolve: (value) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
        },
        reject,
      };
    });
  }

  /** Keystrokes from kubectl's stdin channel. */
  input(data: Buffer | string): void {
    const text = typeof data === "string" ? data : this.decoder.write(data);
    for (const ch of text) this.key(ch);
  }

  /** The far end closed stdin: what is pending is delivered, then end of input. */
  hangUp(): void {
    if (this.line.length) this.complete(this.line.join(""));
    this.complete(null);
  }

  private complete(value: string | null): void {
    this.line = [];
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve(value);
    } else this.ready.push(value);
  }

  private key(ch: string): void {
    if (this.pendingEscape || (ch === "\u001b" && this.escapes === "drop")) return this.escapeSequence(ch);
    switch (ch) {
      case "\r":
      case "\n":
        this.send("\r\n");
        return this.complete(this.line.join("") + "\n");
      case "\u0003": // Ctrl-C: SIGINT, the pending input is flushed
        this.send("^C");
        this.line = [];
        return this.onInterrupt();
      case "\u0004": // Ctrl-D
        return this.complete(this.line.length ? this.line.join("") : null);
      case "\u007f":
      case "\b":
        return this.erase(1);
      case "\u0015": // Ctrl-U
        return this.erase(this.line.length);
      case "\u0017": // Ctrl-W
        return this.erase(this.line.length - this.line.join("").replace(/\S+\s*$/, "").length);
      default:
        return this.insert(ch);
    }
  }

  /** ESC [ … final byte: swallowed whole (bash mode only). */
  private escapeSequence(ch: string): void {
    this.pendingEscape += ch;
    const seq = this.pendingEscape;
    if (seq === "\u001b" || seq === "\u001b[" || seq === "\u001bO" || (seq.startsWith("\u001b[") && /^[\d;]$/.test(ch))) return;
    this.pendingEscape = "";
  }

  private insert(ch: string): void {
    if (this.line.length >= MAX_LINE) return;
    this.line.push(ch);
    const code = ch.codePointAt(0)!;
    // ECHOCTL: control characters other than TAB echo as ^X.
    this.send(code < 32 && ch !== "\t" ? `^${String.fromCharCode(code + 64)}` : ch);
  }

  private erase(count: number): void {
    for (let n = 0; n < count && this.line.length; n++) {
      const ch = this.line.pop()!;
      const code = ch.codePointAt(0)!;
      this.send(code < 32 && ch !== "\t" ? "\b\b  \b\b" : "\b \b");
    }
  }
}
