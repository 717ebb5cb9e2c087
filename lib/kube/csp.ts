/**
 * The dashboard's Content-Security-Policy. Pages get a per-request nonce from proxy.ts (Next.js
 * applies it to its own scripts during dynamic rendering), so scripts never need 'unsafe-inline':
 * an injected <script> cannot run. Styles keep 'unsafe-inline' because React style attributes
 * (motion, countdown bars) cannot carry a nonce; styles cannot execute code. No
 * `upgrade-insecure-requests`: the dashboard is served over plain HTTP on loopback or a LAN.
 * Pure (no `server-only`): proxy.ts and next.config.ts import it.
 */
export function pageContentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API answers are data, never documents: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers for every response (next.config.ts headers()). */
export const COMMON_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
];
