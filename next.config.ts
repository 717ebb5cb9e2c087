import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "./lib/kube/csp";

const nextConfig: NextConfig = {
  // .next/standalone: the server with only the production dependencies it uses. `npm start` (the
  // launcher) and the container image both run it (scripts/standalone-files.ts, Dockerfile).
  output: "standalone",
  // client-node stays a runtime dependency of the server: smaller bundle, faster build.
  serverExternalPackages: ["@kubernetes/client-node"],
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_SECURITY_HEADERS },
      // Pages get their CSP (with a per-request nonce) from proxy.ts; API answers get a lockdown one.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

// next-intl without locale routing: the plugin points next-intl's server functions at i18n/request.ts.
// `precompile`: the catalogues' ICU messages are compiled at build time (icu-minify), so the page
// ships next-intl's small formatter instead of the ICU parser (about 10 KiB gzip of first-load JS).
export default createNextIntlPlugin({
  requestConfig: "./i18n/request.ts",
  experimental: { messages: { path: "./messages", format: "json", locales: "infer", precompile: true } },
})(nextConfig);
