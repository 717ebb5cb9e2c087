import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeObject, decodeWatchFrames, encodeObject, PROTOBUF } from "./protobuf/codec";
import { pod, startTestApi } from "./testing/kit";

let t: Awaited<ReturnType<typeof startTestApi>>;
beforeEach(async () => {
  t = await startTestApi();
});
afterEach(async () => {
  await t.api.stop();
});

const CMS = "/api/v1/namespaces/default/configmaps";

async function raw(method: string, path: string, init: { body?: Buffer; accept?: string; contentType?: string } = {}) {
  const res = await fetch(t.api.url + path, {
    method,
    body: init.body ? new Uint8Array(init.body) : undefined,
    headers: { "content-type": init.contentType ?? PROTOBUF, ...(init.accept ? { accept: init.accept } : {}) },
  });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("protobuf request bodies (client-go typed clients)", () => {
  it("creates a namespace and a configmap from protobuf, answering JSON by default", async () => {
    const ns = await raw("POST", "/api/v1/namespaces", { body: encodeObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" }, spec: {}, status: {} }) });
    expect(ns.status).toBe(201);
    expect(ns.type).toBe("application/json");
    expect(JSON.parse(ns.bytes.toString())).toMatchObject({ kind: "Namespace", metadata: { name: "lab" }, status: { phase: "Active" } });
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" }, binaryData: { b: Buffer.from([0, 1, 255]).toString("base64") } };
    expect((await raw("POST", CMS, { body: encodeObject(cm) })).status).toBe(201);
    const got = (await t.call("GET", `${CMS}/cfg`)).body;
    expect(got).toMatchObject({ data: { a: "1" }, binaryData: { b: "AAH/" } });
    // Go's zero values that encoding/json omits stay omitted: the same object as when created from JSON.
    await t.call("POST", CMS, { body: { ...cm, metadata: { name: "cfg-json" } } });
    const fromJson = (await t.call("GET", `${CMS}/cfg-json`)).body;
    expect(Object.keys(got.metadata).sort()).toEqual(Object.keys(fromJson.metadata).sort());
    expect(Object.keys(got).sort()).toEqual(Object.keys(fromJson).sort());
  });

  it("decodes an envelope without typeMeta as the URL's kind", async () => {
    const full = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bare" } });
    // Re-wrap the same raw message in an Unknown whose typeMeta is empty.
    const decoded = decodeObject(full);
    expect(decoded.kind).toBe("ConfigMap");
    const { root } = await import("./protobuf/mapping");
    const unknown = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
    const inner = unknown.decode(full.subarray(4)) as unknown as { raw: Uint8Array };
    const bare = Buffer.concat([full.subarray(0, 4), unknown.encode({ typeMeta: {}, raw: inner.raw }).finish()]);
    expect((await raw("POST", CMS, { body: bare })).status).toBe(201);
    expect((await t.call("GET", `${CMS}/bare`)).body).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
  });

  it("rejects a body without the magic prefix with the API server's 400", async () => {
    const res = await raw("POST", CMS, { body: Buffer.from('{"kind":"ConfigMap"}') });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.bytes.toString()).message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap"})',
    );
  });

  it("answers malformed protobuf with a 400, never a 500 or a crash", async () => {
    const valid = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fuzz" }, data: { a: "b" } });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bodies = [
      Buffer.alloc(0),
      Buffer.from("k8s\0"),
      Buffer.concat([Buffer.from("k8s\0"), Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])]), // raw claims 4 GiB
      Buffer.concat([Buffer.from("k8s\0"), Buffer.alloc(100_000, 0x0b)]), // 100k nested start-group tags
      ...Array.from({ length: 60 }, () => {
        const b = Buffer.from(valid);
        for (let i = 0; i < 3; i++) b[4 + Math.floor(random() * (b.length - 4))] = Math.floor(random() * 256);
        return b;
      }),
      valid.subarray(0, valid.length - 3),
    ];
    for (const body of bodies) {
      const res = await raw("POST", CMS, { body });
      expect(res.status, body.toString("hex").slice(0, 80)).toBeLessThan(500);
      if (res.status !== 201) expect(JSON.parse(res.bytes.toString())).toMatchObject({ kind: "Status", code: res.status });
      else await t.call("DELETE", `${CMS}/${(decodeObject(body).metadata as { name: string }).name}`);
    }
  });
});

