import { describe, expect, it } from "vitest";
import { event, statefulSet } from "./testing/fixtures";
import { relatedEvents } from "./story";

describe("relatedEvents", () => {
  it("keeps the events of the set's story (the set, its pods and claims, nodes, volumes, services), for the set asked about", () => {
    const events = [
      event("StatefulSet", "kubia", "SuccessfulCreate", "create Pod kubia-0"),
      event("Pod", "kubia-0", "Scheduled", "assigned"),
      event("Pod", "kubiax-0", "Scheduled", "another set's pod"),
      event("PersistentVolumeClaim", "data-kubia-0", "ProvisioningSucceeded", "provisioned"),
      event("PersistentVolumeClaim", "other-kubia-0", "ProvisioningSucceeded", "not a template of the set"),
      event("Node", "k8s-node1", "NodeNotReady", "down"),
      event("Deployment", "web", "ScalingReplicaSet", "unrelated"),
    ];
    const reasons = (name: string) => relatedEvents(statefulSet(2, { name }), events).map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}`);
    expect(reasons("kubia")).toEqual(["StatefulSet/kubia", "Pod/kubia-0", "PersistentVolumeClaim/data-kubia-0", "Node/k8s-node1"]);
    // The same event objects, asked about another set: answered for that set, not from the first answer.
    expect(reasons("kubiax")).toEqual(["Pod/kubiax-0", "Node/k8s-node1"]);
    expect(reasons("kubia")).toHaveLength(4);
  });
});
