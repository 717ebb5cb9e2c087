/**
 * A test client for text/event-stream answers (the route handler's Response body in process, or
 * fetch() against the real server): frames with their ids, waiting for a condition, closing.
 * No vitest imports: bench/run.ts uses it too.
 */
import { CHANGES_EVENT } from "../../k8s/contract";

/** A `changes` frame as its `change` frames, with their ids: consecutive, up to the frame's (the contract's CHANGES_EVENT). */
function unbatch(frame: SseFrame): SseFrame[] {
  const changes = JSON.parse(frame.data) as unknown[];
  const last = frame.id === undefined ? undefined : Number(frame.id);
  return changes.map((change, i) => ({ ...(last === undefined ? {} : { id: String(last - (changes.length - 1 - i)) }), event: "change", data: JSON.stringify(change) }));
}

/** One Server-Sent Events frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/**
 * Incremental SSE parser (text/event-stream framing: fields per line, frames end with a blank line).
 * A `changes` frame (the server's batch of changes) comes out as one `change` frame per change, as
 * the page reads it, each with its id; `{ batches: true }` keeps it whole.
 */
export class SseParser {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  constructor(private readonly options: { batches?: boolean } = {}) {}

  push(chunk: Uint8Array | string): SseFrame[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const frames: SseFrame[] = [];
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end < 0) break;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = { event: "message", data: "" };
      const data: string[] = [];
      let hasData = false;
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") frame.id = value;
        else if (field === "event") frame.event = value;
        else if (field === "data") {
          data.push(value);
          hasData = true;
        }
      }
      if (!hasData) continue; // retry: / heartbeat-only blocks
      frame.data = data.join("\n");
      if (frame.event === CHANGES_EVENT && !this.options.batches) frames.push(...unbatch(frame));
      else frames.push(frame);
    }
    return frames;
  }
}

/** Reads SSE frames from a Response body until `stop` says so (or the stream ends, or the time is up). */
export class SseClient {
  readonly frames: SseFrame[] = [];
  private readonly parser = new SseParser();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private ended = false;
  private pump?: Promise<void>;
  private readonly waiters = new Set<() => void>();
  error?: unknown;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    this.pump = this.run();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        this.frames.push(...this.parser.push(value));
        for (const w of [...this.waiters]) w();
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.ended = true;
      for (const w of [...this.waiters]) w();
    }
  }

  get done(): boolean {
    return this.ended;
  }

  get lastId(): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i].id) return this.frames[i].id;
    return undefined;
  }

  /** Resolves when `predicate` holds over the frames received so far; rejects after timeoutMs or when the stream ends first. */
  waitFor(predicate: (frames: SseFrame[]) => boolean, timeoutMs = 10_000, what = "a stream frame"): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this.frames)) return finish();
        if (this.ended) return finish(new Error(`stream ended before ${what} (${this.frames.length} frames)`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.frames.length} frames)`)), timeoutMs);
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
    await this.pump;
  }
}