describe("protobuf responses (Accept negotiation)", () => {
  it("answers protobuf when it is the first acceptable clause", async () => {
    await t.call("POST", "/api/v1/namespaces/default/pods", { body: pod("p") });
    const res = await raw("GET", "/api/v1/namespaces/default/pods/p", { accept: `${PROTOBUF}, application/json` });
    expect(res.type).toBe(PROTOBUF);
    expect(res.bytes.subarray(0, 4)).toEqual(Buffer.from("k8s\0", "binary"));
    const json = (await t.call("GET", "/api/v1/namespaces/default/pods/p")).body;
    expect(decodeObject(res.bytes)).toEqual(json);
    const list = await raw("GET", "/api/v1/namespaces/default/pods", { accept: PROTOBUF });
    expect(decodeObject(list.bytes)).toMatchObject({ kind: "PodList", apiVersion: "v1", items: [{ metadata: { name: "p" } }] });
  });

  it("falls back from a protobuf Table to the next clause, and answers PartialObjectMetadata in protobuf", async () => {
    const accept = `${PROTOBUF};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json`;
    const table = await raw("GET", "/api/v1/namespaces", { accept });
    expect(table.type).toBe("application/json");
    expect(JSON.parse(table.bytes.toString()).kind).toBe("Table");
    const partial = await raw("GET", "/api/v1/namespaces/default", { accept: `${PROTOBUF};as=PartialObjectMetadata;v=v1;g=meta.k8s.io` });
    expect(partial.type).toBe(PROTOBUF);
    expect(decodeObject(partial.bytes)).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "default" } });
    const list = await raw("GET", "/api/v1/namespaces", { accept: `${PROTOBUF};as=PartialObjectMetadataList;v=v1beta1;g=meta.k8s.io,application/json` });
    expect(list.type).toBe(PROTOBUF);
    expect(decodeObject(list.bytes)).toMatchObject({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1beta1", items: [{ metadata: { name: "default" } }, { metadata: { name: "kube-system" } }] });
  });

  it("sends errors as a protobuf Status, and lists protobuf among the acceptable media types", async () => {
    const missing = await raw("GET", `${CMS}/nope`, { accept: PROTOBUF });
    expect(missing.status).toBe(404);
    expect(missing.type).toBe(PROTOBUF);
    expect(decodeObject(missing.bytes)).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, details: { name: "nope", kind: "configmaps" } });
  });

  it("refuses as the real API server did (captured by scripts/k8s-proto-fixtures.ts)", async () => {
    const real = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "protobuf/fixtures/refusals.json"), "utf8"));
    const cases = {
      notProtobuf: () => raw("POST", CMS, { body: Buffer.from('{"kind":"ConfigMap"}'), accept: "application/json" }),
      notAcceptable: () => raw("GET", CMS, { accept: "text/html" }),
      tableInProtobufOnly: () => raw("GET", CMS, { accept: `${PROTOBUF};as=Table;v=v1;g=meta.k8s.io` }),
    };
    for (const [name, send] of Object.entries(cases)) {
      const res = await send();
      expect({ code: res.status, contentType: res.type, body: JSON.parse(res.bytes.toString()) }, name).toEqual(real[name]);
    }
  });

  it("streams a protobuf watch as length-prefixed WatchEvent frames", async () => {
    await t.call("POST", CMS, { body: { metadata: { name: "w" }, data: { k: "v" } } });
    const controller = new AbortController();
    const res = await fetch(`${t.api.url}${CMS}?watch=true`, { headers: { accept: `${PROTOBUF};stream=watch` }, signal: controller.signal });
    expect(res.headers.get("content-type")).toBe(`${PROTOBUF};stream=watch`);
    const reader = res.body!.getReader();
    let buffer: Buffer = Buffer.alloc(0);
    const events: { type: string; object: Record<string, unknown> }[] = [];
    setTimeout(() => void t.call("DELETE", `${CMS}/w`), 50);
    while (events.length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      const framed = decodeWatchFrames(Buffer.concat([buffer, Buffer.from(value)]));
      events.push(...framed.events);
      buffer = framed.rest;
    }
    controller.abort();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
    expect(events[0].object).toMatchObject({ kind: "ConfigMap", apiVersion: "v1", metadata: { name: "w" }, data: { k: "v" } });
  });
});
