import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SKIP_KUBECTL } from "@/testing/kubectl";
import { withKubectlCluster } from "./testing/kubectl-cluster";

/**
 * kubectl's typed clients (create namespace/configmap/serviceaccount/service) send their objects in
 * Kubernetes protobuf; the embedded cluster reads them, and kubectl prints what the real cluster made
 * it print (captured with the same kubectl by scripts/k8s-proto-fixtures.ts).
 */
interface Captured {
  create: string[];
  get: string[];
  printed: string;
  object: Record<string, unknown> & { metadata: Record<string, unknown> };
}
const CAPTURED: Captured[] = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "protobuf/fixtures/kubectl-creates.json"), "utf8"));

/** What differs between any two clusters (identity, time, version) — and the store's metadata.generation on kinds that have none. */
function comparable(obj: Captured["object"], real: Captured["object"]): Captured["object"] {
  const copy = structuredClone(obj);
  for (const key of ["uid", "creationTimestamp", "resourceVersion"]) if (key in copy.metadata) copy.metadata[key] = `<${key}>`;
  // Exception (reported): the embedded store sets generation on every kind; the real registries only on some.
  if (!("generation" in real.metadata)) delete copy.metadata.generation;
  return copy;
}

describe.skipIf(SKIP_KUBECTL)("kubectl's protobuf requests against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-pb", { seedDemo: false });


  it("sends and receives protobuf for `create namespace`", async () => {
    const r = await world.k.run(["create", "namespace", "probe", "-v=8"]);
    expect(r.code, r.stderr).toBe(0);
    // The request body and the answer are both protobuf (kubectl accepts "application/vnd.kubernetes.protobuf,application/json").
    expect(r.stderr.match(/Content-Type: application\/vnd\.kubernetes\.protobuf$/gm)).toHaveLength(2);
  });

  it.each(CAPTURED.map((c) => [c.create.join(" "), c] as const))("kubectl %s: prints what the real cluster printed, and get -o json shows the same object", async (_, captured) => {
    expect(await world.k.ok(captured.create)).toBe(captured.printed);
    const got = JSON.parse(await world.k.ok([...captured.get, "-o", "json"]));
    expect(comparable(got, captured.object)).toEqual(comparable(captured.object, captured.object));
  });

  it("reports a conflict from a protobuf create as the real cluster does", async () => {
    const again = await world.k.run(["create", "namespace", "lab"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (AlreadyExists): namespaces "lab" already exists\n');
  });
});
