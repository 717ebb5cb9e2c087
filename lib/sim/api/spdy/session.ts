import { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
import {
  dataFrame,
  encodeHeaderBlock,
  type Frame,
  FrameError,
  FrameType,
  FLAG_FIN,
  GoAwayStatus,
  goAwayFrame,
  HeaderCompressor,
  HeaderDecompressor,
  idAndValue,
  parseHeaderBlock,
  pingFrame,
  pingId,
  readFrame,
  RstStatus,
  rstStreamFrame,
  SPDY_VERSION,
  synReplyFrame,
  synStreamFields,
} from "./frames";

/**
 * The server side of a SPDY/3.1 session as spdystream (the kubelet's and CRI runtimes' streaming
 * server) runs it: the client opens streams (SYN_STREAM, odd ids), the server accepts each with an
 * empty SYN_REPLY or refuses it with RST_STREAM CANCEL, both sides send DATA and half-close with
 * FIN, PINGs are echoed, GOAWAY ends the session.
 *
 * Flow control is the transport's, as between kubectl and spdystream (which ignores WINDOW_UPDATE
 * and never sends one): a stream whose reader is slow stops the session reading its transport
 * (as spdystream's frame workers block), and a stream's writes wait while the transport's buffer is
 * full. So neither a large upload nor a large download is held in memory beyond one frame per
 * stream plus the stream buffers' high-water marks.
 */

export interface SpdySessionOptions {
  /** Checks a new stream's headers: a message refuses it (RST_STREAM CANCEL, as spdystream's newSpdyStream). */
  validate(headers: Map<string, string[]>): string | undefined;
  /** An accepted stream, after its SYN_REPLY went out. */
  onStream(stream: SpdyStream): void;
  /** Open streams at once; more are refused with RST_STREAM REFUSED_STREAM. */
  maxConcurrentStreams: number;
  /** The largest frame read; a longer one ends the session with GOAWAY PROTOCOL_ERROR. */
  maxFrameBytes: number;
}

/** DATA frames the server writes: io.Copy's 32 KiB, as the real server's writes come out. */
const MAX_DATA_FRAME_BYTES = 32 * 1024;
/** One decompressed header block (the kubelet's streams carry three short headers). */
const MAX_HEADER_BLOCK_BYTES = 64 * 1024;

/** One stream: readable is what the client sends on it, writable what the server sends back. */
export class SpdyStream extends Duplex {
  private remoteClosed = false;
  private localClosed = false;
  private reset_ = false;
  private readWaiter: (() => void) | undefined;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Map<string, string[]>,
  ) {
    super({ allowHalfOpen: true });
  }

  /** The first value of a header (names are lower case). */
  header(name: string): string {
    return this.headers.get(name.toLowerCase())?.[0] ?? "";
  }

  /** Delivers the client's bytes; resolves once the reader wants more (backpressure on the session). */
  receive(data: Buffer): Promise<void> | undefined {
    if (this.remoteClosed || this.destroyed) return undefined;
    if (this.push(data)) return undefined;
    return new Promise((resolve) => (this.readWaiter = resolve));
  }

  /** The client's FIN. */
  receiveEnd(): void {
    if (this.remoteClosed || this.destroyed) return;
    this.remoteClosed = true;
    this.push(null);
    this.session.forgetIfDone(this);
  }

  /** RST_STREAM from the client: the stream is gone both ways, nothing more is sent on it. */
  receiveReset(): void {
    this.reset_ = true;
    this.destroy();
  }

  /** Ends the stream abruptly (spdystream's Reset): RST_STREAM CANCEL unless this side already sent its FIN. */
  reset(): void {
    if (!this.localClosed && !this.reset_ && !this.session.isClosed()) this.session.send(rstStreamFrame(this.id, RstStatus.Cancel));
    this.reset_ = true;
    this.destroy();
  }

  isDone(): boolean {
    return this.reset_ || (this.remoteClosed && this.localClosed);
  }

  override _read(): void {
    const waiter = this.readWaiter;
    this.readWaiter = undefined;
    waiter?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendFrom(chunk, 0, callback);
  }

  /** One DATA frame at a time, each after the transport drained: a large write is framed as it goes out, not copied at once. */
  private sendFrom(chunk: Buffer, from: number, callback: (error?: Error | null) => void): void {
    for (let at = from; ; ) {
      if (this.reset_ || this.session.isClosed()) return callback(new Error("stream reset"));
      const end = Math.min(chunk.length, at + MAX_DATA_FRAME_BYTES);
      const flushed = this.session.send(dataFrame(this.id, chunk.subarray(at, end)));
      const done = end >= chunk.length;
      if (!flushed) return this.session.whenDrained(() => (done ? callback() : this.sendFrom(chunk, end, callback)));
      if (done) return callback();
      at = end;
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.reset_ && !this.session.isClosed()) this.session.send(dataFrame(this.id, Buffer.alloc(0), true));
    this.localClosed = true;
    this.session.forgetIfDone(this);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.isDone() && !this.session.isClosed()) this.session.send(rstStreamFrame(this.id, RstStatus.Cancel));
    this.reset_ = this.reset_ || !this.isDone();
    this._read();
    this.session.forget(this);
    callback(error);
  }
}

