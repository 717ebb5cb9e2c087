import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { SESSION_COOKIE, sessionValue } from "./security";

/** proxy.ts (Next 16's middleware) called directly with NextRequests. */
const TOKEN = "proxy-test-token-0123456789abcdef";

function request(path: string, headers: Record<string, string> = {}) {
  return new NextRequest(`http://192.168.1.10:3000${path}`, { headers: { host: "192.168.1.10:3000", ...headers } });
}

afterEach(() => {
  delete process.env.PLAYGROUND_TOKEN;
});

describe("proxy with an access token", () => {
  it("exchanges the one-time URL for an HttpOnly SameSite=Strict cookie and redirects without the token", () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    const res = proxy(request(`/?token=${TOKEN}&statefulset=kubia`));
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location") ?? "", "http://192.168.1.10:3000");
    expect(location.pathname + location.search).toBe("/?statefulset=kubia");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`${SESSION_COOKIE}=${sessionValue(TOKEN)}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(TOKEN);
  });

  it("refuses a wrong token URL and pages or API calls without the cookie", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    expect(proxy(request("/?token=wrong")).status).toBe(401);
    expect(proxy(request("/")).status).toBe(401);
    const api = proxy(request("/api/snapshot"));
    expect(api.status).toBe(401);
    expect((await api.json()).error.reason).toBe("Unauthorized");
    expect(proxy(request("/api/stream")).status).toBe(401);
  });

  it("lets the session cookie or a bearer token through", () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;
    expect(proxy(request("/", { cookie })).status).toBe(200);
    expect(proxy(request("/api/snapshot", { cookie })).status).toBe(200);
    expect(proxy(request("/api/snapshot", { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe("proxy without a token", () => {
  it("serves loopback hosts only", () => {
    expect(proxy(request("/")).status).toBe(403);
    expect(proxy(new NextRequest("http://127.0.0.1:3000/", { headers: { host: "127.0.0.1:3000" } })).status).toBe(200);
  });

  it("ignores a token parameter when no token is configured (nothing to exchange)", () => {
    const res = proxy(new NextRequest("http://127.0.0.1:3000/?token=x", { headers: { host: "127.0.0.1:3000" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("gives pages a CSP with a fresh nonce and no unsafe-inline scripts", () => {
    const page = () => proxy(new NextRequest("http://127.0.0.1:3000/", { headers: { host: "127.0.0.1:3000" } }));
    const a = page().headers.get("content-security-policy") ?? "";
    const b = page().headers.get("content-security-policy") ?? "";
    const script = a.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(script).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(script).not.toContain("unsafe-inline");
    expect(a).toContain("frame-ancestors 'none'");
    expect(a).not.toBe(b);
  });
});
