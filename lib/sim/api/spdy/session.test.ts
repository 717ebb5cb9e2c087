import { describe, expect, it } from "vitest";
import { dataFrame, type Frame, FrameType, GoAwayStatus, idAndValue, pingFrame, RstStatus, rstStreamFrame } from "./frames";
import { type SpdySessionOptions, type SpdyStream, SpdySession } from "./session";
import { type TestClient, testClient, until } from "./testing/client";

const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

function serve(client: TestClient, options: Partial<SpdySessionOptions> = {}) {
  const streams: SpdyStream[] = [];
  const session = new SpdySession(client.transport, {
    validate: () => undefined,
    onStream: (s) => streams.push(s),
    maxConcurrentStreams: 8,
    maxFrameBytes: 64 * 1024,
    ...options,
  });
  let closed = false;
  session.on("close", () => (closed = true));
  return { session, streams, closed: () => closed };
}

const controls = (frames: Frame[], type: number) => frames.filter((f) => f.kind === "control" && f.type === type) as Extract<Frame, { kind: "control" }>[];
const resets = (frames: Frame[]) => controls(frames, FrameType.RstStream).map((f) => idAndValue(f.payload, "RST_STREAM"));
const goAways = (frames: Frame[]) => controls(frames, FrameType.GoAway).map((f) => idAndValue(f.payload, "GOAWAY"));

