import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests run lib/kube directly in Node.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "app/**/*.test.ts", "tools/upstream-e2e/*.test.ts", "tools/real-cluster/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.soak.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:soak`: the real server under load for a minute (needs `next build`).
          name: "soak",
          include: ["**/*.soak.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 10 * 60_000,
          hookTimeout: 5 * 60_000,
          fileParallelism: false,
          // The soak reads the server's heap through its inspector (a WebSocket; global in Node 22, flagged in 20).
          execArgv: ["--experimental-websocket"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          // The real control plane's tests need Go and minutes of build: `npm run test:real`.
          // The differential fidelity suite needs it too: `npm run test:fidelity`.
          exclude: ["node_modules/**", "tools/real-cluster/**", "e2e/fidelity/**", "e2e/real-dashboard/**"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "real",
          // e2e/real-dashboard: the dashboard's routes with admin and least-privilege credentials (then Playwright, see package.json).
          include: ["tools/real-cluster/**/*.int.test.ts", "e2e/real-dashboard/**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 180_000,
          // beforeAll may build the control plane from source (cold: minutes on two cores).
          hookTimeout: 45 * 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // e2e/fidelity: the differential suite (simulator vs real control plane) and its pure helpers' tests.
          name: "fidelity",
          include: ["e2e/fidelity/**/*.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 40 * 60_000,
          // beforeAll may build the control plane from source (cold: minutes on two cores).
          hookTimeout: 45 * 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
