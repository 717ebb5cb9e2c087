import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The import boundaries of eslint.config.mjs fire: lint a one-line module at each place with the
 * project's own configuration (lintText with a filePath applies the same file globs as `npm run lint`).
 */
const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as m from "${specifier}";\nexport const used = m;\n`, { filePath: path.join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("ESLint import boundaries", () => {
  const intoE2E = ["@/e2e/support/kubectl", "../../e2e/support/kubectl", "../e2e/real-dashboard/flows"];
  const places = ["lib/sim/api/x.ts", "lib/kube/x.ts", "lib/k8s/x.ts", "lib/client/x.ts", "app/api/x.ts", "components/X.tsx", "scripts/x.ts", "tools/real-cluster/x.ts", "lib/sim/api/x.int.test.ts", "components/X.test.tsx"];

  it.each(places)("%s never imports from e2e/", async (place) => {
    for (const specifier of intoE2E) {
      expect(await restrictedImports(place, specifier), `${place} → ${specifier}`).toEqual([expect.stringContaining("e2e/ is the browser test suite")]);
    }
  }, 60_000);

  it("product code never imports the shared test support, tests may", async () => {
    expect(await restrictedImports("lib/sim/api/x.ts", "@/testing/kubectl")).toEqual([expect.stringContaining("testing/ is test support")]);
    expect(await restrictedImports("lib/sim/api/x.int.test.ts", "@/testing/kubectl")).toEqual([]);
  }, 60_000);

  it("the layers keep their own rules beside the e2e/ one", async () => {
    expect(await restrictedImports("lib/sim/x.ts", "@/lib/kube/client")).toEqual([expect.stringContaining("lib/sim is the embedded cluster")]);
    expect(await restrictedImports("lib/k8s/x.ts", "@/lib/sim/store")).toEqual([expect.stringContaining("lib/k8s holds isomorphic pure helpers")]);
    expect(await restrictedImports("lib/kube/x.ts", "../sim/cluster")).toEqual([expect.stringContaining("lib/kube reaches every cluster")]);
    expect(await restrictedImports("app/api/x/route.ts", "@/lib/sim/cluster")).toEqual([expect.stringContaining("Routes go through lib/kube")]);
    expect(await restrictedImports("components/X.tsx", "@/lib/kube/hub")).toEqual([expect.stringContaining("The browser reaches the cluster only through /api")]);
    expect(await restrictedImports("e2e/x.spec.ts", "../lib/sim/store")).toEqual([]);
  }, 60_000);
});
