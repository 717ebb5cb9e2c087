import type { Scenario } from "./scenario";
import { createSet, deletePod, deleteSet, failNodeOf, forceDeletePod, recoverNodes, scale, until } from "./steps";
import { createPodQuota, deleteHeldClaim, failPod, releaseHeldClaim, setImage } from "./steps-why";

/**
 * The differential scenarios: each runs in a fresh namespace on both clusters, and
 * every step boundary is compared. Keep them small: one semantic per scenario.
 */

const scaleCycle = (policy: "OrderedReady" | "Parallel"): Scenario => {
  const ordered = policy === "OrderedReady";
  return {
    id: `scale-${policy.toLowerCase()}`,
    title: `scale 0→3→1→3 (${policy}): ordinals, PVCs kept on scale-down and reused with the same PV`,
    steps: [createSet({ replicas: 0, podManagementPolicy: policy }), scale(3, ordered), scale(1, ordered), scale(3, ordered)],
  };
};

export const scenarios: Scenario[] = [
  scaleCycle("OrderedReady"),
  scaleCycle("Parallel"),
  {
    id: "graceful-delete",
    title: "graceful delete of a pod: Terminating for its grace period, then recreated with the same PVC",
    steps: [createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }), deletePod("kubia-1", until.settledAt(3))],
  },
  {
    id: "force-delete",
    title: "force delete (grace 0): gone at once, recreated with the same PVC",
    steps: [createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }), forceDeletePod("kubia-1", until.settledAt(3))],
  },
  {
    id: "retention-delete",
    title: "persistentVolumeClaimRetentionPolicy whenScaled=Delete, whenDeleted=Delete",
    steps: [
      createSet({ replicas: 3, podManagementPolicy: "OrderedReady", retention: { whenScaled: "Delete", whenDeleted: "Delete" } }),
      scale(1, true),
      scale(2, true),
      deleteSet(),
    ],
  },
  {
    id: "ordinals-start",
    title: "spec.ordinals.start: 5 names pods kubia-5…",
    steps: [createSet({ replicas: 2, podManagementPolicy: "OrderedReady", ordinalsStart: 5 }), scale(3, true), scale(1, true)],
  },
  {
    id: "node-failure",
    title: "node failure: the pod stays Terminating after a delete until force-deleted, then moves",
    steps: [
      createSet({ replicas: 2, podManagementPolicy: "OrderedReady" }),
      failNodeOf("kubia-1"),
      deletePod("kubia-1", until.terminating("kubia-1")),
      forceDeletePod("kubia-1", until.replacedAndReady("kubia-1")),
      recoverNodes(),
    ],
  },
  {
    // Nobody acts while the node is down: the reason the page gives meanwhile (nodeNotReady) is judged over the recovery.
    id: "node-down-recover",
    title: "a pod on a failed node is not Ready, and nothing replaces it; once the node is back the same pod is Ready again",
    steps: [createSet({ replicas: 2, podManagementPolicy: "OrderedReady" }), failNodeOf("kubia-1"), recoverNodes({ awaited: true, until: until.settledAt(2) })],
  },
  {
    id: "missing-storage-class",
    title: "PVC with a missing StorageClass: claim Pending, pod unschedulable, OrderedReady waits",
    steps: [createSet({ replicas: 2, podManagementPolicy: "OrderedReady", storageClassName: "missing" }, { expectReady: false }), scale(0, true)],
  },
  {
    id: "rolling-update",
    title: "rolling update: a new image with partition 1 replaces kubia-2, then kubia-1 (once kubia-2 is Ready), and leaves kubia-0 below the partition",
    steps: [createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }), setImage("luksa/kubia-pet:v2", { replicas: 3, partition: 1 })],
  },
  {
    // Three replicas on three nodes: a recreated pod has one node without a kubia pod (kube-scheduler breaks a tie at random).
    id: "on-delete",
    title:
      "updateStrategy OnDelete: a new image replaces a pod only when it goes: kubia-1 deleted (its claim deleted too: the new pod waits until the claim is gone), " +
      "kubia-0 Failed (the controller deletes and recreates it)",
    steps: [
      createSet({ replicas: 3, podManagementPolicy: "OrderedReady", updateStrategy: "OnDelete" }),
      setImage("luksa/kubia-pet:v2", { replicas: 3, rollsOut: false }),
      deleteHeldClaim("data-kubia-1"),
      deletePod("kubia-1", until.gone("kubia-1")),
      releaseHeldClaim("data-kubia-1", 3),
      failPod("kubia-0", 3),
    ],
  },
  {
    id: "quota",
    title: "a ResourceQuota of 2 pods: the controller cannot create kubia-2 (FailedCreate)",
    steps: [createPodQuota(2), createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }, { until: until.settledAt(2) })],
  },
  {
    id: "node-down-scale-down",
    title: "OrderedReady scale-down waits while kubia-0's node is down, and goes on once it is back",
    steps: [createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }), failNodeOf("kubia-0"), scale(2, true, { until: () => true }), recoverNodes({ awaited: true, until: until.settledAt(2) })],
  },
  {
    id: "node-down-delete",
    title: "a pod deleted on a down node stays Terminating until the node is back, then goes and is recreated",
    steps: [
      createSet({ replicas: 3, podManagementPolicy: "OrderedReady" }),
      failNodeOf("kubia-1"),
      deletePod("kubia-1", until.terminating("kubia-1")),
      recoverNodes({ awaited: true, ordered: true, until: until.settledAt(3) }),
    ],
  },
];
