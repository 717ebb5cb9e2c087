import type { ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import { writeJson, writeProtobuf } from "./http";
import { isProtobuf, type Output } from "./negotiation";

/** Writes a response body in the negotiated serialization (JSON, or YAML or protobuf when asked for). */
export function respond(res: ServerResponse, code: number, body: unknown, output: Output): void {
  if (isProtobuf(output)) {
    writeProtobuf(res, code, body as Record<string, unknown>);
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
