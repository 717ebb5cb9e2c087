import { describe, expect, it } from "vitest";
import { faultsRequestSchema, parseName, parseWith, podReadinessRequestSchema, scaleRequestSchema, statefulSetSettingsSchema } from "./validation";
import type { PlaygroundError } from "./errors";

function refusal(run: () => unknown): PlaygroundError {
  try {
    run();
  } catch (err) {
    return err as PlaygroundError;
  }
  throw new Error("expected a refusal");
}

describe("parseWith", () => {
  it("returns the parsed body when it is valid", () => {
    expect(parseWith(faultsRequestSchema, { brokenPodNetwork: true })).toEqual({ brokenPodNetwork: true });
  });

  it("names the offending field of a wrong type", () => {
    const err = refusal(() => parseWith(scaleRequestSchema(50), { replicas: 999 }));
    expect(err).toMatchObject({ status: 400, reason: "BadRequest", field: "replicas" });
    expect(err.message).toMatch(/^replicas: /);
  });

  it("names an unknown field, even an empty or dotted one, so the field is never blank", () => {
    expect(refusal(() => parseWith(faultsRequestSchema, { namespace: "x" }))).toMatchObject({ field: "namespace", message: 'namespace: unknown field "namespace"' });
    expect(refusal(() => parseWith(faultsRequestSchema, { "": 1 }))).toMatchObject({ field: '""', message: '"": unknown field ""' });
    expect(refusal(() => parseWith(faultsRequestSchema, { "a.b": 1 }))).toMatchObject({ field: '"a.b"' });
  });

  it("names the body when a rule over the whole body fails (CI's fuzzer found {} to settings without a field)", () => {
    expect(refusal(() => parseWith(statefulSetSettingsSchema(50), {}))).toMatchObject({ status: 400, field: "body", message: "exactly one of image, partition, whenScaled, readinessProbe" });
  });

  it("the readiness lesson's changes are allow-listed: one fixed probe or none, and a boolean for its file (never a command)", () => {
    expect(parseWith(statefulSetSettingsSchema(50), { readinessProbe: "file" })).toEqual({ readinessProbe: "file" });
    expect(parseWith(statefulSetSettingsSchema(50), { readinessProbe: "none" })).toEqual({ readinessProbe: "none" });
    expect(refusal(() => parseWith(statefulSetSettingsSchema(50), { readinessProbe: { exec: { command: ["sh"] } } }))).toMatchObject({ status: 400, field: "readinessProbe", message: 'readinessProbe: must be "file" or "none"' });
    expect(refusal(() => parseWith(statefulSetSettingsSchema(50), { readinessProbe: "file", partition: 1 }))).toMatchObject({ status: 400, field: "body" });
    expect(parseWith(podReadinessRequestSchema, { ready: false })).toEqual({ ready: false });
    expect(refusal(() => parseWith(podReadinessRequestSchema, { ready: "no" }))).toMatchObject({ status: 400, field: "ready" });
    expect(refusal(() => parseWith(podReadinessRequestSchema, { ready: true, command: ["rm", "-rf", "/"] }))).toMatchObject({ status: 400, field: "command" });
    expect(refusal(() => parseWith(podReadinessRequestSchema, {}))).toMatchObject({ status: 400, field: "ready" });
  });

  it("prefixes the field with the request part it came from", () => {
    expect(refusal(() => parseWith(faultsRequestSchema, { missingImages: ["UPPER"] }, "body"))).toMatchObject({ field: "body.missingImages.0" });
  });
});

describe("parseName", () => {
  it("refuses names Kubernetes would refuse, naming the field", () => {
    expect(parseName("kubia-0", "name", "label")).toBe("kubia-0");
    for (const bad of ["", "Kubia", "a/b", "..", "-a", "a".repeat(64)]) {
      expect(refusal(() => parseName(bad, "name", "label"))).toMatchObject({ status: 400, field: "name" });
    }
  });
});
