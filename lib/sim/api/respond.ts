import type { ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import { writeJson } from "./http";
import { isProtobuf, type Output } from "./negotiation";
import { encodeObject, PROTOBUF } from "./protobuf/codec";

/** Writes a response body in the negotiated serialization (JSON, or YAML or protobuf when asked for). */
export function respond(res: ServerResponse, code: number, body: unknown, output: Output): void {
  if (isProtobuf(output)) {
    const bytes = encodeObject(body as Record<string, unknown>);
    res.writeHead(code, { "Content-Type": PROTOBUF, "Content-Length": bytes.length, "Cache-Control": "no-cache, private" });
    res.end(bytes);
    return;
  }
  if (output.kind === "yaml") {
    const text = toYaml(body);
    res.writeHead(code, { "Content-Type": "application/yaml", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
    res.end(text);
    return;
  }
  writeJson(res, code, body);
}
