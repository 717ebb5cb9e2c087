import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Who may import what (DESIGN.md "Layout"), enforced here rather than by convention. */
const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", ".playground*/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "e2e/real-cluster/bin/**"]),
  {
    files: ["lib/sim/**"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*", "@/lib/kube/*", "@/lib/client/*", "next", "next/*", "**/app/**", "**/components/**", "**/lib/kube/**"], message: "lib/sim is the embedded cluster: it imports nothing of the app." },
    ]),
  },
  {
    files: ["lib/sim/api/**"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*", "@/lib/kube/*", "@/lib/client/*", "next", "next/*", "**/app/**", "**/components/**", "**/lib/kube/**"], message: "lib/sim is the embedded cluster: it imports nothing of the app." },
      // The node-down annotation is the cluster's own convention, defined beside the pod network.
      { group: ["**/node/*", "**/node/**", "!**/node/runtime", "!**/node/network"], message: "The API server reaches the nodes only through lib/sim/node/runtime.ts (NodeRuntime)." },
    ]),
  },
  {
    files: ["lib/k8s/**"],
    rules: restrict([
      { group: ["@/lib/kube/*", "@/lib/sim/*", "@/app/*", "@/components/*", "next/*", "node:*", "**/lib/kube/**", "**/lib/sim/**"], message: "lib/k8s holds isomorphic pure helpers." },
    ]),
  },
  {
    files: ["components/**", "lib/client/**"],
    rules: restrict([
      { group: ["@/lib/kube/*", "@/lib/sim/*", "**/lib/kube/**", "**/lib/sim/**"], message: "The browser reaches the cluster only through /api over HTTP." },
    ]),
  },
  {
    files: ["app/**"],
    rules: restrict([{ group: ["@/lib/sim/*", "**/lib/sim/**"], message: "Routes go through lib/kube, which treats the embedded cluster like any other." }]),
  },
  {
    files: ["**/*.test.ts", "**/*.int.test.ts", "e2e/**", "scripts/**", "bench/**"],
    rules: { "no-restricted-imports": "off" },
  },
]);
