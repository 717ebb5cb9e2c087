import { describe, expect, it } from "vitest";
import { deepCopy } from "./copy";

describe("deepCopy", () => {
  it("copies nested objects and arrays without sharing anything", () => {
    const pod = { metadata: { name: "kubia-0", labels: { app: "kubia" } }, spec: { containers: [{ name: "kubia", ports: [{ containerPort: 8080 }] }] }, status: null };
    const copy = deepCopy(pod);
    expect(copy).toStrictEqual(pod);
    copy.metadata.labels.app = "changed";
    copy.spec.containers[0].ports[0].containerPort = 1;
    expect(pod.metadata.labels.app).toBe("kubia");
    expect(pod.spec.containers[0].ports[0].containerPort).toBe(8080);
  });

  it("keeps what structuredClone keeps: undefined members, Dates, buffers (as a Buffer)", () => {
    const plain = { a: undefined, at: new Date(0), list: [1, "x", true, null] };
    expect(deepCopy(plain)).toStrictEqual(structuredClone(plain));
    const value = { ...plain, bytes: Buffer.from("hi") };
    const copy = deepCopy(value);
    expect(copy.at).not.toBe(value.at);
    expect(copy.bytes).not.toBe(value.bytes);
    expect(Buffer.from(copy.bytes).toString()).toBe("hi");
  });
});
