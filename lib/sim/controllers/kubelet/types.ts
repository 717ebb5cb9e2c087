import type { V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import type { StoredObject } from "../../store/store";
import type { IpAllocator } from "./ipam";

/**
 * What a simulated kubelet knows about the containers it runs (the container runtime's state),
 * kept in memory per pod. Deadlines (`dueAt`, `killAt`, …) are clock times in ms; the pod worker
 * re-runs when the earliest one falls due.
 */
export type ContainerPhase =
  | "waiting" // not pulled yet (or about to retry a pull)
  | "pulling"
  | "errImagePull"
  | "imagePullBackOff"
  | "creating"
  | "starting"
  | "running"
  | "exited" // the app died; the kubelet restarts it (restartPolicy) after the crash back-off
  | "crashLoopBackOff"
  | "terminated";

export interface ContainerRuntime {
  name: string;
  image: string; // as written in the pod spec
  phase: ContainerPhase;
  dueAt?: number;
  pullStartedAt?: number;
  pullWillFail?: boolean;
  pullMessage?: string;
  pullFailures: number;
  backoffUntil?: number;
  containerID?: string;
  imageID?: string;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Restarts so far, the previous run (lastState) and the current crash back-off (ms, scaled). */
  restartCount: number;
  /** An ephemeral container (kubectl debug): never restarted, not part of the pod's readiness. */
  ephemeral?: boolean;
  lastTerminated?: { exitCode: number; startedAt?: number; finishedAt: number; containerID?: string };
  crashBackoff?: number;
  /** The probe results of the current container (the prober's results managers); empty for a new one. */
  probe?: Partial<Record<ProbeType, ProbeResult>>;
  /** A failed liveness or startup probe is stopping the container: it is killed (exit 137) at this time. */
  killAt?: number;
}

/** A container as an event names it: `spec.containers{kubia}`, `spec.ephemeralContainers{debugger}`. */
export type ContainerRef = Pick<ContainerRuntime, "name" | "ephemeral">;

export type ProbeType = "readiness" | "liveness" | "startup";
/** results.Result; Unknown (a startup probe not run yet) is no result at all. */
export type ProbeResult = "success" | "failure";

export interface PodRuntime {
  key: string;
  uid: string;
  firstSeen: number;
  /** Volumes mounted; the sandbox (and its IP) is ready at this time. */
  sandboxDue?: number;
  sandboxAt?: number;
  ip?: string;
  containers: ContainerRuntime[];
  /** Ephemeral containers added to the running pod (pods/ephemeralcontainers), in the order added. */
  ephemeral: ContainerRuntime[];
  killing?: { grace: number; deadline: number };
  /** All containers stopped for good: the status shows the terminal phase. */
  terminal?: boolean;
}

/** What the pod worker needs from its kubelet. */
export interface KubeletContext {
  ctx: SimContext;
  nodeName: string;
  /** Images this node has pulled (its image cache). */
  images: Set<string>;
  ipam: IpAllocator;
  /** Records an event about the pod, or about one of its containers (the event's fieldPath). */
  event(pod: StoredObject | V1Pod, type: "Normal" | "Warning", reason: string, message: string, container?: ContainerRef): void;
  /** IPs of pods on this node (live or still known to the runtime). */
  ipsInUse(): Set<string>;
  /** The container runtime starts the container's main process (it has just been started). */
  startContainer(pod: V1Pod, c: ContainerRuntime): void;
  /** The container runtime kills the container's main process (a failed liveness or startup probe). */
  killContainer(pod: V1Pod, c: ContainerRuntime): void;
  /** The container runtime sends SIGTERM to the container's main process (the pod is being deleted). */
  terminateContainer(pod: V1Pod, c: ContainerRuntime): void;
}
