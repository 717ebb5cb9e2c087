import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiRequestError, apiRequest, describeError } from "./api";

function stubFetch(response: Response | Error) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (response instanceof Error) throw response;
    return response.clone();
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("apiRequest", () => {
  it("sends mutating calls as JSON with Content-Type application/json", async () => {
    const calls = stubFetch(Response.json({ action: { id: "1" } }));
    await api.scale("kubia", 3);
    expect(calls[0].url).toBe("/api/statefulsets/kubia/scale");
    expect(calls[0].init.method).toBe("POST");
    expect((calls[0].init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect(calls[0].init.body).toBe('{"replicas":3}');
  });

  it("sends an empty JSON object when an action has no parameters", async () => {
    const calls = stubFetch(Response.json({ action: { id: "1" } }));
    await api.deletePvc("data-kubia-1");
    expect(calls[0]).toMatchObject({ url: "/api/pvcs/data-kubia-1", init: { method: "DELETE", body: "{}" } });
    await api.deletePod("kubia-1", { force: true });
    expect(calls[1]).toMatchObject({ url: "/api/pods/kubia-1", init: { method: "DELETE", body: '{"force":true}' } });
  });

  it("GETs without a body or Content-Type", async () => {
    const calls = stubFetch(Response.json({ pod: "kubia-0", status: 200, body: "You've hit kubia-0" }));
    expect(await api.readPodData("kubia-0")).toEqual({ pod: "kubia-0", status: 200, body: "You've hit kubia-0" });
    expect(calls[0].init.body).toBeUndefined();
    expect((calls[0].init.headers as Record<string, string>)["Content-Type"]).toBeUndefined();
  });

  it("throws the server's Kubernetes reason and message", async () => {
    stubFetch(Response.json({ error: { status: 409, reason: "Conflict", message: 'Operation cannot be fulfilled on statefulsets.apps "kubia"' } }, { status: 409 }));
    const err = await apiRequest("/api/x", { method: "POST" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(describeError(err)).toEqual({ reason: "Conflict", message: 'Operation cannot be fulfilled on statefulsets.apps "kubia"' });
    expect((err as ApiRequestError).status).toBe(409);
  });

  it("turns a non-JSON failure and a network failure into readable errors", async () => {
    stubFetch(new Response("upstream exploded", { status: 502, statusText: "Bad Gateway" }));
    expect(describeError(await apiRequest("/api/x").catch((e: unknown) => e))).toEqual({ reason: "Bad Gateway", message: "upstream exploded" });
    stubFetch(new TypeError("fetch failed"));
    expect(describeError(await apiRequest("/api/x").catch((e: unknown) => e))).toMatchObject({ reason: "NetworkError" });
  });
});
