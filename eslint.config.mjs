import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Who may import what (docs/ARCHITECTURE.md "Who may import what"), enforced here rather than by convention. */
const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

/** e2e/ is the browser suite: nothing of the product, its scripts or its tools depends on it (tests included). */
const noE2E = { group: ["@/e2e/*", "**/e2e/**", "e2e/*"], message: "e2e/ is the browser test suite: shared test support lives in testing/, tools in tools/." };
/** testing/ is test support: product code never imports it. */
const noTesting = { group: ["@/testing/*", "**/testing/kubectl", "**/testing/wait"], message: "testing/ is test support: product code never imports it." };

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", ".playground*/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "tools/real-cluster/bin/**"]),
  {
    files: ["lib/**", "app/**", "components/**"],
    rules: restrict([noE2E, noTesting]),
  },
  {
    files: ["lib/sim/**"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*", "@/lib/kube/*", "@/lib/client/*", "next", "next/*", "**/app/**", "**/components/**", "**/lib/kube/**"], message: "lib/sim is the embedded cluster: it imports nothing of the app." },
      noE2E,
      noTesting,
    ]),
  },
  {
    files: ["lib/kube/**"],
    rules: restrict([
      { group: ["@/lib/sim/*", "**/lib/sim/**", "../sim/*", "@/app/*", "@/components/*", "**/app/**", "**/components/**"], message: "lib/kube reaches every cluster, the embedded one included, over HTTP with client-node." },
      noE2E,
      noTesting,
    ]),
  },
  {
    files: ["lib/sim/api/**"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*", "@/lib/kube/*", "@/lib/client/*", "next", "next/*", "**/app/**", "**/components/**", "**/lib/kube/**"], message: "lib/sim is the embedded cluster: it imports nothing of the app." },
      // The node-down annotation is the cluster's own convention, defined beside the pod network.
      { group: ["**/node/*", "**/node/**", "!**/node/runtime", "!**/node/network"], message: "The API server reaches the nodes only through lib/sim/node/runtime.ts (NodeRuntime)." },
      noE2E,
      noTesting,
    ]),
  },
  {
    files: ["lib/k8s/**"],
    rules: restrict([
      { group: ["@/lib/kube/*", "@/lib/sim/*", "@/app/*", "@/components/*", "next/*", "node:*", "**/lib/kube/**", "**/lib/sim/**"], message: "lib/k8s holds isomorphic pure helpers." },
      noE2E,
      noTesting,
    ]),
  },
  {
    files: ["components/**", "lib/client/**"],
    rules: restrict([
      { group: ["@/lib/kube/*", "@/lib/sim/*", "**/lib/kube/**", "**/lib/sim/**"], message: "The browser reaches the cluster only through /api over HTTP." },
      noE2E,
      noTesting,
    ]),
  },
  {
    files: ["app/**"],
    rules: restrict([{ group: ["@/lib/sim/*", "**/lib/sim/**"], message: "Routes go through lib/kube, which treats the embedded cluster like any other." }, noE2E, noTesting]),
  },
  {
    files: ["**/*.test.ts", "**/*.int.test.ts", "e2e/**", "scripts/**", "bench/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests and test support of lib/, app/, components/, and the scripts and tools: free across layers, never into e2e/.
    files: ["{lib,app,components}/**/*.test.{ts,tsx}", "{lib,components}/**/testing/**", "scripts/**", "tools/**", "testing/**", "bench/**"],
    rules: restrict([noE2E]),
  },
]);
