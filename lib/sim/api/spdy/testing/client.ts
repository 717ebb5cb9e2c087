import { PassThrough, Duplex } from "node:stream";
import { constants, createDeflate, createInflate } from "node:zlib";
import { waitFor } from "@/testing/wait";
import { SPDY3_DICTIONARY } from "../dictionary";
import { encodeHeaderBlock, type Frame, parseHeaderBlock, readFrame } from "../frames";

/** A client-side header compressor as Go's framer runs one: one zlib stream with the dictionary, sync-flushed per block. */
export function goStyleCompressor(): (block: Buffer) => Promise<Buffer> {
  const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  return (block) =>
    new Promise((resolve) => {
      const out: Buffer[] = [];
      const collect = (c: Buffer) => out.push(c);
      deflate.on("data", collect);
      deflate.write(block);
      deflate.flush(constants.Z_SYNC_FLUSH, () => {
        deflate.off("data", collect);
        resolve(Buffer.concat(out));
      });
    });
}

/** The client's end of an in-memory transport: what kubectl's spdystream would write and read. */
export interface TestClient {
  /** The server's end, to give the session. */
  transport: Duplex;
  /** Bytes towards the server (the transport's readable side). */
  toServer: PassThrough;
  /** Frames the server wrote so far. */
  frames: Frame[];
  synStream(id: number, headers: Record<string, string>, flags?: number): Promise<void>;
  write(bytes: Buffer): void;
  /** Decodes a SYN_REPLY's headers with the client's inflater. */
  replyHeaders(frame: Frame): Promise<Map<string, string[]>>;
  serverEnded(): boolean;
  /** Stops or resumes reading what the server sends (a slow client). */
  reading(on: boolean): void;
  /** Bytes the server wrote that the client has not read yet. */
  unread(): number;
}

export function testClient(): TestClient {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const transport = Duplex.from({ readable: toServer, writable: toClient });
  const frames: Frame[] = [];
  let pending = Buffer.alloc(0);
  let ended = false;
  toClient.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let next = readFrame(pending, 1 << 24); next; next = readFrame(pending, 1 << 24)) {
      frames.push(next.frame);
      pending = pending.subarray(next.size);
    }
  });
  toClient.on("end", () => (ended = true));
  const compress = goStyleCompressor();
  const inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  return {
    transport,
    toServer,
    frames,
    write: (bytes) => toServer.write(bytes),
    async synStream(id, headers, flags = 0) {
      const block = await compress(encodeHeaderBlock(headers));
      const header = Buffer.alloc(18);
      header.writeUInt32BE(0x80030001, 0);
      header[4] = flags;
      header.writeUIntBE(10 + block.length, 5, 3);
      header.writeUInt32BE(id, 8);
      toServer.write(Buffer.concat([header, block]));
    },
    replyHeaders: (frame) =>
      new Promise((resolve) => {
        if (frame.kind !== "control") throw new Error("not a control frame");
        const out: Buffer[] = [];
        const collect = (c: Buffer) => out.push(c);
        inflate.on("data", collect);
        inflate.write(frame.payload.subarray(4));
        inflate.flush(constants.Z_SYNC_FLUSH, () => {
          inflate.off("data", collect);
          resolve(parseHeaderBlock(Buffer.concat(out)));
        });
      }),
    serverEnded: () => ended,
    reading: (on) => void (on ? toClient.resume() : toClient.pause()),
    unread: () => toClient.readableLength + toClient.writableLength + transport.writableLength,
  };
}

/** Header blocks inflate on zlib's thread pool: waits (up to 5 s) for what the test expects next. */
export async function until(check: () => boolean): Promise<void> {
  await waitFor("the SPDY session", () => (check() ? true : undefined), 5000, 2);
}
