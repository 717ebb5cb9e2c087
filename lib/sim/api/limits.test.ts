import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "./http";
import { startTestApi } from "./testing/kit";

let t: Awaited<ReturnType<typeof startTestApi>> | undefined;
afterEach(async () => {
  await t?.api.stop();
  t = undefined;
});

const CM = "/api/v1/namespaces/default/configmaps";

/** Starts a POST whose body never finishes: it holds an in-flight slot as a slow client does. */
function holdRequest(url: string): () => void {
  const req = request(url + CM, { method: "POST", headers: { "content-type": "application/json", "content-length": "100" } });
  req.on("error", () => {});
  req.write("{");
  return () => req.destroy();
}

describe("request bounds as the API server has them", () => {
  it("answers beyond --max-mutating-requests-inflight with the filter's 429 and Retry-After, and recovers", async () => {
    t = await startTestApi({ limits: { maxMutatingInflight: 2 } });
    const held = [holdRequest(t.api.url), holdRequest(t.api.url)];
    await new Promise((r) => setTimeout(r, 100));
    const refused = await t.call("POST", CM, { body: { metadata: { name: "x" } } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.text).toBe("Too many requests, please try again later.\n");
    // Reads are a separate bound and still answered.
    expect((await t.call("GET", CM)).status).toBe(200);
    for (const release of held) release();
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.call("POST", CM, { body: { metadata: { name: "x" } } })).status).toBe(201);
  });

  it("refuses a body over 3 MiB with 413 and the apiserver's message", async () => {
    t = await startTestApi();
    const body = JSON.stringify({ metadata: { name: "big" }, data: { a: "x".repeat(MAX_BODY_BYTES) } });
    const res = await t.call("POST", CM, { body });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ reason: "RequestEntityTooLarge", message: `Request entity too large: limit is ${MAX_BODY_BYTES}` });
  });

  it("bounds the watches one client holds open", async () => {
    t = await startTestApi({ limits: { maxWatchesPerClient: 2 } });
    const aborts = [new AbortController(), new AbortController()];
    for (const a of aborts) expect((await fetch(`${t.api.url}${CM}?watch=true`, { signal: a.signal, headers: { "user-agent": "learner" } })).status).toBe(200);
    const third = await t.call("GET", `${CM}?watch=true`, { headers: { "user-agent": "learner" } });
    expect(third.status).toBe(429);
    expect(third.body.reason).toBe("TooManyRequests");
    expect(third.headers.get("retry-after")).toBe("1");
    for (const a of aborts) a.abort();
    await new Promise((r) => setTimeout(r, 100));
    const again = new AbortController();
    expect((await fetch(`${t.api.url}${CM}?watch=true`, { signal: again.signal, headers: { "user-agent": "learner" } })).status).toBe(200);
    again.abort();
  });

  it("closes the watch of a consumer that stopped reading instead of buffering without limit", async () => {
    t = await startTestApi({ limits: { maxWatchBacklogBytes: 256 * 1024 } });
    const { port } = t.api;
    const socket = connect(port, "127.0.0.1");
    socket.pause(); // never reads
    socket.on("error", () => {});
    const watching = async () => /apiserver_longrunning_requests\{[^}]*resource="configmaps"[^}]*\} 1/.test((await t!.call("GET", "/metrics")).text);
    socket.write(`GET ${CM}?watch=true HTTP/1.1\r\nHost: x\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(await watching()).toBe(true);
    const big = "x".repeat(64 * 1024);
    for (let i = 0; i < 100; i++) {
      t.ctx.store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}`, namespace: "default" }, data: { big } });
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await watching()).toBe(false);
    socket.destroy();
    // Other clients are unaffected.
    expect((await t.call("GET", "/healthz")).status).toBe(200);
  });
});
