import type { Duplex } from "node:stream";
import type { V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../clock";
import { PortForwardError, sandboxId } from "../../node/runtime";
import { type SpdyStream, SpdySession } from "../spdy/session";

/**
 * The streaming server's side of one port-forward session (k8s.io/cri-streaming portforward,
 * httpstream.go, which containerd serves and the kubelet proxies to): each forwarded connection is a
 * pair of SPDY streams with the same `requestID`, an error stream (`streamType: error`) and a data
 * stream (`streamType: data`), both naming the pod's `port`. When both arrived, the runtime forwards
 * the data stream; if it fails, its error goes on the error stream and both are reset. Every text
 * below is the streaming server's.
 */

const PORT_HEADER = "port";
const STREAM_TYPE_HEADER = "streamtype";
const REQUEST_ID_HEADER = "requestid";
const STREAM_TYPE_ERROR = "error";
const STREAM_TYPE_DATA = "data";

/** The streaming server's DefaultConfig.StreamCreationTimeout. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/**
 * A playground bound (the real server has none besides memory): open streams per session, so 128
 * forwarded connections at once (a browser opens 6 per host); more are refused (RST_STREAM
 * REFUSED_STREAM, which kubectl reports as "error creating forwarding stream ...: Stream reset").
 */
const MAX_STREAMS_PER_SESSION = 256;
/** spdystream's largest frame (MaxDataLength) would be 16 MiB; kubectl's frames are at most 32 KiB (io.Copy). */
const MAX_FRAME_BYTES = 1024 * 1024;

export interface PortForwardHost {
  clock: Clock;
  /** The runtime's forwarding of one connection (NodeRuntime.portForward). */
  portForward(pod: V1Pod, port: number, connection: Duplex): Promise<void>;
}

/** httpStreamReceived: the checks before a stream is accepted; a message rejects it. */
export function validateStreamHeaders(headers: Map<string, string[]>): string | undefined {
  const portString = headers.get(PORT_HEADER)?.[0] ?? "";
  if (!portString) return `"port" header is required`;
  if (!/^\d+$/.test(portString) || Number(portString) > 65535) {
    return `unable to parse "${portString}" as a port: strconv.ParseUint: parsing ${JSON.stringify(portString)}: ${/^\d+$/.test(portString) ? "value out of range" : "invalid syntax"}`;
  }
  if (Number(portString) < 1) return `port "${portString}" must be > 0`;
  const streamType = headers.get(STREAM_TYPE_HEADER)?.[0] ?? "";
  if (!streamType) return `"streamType" header is required`;
  if (streamType !== STREAM_TYPE_ERROR && streamType !== STREAM_TYPE_DATA) return `invalid stream type "${streamType}"`;
  return undefined;
}

interface StreamPair {
  requestId: string;
  error?: SpdyStream;
  data?: SpdyStream;
  timer?: unknown;
}

/** The kubelet's `%p` of the connection in its messages: a Go heap address, fixed per session. */
function goPointer(): string {
  return `0xc00${Math.floor(Math.random() * 0xfffff).toString(16).padStart(5, "0")}000`;
}

/** Serves port forwarding for `pod` on an upgraded transport until it closes. */
export function servePortForward(host: PortForwardHost, pod: V1Pod, transport: Duplex): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const connPointer = goPointer();
  const remove = (pair: StreamPair) => {
    if (pair.timer !== undefined) host.clock.clearTimeout(pair.timer);
    if (pairs.get(pair.requestId) === pair) pairs.delete(pair.requestId);
  };
  const printError = (pair: StreamPair, message: string) => {
    pair.error?.write(message);
  };
  const session = new SpdySession(transport, {
    maxConcurrentStreams: MAX_STREAMS_PER_SESSION,
    maxFrameBytes: MAX_FRAME_BYTES,
    validate: validateStreamHeaders,
    onStream: (stream) => {
      const requestId = requestIdOf(stream);
      let pair = pairs.get(requestId);
      if (!pair) {
        const created: StreamPair = { requestId };
        pair = created;
        pairs.set(requestId, created);
        created.timer = host.clock.setTimeout(() => {
          printError(created, `(conn=${connPointer}, request=${requestId}) timed out waiting for streams`);
          remove(created);
          // The kubelet just forgets the pair; here its lone stream is closed so it frees its place in the session.
          created.error?.end();
          created.data?.reset();
        }, STREAM_CREATION_TIMEOUT_MS);
      }
      const type = stream.header(STREAM_TYPE_HEADER) as "error" | "data";
      if (pair[type]) {
        printError(pair, `error processing stream for request ${requestId}: ${type} stream already assigned`);
        return;
      }
      pair[type] = stream;
      if (pair.error && pair.data) {
        remove(pair);
        void forward(host, pod, pair.data, pair.error);
      }
    },
  });
  session.on("close", () => {
    for (const pair of pairs.values()) remove(pair);
  });
  return session;
}

/** The requestID header; a client without it (older kubectl) pairs by stream id: error N, data N+2. */
function requestIdOf(stream: SpdyStream): string {
  const id = stream.header(REQUEST_ID_HEADER);
  if (id) return id;
  return String(stream.header(STREAM_TYPE_HEADER) === STREAM_TYPE_DATA ? stream.id - 2 : stream.id);
}

/** portForward: the runtime forwards the data stream; both streams close after, or carry its error and are reset. */
async function forward(host: PortForwardHost, pod: V1Pod, data: SpdyStream, error: SpdyStream): Promise<void> {
  const port = Number(data.header(PORT_HEADER));
  try {
    await host.portForward(pod, port, data);
  } catch (err) {
    const cause = err instanceof PortForwardError ? err.message : String(err);
    // The pod is named by its sandbox id and no uid: the CRI runtime's streaming server says so.
    error.write(`error forwarding port ${port} to pod ${sandboxId(pod)}, uid : ${cause}`, () => {
      data.reset();
      error.reset();
    });
    return;
  }
  data.end();
  error.end();
}
