import { describe, expect, it } from "vitest";
import { claimTemplateNames, desiredReplicas, ordinalStart, podOrdinal, pvcOrdinal } from "./ordinals";
import { statefulSet } from "./testing/fixtures";

describe("podOrdinal", () => {
  it("parses <sts>-<ordinal>", () => {
    expect(podOrdinal("kubia-0", "kubia")).toBe(0);
    expect(podOrdinal("kubia-12", "kubia")).toBe(12);
  });
  it("rejects other sets, suffixes and non-canonical ordinals", () => {
    expect(podOrdinal("kubia-public-0", "kubia")).toBeUndefined();
    expect(podOrdinal("kubia-1-2", "kubia")).toBeUndefined();
    expect(podOrdinal("kubia-1-2", "kubia-1")).toBe(2);
    expect(podOrdinal("kubia-01", "kubia")).toBeUndefined();
    expect(podOrdinal("kubia-", "kubia")).toBeUndefined();
    expect(podOrdinal("kubia-x", "kubia")).toBeUndefined();
    expect(podOrdinal("kubia", "kubia")).toBeUndefined();
    expect(podOrdinal("web-0", "kubia")).toBeUndefined();
  });
});

describe("pvcOrdinal", () => {
  it("parses <template>-<sts>-<ordinal>", () => {
    expect(pvcOrdinal("data-kubia-1", "data", "kubia")).toBe(1);
    expect(pvcOrdinal("www-web-10", "www", "web")).toBe(10);
  });
  it("rejects claims of another template or set", () => {
    expect(pvcOrdinal("data-kubia-1", "logs", "kubia")).toBeUndefined();
    expect(pvcOrdinal("data-kubia-public-1", "data", "kubia")).toBeUndefined();
    expect(pvcOrdinal("data-kubia-1", "data", "kubia-1")).toBeUndefined();
  });
});

describe("StatefulSet spec helpers", () => {
  it("reads spec.ordinals.start, default 0", () => {
    expect(ordinalStart(statefulSet(2))).toBe(0);
    expect(ordinalStart(statefulSet(2, { start: 5 }))).toBe(5);
  });
  it("defaults replicas to 1 like the API server", () => {
    const sts = statefulSet(3);
    expect(desiredReplicas(sts)).toBe(3);
    delete sts.spec!.replicas;
    expect(desiredReplicas(sts)).toBe(1);
  });
  it("lists template names in order", () => {
    expect(claimTemplateNames(statefulSet(1, { templates: ["data", "logs"] }))).toEqual(["data", "logs"]);
  });
});
