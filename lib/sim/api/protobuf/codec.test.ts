import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject, encodeWatchEvent, decodeWatchFrames, messageTypeFor } from "./codec";
import { fromMessage, root, toMessage } from "./mapping";
import { formatGoDuration, parseGoDuration } from "./wellknown";

const roundTrip = (obj: Record<string, unknown>) => decodeObject(encodeObject(obj));

describe("kinds and messages", () => {
  it("finds the message of every served kind, and meta/v1's for the kinds every group version has", () => {
    expect(messageTypeFor("apps/v1", "StatefulSet")?.fullName).toBe(".k8s.io.api.apps.v1.StatefulSet");
    expect(messageTypeFor("discovery.k8s.io/v1", "EndpointSlice")?.fullName).toBe(".k8s.io.api.discovery.v1.EndpointSlice");
    expect(messageTypeFor("v1", "Status")?.fullName).toBe(".k8s.io.apimachinery.pkg.apis.meta.v1.Status");
    expect(messageTypeFor("apps/v1", "DeleteOptions")?.fullName).toBe(".k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
    expect(messageTypeFor("meta.k8s.io/v1", "Table")).toBeUndefined(); // Table has no protobuf: JSON only
    expect(() => encodeObject({ apiVersion: "meta.k8s.io/v1", kind: "Table" })).toThrow(/does not implement the protobuf marshalling interface/);
  });
});

describe("the JSON ↔ protobuf mapping of the Go types", () => {
  it("inlines an embedded struct whose tag names no field (EphemeralContainer's EphemeralContainerCommon)", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "kubia", image: "x" }], ephemeralContainers: [{ name: "debugger-x", image: "busybox", stdin: true, targetContainerName: "kubia" }] } };
    const back = decodeObject(encodeObject(pod)) as { spec: { ephemeralContainers: Record<string, unknown>[] } };
    expect(back.spec.ephemeralContainers).toEqual([{ name: "debugger-x", image: "busybox", resources: {}, stdin: true, targetContainerName: "kubia" }]);
  });

  it("writes the envelope: k8s\\0, then runtime.Unknown {typeMeta, raw, contentEncoding, contentType}", () => {
    const bytes = encodeObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } });
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("k8s\0");
    const unknown = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown").decode(bytes.subarray(4)) as unknown as Record<string, unknown>;
    expect(unknown.typeMeta).toMatchObject({ apiVersion: "v1", kind: "Namespace" });
    expect(unknown.contentEncoding).toBe("");
    expect(unknown.contentType).toBe("");
  });

  it("maps Time, MicroTime, IntOrString, Quantity, bytes and RawExtension to their JSON forms", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s", creationTimestamp: "2026-12-06T17:18:01Z" }, spec: { ports: [{ port: 80, targetPort: "http" }, { port: 81, targetPort: 8081 }] }, status: { loadBalancer: {} } };
    expect(roundTrip(svc)).toMatchObject({ spec: { ports: [{ port: 80, targetPort: "http" }, { port: 81, targetPort: 8081 }] } });
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, binaryData: { b: "AAH/" }, data: { x: "" } };
    expect(roundTrip(cm)).toEqual(cm);
    const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "p" }, spec: { resources: { requests: { storage: "1Mi" } } } };
    expect((roundTrip(pvc) as { spec: { resources: unknown } }).spec.resources).toEqual({ requests: { storage: "1Mi" } });
    const ev = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e" }, eventTime: "2026-12-06T17:18:01.123456Z", reason: "R" };
    expect(roundTrip(ev)).toMatchObject({ eventTime: "2026-12-06T17:18:01.123456Z" });
    const rev = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "r" }, data: { spec: { template: { a: [1, "x"] } } }, revision: 3 };
    expect(roundTrip(rev)).toEqual(rev);
  });

  it("reads a missing field as Go's zero value, dropped by omitempty/omitzero, kept otherwise", () => {
    const type = root.lookupType("k8s.io.api.core.v1.ContainerPort");
    // containerPort is `json:"containerPort"` (no omitempty): Go writes 0; name/protocol are omitempty.
    expect(fromMessage(type, {})).toEqual({ containerPort: 0 });
    const status = root.lookupType("k8s.io.api.core.v1.ContainerStatus");
    const json = fromMessage(status, {});
    // A non-pointer struct is always written; a nil pointer with omitempty is not; a non-omitempty pointer is null.
    expect(json).toMatchObject({ name: "", ready: false, restartCount: 0, image: "", imageID: "", state: {}, lastState: {} });
    expect(json).not.toHaveProperty("started");
    // metav1.ObjectMeta.creationTimestamp is omitempty,omitzero: a zero Time is left out.
    expect(fromMessage(root.lookupType("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"), {})).toEqual({});
    // ...while a non-omitempty nil slice is JSON null (ListMeta-carrying lists' items).
    expect(fromMessage(root.lookupType("k8s.io.api.core.v1.PodList"), {})).toEqual({ metadata: {}, items: null });
  });

  it("writes non-pointer fields always and pointer fields only when set, as gogo's Marshal does", () => {
    const spec = root.lookupType("k8s.io.api.apps.v1.StatefulSetSpec");
    const msg = toMessage(spec, { serviceName: "web" });
    expect(msg).not.toHaveProperty("selector"); // *metav1.LabelSelector: only when set
    expect(msg).not.toHaveProperty("replicas"); // *int32
    expect(msg.serviceName).toBe("web");
    expect(msg.template).toEqual(expect.objectContaining({ metadata: expect.any(Object) })); // PodTemplateSpec, a value
  });

  it("sorts map keys as Go does, so equal objects encode to equal bytes", () => {
    const a = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { b: "2", a: "1" } } });
    const b = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { a: "1", b: "2" } } });
    expect(a.equals(b)).toBe(true);
  });
});

describe("metav1.Duration", () => {
  it("formats and parses Go durations", () => {
    for (const [s, ns] of [["0s", 0n], ["1h0m0s", 3_600_000_000_000n], ["1m30s", 90_000_000_000n], ["1.5s", 1_500_000_000n], ["2ms", 2_000_000n], ["1µs", 1000n], ["-5s", -5_000_000_000n]] as const) {
      expect(formatGoDuration(ns)).toBe(s);
      expect(parseGoDuration(s)).toBe(ns);
    }
    expect(parseGoDuration("1h30m")).toBe(5_400_000_000_000n);
    expect(() => parseGoDuration("soon")).toThrow(/invalid duration/);
  });
});

describe("watch framing", () => {
  it("frames events with a 4-byte big-endian length and keeps a partial frame for later", () => {
    const one = encodeWatchEvent("ADDED", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } });
    const two = encodeWatchEvent("DELETED", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } });
    expect(one.readUInt32BE(0)).toBe(one.length - 4);
    const { events, rest } = decodeWatchFrames(Buffer.concat([one, two.subarray(0, 7)]));
    expect(events).toEqual([{ type: "ADDED", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } }]);
    expect(rest.length).toBe(7);
  });
});
