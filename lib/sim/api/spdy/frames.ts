import { constants, createInflate, type Inflate } from "node:zlib";
import { SPDY3_DICTIONARY } from "./dictionary";

/**
 * SPDY/3.1 framing as Go's spdy package (github.com/moby/spdystream/spdy, the framer of kubectl's
 * and the kubelet's port-forward sessions) reads and writes it: frame layout, control frame types,
 * RST_STREAM and GOAWAY status codes, and the zlib-compressed header blocks.
 *
 * Written here rather than taken from npm's `spdy-transport` (3.0.0, unmaintained since 2018): that
 * library enforces SPDY/3.1 flow-control windows, waiting for WINDOW_UPDATE after 64 KiB per stream
 * and resetting a stream that overflows its receive window, while spdystream never sends
 * WINDOW_UPDATE and ignores the ones it gets. Against kubectl it would stall every download after
 * 64 KiB and reset uploads. What this needs of SPDY is small: the frames below.
 */

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

/** FLAG_FIN on both control and data frames. */
export const FLAG_FIN = 0x01;

const FRAME_HEADER_BYTES = 8;

export type Frame =
  | { kind: "data"; streamId: number; flags: number; data: Buffer }
  | { kind: "control"; version: number; type: number; flags: number; payload: Buffer };

/** A frame the session cannot accept: it answers GOAWAY PROTOCOL_ERROR and closes. */
export class FrameError extends Error {}

/**
 * The first complete frame at the start of `buf` and how many bytes it took, or undefined when more
 * bytes are needed. A frame longer than `maxLength` is refused before it is buffered.
 */
export function readFrame(buf: Buffer, maxLength: number): { frame: Frame; size: number } | undefined {
  if (buf.length < FRAME_HEADER_BYTES) return undefined;
  const first = buf.readUInt32BE(0);
  const flags = buf[4];
  const length = buf.readUIntBE(5, 3);
  if (length > maxLength) throw new FrameError(`frame of ${length} bytes is over the limit of ${maxLength}`);
  const size = FRAME_HEADER_BYTES + length;
  if (buf.length < size) return undefined;
  const body = buf.subarray(FRAME_HEADER_BYTES, size);
  if (first & 0x80000000) {
    return { frame: { kind: "control", version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload: body }, size };
  }
  return { frame: { kind: "data", streamId: first & 0x7fffffff, flags, data: body }, size };
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE((0x8000 | SPDY_VERSION) * 0x10000 + type, 0);
  header[4] = flags;
  header.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([header, payload]);
}

function words(...values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, i * 4));
  return buf;
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header[4] = fin ? FLAG_FIN : 0;
  header.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([header, data]);
}

export function synReplyFrame(streamId: number, compressedHeaders: Buffer, fin = false): Buffer {
  return controlFrame(FrameType.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([words(streamId & 0x7fffffff), compressedHeaders]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.RstStream, 0, words(streamId & 0x7fffffff, status));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.Ping, 0, words(id));
}

export function goAwayFrame(lastGoodStreamId: number, status: number): Buffer {
  return controlFrame(FrameType.GoAway, 0, words(lastGoodStreamId & 0x7fffffff, status));
}

/** The fixed fields of the control frames the session reads; a payload too short for them is malformed. */
export function synStreamFields(payload: Buffer): { streamId: number; associatedTo: number; priority: number; headerBlock: Buffer } {
  if (payload.length < 10) throw new FrameError("SYN_STREAM frame too short");
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedTo: payload.readUInt32BE(4) & 0x7fffffff,
    priority: payload[8] >> 5,
    headerBlock: payload.subarray(10),
  };
}

/** RST_STREAM, GOAWAY and WINDOW_UPDATE: a stream id and one 32-bit value. */
export function idAndValue(payload: Buffer, name: string): { id: number; value: number } {
  if (payload.length !== 8) throw new FrameError(`${name} frame of ${payload.length} bytes, not 8`);
  return { id: payload.readUInt32BE(0) & 0x7fffffff, value: payload.readUInt32BE(4) };
}

export function pingId(payload: Buffer): number {
  if (payload.length !== 4) throw new FrameError(`PING frame of ${payload.length} bytes, not 4`);
  return payload.readUInt32BE(0);
}

