import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { Stored } from "../../store/types";
import { accessFor } from "../access";
import { findResource } from "../../store/resources";
import { nodePrinter, servicePrinter, eventPrinter, endpointsPrinter } from "./core";
import { humanDuration, timeField } from "../../../k8s/time";
import { buildTable } from "./index";
import { podPrinter, podStatusColumns } from "./pods";
import { pvcPrinter } from "./storage";
import { statefulSetPrinter } from "./workloads";

const NOW = Date.parse("2026-01-01T01:00:00Z");
const obj = <R extends string>(o: unknown) => o as Stored<R>;

function pod(status: V1Pod["status"], extra: Partial<V1Pod> = {}): V1Pod {
  return { metadata: { name: "web-0", creationTimestamp: timeField(Date.parse("2026-01-01T00:59:15Z")) }, spec: { containers: [{ name: "c" }] }, status, ...extra };
}
const waiting = (reason: string) => ({ name: "c", ready: false, restartCount: 0, image: "", imageID: "", state: { waiting: { reason } } });

describe("humanDuration (kubectl AGE)", () => {
  it.each([
    [0, "0s"],
    [45_000, "45s"],
    [119_000, "119s"],
    [192_000, "3m12s"],
    [600_000, "10m"],
    [3 * 3600_000 + 5 * 60_000, "3h5m"],
    [30 * 3600_000, "30h"],
    [3 * 86400_000 + 4 * 3600_000, "3d4h"],
    [400 * 86400_000, "400d"],
    [-5000, "<invalid>"],
  ])("%d ms → %s", (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe("pod STATUS like kubectl's printer", () => {
  it.each([
    ["Pending without statuses", pod({ phase: "Pending" }), "0/1", "Pending"],
    ["ContainerCreating", pod({ phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }), "0/1", "ContainerCreating"],
    ["ErrImagePull", pod({ phase: "Pending", containerStatuses: [waiting("ErrImagePull")] }), "0/1", "ErrImagePull"],
    ["ImagePullBackOff", pod({ phase: "Pending", containerStatuses: [waiting("ImagePullBackOff")] }), "0/1", "ImagePullBackOff"],
    ["Running ready", pod({ phase: "Running", containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "", imageID: "", state: { running: {} } }] }), "1/1", "Running"],
    ["Completed", pod({ phase: "Succeeded", containerStatuses: [{ name: "c", ready: false, restartCount: 0, image: "", imageID: "", state: { terminated: { exitCode: 0, reason: "Completed" } } }] }), "0/1", "Completed"],
    ["ExitCode", pod({ phase: "Failed", containerStatuses: [{ name: "c", ready: false, restartCount: 0, image: "", imageID: "", state: { terminated: { exitCode: 2 } } }] }), "0/1", "ExitCode:2"],
    ["Terminating", pod({ phase: "Running" }, { metadata: { name: "web-0", deletionTimestamp: new Date() } }), "0/1", "Terminating"],
    ["Unknown (node lost)", pod({ phase: "Running", reason: "NodeLost" }, { metadata: { name: "web-0", deletionTimestamp: new Date() } }), "0/1", "Unknown"],
    ["Init:0/1", pod({ phase: "Pending", initContainerStatuses: [{ name: "i", ready: false, restartCount: 0, image: "", imageID: "", state: { running: {} } }] }, { spec: { containers: [{ name: "c" }], initContainers: [{ name: "i" }] } }), "0/1", "Init:0/1"],
  ])("%s", (_label, p, ready, status) => {
    const cols = podStatusColumns(p, NOW);
    expect([cols.ready, cols.status]).toEqual([ready, status]);
  });

  it("shows restarts with the time of the last one", () => {
    const p = pod({ phase: "Running", containerStatuses: [{ name: "c", ready: true, restartCount: 3, image: "", imageID: "", state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: timeField(Date.parse("2026-01-01T00:58:00Z")) } } }] });
    expect(podStatusColumns(p, NOW).restarts).toBe("3 (2m ago)");
  });

  it("fills the wide columns", () => {
    const p = pod({ phase: "Running", podIP: "10.1.1.2", podIPs: [{ ip: "10.1.1.2" }] }, { spec: { nodeName: "k8s-node1", containers: [{ name: "c" }] } });
    expect(podPrinter.row(obj(p), NOW).cells).toEqual(["web-0", "0/1", "Running", "0", "45s", "10.1.1.2", "k8s-node1", "<none>", "<none>"]);
  });
});

