import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Who may use the dashboard, decided per request. Pure functions over headers so the same checks
 * run in proxy.ts (before any page or route) and again inside every API route (defence in depth:
 * a route is safe even if a matcher change ever skips the proxy). No `server-only` marker:
 * proxy.ts imports it too.
 *
 * - Access token (PLAYGROUND_TOKEN, required by the launcher when HOST is not loopback): every
 *   page, route and the event stream need it, as a session cookie set from the one-time URL
 *   `/?token=…` or as `Authorization: Bearer …`. Compared in constant time on SHA-256 digests.
 * - Without a token the dashboard serves only loopback Host names, which also defeats DNS
 *   rebinding (a hostile page resolving its own name to 127.0.0.1).
 * - Cross-site requests are refused on the API (Sec-Fetch-Site, Origin), and mutating requests
 *   must be `Content-Type: application/json`, which a cross-site form cannot send.
 */
export const SESSION_COOKIE = "playground_session";
export const TOKEN_QUERY_PARAM = "token";

export type Denial = { status: number; reason: string; message: string };

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Constant-time comparison: both sides are hashed first, so lengths never differ and nothing leaks through timing. */
export function secretEquals(candidate: string, secret: string): boolean {
  return timingSafeEqual(sha256(candidate), sha256(secret));
}

export function configuredToken(env: Record<string, string | undefined> = process.env): string | undefined {
  const token = env.PLAYGROUND_TOKEN;
  return token && token.length > 0 ? token : undefined;
}

/** The cookie holds a digest of the token, not the token itself (a cookie jar leak does not reveal the printed URL). */
export function sessionValue(token: string): string {
  return createHash("sha256").update(`sts-playground-session:${token}`, "utf8").digest("hex");
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

export function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when the request carries the token (session cookie or bearer). */
export function hasValidCredential(headers: Headers, token: string): boolean {
  const cookie = readCookie(headers.get("cookie"), SESSION_COOKIE);
  const cookieOk = cookie !== undefined && secretEquals(cookie, sessionValue(token));
  const auth = headers.get("authorization");
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, "").trim() : undefined;
  const bearerOk = bearer !== undefined && secretEquals(bearer, token);
  return cookieOk || bearerOk;
}

/** Host names that can only be reached from this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name part of a Host header (`127.0.0.1:3000`, `[::1]:3000`, `localhost`). */
export function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  const colon = hostHeader.lastIndexOf(":");
  return colon >= 0 ? hostHeader.slice(0, colon) : hostHeader;
}

/** Token (when configured) or a loopback Host (when not). */
export function checkAccess(headers: Headers, env: Record<string, string | undefined> = process.env): Denial | undefined {
  const token = configuredToken(env);
  if (token) {
    if (hasValidCredential(headers, token)) return undefined;
    return { status: 401, reason: "Unauthorized", message: "an access token is required: open the URL with ?token=… printed by the launcher, or send Authorization: Bearer <token>" };
  }
  const host = headers.get("host") ?? "";
  if (!isLoopbackHostname(hostnameOf(host))) {
    return { status: 403, reason: "Forbidden", message: "without PLAYGROUND_TOKEN the dashboard only answers on a loopback address (localhost, 127.0.0.1)" };
  }
  return undefined;
}

const SAFE_FETCH_SITES = new Set(["same-origin", "none"]);
const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isMutating(method: string): boolean {
  return MUTATING_METHODS.has(method.toUpperCase());
}

/** API requests from another site are refused; mutating ones must be JSON. */
export function checkSameOrigin(method: string, headers: Headers): Denial | undefined {
  const site = headers.get("sec-fetch-site");
  if (site !== null && !SAFE_FETCH_SITES.has(site.toLowerCase())) {
    return { status: 403, reason: "Forbidden", message: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  }
  const origin = headers.get("origin");
  if (origin !== null) {
    let originHost: string | undefined;
    try {
      originHost = origin === "null" ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    const host = headers.get("host");
    if (!originHost || !host || originHost.toLowerCase() !== host.toLowerCase()) {
      return { status: 403, reason: "Forbidden", message: "cross-origin request refused (Origin does not match Host)" };
    }
  }
  if (isMutating(method)) {
    const contentType = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (contentType !== "application/json") {
      return { status: 415, reason: "UnsupportedMediaType", message: "mutating requests must be sent as Content-Type: application/json" };
    }
  }
  return undefined;
}
