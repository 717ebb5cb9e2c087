import { describe, expect, it } from "vitest";
import { parseRoute } from "./routes";

describe("parseRoute", () => {
  it("parses discovery and OpenAPI paths", () => {
    expect(parseRoute("/version")).toEqual({ type: "version" });
    expect(parseRoute("/api")).toEqual({ type: "legacyRoot" });
    expect(parseRoute("/api/v1")).toEqual({ type: "resourceList", group: "", version: "v1" });
    expect(parseRoute("/apis")).toEqual({ type: "groupList" });
    expect(parseRoute("/apis/apps")).toEqual({ type: "group", group: "apps" });
    expect(parseRoute("/apis/apps/v1")).toEqual({ type: "resourceList", group: "apps", version: "v1" });
    expect(parseRoute("/apis/apps/v2").type).toBe("notFound");
    expect(parseRoute("/openapi/v3/apis/apps/v1")).toEqual({ type: "openapiV3", group: "apps", version: "v1" });
    expect(parseRoute("/apis/playground.k8s.io/v1/faults")).toEqual({ type: "playground", action: "faults" });
  });

  it("parses namespaced, cluster-scoped and subresource paths", () => {
    expect(parseRoute("/api/v1/namespaces/default/pods/web-0")).toMatchObject({ type: "resource", namespace: "default", name: "web-0", rt: { resource: "pods" } });
    expect(parseRoute("/api/v1/pods")).toMatchObject({ type: "resource", namespace: undefined, rt: { resource: "pods" } });
    expect(parseRoute("/api/v1/namespaces/default")).toMatchObject({ rt: { resource: "namespaces" }, name: "default" });
    expect(parseRoute("/api/v1/namespaces/default/status")).toMatchObject({ rt: { resource: "namespaces" }, name: "default", subresource: "status" });
    expect(parseRoute("/api/v1/nodes/k8s-node1")).toMatchObject({ rt: { resource: "nodes" }, name: "k8s-node1" });
    expect(parseRoute("/apis/apps/v1/namespaces/x/statefulsets/web/scale")).toMatchObject({ rt: { resource: "statefulsets" }, namespace: "x", subresource: "scale" });
    expect(parseRoute("/api/v1/watch/namespaces/default/pods")).toMatchObject({ legacyWatch: true, namespace: "default" });
    expect(parseRoute("/api/v1/namespaces/default/nodes").type).toBe("notFound");
    expect(parseRoute("/api/v1/namespaces/default/pods/a/status/extra").type).toBe("notFound");
  });

  it("keeps the raw remainder of a proxy path", () => {
    expect(parseRoute("/api/v1/namespaces/default/pods/web-0:8080/proxy/a/b%20c")).toMatchObject({ name: "web-0:8080", subresource: "proxy", rest: "a/b%20c" });
    expect(parseRoute("/api/v1/namespaces/default/services/kubia:http/proxy")).toMatchObject({ name: "kubia:http", rest: "" });
  });
});
