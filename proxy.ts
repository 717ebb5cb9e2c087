import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/lib/kube/csp";
import { HEALTH_PATH } from "@/lib/kube/health-path";
import { checkAccess, configuredToken, secretEquals, sessionCookie, TOKEN_QUERY_PARAM } from "@/lib/kube/security";

/**
 * Runs before every page and route (Next 16's renamed middleware):
 * 1. the one-time URL `/?token=…` sets the session cookie and redirects to the same page without it;
 * 2. access control (token, or loopback Host when no token) for pages, routes and the stream —
 *    the API routes check again themselves, so a matcher change can never open them;
 * 3. a fresh CSP nonce per page request (Next applies it to its scripts while rendering).
 */
export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const isApi = pathname === "/api" || pathname.startsWith("/api/");
  const token = configuredToken();

  if (token && !isApi && searchParams.has(TOKEN_QUERY_PARAM)) {
    const candidate = searchParams.get(TOKEN_QUERY_PARAM) ?? "";
    if (!secretEquals(candidate, token)) return refuse(false, 401, "Unauthorized", "wrong access token");
    const clean = request.nextUrl.clone();
    clean.searchParams.delete(TOKEN_QUERY_PARAM);
    const response = NextResponse.redirect(clean, 303);
    response.headers.set("Set-Cookie", sessionCookie(token));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // Probes cannot carry the token; the health answer reveals nothing (lib/kube/healthz.ts).
  if (pathname === HEALTH_PATH && request.method === "GET") return NextResponse.next();
  const denial = checkAccess(request.headers);
  if (denial) return refuse(isApi, denial.status, denial.reason, denial.message);
  if (isApi) return NextResponse.next();

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function refuse(isApi: boolean, status: number, reason: string, message: string): NextResponse {
  if (isApi) return NextResponse.json({ error: { status, reason, message } }, { status, headers: { "Cache-Control": "no-store" } });
  return new NextResponse(`${status} ${reason}: ${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