/** Serves one SPDY session on a transport (a raw upgraded socket, or the bytes tunnelled in a WebSocket). */
export class SpdySession extends EventEmitter {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor(MAX_HEADER_BLOCK_BYTES);
  private pending: Buffer = Buffer.alloc(0);
  private pumping = false;
  private closed = false;
  private goneAway = false;
  private frozen = false;
  private lastStreamId = 0;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly transport: Duplex,
    private readonly options: SpdySessionOptions,
  ) {
    super();
    transport.on("data", (chunk: Buffer) => {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      void this.pump();
    });
    transport.on("drain", () => this.drained());
    transport.on("error", () => this.destroy());
    transport.on("end", () => this.destroy());
    transport.on("close", () => this.destroy());
  }

  isClosed(): boolean {
    return this.closed;
  }

  /**
   * The peer became unreachable (its node is down): nothing is read or sent any more, and the
   * client sees a session that no longer answers, until it gives up or the transport closes.
   */
  freeze(): void {
    this.frozen = true;
    this.transport.pause();
  }

  /** Writes a frame; false when the transport's buffer is full (wait with whenDrained). */
  send(frame: Buffer): boolean {
    if (this.closed || this.frozen || this.transport.destroyed || !this.transport.writable) return true;
    return this.transport.write(frame);
  }

  whenDrained(callback: () => void): void {
    if (this.closed) return callback();
    this.drainWaiters.push(callback);
  }

  private drained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }

  forgetIfDone(stream: SpdyStream): void {
    if (stream.isDone()) this.forget(stream);
  }

  forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  /** Ends the session as spdystream's Close does: GOAWAY OK, then the transport closes. */
  close(): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId, GoAwayStatus.Ok));
    this.shutdown();
  }

  /** The transport is gone: every stream ends at once. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.destroy();
    this.finish();
  }

  private shutdown(): void {
    this.closed = true;
    this.transport.end();
    this.finish();
  }

  private finish(): void {
    this.decompressor.close();
    this.drained();
    for (const stream of [...this.streams.values()]) stream.destroy();
    this.streams.clear();
    this.emit("close");
  }

  /** A frame it cannot accept: GOAWAY PROTOCOL_ERROR and the session ends (never a crash). */
  private protocolError(err: unknown): void {
    if (process.env.PLAYGROUND_DEBUG) console.error("[spdy] protocol error:", err);
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId, GoAwayStatus.ProtocolError));
    this.shutdown();
  }

  /** Reads frames in order; the transport stays paused while a frame waits (headers inflating, a slow reader). */
  private async pump(): Promise<void> {
    if (this.pumping || this.closed || this.frozen) return;
    this.pumping = true;
    this.transport.pause();
    try {
      for (;;) {
        const next = readFrame(this.pending, this.options.maxFrameBytes);
        if (!next) break;
        this.pending = this.pending.subarray(next.size);
        await this.handle(next.frame);
        if (this.closed || this.frozen) return;
      }
    } catch (err) {
      return this.protocolError(err);
    } finally {
      this.pumping = false;
    }
    this.transport.resume();
  }

  private async handle(frame: Frame): Promise<void> {
    if (frame.kind === "data") return this.handleData(frame.streamId, frame.flags, frame.data);
    if (frame.version !== SPDY_VERSION) throw new FrameError(`unsupported SPDY version ${frame.version}`);
    switch (frame.type) {
      case FrameType.SynStream:
        return this.handleSynStream(frame.flags, frame.payload);
      case FrameType.SynReply:
      case FrameType.Headers: {
        // Not expected from a client, but their header blocks are part of the zlib stream: inflate and drop.
        if (frame.payload.length < 4) throw new FrameError("header frame too short");
        parseHeaderBlock(await this.decompressor.decompress(frame.payload.subarray(4)));
        return;
      }
      case FrameType.RstStream:
        this.streams.get(idAndValue(frame.payload, "RST_STREAM").id)?.receiveReset();
        return;
      case FrameType.Ping: {
        const id = pingId(frame.payload);
        if (id % 2 === 1) this.send(pingFrame(id)); // the client's ping (odd): echoed; even ones would answer ours
        return;
      }
      case FrameType.GoAway:
        idAndValue(frame.payload, "GOAWAY");
        this.goneAway = true;
        return;
      case FrameType.WindowUpdate:
        idAndValue(frame.payload, "WINDOW_UPDATE"); // spdystream ignores windows; so does its peer
        return;
      default:
        return; // SETTINGS and unknown control frames are ignored, as the spec asks
    }
  }

  private handleData(streamId: number, flags: number, data: Buffer): Promise<void> | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined; // already gone (reset or closed): dropped, as spdystream does
    const wait = data.length ? stream.receive(data) : undefined;
    if (flags & FLAG_FIN) stream.receiveEnd();
    return wait;
  }

  private async handleSynStream(flags: number, payload: Buffer): Promise<void> {
    const fields = synStreamFields(payload);
    // Decompress first, whatever happens to the stream: the zlib stream must stay in step.
    const headers = parseHeaderBlock(await this.decompressor.decompress(fields.headerBlock));
    const { streamId } = fields;
    if (this.goneAway) return;
    if (streamId === 0 || streamId % 2 === 0 || streamId <= this.lastStreamId) {
      this.send(rstStreamFrame(streamId, RstStatus.ProtocolError));
      return;
    }
    this.lastStreamId = streamId;
    if (this.streams.size >= this.options.maxConcurrentStreams) {
      this.send(rstStreamFrame(streamId, RstStatus.RefusedStream));
      return;
    }
    const refusal = this.options.validate(headers);
    if (refusal) {
      if (process.env.PLAYGROUND_DEBUG) console.error(`[spdy] stream rejected: ${refusal}`);
      this.send(rstStreamFrame(streamId, RstStatus.Cancel));
      return;
    }
    const stream = new SpdyStream(this, streamId, headers);
    stream.on("error", () => stream.destroy());
    this.streams.set(streamId, stream);
    this.send(synReplyFrame(streamId, this.compressor.compress(encodeHeaderBlock({}))));
    if (flags & FLAG_FIN) stream.receiveEnd();
    this.options.onStream(stream);
  }
}
