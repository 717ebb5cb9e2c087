import { describe, expect, it } from "vitest";
import { StatusError } from "./errors";
import { convertFieldSelector, fieldLabelValue } from "./fieldLabels";
import { matchesFields, parseFieldSelector } from "./selectors";

const node = (unschedulable?: boolean) => ({ apiVersion: "v1", kind: "Node", metadata: { name: "k8s-node1" }, spec: unschedulable === undefined ? {} : { unschedulable } });
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "kubia-0", namespace: "default" }, spec: { nodeName: "k8s-node1" }, status: { phase: "Running", podIPs: [{ ip: "10.244.1.5" }] } };

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    expect((e as StatusError).code).toBe(400);
    return (e as StatusError).message;
  }
  throw new Error("expected a 400");
}

describe("field labels as the API server converts and reads them", () => {
  it("reads booleans as Go prints them, false when unset (spec.unschedulable=false lists schedulable nodes)", () => {
    const selector = convertFieldSelector("", "Node", parseFieldSelector("spec.unschedulable=false"));
    expect(matchesFields(selector, node())).toBe(true);
    expect(matchesFields(selector, node(false))).toBe(true);
    expect(matchesFields(selector, node(true))).toBe(false);
    expect(fieldLabelValue(pod, "spec.hostNetwork")).toBe("false");
  });

  it("reads a pod's IP from podIPs and maps the legacy spec.host onto spec.nodeName", () => {
    expect(fieldLabelValue(pod, "status.podIP")).toBe("10.244.1.5");
    const selector = convertFieldSelector("", "Pod", parseFieldSelector("spec.host=k8s-node1,status.phase=Running"));
    expect(selector.map((r) => r.path)).toEqual(["spec.nodeName", "status.phase"]);
    expect(matchesFields(selector, pod)).toBe(true);
  });

  it("refuses unknown labels with upstream's messages", () => {
    expect(badRequest(() => convertFieldSelector("", "Pod", parseFieldSelector("spec.containers=x")))).toBe("field label not supported: spec.containers");
    expect(badRequest(() => convertFieldSelector("", "Node", parseFieldSelector("metadata.namespace=x")))).toBe("field label not supported: metadata.namespace");
    expect(badRequest(() => convertFieldSelector("apps", "StatefulSet", parseFieldSelector("spec.replicas=3")))).toBe(
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(convertFieldSelector("apps", "StatefulSet", parseFieldSelector("metadata.name=kubia"))).toEqual([{ path: "metadata.name", op: "=", value: "kubia" }]);
  });

  it("maps events.k8s.io names onto the stored core Event's", () => {
    const selector = convertFieldSelector("events.k8s.io", "Event", parseFieldSelector("regarding.name=kubia-0,reportingController=kubelet,type=Normal"));
    expect(selector.map((r) => r.path)).toEqual(["involvedObject.name", "reportingComponent", "type"]);
    expect(badRequest(() => convertFieldSelector("events.k8s.io", "Event", parseFieldSelector("involvedObject.name=x")))).toBe("field label not supported: involvedObject.name");
  });
});
