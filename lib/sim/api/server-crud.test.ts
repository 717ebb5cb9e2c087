import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startTestApi, statefulSet } from "./testing/kit";

let t: Awaited<ReturnType<typeof startTestApi>>;
beforeEach(async () => {
  t = await startTestApi();
});
afterEach(async () => {
  await t.api.stop();
});

const PODS = "/api/v1/namespaces/default/pods";
const STS = "/apis/apps/v1/namespaces/default/statefulsets";

describe("discovery", () => {
  it("serves /version, /api, /apis and resource lists with subresources", async () => {
    expect((await t.call("GET", "/version")).body.gitVersion).toBe("v1.36.3");
    expect((await t.call("GET", "/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const groups = (await t.call("GET", "/apis")).body.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(["apps", "discovery.k8s.io", "storage.k8s.io", "events.k8s.io", "coordination.k8s.io", "playground.k8s.io"]));
    const core = (await t.call("GET", "/api/v1")).body;
    const pods = core.resources.find((r: { name: string }) => r.name === "pods");
    expect(pods).toMatchObject({ namespaced: true, kind: "Pod", shortNames: ["po"], categories: ["all"] });
    expect(core.resources.find((r: { name: string }) => r.name === "pods/log")).toMatchObject({ kind: "Pod", verbs: ["get"] });
    const apps = (await t.call("GET", "/apis/apps/v1")).body;
    expect(apps.resources.find((r: { name: string }) => r.name === "statefulsets/scale")).toMatchObject({ group: "autoscaling", version: "v1", kind: "Scale" });
  });

  it("answers aggregated discovery only to clients asking for it", async () => {
    const accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    const res = await t.call("GET", "/apis", { headers: { accept } });
    expect(res.headers.get("content-type")).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const apps = res.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === "apps");
    const sts = apps.versions[0].resources.find((r: { resource: string }) => r.resource === "statefulsets");
    expect(sts).toMatchObject({ scope: "Namespaced", singularResource: "statefulset", shortNames: ["sts"] });
    expect(sts.subresources.map((s: { subresource: string }) => s.subresource)).toEqual(["status", "scale"]);
    expect((await t.call("GET", "/apis")).body.kind).toBe("APIGroupList");
  });

  it("advertises fieldValidation on PATCH in OpenAPI v3 so kubectl validates server-side", async () => {
    const root = (await t.call("GET", "/openapi/v3")).body;
    const url = root.paths["apis/apps/v1"].serverRelativeURL as string;
    const doc = (await t.call("GET", url)).body;
    const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", version: "v1", kind: "StatefulSet" });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain("fieldValidation");
    expect(Object.keys(patch.requestBody.content)).not.toContain("application/strategic-merge-patch+json");
  });

  it("serves the kinds' schemas, as kubectl explain reads them, under a hash of the document", async () => {
    const root = (await t.call("GET", "/openapi/v3")).body;
    const url = root.paths["apis/apps/v1"].serverRelativeURL as string;
    const res = await t.call("GET", url);
    const body = JSON.stringify(res.body);
    // The hash is of the document itself: it changes whenever the schemas do, so clients refetch.
    expect(url.split("hash=")[1]).toBe(createHash("sha512").update(body).digest("hex").toUpperCase());
    const schemas = res.body.components.schemas;
    expect(schemas["io.k8s.api.apps.v1.StatefulSet"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", version: "v1", kind: "StatefulSet" }]);
    expect(schemas["io.k8s.api.apps.v1.StatefulSet"].properties.spec.$ref).toBe("#/components/schemas/io.k8s.api.apps.v1.StatefulSetSpec");
    expect(schemas["io.k8s.api.apps.v1.StatefulSetSpec"].properties.replicas).toMatchObject({ type: "integer", format: "int32" });
    const v2 = (await t.call("GET", "/openapi/v2", { headers: { accept: "application/json" } })).body;
    expect(v2.definitions["io.k8s.api.apps.v1.StatefulSetSpec"].properties.selector.$ref).toBe("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector");
  });

  it("serves /openapi/v2 as JSON, and as a minimal gnostic protobuf Document to client-go", async () => {
    expect((await t.call("GET", "/openapi/v2", { headers: { accept: "application/json" } })).body.swagger).toBe("2.0");
    const res = await fetch(`${t.api.url}/openapi/v2`, { headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } });
    // As kube-openapi answers: the dotted media type (Go's mime parser refuses "@"), the asked one echoed.
    expect(res.headers.get("content-type")).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    expect(res.headers.get("x-varied-accept")).toBe("application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
    // field 1 (swagger), wire type 2, length 3, "2.0": checked to decode with gnostic's openapi_v2.Document.
    expect([...Buffer.from(await res.arrayBuffer())]).toEqual([0x0a, 0x03, 0x32, 0x2e, 0x30]);
  });
});

describe("create, get, list", () => {
  it("creates with defaults, 201, then gets and lists without kind on items", async () => {
    const created = await t.call("POST", PODS, { body: pod("a") });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: "a", namespace: "default", resourceVersion: expect.any(String), uid: expect.any(String) });
    expect(created.body.status.phase).toBe("Pending");
    expect((await t.call("GET", `${PODS}/a`)).body.spec.restartPolicy).toBe("Always");
    const list = (await t.call("GET", PODS)).body;
    expect(list).toMatchObject({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: expect.any(String) } });
    expect(list.items).toHaveLength(1);
    expect(list.items[0].kind).toBeUndefined();
  });

  it("generates names, refuses duplicates and unknown namespaces", async () => {
    const generated = await t.call("POST", PODS, { body: { ...pod(""), metadata: { generateName: "web-" } } });
    expect(generated.body.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    await t.call("POST", PODS, { body: pod("a") });
    const dup = await t.call("POST", PODS, { body: pod("a") });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ kind: "Status", status: "Failure", reason: "AlreadyExists", message: 'pods "a" already exists', code: 409 });
    const noNs = await t.call("POST", "/api/v1/namespaces/nope/pods", { body: pod("a") });
    expect(noNs.status).toBe(404);
    expect(noNs.body.message).toBe('namespaces "nope" not found');
  });

  it("returns Status errors: 404, 400 bad JSON, 422 Invalid with causes, 405, 413", async () => {
    expect((await t.call("GET", `${PODS}/missing`)).body).toMatchObject({ code: 404, reason: "NotFound", message: 'pods "missing" not found' });
    expect((await t.call("POST", PODS, { body: "{nope" })).body).toMatchObject({ code: 400, reason: "BadRequest" });
    const invalid = await t.call("POST", STS, { body: { ...statefulSet("web"), spec: { ...(statefulSet("web").spec as object), replicas: -1 } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.causes[0]).toMatchObject({ field: "spec.replicas", reason: "FieldValueInvalid" });
    expect((await t.call("POST", `${PODS}/a`, { body: pod("a") })).body).toMatchObject({ code: 405, reason: "MethodNotAllowed" });
    const big = await t.call("POST", PODS, { body: JSON.stringify({ ...pod("big"), pad: "x".repeat(3 * 1024 * 1024 + 10) }) });
    expect(big.status).toBe(413);
    expect((await t.call("GET", "/api/v1/nosuchthing")).status).toBe(404);
  });

  it("filters by label and field selectors and pages with limit/continue", async () => {
    for (const name of ["a", "b", "c"]) await t.call("POST", PODS, { body: pod(name, { metadata: { name, labels: { app: name === "c" ? "other" : "web" } } }) });
    const byLabel = (await t.call("GET", `${PODS}?labelSelector=${encodeURIComponent("app=web")}`)).body.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(byLabel).toEqual(["a", "b"]);
    const byField = (await t.call("GET", `${PODS}?fieldSelector=metadata.name%3Db`)).body.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(byField).toEqual(["b"]);
    const first = (await t.call("GET", `${PODS}?limit=2`)).body;
    expect(first.items).toHaveLength(2);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (await t.call("GET", `${PODS}?limit=2&continue=${first.metadata.continue}`)).body;
    expect(second.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(["c"]);
    expect(second.metadata.continue).toBeUndefined();
    expect((await t.call("GET", `${PODS}?labelSelector=${encodeURIComponent("a in (b")}`)).status).toBe(400);
  });

  it("lists across namespaces on the cluster-wide path", async () => {
    await t.call("POST", PODS, { body: pod("a") });
    await t.call("POST", "/api/v1/namespaces/kube-system/pods", { body: pod("b") });
    expect((await t.call("GET", "/api/v1/pods")).body.items).toHaveLength(2);
    expect((await t.call("POST", "/api/v1/pods", { body: pod("x") })).status).toBe(405);
  });

  it("does a dry run without storing", async () => {
    const res = await t.call("POST", `${PODS}?dryRun=All`, { body: pod("dry") });
    expect(res.status).toBe(201);
    expect(res.body.metadata.uid).toBeTruthy();
    expect((await t.call("GET", `${PODS}/dry`)).status).toBe(404);
  });
});

describe("update and patch", () => {
  it("updates with optimistic concurrency (409 on a stale resourceVersion)", async () => {
    const created = (await t.call("POST", STS, { body: statefulSet("web") })).body;
    const next = { ...created, spec: { ...created.spec, replicas: 3 } };
    const ok = await t.call("PUT", `${STS}/web`, { body: next });
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.generation).toBe(2);
    const stale = await t.call("PUT", `${STS}/web`, { body: next });
    expect(stale.body).toMatchObject({ code: 409, reason: "Conflict" });
    expect((await t.call("PUT", `${STS}/other`, { body: next })).body.code).toBe(400);
  });

  it("re-defaults a PUT body so leaving out defaulted fields is not an immutable-field change", async () => {
    await t.call("POST", STS, { body: statefulSet("web") });
    const res = await t.call("PUT", `${STS}/web`, { body: statefulSet("web", 4) });
    expect(res.status).toBe(200);
    expect(res.body.spec).toMatchObject({ replicas: 4, podManagementPolicy: "OrderedReady" });
  });

  it("patches with merge, JSON and strategic merge patches", async () => {
    await t.call("POST", STS, { body: statefulSet("web") });
    const merge = await t.call("PATCH", `${STS}/web`, { body: { metadata: { labels: { tier: "db" } } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(merge.body.metadata.labels).toEqual({ tier: "db" });
    const json = await t.call("PATCH", `${STS}/web`, { body: [{ op: "replace", path: "/spec/replicas", value: 5 }], headers: { "content-type": "application/json-patch+json" } });
    expect(json.body.spec.replicas).toBe(5);
    const smp = await t.call("PATCH", `${STS}/web`, {
      body: { spec: { template: { spec: { containers: [{ name: "sidecar", image: "busybox" }] } } } },
      headers: { "content-type": "application/strategic-merge-patch+json" },
    });
    // Upstream puts a container the patch adds before the live ones (strategicpatch normalizeElementOrder).
    expect(smp.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(["sidecar", "c"]);
    const unsupported = await t.call("PATCH", `${STS}/web`, { body: {}, headers: { "content-type": "text/plain" } });
    expect(unsupported.body).toMatchObject({ code: 415, reason: "UnsupportedMediaType" });
    const failing = await t.call("PATCH", `${STS}/web`, { body: [{ op: "test", path: "/spec/replicas", value: 1 }], headers: { "content-type": "application/json-patch+json" } });
    expect(failing.status).toBe(422);
  });

  it("touches only status through /status, and never status through the main resource", async () => {
    const created = (await t.call("POST", STS, { body: statefulSet("web") })).body;
    const viaMain = await t.call("PATCH", `${STS}/web`, { body: { status: { replicas: 9 }, spec: { replicas: 3 } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(viaMain.body.status?.replicas).not.toBe(9);
    expect(viaMain.body.spec.replicas).toBe(3);
    const viaStatus = await t.call("PATCH", `${STS}/web/status`, { body: { status: { replicas: 2 }, spec: { replicas: 7 } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(viaStatus.body.status.replicas).toBe(2);
    expect(viaStatus.body.spec.replicas).toBe(3);
    expect(created.metadata.uid).toBe(viaStatus.body.metadata.uid);
  });
});

describe("delete", () => {
  it("answers a removed pod with the object and a removed StatefulSet with a Success Status", async () => {
    await t.call("POST", PODS, { body: pod("a") });
    const deleted = await t.call("DELETE", `${PODS}/a`);
    expect(deleted.body).toMatchObject({ kind: "Pod", metadata: { name: "a" } });
    await t.call("POST", STS, { body: statefulSet("web") });
    const status = await t.call("DELETE", `${STS}/web`, { body: { propagationPolicy: "Background" } });
    expect(status.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "web", group: "apps", kind: "statefulsets" } });
  });

  it("keeps a scheduled pod Terminating on a graceful delete, removes it with grace 0", async () => {
    await t.call("POST", PODS, { body: pod("a", { spec: { nodeName: "k8s-node1", containers: [{ name: "c", image: "x:1" }] } }) });
    const graceful = await t.call("DELETE", `${PODS}/a`);
    expect(graceful.status).toBe(200);
    expect(graceful.body.metadata.deletionTimestamp).toBeTruthy();
    expect(graceful.body.metadata.deletionGracePeriodSeconds).toBe(30);
    const force = await t.call("DELETE", `${PODS}/a`, { body: { gracePeriodSeconds: 0, propagationPolicy: "Background" } });
    expect(force.status).toBe(200);
    expect((await t.call("GET", `${PODS}/a`)).status).toBe(404);
  });

  it("honours preconditions and finalizers, refuses bad policies and protected namespaces", async () => {
    const created = (await t.call("POST", STS, { body: { ...statefulSet("web"), metadata: { name: "web", finalizers: ["example.com/keep"] } } })).body;
    const wrongUid = await t.call("DELETE", `${STS}/web`, { body: { preconditions: { uid: "nope" } } });
    expect(wrongUid.body.reason).toBe("Conflict");
    const kept = await t.call("DELETE", `${STS}/web`, { body: { preconditions: { uid: created.metadata.uid } } });
    expect(kept.body.metadata.deletionTimestamp).toBeTruthy();
    expect((await t.call("DELETE", `${STS}/web`, { body: { propagationPolicy: "Sideways" } })).status).toBe(422);
    expect((await t.call("DELETE", "/api/v1/namespaces/default")).status).toBe(403);
  });

  it("deletes a collection by label selector", async () => {
    for (const name of ["a", "b"]) await t.call("POST", PODS, { body: pod(name) });
    await t.call("POST", PODS, { body: pod("c", { metadata: { name: "c", labels: { app: "other" } } }) });
    const res = await t.call("DELETE", `${PODS}?labelSelector=app%3Dweb`);
    expect(res.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(["a", "b"]);
    expect((await t.call("GET", PODS)).body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(["c"]);
  });
});

describe("events.k8s.io", () => {
  it("serves core events converted, from the same storage", async () => {
    await t.call("POST", "/api/v1/namespaces/default/events", {
      body: { metadata: { name: "e1" }, involvedObject: { kind: "Pod", name: "a", namespace: "default" }, reason: "Started", message: "Started container c", type: "Normal", count: 2, source: { component: "kubelet" } },
    });
    const list = (await t.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events")).body;
    expect(list.kind).toBe("EventList");
    expect(list.items[0]).toMatchObject({ regarding: { kind: "Pod", name: "a" }, note: "Started container c", deprecatedCount: 2, deprecatedSource: { component: "kubelet" } });
    const byRegarding = (await t.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Db")).body;
    expect(byRegarding.items).toHaveLength(0);
    const created = await t.call("POST", "/apis/events.k8s.io/v1/namespaces/default/events", { body: { metadata: { name: "e2" }, regarding: { kind: "Pod", name: "b" }, note: "hi", reason: "X", type: "Normal", eventTime: "2026-01-01T00:00:00.000000Z", reportingController: "me", reportingInstance: "me-1", action: "Do" } });
    expect(created.status).toBe(201);
    const core = (await t.call("GET", "/api/v1/namespaces/default/events/e2")).body;
    expect(core).toMatchObject({ kind: "Event", apiVersion: "v1", involvedObject: { name: "b" }, message: "hi", reportingComponent: "me" });
  });
});

describe("field validation", () => {
  it("refuses unknown fields with fieldValidation=Strict, warns by default, ignores on request", async () => {
    const typo = { ...statefulSet("web"), spec: { ...(statefulSet("web").spec as object), replica: 3 } };
    const strict = await t.call("POST", `${STS}?fieldValidation=Strict`, { body: typo });
    expect(strict.body).toMatchObject({ code: 400, reason: "BadRequest", message: 'StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error: unknown field "spec.replica"' });
    const nested = { ...pod("a"), spec: { containers: [{ name: "c", image: "x", imagee: "y" }] } };
    expect((await t.call("POST", `${PODS}?fieldValidation=Strict`, { body: nested })).body.message).toContain('unknown field "spec.containers[0].imagee"');
    const warned = await t.call("POST", STS, { body: typo });
    expect(warned.status).toBe(201);
    expect(warned.headers.get("warning")).toBe('299 - "unknown field \\"spec.replica\\""');
    const ignored = await t.call("PATCH", `${STS}/web?fieldValidation=Ignore`, { body: { spec: { bogus: 1 } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(ignored.status).toBe(200);
    expect(ignored.headers.get("warning")).toBeNull();
  });
});
