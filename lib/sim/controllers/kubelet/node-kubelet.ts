import type { Stored } from "../../store/types";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { type ContainerProcess, startContainerProcess } from "../../node/containers";
import { onKubiaCrash } from "../../node/proxy";
import type { StoredObject } from "../../store/store";
import { type RunningController, runController } from "../runtime/controller";
import { objectKey, splitKey } from "../../../k8s/keys";
import { recordEvent } from "../runtime/events";
import { EventSpamFilter } from "../runtime/spam-filter";
import { canonicalJson, ignoreStale, isPodTerminal, podClaimNames, timeMs } from "../util";
import { isNodeDown } from "../../../k8s/wellknown";
import { timeField } from "../../../k8s/time";
import { HEARTBEAT, postNodeStatus, renewLease } from "./heartbeat";
import { normalizeImage } from "./images";
import { IpAllocator } from "./ipam";
import { admissionRejection } from "./admission";
import { buildPodStatus } from "./pod-status";
import { newPodRuntime, syncRunningPod } from "./pod-start";
import { ProbeManager } from "./prober/manager";
import { everRan, syncTerminatingPod } from "./termination";
import type { ContainerRuntime, KubeletContext, PodRuntime } from "./types";

/** The work-queue key of the node itself (pod keys always contain a "/"). */
const NODE_KEY = "@node";

/**
 * One simulated kubelet: heartbeats for its node (Lease + node status) and the pod worker for the
 * pods bound to it. While its node carries `playground.k8s.io/down: "true"` it does nothing at
 * all; when the annotation goes, it posts its status again and re-syncs every pod (finishing
 * terminations that were due while it was down).
 */
