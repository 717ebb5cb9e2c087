import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, statefulSet } from "../testing/kit";
import { decodeError, goStructName, tooDeep } from "./index";
import { parseQuantityError } from "./quantity";

const STS = "/apis/apps/v1/namespaces/default/statefulsets";

describe("typed decoding (the Go JSON decoder's errors)", () => {
  it("names the innermost Go struct and the JSON path", () => {
    expect(goStructName("V1StatefulSetSpec")).toBe("StatefulSetSpec");
    expect(goStructName("CoreV1Event")).toBe("Event");
    expect(decodeError("V1StatefulSet", { spec: { replicas: 2147483648 } })).toBe("json: cannot unmarshal number 2147483648 into Go struct field StatefulSetSpec.spec.replicas of type int32");
    expect(decodeError("V1StatefulSet", { spec: { replicas: "3" } })).toBe("json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32");
    expect(decodeError("V1Pod", { spec: { containers: [{ name: 5 }] } })).toBe("json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string");
    expect(decodeError("V1Pod", { spec: { containers: "x" } })).toBe("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container");
    expect(decodeError("V1Pod", { metadata: { labels: [] } })).toBe("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string");
    expect(decodeError("V1Pod", { spec: { terminationGracePeriodSeconds: -9223372036854775808 } })).toBeUndefined();
  });

  it("keeps the first error in document order and accepts null", () => {
    expect(decodeError("V1StatefulSet", { spec: { minReadySeconds: 1.5, replicas: 1e308 } })).toMatch(/number 1.5 into Go struct field StatefulSetSpec.spec.minReadySeconds/);
    expect(decodeError("V1StatefulSet", { spec: { replicas: null } })).toBeUndefined();
  });

  it("parses quantities as resource.ParseQuantity does", () => {
    for (const ok of ["1Gi", "500m", "1e3", "0.5", "+1", "1.", "2E-3"]) expect(parseQuantityError(ok)).toBeUndefined();
    expect(parseQuantityError("1iG")).toBe("unable to parse quantity's suffix");
    expect(parseQuantityError("1GB")).toMatch(/^quantities must match/);
    expect(parseQuantityError("abc")).toMatch(/^quantities must match the regular expression/);
    expect(parseQuantityError("")).toMatch(/^quantities must match/);
    expect(decodeError("V1PersistentVolumeClaim", { spec: { resources: { requests: { storage: "1 Gi" } } } })).toMatch(/^quantities must match/);
  });

  it("bounds nesting without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(tooDeep(deep)).toBe("{");
    expect(tooDeep({ a: [[1]] })).toBeUndefined();
  });
});

describe("the API server refuses what the real one cannot decode", () => {
  let t: Awaited<ReturnType<typeof startTestApi>>;
  beforeEach(async () => {
    t = await startTestApi();
    expect((await t.call("POST", STS, { body: statefulSet("kubia") })).status).toBe(201);
  });
  afterEach(() => t.api.stop());

  it("an out-of-int32 replicas in a created body is a 400 decode error, literal as written", async () => {
    const body = JSON.stringify(statefulSet("web")).replace('"replicas":2', '"replicas":2147483648');
    const res = await t.call("POST", STS, { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      reason: "BadRequest",
      message: 'StatefulSet in version "v1" cannot be handled as a StatefulSet: json: cannot unmarshal number 2147483648 into Go struct field StatefulSetSpec.spec.replicas of type int32',
    });
    const fraction = await t.call("POST", STS, { body: JSON.stringify(statefulSet("web")).replace('"replicas":2', '"replicas":2.0') });
    expect(fraction.body.message).toMatch(/cannot unmarshal number 2\.0 into Go struct field StatefulSetSpec\.spec\.replicas of type int32$/);
  });

  it("a merge patch to 1e308 is a 422 on the field patch, the stored object unchanged", async () => {
    const res = await t.call("PATCH", `${STS}/kubia`, { body: '{"spec":{"replicas":1e308}}', headers: { "content-type": "application/merge-patch+json" } });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe("Invalid");
    expect(res.body.message).toMatch(/^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal number 1e\+308 into Go struct field StatefulSetSpec\.spec\.replicas of type int32$/);
    expect(res.body.details.causes[0].field).toBe("patch");
    expect((await t.call("GET", `${STS}/kubia`)).body.spec.replicas).toBe(2);
  });

  it("the scale subresource refuses 2147483648 and accepts the largest int32", async () => {
    const headers = { "content-type": "application/merge-patch+json" };
    const over = await t.call("PATCH", `${STS}/kubia/scale`, { body: '{"spec":{"replicas":2147483648}}', headers });
    expect(over.status).toBe(422);
    expect(over.body.message).toMatch(/ScaleSpec\.spec\.replicas of type int32$/);
    const put = await t.call("PUT", `${STS}/kubia/scale`, { body: '{"metadata":{"name":"kubia"},"spec":{"replicas":-1.5}}' });
    expect(put.status).toBe(400);
    expect(put.body.message).toBe('Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number -1.5 into Go struct field ScaleSpec.spec.replicas of type int32');
    const max = await t.call("PATCH", `${STS}/kubia/scale`, { body: '{"spec":{"replicas":2147483647}}', headers });
    expect(max.status).toBe(200);
  });

  it("YAML and apply bodies are checked too; too-deep bodies are a 400", async () => {
    const apply = await t.call("PATCH", `${STS}/kubia?fieldManager=kubectl`, {
      body: "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: kubia\nspec:\n  replicas: true\n",
      headers: { "content-type": "application/apply-patch+yaml" },
    });
    expect(apply.status).toBe(400);
    expect(apply.body.message).toMatch(/cannot unmarshal bool into Go struct field StatefulSetSpec\.spec\.replicas of type int32$/);
    const deep = '{"metadata":{"annotations":' + '{"a":'.repeat(5000) + "1" + "}".repeat(5000) + "}}";
    const res = await t.call("PATCH", `${STS}/kubia`, { body: deep, headers: { "content-type": "application/strategic-merge-patch+json" } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("invalid character '{' exceeded max depth");
  });
});

describe("YAML nesting is bounded before the parser sees it", () => {
  it("refuses deep flow and block nesting, accepts ordinary manifests", async () => {
    const { yamlTooDeep } = await import("./index");
    expect(yamlTooDeep('{"a":'.repeat(20_000) + "1" + "}".repeat(20_000))).toBe(true);
    expect(yamlTooDeep("a: " + "[".repeat(300))).toBe(true);
    expect(yamlTooDeep("- ".repeat(600) + "x")).toBe(true);
    expect(yamlTooDeep(Array.from({ length: 600 }, (_, i) => " ".repeat(i) + "a:").join("\n"))).toBe(true);
    expect(yamlTooDeep('a: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["')).toBe(false);
    expect(yamlTooDeep("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: kubia\nspec:\n  template:\n    spec:\n      containers:\n      - name: kubia\n        ports:\n        - containerPort: 8080\n")).toBe(false);
  });
});
