import type { Duplex } from "node:stream";
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { PortForwardError, sandboxId } from "../../node/runtime";
import { createTestClock } from "../../testing/context";
import { dataFrame, FrameType, idAndValue, RstStatus } from "../spdy/frames";
import { testClient, until } from "../spdy/testing/client";
import { servePortForward, validateStreamHeaders } from "./portforwardStreams";

const pod = { metadata: { name: "kubia-0", namespace: "default", uid: "6f1e0d4c-1111-2222-3333-444455556666" } } as V1Pod;

/** A session over an in-memory transport whose runtime records each forwarding and lets the test finish it. */
function session(portForward?: (port: number, connection: Duplex) => Promise<void>) {
  const clock = createTestClock();
  const client = testClient();
  const forwarded: { port: number; connection: Duplex }[] = [];
  servePortForward(
    {
      clock,
      portForward: (_pod, port, connection) => {
        forwarded.push({ port, connection });
        return portForward ? portForward(port, connection) : Promise.resolve();
      },
    },
    pod,
    client.transport,
  );
  const dataOn = (id: number) =>
    client.frames
      .filter((f) => f.kind === "data" && f.streamId === id)
      .map((f) => (f.kind === "data" ? f.data.toString() : ""))
      .join("");
  const finOn = (id: number) => client.frames.some((f) => f.kind === "data" && f.streamId === id && f.flags & 1);
  const resets = () => client.frames.filter((f) => f.kind === "control" && f.type === FrameType.RstStream).map((f) => (f.kind === "control" ? idAndValue(f.payload, "RST_STREAM") : undefined));
  return { clock, client, forwarded, dataOn, finOn, resets };
}

describe("the streaming server's port-forward streams", () => {
  it("checks each stream's headers with the streaming server's messages", () => {
    const h = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, [v]]));
    expect(validateStreamHeaders(h({ streamtype: "data" }))).toBe(`"port" header is required`);
    expect(validateStreamHeaders(h({ port: "http", streamtype: "data" }))).toBe(`unable to parse "http" as a port: strconv.ParseUint: parsing "http": invalid syntax`);
    expect(validateStreamHeaders(h({ port: "70000", streamtype: "data" }))).toBe(`unable to parse "70000" as a port: strconv.ParseUint: parsing "70000": value out of range`);
    expect(validateStreamHeaders(h({ port: "0", streamtype: "data" }))).toBe(`port "0" must be > 0`);
    expect(validateStreamHeaders(h({ port: "8080" }))).toBe(`"streamType" header is required`);
    expect(validateStreamHeaders(h({ port: "8080", streamtype: "other" }))).toBe(`invalid stream type "other"`);
    expect(validateStreamHeaders(h({ port: "8080", streamtype: "error" }))).toBeUndefined();
  });

  it("forwards the data stream once both streams of a request arrived, then closes both", async () => {
    let finish!: () => void;
    const s = session(() => new Promise((resolve) => (finish = resolve)));
    await s.client.synStream(1, { streamtype: "error", port: "8080", requestid: "0" });
    await until(() => s.client.frames.length === 1);
    expect(s.forwarded).toEqual([]);
    await s.client.synStream(3, { streamtype: "data", port: "8080", requestid: "0" });
    await until(() => s.forwarded.length === 1);
    expect(s.forwarded.map((f) => f.port)).toEqual([8080]);
    s.forwarded[0].connection.write("from the pod");
    s.client.write(dataFrame(3, Buffer.from("to the pod")));
    const toPod: string[] = [];
    s.forwarded[0].connection.on("data", (c: Buffer) => toPod.push(c.toString()));
    finish();
    await until(() => s.finOn(1) && s.finOn(3) && toPod.length === 1);
    expect(toPod).toEqual(["to the pod"]);
    expect([s.dataOn(3), s.finOn(3), s.dataOn(1), s.finOn(1)]).toEqual(["from the pod", true, "", true]);
    expect(s.resets()).toEqual([]);
  });

  it("writes the runtime's failure on the error stream, naming the sandbox, and resets both streams", async () => {
    const s = session(() => Promise.reject(new PortForwardError("failed to connect")));
    await s.client.synStream(1, { streamtype: "error", port: "8081", requestid: "4" });
    await s.client.synStream(3, { streamtype: "data", port: "8081", requestid: "4" });
    await until(() => s.resets().length === 2);
    expect(s.dataOn(1)).toBe(`error forwarding port 8081 to pod ${sandboxId(pod)}, uid : failed to connect`);
    expect(s.resets()).toEqual([
      { id: 3, value: RstStatus.Cancel },
      { id: 1, value: RstStatus.Cancel },
    ]);
  });

  it("pairs streams without a requestID by stream id (error N, data N+2)", async () => {
    const s = session();
    await s.client.synStream(5, { streamtype: "error", port: "8080" });
    await s.client.synStream(7, { streamtype: "data", port: "8080" });
    await until(() => s.forwarded.length === 1);
    expect(s.forwarded.map((f) => f.port)).toEqual([8080]);
  });

  it("reports a second stream of the same type, and a pair that never completes within 30 s", async () => {
    const s = session();
    await s.client.synStream(1, { streamtype: "error", port: "8080", requestid: "0" });
    await s.client.synStream(3, { streamtype: "error", port: "8080", requestid: "0" });
    await until(() => s.dataOn(1) !== "");
    expect(s.dataOn(1)).toBe("error processing stream for request 0: error stream already assigned");
    s.clock.advance(30_000);
    await until(() => s.dataOn(1).includes("timed out"));
    expect(s.dataOn(1)).toMatch(/^error processing stream for request 0: error stream already assigned\(conn=0xc[0-9a-f]+, request=0\) timed out waiting for streams$/);
    expect(s.forwarded).toEqual([]);
    await until(() => s.finOn(1)); // the lone stream is closed, freeing its place
  });
});
