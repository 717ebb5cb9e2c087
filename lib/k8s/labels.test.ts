import { describe, expect, it } from "vitest";
import { matchesSelector, serviceSelects } from "./labels";
import { clusterIpService } from "./testing/fixtures";

describe("matchesSelector", () => {
  const labels = { app: "kubia", tier: "web" };
  it("matchLabels and matchExpressions must all hold", () => {
    expect(matchesSelector(labels, { matchLabels: { app: "kubia" } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: "web" } })).toBe(false);
    expect(matchesSelector(labels, { matchExpressions: [{ key: "tier", operator: "In", values: ["web", "db"] }] })).toBe(true);
    expect(matchesSelector(labels, { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] })).toBe(false);
    expect(matchesSelector(labels, { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] })).toBe(true);
    expect(matchesSelector(labels, { matchExpressions: [{ key: "zone", operator: "Exists" }] })).toBe(false);
    expect(matchesSelector(labels, { matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: "kubia" }, matchExpressions: [{ key: "tier", operator: "Exists" }] })).toBe(true);
  });
  it("an empty selector matches everything, a missing one nothing", () => {
    expect(matchesSelector(labels, {})).toBe(true);
    expect(matchesSelector(labels, undefined)).toBe(false);
  });
});

describe("serviceSelects", () => {
  it("matches a service selector against pod labels; no selector selects nothing", () => {
    expect(serviceSelects(clusterIpService("kubia-public", "10.96.0.1"), { app: "kubia", extra: "x" })).toBe(true);
    expect(serviceSelects(clusterIpService("web", "10.96.0.2", { app: "web" }), { app: "kubia" })).toBe(false);
    expect(serviceSelects(clusterIpService("manual", "10.96.0.3", {}), { app: "kubia" })).toBe(false);
  });
});