describe("other printers", () => {
  it("prints nodes as Ready, NotReady, Ready,SchedulingDisabled", () => {
    const node = (status: string, unschedulable = false) =>
      obj({ metadata: { name: "n", labels: { "node-role.kubernetes.io/control-plane": "" } }, spec: { unschedulable }, status: { conditions: [{ type: "Ready", status }], nodeInfo: { kubeletVersion: "v1.32.2" } } });
    expect(nodePrinter.row(node("True"), NOW).cells.slice(0, 3)).toEqual(["n", "Ready", "control-plane"]);
    expect(nodePrinter.row(node("Unknown"), NOW).cells[1]).toBe("NotReady");
    expect(nodePrinter.row(node("True", true), NOW).cells[1]).toBe("Ready,SchedulingDisabled");
  });

  it("prints StatefulSets, PVCs, Services and Endpoints", () => {
    expect(statefulSetPrinter.row(obj({ metadata: { name: "web" }, spec: { replicas: 3, template: { spec: { containers: [{ name: "a", image: "x" }] } } }, status: { readyReplicas: 1 } }), NOW).cells.slice(0, 2)).toEqual(["web", "1/3"]);
    const bound = obj({ metadata: { name: "data-web-0" }, spec: { volumeName: "pvc-1", storageClassName: "standard", volumeMode: "Filesystem" }, status: { phase: "Bound", capacity: { storage: "1Mi" }, accessModes: ["ReadWriteOnce"] } });
    expect(pvcPrinter.row(bound, NOW).cells.slice(0, 7)).toEqual(["data-web-0", "Bound", "pvc-1", "1Mi", "RWO", "standard", "<unset>"]);
    const pending = obj({ metadata: { name: "p" }, spec: {}, status: { phase: "Pending" } });
    expect(pvcPrinter.row(pending, NOW).cells.slice(0, 6)).toEqual(["p", "Pending", "", "", "", ""]);
    const svc = obj({ metadata: { name: "kubia" }, spec: { type: "ClusterIP", clusterIPs: ["None"], ports: [{ port: 80, protocol: "TCP" }], selector: { app: "kubia" } } });
    expect(servicePrinter.row(svc, NOW).cells).toEqual(["kubia", "ClusterIP", "None", "<none>", "80/TCP", "<unknown>", "app=kubia"]);
    const ep = obj({ metadata: { name: "kubia" }, subsets: [{ addresses: ["1", "2", "3", "4"].map((i) => ({ ip: `10.1.${i}.2` })), ports: [{ port: 8080 }] }] });
    expect(endpointsPrinter.row(ep, NOW).cells[1]).toBe("10.1.1.2:8080,10.1.2.2:8080,10.1.3.2:8080 + 1 more...");
  });

  it("prints events with their object and count", () => {
    const ev = obj<"events">({ metadata: { name: "e" }, involvedObject: { kind: "Pod", name: "web-0" }, reason: "Killing", message: "Stopping container c ", type: "Normal", count: 2, firstTimestamp: "2026-01-01T00:50:00Z", lastTimestamp: "2026-01-01T00:59:00Z", source: { component: "kubelet", host: "k8s-node1" } });
    expect(eventPrinter.row(ev, NOW).cells).toEqual(["60s", "Normal", "Killing", "pod/web-0", "", "kubelet, k8s-node1", "Stopping container c", "10m", 2, "e"]);
  });

  it("builds a Table with PartialObjectMetadata rows by default and no headers on request", () => {
    const access = accessFor(findResource("", "pods")!);
    const p = obj({ ...pod({ phase: "Pending" }), apiVersion: "v1", kind: "Pod" });
    const table = buildTable(access, [p], { groupVersion: "meta.k8s.io/v1", includeObject: "Metadata" }, NOW, { resourceVersion: "7" }) as { rows: { object: unknown }[]; columnDefinitions: unknown[] };
    expect(table).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "7" } });
    expect(table.rows[0].object).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: p.metadata });
    expect(buildTable(access, [p], { groupVersion: "meta.k8s.io/v1", includeObject: "None", noHeaders: true }, NOW)).toMatchObject({ columnDefinitions: null, rows: [{ object: null }] });
  });
});
