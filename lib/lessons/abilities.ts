import type { V1Node } from "@kubernetes/client-node";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { isKwokNode } from "@/lib/k8s/wellknown";
import type { StepNeed } from "./types";

/** What this cluster can do of what lesson steps may need (see StepNeed). */
export type Abilities = Record<StepNeed, boolean>;

/**
 * From the watched state alone: fault injection and node failure are the embedded cluster's
 * (its capabilities say so); pods run their containers unless a node they may land on is one of
 * KWOK's fake nodes (a real cluster's nodes the credentials cannot list are taken to be real).
 */
export function abilitiesOf(cluster: ClusterInfo, nodes: V1Node[]): Abilities {
  return { faults: cluster.capabilities.faults, nodeFailure: cluster.capabilities.nodeFailure, containers: cluster.mode === "embedded" || !nodes.some(isKwokNode) };
}
