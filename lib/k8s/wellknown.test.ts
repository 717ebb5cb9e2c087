import { describe, expect, it } from "vitest";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from "./names";
import { isNodeDown, NODE_DOWN_ANNOTATION } from "./wellknown";

describe("well-known annotations and name grammar", () => {
  it("a node is down only while its annotation says \"true\"", () => {
    expect(isNodeDown({ metadata: { annotations: { [NODE_DOWN_ANNOTATION]: "true" } } })).toBe(true);
    expect(isNodeDown({ metadata: { annotations: { [NODE_DOWN_ANNOTATION]: "false" } } })).toBe(false);
    expect(isNodeDown({ metadata: {} })).toBe(false);
    expect(isNodeDown(undefined)).toBe(false);
  });
  it("DNS-1123 labels and subdomains as apimachinery defines them", () => {
    for (const ok of ["kubia", "kubia-0", "0abc"]) expect(DNS1123_LABEL.test(ok), ok).toBe(true);
    for (const bad of ["Kubia", "-kubia", "kubia-", "ku.bia", ""]) expect(DNS1123_LABEL.test(bad), bad).toBe(false);
    expect(DNS1123_SUBDOMAIN.test("data.kubia-0")).toBe(true);
    expect(DNS1123_SUBDOMAIN.test("data..kubia")).toBe(false);
  });
});
