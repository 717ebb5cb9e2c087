import { describe, expect, it } from "vitest";
import type { ApiError } from "@/lib/k8s/contract";
import { ApiException } from "@kubernetes/client-node";
import { KubeApiError, PlaygroundError, toApiError } from "./errors";
import { MAX_BODY_BYTES, errorResponse, handle, readJson, readQuery } from "./http";
import { deletePodRequestSchema, parseName, scaleRequestSchema } from "./validation";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1:3000/api/x", {
    method: "POST",
    body,
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...headers },
  });

async function errorOf(promise: Promise<unknown>): Promise<ApiError["error"]> {
  try {
    await promise;
  } catch (err) {
    return toApiError(err).error;
  }
  throw new Error("expected an error");
}

describe("names", () => {
  it.each(["kubia", "kubia-0", "a", "0", "a".repeat(63)])("accepts label %s", (name) => {
    expect(parseName(name, "name", "label")).toBe(name);
  });

  it.each([
    "",
    "Kubia",
    "-kubia",
    "kubia-",
    "kubia_0",
    "a".repeat(64),
    "kube-system/pods/x",
    "../kube-system",
    "..",
    "kubia%2F0",
    "kubia.0",
    "kubia 0",
    "kubia\n0",
    "kubia\u0000",
    "ｋｕｂｉａ",
  ])("refuses label %j with a 400 naming the field", async (name) => {
    const e = await errorOf(Promise.resolve().then(() => parseName(name, "name", "label")));
    expect(e.status).toBe(400);
    expect(e.field).toBe("name");
  });

  it("subdomains allow dots but not empty segments or slashes", async () => {
    expect(parseName("data-kubia-0", "name", "subdomain")).toBe("data-kubia-0");
    expect(parseName("node-1.example", "name", "subdomain")).toBe("node-1.example");
    for (const bad of ["a..b", ".a", "a.", "a/b", "a".repeat(254), 42, null, undefined]) {
      const e = await errorOf(Promise.resolve().then(() => parseName(bad, "name", "subdomain")));
      expect(e.status).toBe(400);
    }
  });
});

describe("JSON bodies", () => {
  const scale = scaleRequestSchema(50);

  it("parses a valid body", async () => {
    await expect(readJson(post('{"replicas":3}'), scale)).resolves.toEqual({ replicas: 3 });
  });

  it.each([
    ['{"replicas":-1}', "replicas"],
    ['{"replicas":51}', "replicas"],
    ['{"replicas":1.5}', "replicas"],
    ['{"replicas":"3"}', "replicas"],
    ['{"replicas":null}', "replicas"],
    ['{"replicas":1e400}', "replicas"],
    ["{}", "replicas"],
    ['{"replicas":3,"namespace":"kube-system"}', "namespace"],
    ['{"replicas":3,"__proto__":{"x":1}}', "__proto__"],
    ["[3]", "body"],
    ["3", "body"],
    ["null", "body"],
    ['"x"', "body"],
    ["{replicas:3}", "body"],
    ['{"replicas":3', "body"],
  ])("refuses %s naming field %s", async (body, field) => {
    const e = await errorOf(readJson(post(body), scale));
    expect(e.status).toBe(400);
    expect(e.field).toBe(field);
    expect(e.message).toContain(field === "body" ? "body" : field);
  });

  it("refuses bodies over the limit, declared or streamed (413)", async () => {
    const big = JSON.stringify({ replicas: 1, pad: "x".repeat(MAX_BODY_BYTES) });
    expect((await errorOf(readJson(post(big), scale))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)));
        c.close();
      },
    });
    const req = new Request("http://127.0.0.1:3000/api/x", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect((await errorOf(readJson(req, scale))).status).toBe(413);
  });

  it("refuses invalid UTF-8", async () => {
    const e = await errorOf(readJson(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), scale));
    expect(e.status).toBe(400);
  });

  it("treats an empty body as {} for all-optional schemas", async () => {
    await expect(readJson(post(null), deletePodRequestSchema)).resolves.toEqual({});
    await expect(readJson(post('{"force":true}'), deletePodRequestSchema)).resolves.toEqual({ force: true });
  });

  it("validates grace periods", async () => {
    for (const body of ['{"gracePeriodSeconds":-1}', '{"gracePeriodSeconds":3601}', '{"gracePeriodSeconds":0.5}', '{"force":"yes"}', '{"force":true,"gracePeriodSeconds":30}']) {
      const e = await errorOf(readJson(post(body), deletePodRequestSchema));
      expect(e.status, body).toBe(400);
      expect(e.field, body).toMatch(/gracePeriodSeconds|force/);
    }
    await expect(readJson(post('{"gracePeriodSeconds":3600}'), deletePodRequestSchema)).resolves.toEqual({ gracePeriodSeconds: 3600 });
  });
});

describe("query parameters", () => {
  it("refuses unknown or repeated parameters", async () => {
    const req = (qs: string) => new Request(`http://127.0.0.1:3000/api/dns?${qs}`);
    expect(readQuery(req("statefulset=kubia"), ["statefulset"])).toEqual({ statefulset: "kubia" });
    for (const qs of ["namespace=kube-system", "statefulset=a&statefulset=b", "constructor=x", "__proto__=x"]) {
      const e = await errorOf(Promise.resolve().then(() => readQuery(req(qs), ["statefulset"])));
      expect(e.status, qs).toBe(400);
    }
  });
});

describe("error shaping", () => {
  it("keeps the Kubernetes reason and message of an ApiException", () => {
    const body = JSON.stringify({ kind: "Status", status: "Failure", reason: "NotFound", message: 'pods "kubia-7" not found', code: 404 });
    const e = toApiError(new ApiException(404, "Not Found", body, {})).error;
    expect(e).toEqual({ status: 404, reason: "NotFound", message: 'pods "kubia-7" not found' });
  });

  it("keeps Conflict and AlreadyExists too, and falls back on the status code", () => {
    expect(toApiError(new KubeApiError(409, { reason: "AlreadyExists", message: "exists" }, "x")).error.reason).toBe("AlreadyExists");
    expect(toApiError(new ApiException(409, "Conflict", "not json", {})).error).toMatchObject({ status: 409, reason: "Conflict" });
  });

  it("maps network failures to 503 and redacts secrets in messages", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });
    expect(toApiError(refused).error).toMatchObject({ status: 503, reason: "ServiceUnavailable" });
    const leaky = new PlaygroundError(502, "BadGateway", "upstream said: Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123");
    expect(toApiError(leaky).error.message).not.toContain("abcdefghijklmnopqrstuvwxyz0123");
  });

  it("handle() turns thrown errors into ApiError JSON with the status", async () => {
    const res = await handle(new Request("http://127.0.0.1:3000/api/x", { headers: { host: "127.0.0.1:3000" } }), async () => {
      throw new PlaygroundError(404, "NotFound", "nope");
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, reason: "NotFound", message: "nope" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("errorResponse() never loses the status", async () => {
    const res = errorResponse(new PlaygroundError(415, "UnsupportedMediaType", "json please"));
    expect(res.status).toBe(415);
  });
});
