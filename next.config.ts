import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // client-node stays a runtime dependency of the server: smaller bundle, faster build.
  serverExternalPackages: ["@kubernetes/client-node"],
  poweredByHeader: false,
};

export default nextConfig;
