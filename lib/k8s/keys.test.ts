import { describe, expect, it } from "vitest";
import { namespacedKey, objectKey, splitKey } from "./keys";

describe("object keys (cache.MetaNamespaceKeyFunc)", () => {
  it("namespace/name for namespaced objects, name alone for cluster-scoped ones", () => {
    expect(objectKey({ metadata: { namespace: "default", name: "kubia-0" } })).toBe("default/kubia-0");
    expect(objectKey({ metadata: { name: "k8s-node1" } })).toBe("k8s-node1");
    expect(namespacedKey(undefined, "pv-1")).toBe("pv-1");
  });
  it("splits back what it joined", () => {
    expect(splitKey("default/kubia-0")).toEqual({ namespace: "default", name: "kubia-0" });
    expect(splitKey("k8s-node1")).toEqual({ name: "k8s-node1" });
  });
});
