/**
 * `application/vnd.kubernetes.protobuf` as k8s.io/apimachinery's protobuf serializer writes it: the
 * magic prefix `k8s\0`, then a `runtime.Unknown` whose typeMeta names the object's apiVersion/kind
 * and whose raw is the object's own message. Watches (`;stream=watch`) are a stream of `WatchEvent`
 * messages, each preceded by its length as 4 bytes big-endian (LengthDelimitedFramer), whose object
 * is the event's object in the full (prefixed) form.
 */
import protobuf from "protobufjs";
import { fromMessage, root, toMessage } from "./mapping";

export const PROTOBUF = "application/vnd.kubernetes.protobuf";
export const PROTOBUF_WATCH = `${PROTOBUF};stream=watch`;
export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

type Json = Record<string, unknown>;

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";
const UNKNOWN = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
const WATCH_EVENT = root.lookupType(`${META}.WatchEvent`);

/** Kinds metav1.AddToGroupVersion registers in every group version (their messages live in meta/v1). */
const UNVERSIONED = new Set(["Status", "WatchEvent", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "GetOptions", "ListOptions"]);

/** The message of a kind in an API version ("apps/v1", "StatefulSet" → k8s.io.api.apps.v1.StatefulSet). */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  // meta.k8s.io/v1beta1 has its own PartialObjectMetadataList; its other kinds are meta/v1's types.
  const names =
    group === "meta.k8s.io"
      ? [`k8s.io.apimachinery.pkg.apis.meta.${version}.${kind}`, `${META}.${kind}`]
      : [UNVERSIONED.has(kind) ? `${META}.${kind}` : `k8s.io.api.${group ? group.split(".")[0] : "core"}.${version}.${kind}`];
  if (group === "meta.k8s.io" && version !== "v1" && version !== "v1beta1") return undefined;
  for (const name of names) {
    const found = root.lookup(name);
    if (found instanceof protobuf.Type) return found;
  }
  return undefined;
}

export class ProtobufError extends Error {}

/** An object (with apiVersion and kind) in the envelope. */
export function encodeObject(obj: Json): Buffer {
  const apiVersion = String(obj.apiVersion ?? "");
  const kind = String(obj.kind ?? "");
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new ProtobufError(`object ${apiVersion}, Kind=${kind} does not implement the protobuf marshalling interface and cannot be encoded to a protobuf message`);
  const raw = type.encode(toMessage(type, obj)).finish();
  const unknown = UNKNOWN.encode({ typeMeta: { apiVersion, kind }, raw, contentEncoding: "", contentType: "" }).finish();
  return Buffer.concat([MAGIC, unknown]);
}

/** Default apiVersion/kind for a body whose envelope names none (the URL's, as the API server decodes "into"). */
export interface Into {
  apiVersion: string;
  kind: string;
}

/** A body in the envelope → the object's JSON form; errors read as the protobuf serializer's. */
export function decodeObject(body: Uint8Array, into?: Into): Json {
  if (body.length === 0) throw new ProtobufError("empty data");
  if (body.length < MAGIC.length || !MAGIC.equals(body.subarray(0, MAGIC.length))) {
    throw new ProtobufError(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(" ")}]`);
  }
  let unknown: Json;
  try {
    // protobufjs hands out a Message; its fields are the decoded JSON-shaped values (here and below).
    unknown = UNKNOWN.decode(body.subarray(MAGIC.length)) as unknown as Json;
  } catch (e) {
    throw new ProtobufError((e as Error).message);
  }
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion || into?.apiVersion || "";
  const kind = typeMeta.kind || into?.kind || "";
  if (!kind) throw new ProtobufError("Object 'Kind' is missing in the protobuf envelope");
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new ProtobufError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  let message: Json;
  try {
    message = type.decode((unknown.raw as Uint8Array | undefined) ?? new Uint8Array()) as unknown as Json;
  } catch (e) {
    throw new ProtobufError((e as Error).message);
  }
  const obj = fromMessage(type, message);
  // TypeMeta is inline in JSON but not part of the message: it comes from the envelope.
  const typed: Json = {};
  if (typeMeta.kind) typed.kind = typeMeta.kind;
  if (typeMeta.apiVersion) typed.apiVersion = typeMeta.apiVersion;
  return { ...typed, ...obj };
}

/** One watch event as a frame of the protobuf watch stream. */
export function encodeWatchEvent(type: string, object: Json): Buffer {
  const event = WATCH_EVENT.encode({ type, object: { raw: encodeObject(object) } }).finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(event.length);
  return Buffer.concat([length, event]);
}

/** Splits a protobuf watch stream into its events (what client-go's decoder does); a partial frame stays in `rest`. */
export function decodeWatchFrames(stream: Buffer): { events: { type: string; object: Json }[]; rest: Buffer } {
  const events: { type: string; object: Json }[] = [];
  let offset = 0;
  while (offset + 4 <= stream.length) {
    const length = stream.readUInt32BE(offset);
    if (offset + 4 + length > stream.length) break;
    const event = WATCH_EVENT.decode(stream.subarray(offset + 4, offset + 4 + length)) as unknown as { type: string; object?: { raw?: Uint8Array } };
    events.push({ type: event.type, object: decodeObject(event.object?.raw ?? new Uint8Array()) });
    offset += 4 + length;
  }
  return { events, rest: stream.subarray(offset) };
}