/** Go's limits on a header block (spdy/types.go): 1000 headers, fields of at most 1 MiB (ours: the block's size). */
const MAX_HEADER_COUNT = 1000;

/**
 * A decompressed header block: a count, then length-prefixed names and values, several values of a
 * name joined by NUL. Names are lower case on the wire (Go's framer lowercases them).
 */
export function parseHeaderBlock(block: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let at = 0;
  const field = (): string => {
    if (at + 4 > block.length) throw new FrameError("truncated header block");
    const length = block.readUInt32BE(at);
    at += 4;
    if (at + length > block.length) throw new FrameError("truncated header block");
    const text = block.toString("utf8", at, at + length);
    at += length;
    return text;
  };
  if (block.length < 4) throw new FrameError("truncated header block");
  const count = block.readUInt32BE(0);
  at = 4;
  if (count > MAX_HEADER_COUNT) throw new FrameError(`${count} headers in one block`);
  for (let i = 0; i < count; i++) {
    const name = field().toLowerCase();
    const values = field().split("\0");
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  if (at !== block.length) throw new FrameError("trailing bytes after the header block");
  return headers;
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [words(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, "utf8");
      parts.push(words(bytes.length), bytes);
    }
  }
  return Buffer.concat(parts);
}

/** zlib's header for a stream primed with the SPDY/3 dictionary: deflate, 32 KiB window, FDICT, then the dictionary's Adler-32. */
const ZLIB_HEADER_WITH_DICTIONARY = Buffer.from([0x78, 0x20, 0xe3, 0xc6, 0xa7, 0xc2]);
const MAX_STORED_BLOCK = 0xffff;
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * The compressing side of one direction of a session. Every header block of a direction is a piece
 * of one zlib stream (the peer keeps one decompressor for the connection), each ending on a byte
 * boundary with the empty stored block a sync flush writes. The playground sends only tiny header blocks (empty SYN_REPLYs, as
 * the kubelet does), so it writes them as stored (uncompressed) deflate blocks: valid zlib that any
 * inflater reads, produced synchronously, so frames keep their order without a queue.
 */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) parts.push(ZLIB_HEADER_WITH_DICTIONARY);
    this.started = true;
    for (let at = 0; at === 0 || at < block.length; at += MAX_STORED_BLOCK) {
      const chunk = block.subarray(at, at + MAX_STORED_BLOCK);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), padded to the byte
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
    }
    // The sync-flush marker (an empty stored block): Go's inflater hands out a stored block's bytes
    // only when the next block starts, so without it the header block would stay inside zlib.
    parts.push(SYNC_FLUSH_MARKER);
    return Buffer.concat(parts);
  }
}

/**
 * The decompressing side: one zlib inflater for the whole session, fed each header block in order
 * and flushed, bounded in how much one block may expand to (a compression bomb ends the session).
 */
export class HeaderDecompressor {
  private readonly inflater: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private output: Buffer[] = [];
  private outputBytes = 0;
  private failure: Error | undefined;
  /** The waiting decompress(): a destroyed inflater never calls its flush back. */
  private rejectPending: ((err: Error) => void) | undefined;

  constructor(private readonly maxBlockBytes: number) {
    this.inflater.on("close", () => this.rejectPending?.(this.failure ?? new FrameError("header decompressor closed")));
    this.inflater.on("data", (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      if (this.outputBytes > this.maxBlockBytes) this.fail(new FrameError(`header block expands beyond ${this.maxBlockBytes} bytes`));
      else this.output.push(chunk);
    });
    this.inflater.on("error", (err: Error) => this.fail(new FrameError(`header block: ${err.message}`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.output = [];
    this.inflater.destroy();
  }

  decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.output = [];
      this.outputBytes = 0;
      this.rejectPending = reject;
      this.inflater.write(block);
      this.inflater.flush(constants.Z_SYNC_FLUSH, () => {
        this.rejectPending = undefined;
        if (this.failure) return reject(this.failure);
        resolve(Buffer.concat(this.output));
      });
    });
  }

  close(): void {
    this.inflater.destroy();
  }
}
