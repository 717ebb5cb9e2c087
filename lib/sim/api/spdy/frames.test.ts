import { describe, expect, it } from "vitest";
import { SPDY3_DICTIONARY } from "./dictionary";
import {
  dataFrame,
  encodeHeaderBlock,
  FrameError,
  goAwayFrame,
  HeaderCompressor,
  HeaderDecompressor,
  idAndValue,
  parseHeaderBlock,
  readFrame,
  rstStreamFrame,
  synReplyFrame,
  synStreamFields,
} from "./frames";
import { goStyleCompressor } from "./testing/client";

/** zlib's dictionary id: the Adler-32 checksum (RFC 1950). */
function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

describe("SPDY/3 frames", () => {
  it("has the SPDY/3 dictionary (zlib dictionary id 0xe3c6a7c2)", () => {
    expect(SPDY3_DICTIONARY).toHaveLength(1423);
    expect(adler32(SPDY3_DICTIONARY)).toBe(0xe3c6a7c2);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString("latin1")).toBe("\0\0\0\u0007options");
  });

  it("writes SYN_REPLYs byte for byte as Go's spdy framer reads them", () => {
    // These three frames were read back with github.com/moby/spdystream/spdy's Framer.ReadFrame:
    // SynReplyFrame{StreamId:1, Headers:{}}, {StreamId:3, Headers:{}}, {StreamId:5, Headers:{"A":["b"]}}.
    const compressor = new HeaderCompressor();
    const frames = [1, 3, 5].map((id) => synReplyFrame(id, compressor.compress(encodeHeaderBlock(id === 5 ? { a: "b" } : {}))).toString("hex"));
    expect(frames).toEqual([
      "8003000200000018000000017820e3c6a7c2000400fbff00000000000000ffff",
      "800300020000001200000003000400fbff00000000000000ffff",
      "800300020000001c00000005000e00f1ff0000000100000001610000000162000000ffff",
    ]);
  });

  it("reads header blocks of one zlib stream across frames, as Go's framer writes them", async () => {
    const compress = goStyleCompressor();
    const decompressor = new HeaderDecompressor(64 * 1024);
    const first = await compress(encodeHeaderBlock({ streamtype: "error", port: "8080", requestid: "0" }));
    const second = await compress(encodeHeaderBlock({ streamtype: "data", port: "8080", requestid: "0" }));
    expect(parseHeaderBlock(await decompressor.decompress(first))).toEqual(new Map([["streamtype", ["error"]], ["port", ["8080"]], ["requestid", ["0"]]]));
    expect(parseHeaderBlock(await decompressor.decompress(second)).get("streamtype")).toEqual(["data"]);
    decompressor.close();
  });

  it("refuses a header block that is not zlib, or expands beyond the bound", async () => {
    await expect(new HeaderDecompressor(1024).decompress(Buffer.from("not zlib at all"))).rejects.toBeInstanceOf(FrameError);
    const bomb = await goStyleCompressor()(encodeHeaderBlock({ big: "x".repeat(100_000) }));
    expect(bomb.length).toBeLessThan(1024);
    await expect(new HeaderDecompressor(64 * 1024).decompress(bomb)).rejects.toThrow(/expands beyond 65536 bytes/);
  });

  it("splits frames off a buffer, waiting for whole ones, and refuses oversized ones before buffering", () => {
    const bytes = Buffer.concat([dataFrame(3, Buffer.from("hello"), true), rstStreamFrame(3, 5)]);
    expect(readFrame(bytes.subarray(0, 7), 1024)).toBeUndefined();
    expect(readFrame(bytes.subarray(0, 12), 1024)).toBeUndefined();
    const first = readFrame(bytes, 1024)!;
    expect(first).toMatchObject({ size: 13, frame: { kind: "data", streamId: 3, flags: 1 } });
    expect(first.frame.kind === "data" && first.frame.data.toString()).toBe("hello");
    const second = readFrame(bytes.subarray(first.size), 1024)!;
    expect(second.frame).toMatchObject({ kind: "control", version: 3, type: 3 });
    expect(second.frame.kind === "control" && idAndValue(second.frame.payload, "RST_STREAM")).toEqual({ id: 3, value: 5 });
    expect(() => readFrame(dataFrame(1, Buffer.alloc(2048)), 1024)).toThrow(FrameError);
  });

  it("rejects truncated fixed fields and header blocks", () => {
    expect(() => synStreamFields(Buffer.alloc(9))).toThrow(FrameError);
    expect(() => idAndValue(Buffer.alloc(7), "GOAWAY")).toThrow(FrameError);
    expect(() => parseHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61]))).toThrow(FrameError);
    expect(() => parseHeaderBlock(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameError);
    expect(() => parseHeaderBlock(Buffer.concat([encodeHeaderBlock({ a: "b" }), Buffer.from([1])]))).toThrow(FrameError);
  });

  it("joins repeated values and splits NUL-separated ones", () => {
    const block = encodeHeaderBlock({ port: "8080\u00008081" });
    expect(parseHeaderBlock(block).get("port")).toEqual(["8080", "8081"]);
  });

  it("encodes GOAWAY with the last good stream and a status", () => {
    expect(goAwayFrame(7, 1).toString("hex")).toBe("80030007000000080000000700000001");
  });
});
