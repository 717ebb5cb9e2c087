import { describe, expect, it } from "vitest";
import {
  SESSION_COOKIE,
  checkAccess,
  checkSameOrigin,
  hostnameOf,
  isLoopbackHostname,
  readCookie,
  secretEquals,
  sessionCookie,
  sessionValue,
} from "./security";

const TOKEN = "s3cret-token-for-tests-0123456789";
const withToken = { PLAYGROUND_TOKEN: TOKEN };
const h = (init: Record<string, string>) => new Headers(init);

describe("access token", () => {
  it("compares in constant time whatever the lengths", () => {
    expect(secretEquals(TOKEN, TOKEN)).toBe(true);
    expect(secretEquals("", TOKEN)).toBe(false);
    expect(secretEquals(TOKEN + "x", TOKEN)).toBe(false);
    expect(secretEquals(TOKEN.slice(0, -1), TOKEN)).toBe(false);
  });

  it("refuses requests without the token, with a wrong one, or with the raw token as cookie", () => {
    const host = { host: "192.168.1.10:3000" };
    expect(checkAccess(h(host), withToken)?.status).toBe(401);
    expect(checkAccess(h({ ...host, authorization: "Bearer wrong" }), withToken)?.status).toBe(401);
    expect(checkAccess(h({ ...host, authorization: `Basic ${TOKEN}` }), withToken)?.status).toBe(401);
    expect(checkAccess(h({ ...host, cookie: `${SESSION_COOKIE}=${TOKEN}` }), withToken)?.status).toBe(401);
    expect(checkAccess(h({ ...host, cookie: `${SESSION_COOKIE}=${sessionValue("other")}` }), withToken)?.status).toBe(401);
    expect(checkAccess(h({ ...host, cookie: `other=${sessionValue(TOKEN)}` }), withToken)?.status).toBe(401);
  });

  it("accepts the bearer token or the session cookie, on any host", () => {
    const host = { host: "192.168.1.10:3000" };
    expect(checkAccess(h({ ...host, authorization: `Bearer ${TOKEN}` }), withToken)).toBeUndefined();
    expect(checkAccess(h({ ...host, authorization: `bearer   ${TOKEN}` }), withToken)).toBeUndefined();
    expect(checkAccess(h({ ...host, cookie: `a=b; ${SESSION_COOKIE}=${sessionValue(TOKEN)}; c=d` }), withToken)).toBeUndefined();
  });

  it("sets an HttpOnly SameSite=Strict cookie that holds a digest, not the token", () => {
    const cookie = sessionCookie(TOKEN);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain(TOKEN);
    expect(readCookie(cookie.split(";")[0], SESSION_COOKIE)).toBe(sessionValue(TOKEN));
  });
});

describe("loopback-only without a token (also defeats DNS rebinding)", () => {
  it.each(["127.0.0.1:3000", "localhost:3000", "localhost", "[::1]:3000", "127.1.2.3", "app.localhost:3000"])("allows Host %s", (host) => {
    expect(checkAccess(h({ host }), {})).toBeUndefined();
  });

  it.each(["evil.example:3000", "127.0.0.1.evil.example", "192.168.1.10:3000", "0.0.0.0:3000", "", "[::]:3000", "localhost.evil.example"])(
    "refuses Host %s",
    (host) => {
      expect(checkAccess(h(host ? { host } : {}), {})?.status).toBe(403);
    },
  );

  it("parses host names", () => {
    expect(hostnameOf("[::1]:3000")).toBe("[::1]");
    expect(hostnameOf("localhost:80")).toBe("localhost");
    expect(isLoopbackHostname("LOCALHOST")).toBe(true);
    expect(isLoopbackHostname("127.0.0.1")).toBe(true);
    expect(isLoopbackHostname("128.0.0.1")).toBe(false);
  });
});

describe("cross-site protection", () => {
  const json = { host: "127.0.0.1:3000", "content-type": "application/json" };

  it("refuses cross-site and same-site fetches, allows same-origin and direct navigation", () => {
    expect(checkSameOrigin("POST", h({ ...json, "sec-fetch-site": "cross-site" }))?.status).toBe(403);
    expect(checkSameOrigin("POST", h({ ...json, "sec-fetch-site": "same-site" }))?.status).toBe(403);
    expect(checkSameOrigin("GET", h({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }))?.status).toBe(403);
    expect(checkSameOrigin("POST", h({ ...json, "sec-fetch-site": "same-origin" }))).toBeUndefined();
    expect(checkSameOrigin("GET", h({ host: "127.0.0.1:3000", "sec-fetch-site": "none" }))).toBeUndefined();
  });

  it("refuses an Origin that does not match the Host", () => {
    expect(checkSameOrigin("POST", h({ ...json, origin: "http://evil.example" }))?.status).toBe(403);
    expect(checkSameOrigin("POST", h({ ...json, origin: "http://127.0.0.1:3001" }))?.status).toBe(403);
    expect(checkSameOrigin("POST", h({ ...json, origin: "null" }))?.status).toBe(403);
    expect(checkSameOrigin("POST", h({ ...json, origin: "not a url" }))?.status).toBe(403);
    expect(checkSameOrigin("DELETE", h({ ...json, origin: "http://127.0.0.1:3000" }))).toBeUndefined();
  });

  it("requires Content-Type: application/json on mutating requests (415), not on reads", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(checkSameOrigin(method, h({ host: "127.0.0.1:3000" }))?.status).toBe(415);
      expect(checkSameOrigin(method, h({ host: "127.0.0.1:3000", "content-type": "text/plain" }))?.status).toBe(415);
      expect(checkSameOrigin(method, h({ host: "127.0.0.1:3000", "content-type": "application/x-www-form-urlencoded" }))?.status).toBe(415);
      expect(checkSameOrigin(method, h({ host: "127.0.0.1:3000", "content-type": "multipart/form-data; boundary=x" }))?.status).toBe(415);
      expect(checkSameOrigin(method, h({ host: "127.0.0.1:3000", "content-type": "application/json; charset=utf-8" }))).toBeUndefined();
    }
    expect(checkSameOrigin("GET", h({ host: "127.0.0.1:3000" }))).toBeUndefined();
  });
});
