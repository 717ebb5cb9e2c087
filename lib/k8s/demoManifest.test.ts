import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { demoObjects, parallelDemoStatefulSet } from "./demo";
import { DEMO_MANIFEST, PARALLEL_MANIFEST } from "./kubectl";

describe("public/kubia.yaml", () => {
  it("is exactly the demo the dashboard creates (so `kubectl apply -f kubia.yaml` matches the console strip)", () => {
    const text = readFileSync(path.join(import.meta.dirname, "../../public", DEMO_MANIFEST), "utf8");
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    const { services, statefulSet } = demoObjects("default");
    const withoutNamespace = <T extends { metadata?: { namespace?: string } }>(o: T): T => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
    const normalize = (o: unknown) => JSON.parse(JSON.stringify(o));
    expect(docs).toEqual(normalize([...services, statefulSet].map(withoutNamespace)));
  });
});

describe("public/kubia-parallel.yaml", () => {
  it("is exactly the Parallel StatefulSet the ordering lesson creates", () => {
    const text = readFileSync(path.join(import.meta.dirname, "../../public", PARALLEL_MANIFEST), "utf8");
    const sts = parallelDemoStatefulSet("default");
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual([JSON.parse(JSON.stringify({ ...sts, metadata: { ...sts.metadata, namespace: undefined } }))]);
  });
});