describe("SPDY/3.1 server session", () => {
  it("accepts a stream with an empty SYN_REPLY and carries data both ways, FIN ending each side", async () => {
    const client = testClient();
    const { streams } = serve(client);
    await client.synStream(1, { streamtype: "data", port: "8080", requestid: "0" });
    await until(() => streams.length === 1);
    const [stream] = streams;
    expect([stream.id, stream.header("streamType"), stream.header("port")]).toEqual([1, "data", "8080"]);
    const reply = client.frames[0];
    expect(reply).toMatchObject({ kind: "control", type: FrameType.SynReply, flags: 0 });
    expect(await client.replyHeaders(reply)).toEqual(new Map());

    const received: Buffer[] = [];
    stream.on("data", (c: Buffer) => received.push(c));
    let ended = false;
    stream.on("end", () => (ended = true));
    client.write(dataFrame(1, Buffer.from("GET / HTTP/1.1\r\n\r\n")));
    client.write(dataFrame(1, Buffer.alloc(0), true));
    stream.end(Buffer.from("HTTP/1.1 200 OK\r\n\r\n"));
    await until(() => ended);
    expect(Buffer.concat(received).toString()).toBe("GET / HTTP/1.1\r\n\r\n");
    expect(ended).toBe(true);
    const data = client.frames.filter((f) => f.kind === "data");
    expect(data.map((f) => [f.streamId, f.flags, f.data.toString()])).toEqual([
      [1, 0, "HTTP/1.1 200 OK\r\n\r\n"],
      [1, 1, ""],
    ]);
    expect(resets(client.frames)).toEqual([]);
  });

  it("keeps one zlib stream across SYN_STREAMs and replies", async () => {
    const client = testClient();
    const { streams } = serve(client);
    for (const [id, type] of [[1, "error"], [3, "data"], [5, "error"]] as const) await client.synStream(id, { streamtype: type, port: "8080", requestid: String(id) });
    await until(() => streams.length === 3);
    expect(streams.map((s) => [s.id, s.header("streamtype"), s.header("requestid")])).toEqual([[1, "error", "1"], [3, "data", "3"], [5, "error", "5"]]);
    const replies = controls(client.frames, FrameType.SynReply);
    for (const reply of replies) expect(await client.replyHeaders(reply)).toEqual(new Map());
  });

  it("refuses a stream its handler rejects with RST_STREAM CANCEL, and keeps serving", async () => {
    const client = testClient();
    const { streams } = serve(client, { validate: (h) => (h.has("port") ? undefined : `"port" header is required`) });
    await client.synStream(1, { streamtype: "data" });
    await client.synStream(3, { streamtype: "data", port: "80" });
    await until(() => streams.length === 1);
    expect(resets(client.frames)).toEqual([{ id: 1, value: RstStatus.Cancel }]);
    expect(streams.map((s) => s.id)).toEqual([3]);
  });

  it("resets streams with even, zero or reused ids (PROTOCOL_ERROR), and beyond the concurrency bound (REFUSED_STREAM)", async () => {
    const client = testClient();
    const { streams } = serve(client, { maxConcurrentStreams: 2 });
    await client.synStream(2, { port: "1" });
    await client.synStream(3, { port: "1" });
    await client.synStream(3, { port: "1" });
    await client.synStream(5, { port: "1" });
    await client.synStream(7, { port: "1" });
    await until(() => resets(client.frames).length === 3);
    expect(streams.map((s) => s.id)).toEqual([3, 5]);
    expect(resets(client.frames)).toEqual([
      { id: 2, value: RstStatus.ProtocolError },
      { id: 3, value: RstStatus.ProtocolError },
      { id: 7, value: RstStatus.RefusedStream },
    ]);
    // A finished stream frees its place.
    streams[0].reset();
    await client.synStream(9, { port: "1" });
    await until(() => streams.length === 3);
    expect(streams.map((s) => s.id)).toEqual([3, 5, 9]);
  });

  it("echoes the client's (odd) PINGs only", async () => {
    const client = testClient();
    serve(client);
    client.write(pingFrame(1));
    client.write(pingFrame(2));
    client.write(pingFrame(3));
    await until(() => controls(client.frames, FrameType.Ping).length >= 2);
    expect(controls(client.frames, FrameType.Ping).map((f) => f.payload.readUInt32BE(0))).toEqual([1, 3]);
  });

  it("stops answering once frozen (its node is down): no replies, no echoes", async () => {
    const client = testClient();
    const { session, streams } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    session.freeze();
    await client.synStream(3, { port: "1" });
    client.write(pingFrame(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([streams.length, client.frames.length]).toEqual([1, 1]);
  });

  it("ends a stream the client resets, sending nothing more on it", async () => {
    const client = testClient();
    const { streams } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    let closed = false;
    streams[0].on("close", () => (closed = true));
    client.write(rstStreamFrame(1, RstStatus.Cancel));
    await until(() => closed);
    expect(closed).toBe(true);
    expect(streams[0].write("late")).toBe(false);
    await settle();
    expect(client.frames.filter((f) => f.kind === "data" || (f.kind === "control" && f.type === FrameType.RstStream))).toEqual([]);
  });

  it("resets a stream the server gives up on with RST_STREAM CANCEL", async () => {
    const client = testClient();
    const { streams } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    streams[0].reset();
    await until(() => resets(client.frames).length === 1);
    expect(resets(client.frames)).toEqual([{ id: 1, value: RstStatus.Cancel }]);
  });

  it.each([
    ["a control frame of another SPDY version", Buffer.from("8002000100000000", "hex")],
    ["a SYN_STREAM too short for its fields", Buffer.from("800300010000000400000001", "hex")],
    ["a header block that is not zlib", Buffer.from("800300010000000e00000001000000000000deadbeef", "hex")],
    ["a RST_STREAM of the wrong size", Buffer.from("80030003000000040000000100", "hex")],
    ["a frame longer than the bound", dataFrame(1, Buffer.alloc(64 * 1024 + 1))],
  ])("answers %s with GOAWAY PROTOCOL_ERROR and closes, without a crash", async (_what, bytes) => {
    const client = testClient();
    const { streams, closed } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    let streamClosed = false;
    streams[0].on("close", () => (streamClosed = true));
    client.write(bytes);
    await until(() => closed());
    expect(goAways(client.frames)).toEqual([{ id: 1, value: GoAwayStatus.ProtocolError }]);
    expect(closed()).toBe(true);
    expect(streamClosed).toBe(true);
    expect(client.serverEnded()).toBe(true);
  });

  it("survives random bytes: every outcome is frames, a GOAWAY or a closed session, never an exception", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 200; round++) {
      const client = testClient();
      serve(client, { maxFrameBytes: 4096 });
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      if (round % 2) bytes[0] |= 0x80; // half of them control frames
      if (round % 4 === 1) bytes.writeUInt16BE(0x8003, 0); // of which some of version 3
      client.write(bytes);
      await settle(3);
    }
  });

  it("frames a large write as the transport drains, so a slow client holds up the writer instead of memory", async () => {
    const client = testClient();
    const { streams } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    client.reading(false);
    const body = Buffer.alloc(8 * 1024 * 1024, 7);
    let written = false;
    streams[0].end(body, () => (written = true));
    await settle(50);
    expect(written).toBe(false);
    expect(client.unread()).toBeLessThan(256 * 1024);
    client.reading(true);
    await until(() => written && client.frames.some((f) => f.kind === "data" && f.flags & 1));
    const data = client.frames.filter((f) => f.kind === "data");
    expect(data.reduce((n, f) => n + (f.kind === "data" ? f.data.length : 0), 0)).toBe(body.length);
    expect(Math.max(...data.map((f) => (f.kind === "data" ? f.data.length : 0)))).toBe(32 * 1024);
  });

  it("stops reading its transport while a stream's reader is behind, and resumes when it reads (no unbounded buffering)", async () => {
    const client = testClient();
    const { streams } = serve(client);
    await client.synStream(1, { port: "1" });
    await until(() => streams.length === 1);
    const stream = streams[0];
    const chunk = Buffer.alloc(32 * 1024, 1);
    const total = 8 * 1024 * 1024;
    for (let sent = 0; sent < total; sent += chunk.length) client.write(dataFrame(1, chunk));
    client.write(dataFrame(1, Buffer.alloc(0), true));
    await settle(50);
    // Nobody reads the stream: the session holds at most its buffer and one frame; the rest waits in the transport.
    expect(stream.readableLength).toBeLessThanOrEqual(stream.readableHighWaterMark + chunk.length);
    const waiting = client.toServer.writableLength + client.toServer.readableLength + client.transport.readableLength;
    expect(waiting).toBeGreaterThan(total - 256 * 1024);
    let received = 0;
    stream.on("data", (c: Buffer) => (received += c.length));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(received).toBe(total);
  });
});