export class NodeKubelet {
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly k: KubeletContext;
  private readonly controller: RunningController;
  private wasDown = false;
  private lastRenew = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: SimContext,
    readonly nodeName: string,
  ) {
    const node = ctx.store.tryGet("nodes", undefined, nodeName);
    this.k = {
      ctx,
      nodeName,
      images: new Set(),
      ipam: new IpAllocator(node?.spec?.podCIDR),
      event: (pod, type, reason, message, c) => {
        // The kubelet's EventCorrelator: its spam filter, per pod and event type.
        if (!this.spam.allow(`${pod.metadata?.uid}/${type}`, ctx.clock.now())) return;
        const fieldPath = c ? `spec.${c.ephemeral ? "ephemeralContainers" : "containers"}{${c.name}}` : undefined;
        recordEvent(ctx, pod, type, reason, message, { component: "kubelet", host: nodeName }, { fieldPath });
      },
      ipsInUse: () => this.ipsInUse(),
      startContainer: (pod, c) => this.startProcess(pod, c),
      killContainer: (pod, c) => this.killProcess(`${pod.metadata!.namespace}/${pod.metadata!.name}/${c.name}`),
      terminateContainer: (pod, c) => this.processes.get(`${pod.metadata!.namespace}/${pod.metadata!.name}/${c.name}`)?.terminate(),
    };
    this.prober = new ProbeManager({
      ctx,
      target: (key, container) => this.probeTarget(key, container),
      resultChanged: (key) => this.controller.queue.add(key),
      event: this.k.event,
    });
    this.controller = runController(ctx, {
      name: `kubelet/${nodeName}`,
      watches: [
        { resource: "nodes", keys: (obj) => (obj.metadata.name === nodeName ? [NODE_KEY] : []) },
        { resource: "pods", keys: (obj) => (obj.spec?.nodeName === nodeName || this.runtimes.has(objectKey(obj)) ? [objectKey(obj)] : []) },
        { resource: "persistentvolumeclaims", keys: (obj) => this.podsWaitingFor(obj) },
      ],
      reconcile: (key) => (key === NODE_KEY ? this.syncNode() : this.syncPod(key)),
    });
    this.offCrash = onKubiaCrash(ctx, ({ namespace, pod, container }) => this.containerDied(`${namespace}/${pod}`, container));
  }

  private readonly offCrash: () => void;
  private readonly prober: ProbeManager;
  private readonly spam = new EventSpamFilter();

  /** Main processes of the containers this node runs, by `<pod key>/<container>`. */
  private readonly processes = new Map<string, ContainerProcess>();

  stop(): void {
    this.offCrash();
    this.prober.stop();
    this.controller.stop();
    for (const process of this.processes.values()) process.kill();
    this.processes.clear();
  }

  /** A container was started: its main process runs (a new container replaces the previous one's). */
  private startProcess(pod: V1Pod, c: ContainerRuntime): void {
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const id = c.containerID;
    this.processes.get(`${key}/${c.name}`)?.kill();
    const process = startContainerProcess(this.ctx, pod, c.name, (code) => this.containerDied(key, c.name, code, id));
    if (process) this.processes.set(`${key}/${c.name}`, process);
    else this.processes.delete(`${key}/${c.name}`);
    if (!c.ephemeral) this.prober.containerStarted(key, c.name);
  }

  private killProcess(processKey: string): void {
    this.processes.get(processKey)?.kill();
    this.processes.delete(processKey);
  }

  /** What a probe worker probes: the pod as stored (still this runtime's pod) and its container. */
  private probeTarget(key: string, container: string) {
    const rt = this.runtimes.get(key);
    const c = rt?.containers.find((x) => x.name === container);
    const { namespace, name } = splitKey(key);
    const pod = this.ctx.store.tryGet("pods", namespace, name);
    const node = this.node();
    if (!rt || !c || !pod || pod.metadata.uid !== rt.uid || !node) return undefined;
    if (isNodeDown(node)) return "paused"; // a dead kubelet probes nothing; it resumes with its node
    return { pod: pod as V1Pod, rt, c, nodeIP: node.status?.addresses?.find((a) => a.type === "InternalIP")?.address };
  }

  /** The main process of a container of ours ended (the kubia app dies with 1): the next sync restarts it per restartPolicy. */
  private containerDied(key: string, name: string, exitCode = 1, containerID?: string): void {
    const rt = this.runtimes.get(key);
    const c = [...(rt?.containers ?? []), ...(rt?.ephemeral ?? [])].find((x) => x.name === name);
    if (!c || c.phase !== "running" || (containerID !== undefined && c.containerID !== containerID)) return;
    c.phase = "exited";
    c.exitCode = exitCode;
    c.finishedAt = this.ctx.clock.now();
    this.controller.queue.add(key);
  }

  /** This kubelet's Node as stored, without a copy: every reader here only reads it (a write builds a new object). */
  private node(): V1Node | undefined {
    return this.ctx.store.peek("nodes", undefined, this.nodeName) as V1Node | undefined;
  }

  private podsOnNode(): readonly Readonly<Stored<"pods">>[] {
    return this.ctx.store.view("pods", { fieldSelector: `spec.nodeName=${this.nodeName}` });
  }

  private ipsInUse(): Set<string> {
    const ips = new Set<string>();
    for (const rt of this.runtimes.values()) if (rt.ip) ips.add(rt.ip);
    for (const p of this.podsOnNode()) if (p.status?.podIP && !isPodTerminal(p)) ips.add(p.status!.podIP!);
    return ips;
  }

  private podsWaitingFor(claim: StoredObject): string[] {
    return [...this.runtimes.values()]
      .filter((rt) => rt.sandboxDue === undefined && rt.key.startsWith(`${claim.metadata.namespace}/`))
      .filter((rt) => {
        const pod = this.ctx.store.tryGet("pods", claim.metadata.namespace, splitKey(rt.key).name);
        return !!pod && podClaimNames(pod).includes(claim.metadata.name!);
      })
      .map((rt) => rt.key);
  }

  private syncNode(): void | { requeueAfter: number } {
    const node = this.node();
    if (!node || isNodeDown(node)) {
      this.wasDown = !!node;
      return;
    }
    if (this.wasDown) {
      this.wasDown = false;
      this.lastRenew = Number.NEGATIVE_INFINITY;
      for (const key of new Set([...this.podsOnNode().map(objectKey), ...this.runtimes.keys()])) this.controller.queue.add(key);
    }
    postNodeStatus(this.ctx, node);
    const now = this.ctx.clock.now();
    const interval = HEARTBEAT.renewIntervalMs;
    if (now - this.lastRenew >= interval) {
      renewLease(this.ctx, node);
      this.lastRenew = now;
    }
    return { requeueAfter: this.lastRenew + interval - now };
  }

  /** A pod found running after a restart of the playground: take it over without re-running it. */
  private adopt(pod: V1Pod, now: number): PodRuntime {
    const rt = newPodRuntime(pod, now);
    const statuses = pod.status?.containerStatuses ?? [];
    const running = statuses.length > 0 && statuses.every((s) => s.state?.running);
    if (!running || !pod.status?.podIP) return rt;
    rt.firstSeen = timeMs(pod.status.startTime) || now;
    rt.ip = pod.status.podIP;
    this.k.ipam.note(rt.ip);
    rt.sandboxDue = rt.sandboxAt = now;
    for (const c of rt.containers) {
      const s = statuses.find((x) => x.name === c.name);
      c.phase = "running";
      c.containerID = s?.containerID;
      c.restartCount = s?.restartCount ?? 0;
      c.startedAt = timeMs(s?.state?.running?.startedAt) || now;
      // As the kubelet after a restart: a container that was ready or started stays so until probed.
      c.probe = { ...(s?.ready ? { readiness: "success" as const } : {}), ...(s?.started ? { startup: "success" as const } : {}) };
      this.k.images.add(normalizeImage(c.image));
    }
    return rt;
  }

  /**
   * The pod object went away (a force delete) while its containers still ran: a real kubelet stops
   * them all the same and records `Killing` against the pod it knew (kuberuntime killContainer).
   * A pod already being stopped had its `Killing` when the graceful termination began.
   */
  private stopOrphaned(rt: PodRuntime): void {
    if (rt.killing || rt.terminal) return;
    const { namespace, name } = splitKey(rt.key);
    const known = { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, uid: rt.uid } };
    for (const c of rt.containers) if (c.phase === "running") this.k.event(known, "Normal", "Killing", `Stopping container ${c.name}`, c);
  }

  /** Forgets a pod the runtime no longer runs: its IP is free again and its logs go with it. */
  private forget(rt: PodRuntime): void {
    this.runtimes.delete(rt.key);
    this.prober.removePod(rt.key);
    for (const c of [...rt.containers, ...rt.ephemeral]) {
      this.processes.get(`${rt.key}/${c.name}`)?.kill();
      this.processes.delete(`${rt.key}/${c.name}`);
    }
    const { namespace, name } = splitKey(rt.key);
    const current = this.ctx.store.tryGet("pods", namespace, name);
    // A newer pod of the same name running elsewhere owns the logs now.
    if (!current || current.spec?.nodeName === this.nodeName) this.ctx.logs.clear(namespace!, name);
  }

  private syncPod(key: string): void | { requeueAfter: number } {
    const node = this.node();
    if (!node || isNodeDown(node)) return; // a dead node's kubelet sees nothing and does nothing
    const { namespace, name } = splitKey(key);
    const obj = this.ctx.store.tryGet("pods", namespace, name);
    let rt = this.runtimes.get(key);
    if (rt && (!obj || obj.metadata.uid !== rt.uid || obj.spec?.nodeName !== this.nodeName)) {
      this.stopOrphaned(rt);
      this.forget(rt);
      rt = undefined;
    }
    if (!obj || obj.spec?.nodeName !== this.nodeName || (!rt && isPodTerminal(obj))) return;
    const pod = obj;
    const now = this.ctx.clock.now();
    if (!rt && !pod.metadata?.deletionTimestamp && this.reject(obj, key, now)) return;
    if (!rt) {
      this.runtimes.set(key, (rt = this.adopt(pod, now)));
      this.prober.addPod(key, pod);
    }
    const hostIP = node.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
    let wake: number | undefined;
    if (pod.metadata?.deletionTimestamp) {
      const result = syncTerminatingPod(this.k, pod, rt, now);
      if (result === "killed") return this.finish(obj, rt, hostIP, now);
      wake = result;
    } else {
      wake = syncRunningPod(this.k, pod, rt, now);
    }
    this.writeStatus(obj, rt, hostIP, now);
    return wake !== undefined ? { requeueAfter: Math.max(1, wake - now) } : undefined;
  }

  /**
   * Admission of a pod first seen (kubelet rejectPod): refused beside the pods already admitted, it
   * goes Failed with the predicate's reason, a Warning event, and never runs.
   */
  private reject(obj: Readonly<Stored<"pods">>, key: string, now: number): boolean {
    const admitted = [...this.runtimes.keys()]
      .filter((k) => k !== key)
      .map((k) => this.ctx.store.tryGet("pods", splitKey(k).namespace, splitKey(k).name))
      .filter((p): p is Readonly<Stored<"pods">> => !!p && !isPodTerminal(p));
    const rejection = admissionRejection(obj, admitted);
    if (!rejection) return false;
    this.k.event(obj, "Warning", rejection.reason, rejection.message);
    const status = {
      phase: "Failed",
      reason: rejection.reason,
      message: `Pod was rejected: ${rejection.message}`,
      qosClass: obj.status?.qosClass,
      startTime: obj.status?.startTime ?? timeField(now),
    };
    ignoreStale(() => this.ctx.store.update("pods", { ...obj, status }, { subresource: "status" }));
    return true;
  }

  private writeStatus(obj: StoredObject, rt: PodRuntime, hostIP: string | undefined, now: number): void {
    const status = buildPodStatus(obj, rt, hostIP, now);
    // "pods are not allowed to transition out of terminal phases" (kubelet generateAPIPodStatus): a
    // Failed or Succeeded phase written through the API stays, whatever the containers are doing.
    // Overwriting it raced the StatefulSet controller, which then never replaced the failed pod.
    const pod = obj as Readonly<Stored<"pods">>;
    const api = pod.status;
    if (api && isPodTerminal(pod) && status.phase !== api.phase) {
      status.phase = api.phase;
      if (api.reason !== undefined) status.reason = api.reason;
      if (api.message !== undefined) status.message = api.message;
    }
    if (canonicalJson(status) === canonicalJson(obj.status)) return;
    ignoreStale(() => this.ctx.store.update("pods", { ...obj, status }, { subresource: "status" }));
  }

  /** Containers stopped: post the final status, then remove the pod object (grace 0, this pod's uid only). */
  private finish(obj: StoredObject, rt: PodRuntime, hostIP: string | undefined, now: number): void {
    if (everRan(rt)) this.writeStatus(obj, rt, hostIP, now);
    ignoreStale(() => this.ctx.store.delete("pods", obj.metadata.namespace, obj.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: obj.metadata.uid } }));
    this.forget(rt);
  }
}
