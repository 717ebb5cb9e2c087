import type { Clock, SpeedControl } from "./clock";
import type { Store } from "./store/store";

/**
 * What lives on a PersistentVolume in the embedded cluster. Contents belong to the PV (not the
 * pod or the PVC), so they survive pod deletion, rescheduling and PVC reuse as on a real cluster.
 */
export interface VolumeData {
  read(pvName: string): string;
  write(pvName: string, content: string): void;
  erase(pvName: string): void;
  /** All PV names with data, for persistence and tests. */
  names(): string[];
  onChange(listener: (pvName: string) => void): () => void;
}

/** Container logs of simulated pods, by namespace/pod/container (what `kubectl logs` prints). */
export interface PodLogs {
  append(namespace: string, pod: string, container: string, line: string): void;
  read(namespace: string, pod: string, container: string): string;
  clear(namespace: string, pod: string): void;
}

/** The book's failures (no storage, a missing image, a broken pod network), injectable on demand (embedded cluster only). */
export interface FaultState {
  /** No usable StorageClass: new PVCs stay Pending, their pods fail to schedule. */
  storageUnavailable: boolean;
  /** Images that cannot be pulled (besides any image under the reserved `.invalid` domain). */
  missingImages: string[];
  /** Pods run and look Ready but are unreachable: the pod/service proxy times out. */
  brokenPodNetwork: boolean;
}

export interface Faults {
  get(): FaultState;
  set(patch: Partial<FaultState>): FaultState;
  onChange(listener: (state: FaultState) => void): () => void;
}

/** Everything the parts of the embedded cluster share. Built once by lib/sim/cluster.ts. */
export interface SimContext {
  store: Store;
  /** Cluster time: every duration is given in a real cluster's milliseconds, the clock scales them by the speed. */
  clock: Clock;
  /** How fast cluster time runs (1 = a real cluster's pace, 10 = ten times faster), changed live, and pause. */
  speed: SpeedControl;
  volumes: VolumeData;
  logs: PodLogs;
  faults: Faults;
}
