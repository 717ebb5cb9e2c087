import { describe, expect, it } from "vitest";
import { definitionName, INT_OR_STRING, MICRO_TIME, QUANTITY, TIME } from "./names";
import { type Schema, SchemaSet } from "./schemas";

const noKinds = () => undefined;

function statefulSetSchemas(dialect: "v3" | "v2" = "v3", docs?: () => undefined) {
  const set = new SchemaSet(dialect, noKinds, docs);
  set.addModel("V1StatefulSet");
  return set.schemas;
}

const APPS = "io.k8s.api.apps.v1";
const CORE = "io.k8s.api.core.v1";
const properties = (schema: Schema | undefined) => (schema?.properties ?? {}) as Record<string, Schema>;
const target = (schema: Schema) => String(schema.$ref).replace("#/components/schemas/", "");

describe("definitionName", () => {
  it("maps client-node classes to the apiserver's definition names", () => {
    expect(definitionName("V1StatefulSetSpec")).toBe(`${APPS}.StatefulSetSpec`);
    expect(definitionName("V1PersistentVolumeClaim")).toBe(`${CORE}.PersistentVolumeClaim`);
    expect(definitionName("V1ObjectMeta")).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    expect(definitionName("V1Scale")).toBe("io.k8s.api.autoscaling.v1.Scale");
    expect(definitionName("V1Endpoints")).toBe(`${CORE}.Endpoints`);
    expect(definitionName("V1Endpoint")).toBe("io.k8s.api.discovery.v1.Endpoint");
    expect(definitionName("CoreV1EndpointPort")).toBe(`${CORE}.EndpointPort`);
    expect(definitionName("DiscoveryV1EndpointPort")).toBe("io.k8s.api.discovery.v1.EndpointPort");
    expect(definitionName("EventsV1Event")).toBe("io.k8s.api.events.v1.Event");
    expect(definitionName("V1LeaseSpec")).toBe("io.k8s.api.coordination.v1.LeaseSpec");
    expect(definitionName("V1StorageClass")).toBe("io.k8s.api.storage.v1.StorageClass");
    expect(definitionName("V1beta1Lease")).toBeUndefined();
  });
});

describe("SchemaSet", () => {
  const schemas = statefulSetSchemas();
  const spec = schemas[`${APPS}.StatefulSetSpec`];

  it("describes StatefulSetSpec as the apiserver does", () => {
    expect(spec).toMatchObject({ type: "object", description: "A StatefulSetSpec is the specification of a StatefulSet." });
    expect(spec.required).toEqual(["selector", "template"]);
    const { replicas, volumeClaimTemplates, selector } = properties(spec);
    expect(replicas).toMatchObject({ type: "integer", format: "int32" });
    expect(replicas.description).toContain("replicas is the desired number of replicas of the given Template");
    expect(volumeClaimTemplates).toMatchObject({ type: "array", items: { $ref: `#/components/schemas/${CORE}.PersistentVolumeClaim` } });
    expect(volumeClaimTemplates.description).toMatch(/^volumeClaimTemplates is a list of claims/);
    // A model-typed property: the $ref, with the referenced type's description beside it.
    expect(selector).toEqual({ description: expect.stringMatching(/^A label selector is a label query/), $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector" });
  });

  it("resolves persistentVolumeClaimRetentionPolicy to its whenDeleted and whenScaled strings", () => {
    const policy = schemas[target(properties(spec).persistentVolumeClaimRetentionPolicy)];
    expect(Object.keys(properties(policy))).toEqual(["whenDeleted", "whenScaled"]);
    expect(properties(policy).whenDeleted).toMatchObject({ type: "string", description: expect.stringContaining("when the StatefulSet is deleted") });
    expect(properties(policy).whenScaled).toMatchObject({ type: "string", description: expect.stringContaining("when the StatefulSet is scaled down") });
  });

  it("holds every schema its $refs name", () => {
    const refs = [...JSON.stringify(schemas).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((ref) => !schemas[ref])).toEqual([]);
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining([`${CORE}.PodSpec`, `${CORE}.Container`, `${CORE}.Probe`, TIME, INT_OR_STRING, QUANTITY]));
  });

  it("uses the apimachinery types: Time, IntOrString, Quantity, MicroTime", () => {
    const meta = properties(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
    expect(meta.creationTimestamp.$ref).toBe(`#/components/schemas/${TIME}`);
    expect(meta.creationTimestamp.description).toMatch(/^CreationTimestamp is a timestamp/);
    expect(schemas[TIME]).toMatchObject({ type: "string", format: "date-time" });
    expect(properties(schemas[`${CORE}.HTTPGetAction`]).port.$ref).toBe(`#/components/schemas/${INT_OR_STRING}`);
    expect(schemas[INT_OR_STRING]).toMatchObject({ format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] });
    const limits = properties(schemas[`${CORE}.ResourceRequirements`]).limits;
    expect(limits).toMatchObject({ type: "object", additionalProperties: { $ref: `#/components/schemas/${QUANTITY}` } });
    expect(properties(schemas[`${CORE}.EmptyDirVolumeSource`]).sizeLimit.$ref).toBe(`#/components/schemas/${QUANTITY}`);
    expect(schemas[QUANTITY]).toMatchObject({ oneOf: [{ type: "string" }, { type: "number" }] });

    const lease = new SchemaSet("v3", noKinds);
    lease.addModel("V1Lease");
    expect(properties(lease.schemas["io.k8s.api.coordination.v1.LeaseSpec"]).renewTime.$ref).toBe(`#/components/schemas/${MICRO_TIME}`);
    expect(lease.schemas[MICRO_TIME]).toMatchObject({ type: "string", format: "date-time" });
  });

  it("writes the special types as Swagger 2.0 has them for /openapi/v2", () => {
    const v2 = statefulSetSchemas("v2");
    expect(v2[INT_OR_STRING]).toMatchObject({ type: "string", format: "int-or-string" });
    expect(v2[QUANTITY]).toMatchObject({ type: "string" });
    expect(v2[QUANTITY].oneOf).toBeUndefined();
  });

  it("tags the kinds it is told about", () => {
    const set = new SchemaSet("v3", (d) => (d === `${APPS}.StatefulSet` ? [{ group: "apps", version: "v1", kind: "StatefulSet" }] : undefined));
    set.addModel("V1StatefulSet");
    expect(set.schemas[`${APPS}.StatefulSet`]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", version: "v1", kind: "StatefulSet" }]);
    expect(set.schemas[`${APPS}.StatefulSetSpec`]["x-kubernetes-group-version-kind"]).toBeUndefined();
  });

  it("still builds every schema without the declarations (no descriptions, no required)", () => {
    const bare = statefulSetSchemas("v3", () => undefined);
    expect(Object.keys(bare).sort()).toEqual(Object.keys(schemas).sort());
    expect(properties(bare[`${APPS}.StatefulSetSpec`]).replicas).toEqual({ type: "integer", format: "int32" });
    expect(bare[`${APPS}.StatefulSetSpec`].required).toBeUndefined();
  });

  it("refuses a class client-node does not have", () => {
    expect(() => new SchemaSet("v3", noKinds).addModel("V1NoSuchThing")).toThrow(/no Kubernetes model V1NoSuchThing/);
  });
});
