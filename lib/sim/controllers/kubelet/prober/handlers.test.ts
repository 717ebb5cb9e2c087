import { describe, expect, it } from "vitest";
import { expandStatic, resolveContainerPort } from "./handlers";

describe("probe handler helpers", () => {
  const container = { name: "kubia", ports: [{ name: "http", containerPort: 8080 }] };

  it("resolves a port as probe.ResolveContainerPort does: number, name, number in a string", () => {
    expect(resolveContainerPort(8080, container)).toBe(8080);
    expect(resolveContainerPort("http", container)).toBe(8080);
    expect(resolveContainerPort("9090", container)).toBe(9090);
    expect(resolveContainerPort("metrics", container)).toEqual({ error: 'strconv.Atoi: parsing "metrics": invalid syntax' });
    expect(resolveContainerPort(0, container)).toEqual({ error: "invalid port number: 0" });
  });

  it("expands $(VAR) from the container's literal env only, $$ to $", () => {
    const env = [{ name: "FILE", value: "/tmp/ready" }, { name: "FROM_FIELD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
    expect(expandStatic(["test", "-f", "$(FILE)", "$(FROM_FIELD)", "$$(FILE)", "$(NOPE)"], env)).toEqual(["test", "-f", "/tmp/ready", "$(FROM_FIELD)", "$(FILE)", "$(NOPE)"]);
  });
});
