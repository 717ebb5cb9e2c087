import type { V1Pod, V1Probe } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";

const pod = (probes: { livenessProbe?: V1Probe; readinessProbe?: V1Probe; startupProbe?: V1Probe }): V1Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default" },
  spec: { containers: [{ name: "c", image: "luksa/kubia-pet", ...probes }] },
});

function refusal(probes: Parameters<typeof pod>[0]): string {
  try {
    createTestContext().store.create("pods", pod(probes));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the pod to be refused");
}

describe("probe defaults and validation", () => {
  it("defaults a probe as SetDefaults_Probe and SetDefaults_HTTPGetAction do", () => {
    const created = createTestContext().store.create("pods", pod({ readinessProbe: { httpGet: { port: 8080 } }, livenessProbe: { grpc: { port: 9090 } } }));
    expect(created.spec!.containers[0].readinessProbe).toEqual({ httpGet: { port: 8080, path: "/", scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(created.spec!.containers[0].livenessProbe?.grpc).toEqual({ port: 9090, service: "" });
  });

  it("refuses what the API server refuses, with its messages", () => {
    expect(refusal({ livenessProbe: {} })).toContain("spec.containers[0].livenessProbe: Required value: must specify a handler type");
    expect(refusal({ livenessProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } } })).toContain("spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type");
    expect(refusal({ livenessProbe: { exec: { command: ["true"] }, successThreshold: 2 } })).toContain("spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
    expect(refusal({ readinessProbe: { exec: { command: ["true"] }, terminationGracePeriodSeconds: 5 } })).toContain("spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes");
    expect(refusal({ readinessProbe: { tcpSocket: { port: "Http" } } })).toContain('spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    expect(refusal({ startupProbe: { httpGet: { port: 70000 }, periodSeconds: -1 } })).toMatch(/startupProbe\.httpGet\.port: Invalid value: 70000: must be between 1 and 65535, inclusive.*startupProbe\.periodSeconds: Invalid value: -1: must be greater than or equal to 0/);
  });
});
