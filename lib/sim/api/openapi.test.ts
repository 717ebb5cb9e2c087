import { describe, expect, it } from "vitest";
import { RESOURCES } from "../store/resources";
import { documentHash, openApiV2Document, openApiV3Document, openApiV3Root } from "./openapi";

type Doc = Record<string, unknown> & { components?: { schemas: Record<string, Record<string, unknown>> }; definitions?: Record<string, Record<string, unknown>> };

const groupVersions = [...new Map(RESOURCES.map((r) => [`${r.group}/${r.version}`, [r.group, r.version] as const])).values()];
const v3 = (group: string, version: string) => openApiV3Document(group, version) as Doc;

/** The definition names a document's $refs point at. */
function refs(doc: unknown, prefix: string): string[] {
  const escaped = prefix.replaceAll("/", "\\/");
  return [...JSON.stringify(doc).matchAll(new RegExp(`"\\$ref":"${escaped}([^"]+)"`, "g"))].map((m) => m[1]);
}

describe("OpenAPI documents", () => {
  it.each(groupVersions)("v3 %s/%s: every $ref resolves to a schema of the same document", (group, version) => {
    const doc = v3(group, version);
    const schemas = doc.components!.schemas;
    expect(refs(doc, "#/components/schemas/").filter((name) => !schemas[name])).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain("#/definitions/");
    for (const rt of RESOURCES.filter((r) => r.group === group && r.version === version)) {
      const tagged = Object.values(schemas).filter((s) => JSON.stringify(s["x-kubernetes-group-version-kind"]) === JSON.stringify([{ group, version, kind: rt.kind }]));
      expect(tagged, rt.kind).toHaveLength(1);
    }
  });

  it("v2: every $ref resolves to a definition", () => {
    const doc = openApiV2Document() as Doc;
    expect(refs(doc, "#/definitions/").filter((name) => !doc.definitions![name])).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain("#/components/");
    expect(doc.definitions!["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]).toMatchObject({ type: "string", format: "int-or-string" });
    expect(doc.definitions!["io.k8s.api.apps.v1.StatefulSetSpec"]).toMatchObject({ required: ["selector", "template"] });
  });

  it("keeps the core and events.k8s.io Events apart, and the opaque fields as the apiserver names them", () => {
    const core = v3("", "v1").components!.schemas;
    expect(core["io.k8s.api.core.v1.Event"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "", version: "v1", kind: "Event" }]);
    const events = v3("events.k8s.io", "v1").components!.schemas;
    expect(events["io.k8s.api.events.v1.Event"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "events.k8s.io", version: "v1", kind: "Event" }]);
    expect(events["io.k8s.api.events.v1.Event"].required).toEqual(["eventTime"]);
    const apps = v3("apps", "v1").components!.schemas;
    const data = (apps["io.k8s.api.apps.v1.ControllerRevision"].properties as Record<string, { $ref: string }>).data;
    expect(data.$ref).toBe("#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension");
    const fields = (apps["io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"].properties as Record<string, { $ref: string }>).fieldsV1;
    expect(fields.$ref).toBe("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1");
    expect(apps["io.k8s.api.autoscaling.v1.Scale"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "autoscaling", version: "v1", kind: "Scale" }]);
    expect(apps["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]).toMatchObject({ type: "object" });
  });

  it("builds each document once", () => {
    expect(openApiV3Document("apps", "v1")).toBe(openApiV3Document("apps", "v1"));
    expect(openApiV2Document()).toBe(openApiV2Document());
    expect(openApiV3Document("nope.example.com", "v1")).toBeUndefined();
  });

  it("lists every group version in the v3 root under its document's hash", () => {
    const root = openApiV3Root() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(root.paths)).toHaveLength(groupVersions.length);
    expect(root.paths["apis/apps/v1"].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${documentHash("apps", "v1")}`);
    expect(documentHash("apps", "v1")).not.toBe(documentHash("", "v1"));
  });
});
