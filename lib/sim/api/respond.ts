import type { ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import { writeJson } from "./http";
import type { Output } from "./negotiation";

/** Writes a response body in the negotiated serialization (JSON, or YAML when asked for). */
export function respond(res: ServerResponse, code: number, body: unknown, output: Output): void {
  if (output.kind === "yaml") {
    const text = toYaml(body);
    res.writeHead(code, { "Content-Type": "application/yaml", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
    res.end(text);
    return;
  }
  writeJson(res, code, body);
}
