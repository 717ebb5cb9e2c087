import { describe, expect, it } from "vitest";
import { modelOf, unknownFields } from "./fields";

describe("unknownFields", () => {
  it("finds unknown fields at any depth, through lists and maps, with their paths", () => {
    const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "x", labes: {} }, spec: { replica: 1, template: { spec: { containers: [{ name: "c", imagee: "x" }] } } } };
    expect(unknownFields("V1StatefulSet", sts)).toEqual(["metadata.labes", "spec.replica", "spec.template.spec.containers[0].imagee"]);
  });

  it("prunes them on request but leaves alone those already in the stored object", () => {
    const patched = { metadata: { name: "p" }, spec: { containers: [{ name: "c" }], legacy: true, typo: 1 } };
    const found = unknownFields("V1Pod", patched, { prune: true, existing: new Set(["spec.legacy"]) });
    expect(found).toEqual(["spec.typo"]);
    expect(patched.spec).toEqual({ containers: [{ name: "c" }], legacy: true });
  });

  it("knows the generated model of each kind", () => {
    expect(modelOf({ group: "", kind: "Event" })).toBe("CoreV1Event");
    expect(modelOf({ group: "events.k8s.io", kind: "Event" })).toBe("EventsV1Event");
    expect(modelOf({ group: "apps", kind: "StatefulSet" })).toBe("V1StatefulSet");
    expect(unknownFields("EventsV1Event", { note: "x", regarding: { name: "a" } })).toEqual([]);
  });
});
