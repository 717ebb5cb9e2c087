import type { V1ContainerPort, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { admissionRejection } from "./admission";

function pod(ports: V1ContainerPort[], sidecarPorts: V1ContainerPort[] = []): V1Pod {
  return {
    metadata: { name: "p" },
    spec: {
      containers: [{ name: "c", image: "agnhost", ports }],
      initContainers: sidecarPorts.length ? [{ name: "s", image: "x", restartPolicy: "Always", ports: sidecarPorts }] : undefined,
    },
  };
}

describe("kubelet admission (NodePorts)", () => {
  it("rejects a pod whose host port an admitted pod holds, with the predicate's reason and message", () => {
    const held = pod([{ containerPort: 21017, hostPort: 21017 }]);
    expect(admissionRejection(pod([{ containerPort: 80, hostPort: 21017 }]), [held])).toEqual({
      reason: "NodePorts",
      message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
    });
  });

  it("admits what does not collide: other port, other protocol, other specific address, no host port", () => {
    const held = pod([{ containerPort: 1, hostPort: 21017, hostIP: "10.0.0.1" }]);
    expect(admissionRejection(pod([{ containerPort: 1, hostPort: 21018 }]), [held])).toBeNull();
    expect(admissionRejection(pod([{ containerPort: 1, hostPort: 21017, protocol: "UDP" }]), [held])).toBeNull();
    expect(admissionRejection(pod([{ containerPort: 1, hostPort: 21017, hostIP: "10.0.0.2" }]), [held])).toBeNull();
    expect(admissionRejection(pod([{ containerPort: 21017 }]), [held])).toBeNull();
  });

  it("treats 0.0.0.0 (or no hostIP) as every address, and counts sidecar containers' ports", () => {
    const specific = pod([{ containerPort: 1, hostPort: 53, hostIP: "10.0.0.1", protocol: "UDP" }]);
    expect(admissionRejection(pod([{ containerPort: 1, hostPort: 53, protocol: "UDP" }]), [specific])).not.toBeNull();
    expect(admissionRejection(pod([{ containerPort: 1, hostPort: 8080 }]), [pod([], [{ containerPort: 1, hostPort: 8080 }])])).not.toBeNull();
  });
});
