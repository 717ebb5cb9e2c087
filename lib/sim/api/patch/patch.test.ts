import { describe, expect, it } from "vitest";
import { StatusError } from "../../store/errors";
import { jsonPatch } from "./json-patch";
import { mergePatch } from "./merge";
import { strategicMergePatch } from "./strategic";

const sts = () => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "web", labels: { app: "web" }, finalizers: ["a"] },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: "app",
            image: "kubia:1",
            ports: [{ containerPort: 8080, name: "http" }],
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
            volumeMounts: [{ name: "data", mountPath: "/var/data" }],
          },
          { name: "side", image: "busybox" },
        ],
        volumes: [{ name: "cfg", configMap: { name: "x" } }],
      },
    },
  },
});

describe("JSON merge patch (RFC 7386)", () => {
  it("merges objects, deletes with null, replaces lists", () => {
    const out = mergePatch(sts(), { metadata: { labels: { tier: "db", app: null } }, spec: { template: { spec: { containers: [{ name: "only" }] } } } }) as ReturnType<typeof sts>;
    expect(out.metadata.labels).toEqual({ tier: "db" });
    expect(out.spec.template.spec.containers).toEqual([{ name: "only" }]);
    expect(out.spec.replicas).toBe(2);
  });
});

describe("JSON patch (RFC 6902)", () => {
  it("applies add, remove, replace, move, copy and test", () => {
    const out = jsonPatch({ a: { b: 1 }, list: [1, 2] }, [
      { op: "add", path: "/list/-", value: 3 },
      { op: "add", path: "/list/0", value: 0 },
      { op: "replace", path: "/a/b", value: 2 },
      { op: "copy", from: "/a", path: "/c" },
      { op: "move", from: "/c/b", path: "/d" },
      { op: "remove", path: "/list/1" },
      { op: "test", path: "/d", value: 2 },
      { op: "add", path: "/e~1f", value: true },
    ]);
    expect(out).toEqual({ a: { b: 2 }, list: [0, 2, 3], c: {}, d: 2, "e/f": true });
  });

  it("fails with a 422 when a path is missing or a test fails, and 400 on a non-array", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as StatusError).code;
      }
      return 0;
    };
    expect(code(() => jsonPatch({}, [{ op: "replace", path: "/x", value: 1 }]))).toBe(422);
    expect(code(() => jsonPatch({ x: 1 }, [{ op: "test", path: "/x", value: 2 }]))).toBe(422);
    expect(code(() => jsonPatch({}, { op: "add" }))).toBe(400);
  });
});

describe("strategic merge patch", () => {
  it("merges containers by name and their env, ports and volumeMounts by key", () => {
    const out = strategicMergePatch(sts(), {
      spec: { template: { spec: { containers: [{ name: "app", image: "kubia:2", env: [{ name: "B", value: "3" }, { name: "C", value: "4" }], ports: [{ containerPort: 9090 }] }] } } },
    }) as ReturnType<typeof sts>;
    const [app, side] = out.spec.template.spec.containers;
    expect(app.image).toBe("kubia:2");
    expect(app.env).toEqual([{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }]);
    // Upstream order (strategicpatch normalizeElementOrder): an item new to the live list comes first.
    expect(app.ports).toEqual([{ containerPort: 9090 }, { containerPort: 8080, name: "http" }]);
    expect(app.volumeMounts).toHaveLength(1);
    expect(side.name).toBe("side");
  });

  // Expected orders printed by k8s.io/apimachinery v0.36.3 strategicpatch.StrategicMergePatch on the same inputs.
  it("orders merged lists as upstream: new items first, then the live order where the patch allows", () => {
    const names = (patch: object) => (strategicMergePatch(sts(), patch) as ReturnType<typeof sts>).spec.template.spec.containers.map((c) => c.name);
    expect(names({ spec: { template: { spec: { containers: [{ name: "new" }] } } } })).toEqual(["new", "app", "side"]);
    expect(names({ spec: { template: { spec: { containers: [{ name: "side", image: "x" }, { name: "new" }] } } } })).toEqual(["app", "side", "new"]);
    expect(names({ spec: { template: { spec: { containers: [{ name: "side" }, { name: "app" }] } } } })).toEqual(["side", "app"]);
    const finalizers = (strategicMergePatch(sts(), { metadata: { finalizers: ["b"] } }) as ReturnType<typeof sts>).metadata.finalizers;
    expect(finalizers).toEqual(["b", "a"]);
  });

  it("honours $patch: delete, $patch: replace and null", () => {
    const out = strategicMergePatch(sts(), {
      metadata: { labels: null },
      spec: { template: { spec: { containers: [{ name: "side", $patch: "delete" }], volumes: [{ $patch: "replace" }, { name: "new", emptyDir: {} }] } } },
    }) as ReturnType<typeof sts>;
    expect(out.metadata.labels).toBeUndefined();
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["app"]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: "new", emptyDir: {} }]);
  });

  it("applies $setElementOrder, $retainKeys and $deleteFromPrimitiveList", () => {
    const out = strategicMergePatch(sts(), {
      metadata: { finalizers: ["b"], "$deleteFromPrimitiveList/finalizers": ["a"] },
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "side" }, { name: "app" }],
            volumes: [{ name: "cfg", $retainKeys: ["name", "emptyDir"], emptyDir: {} }],
          },
        },
      },
    }) as ReturnType<typeof sts>;
    expect(out.metadata.finalizers).toEqual(["b"]);
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["side", "app"]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: "cfg", emptyDir: {} }]);
  });

  it("merges finalizers as a set and Service ports by port, replaces atomic lists", () => {
    const merged = strategicMergePatch(sts(), { metadata: { finalizers: ["a", "b"] } }) as ReturnType<typeof sts>;
    expect(merged.metadata.finalizers).toEqual(["a", "b"]);
    const svc = { kind: "Service", spec: { ports: [{ port: 80, name: "http" }, { port: 443, name: "https" }], externalIPs: ["1.1.1.1"] } };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 8080 }], externalIPs: ["2.2.2.2"] } }) as typeof svc;
    expect(out.spec.ports).toEqual([{ port: 80, name: "http", targetPort: 8080 }, { port: 443, name: "https" }]);
    expect(out.spec.externalIPs).toEqual(["2.2.2.2"]);
  });

  it("is what kubectl apply sends: a three-way patch with the last-applied annotation", () => {
    const patch = {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
      spec: { replicas: 3, template: { spec: { "$setElementOrder/containers": [{ name: "app" }, { name: "side" }], containers: [{ name: "app", env: [{ name: "A", $patch: "delete" }] }] } } },
    };
    const out = strategicMergePatch(sts(), patch) as ReturnType<typeof sts>;
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers[0].env).toEqual([{ name: "B", value: "2" }]);
    expect(out.metadata).toMatchObject({ name: "web", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } });
  });

  it("refuses a merge-keyed element without its key", () => {
    expect(() => strategicMergePatch(sts(), { spec: { template: { spec: { containers: [{ image: "x" }] } } } })).toThrow(/does not contain declared merge key: name/);
  });
});
