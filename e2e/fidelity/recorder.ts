import { type CoreV1Event, type KubernetesObject, makeInformer, type V1Node, type V1PersistentVolume, type V1PersistentVolumeClaim, type V1Pod, type V1StatefulSet } from "@kubernetes/client-node";
import type { Informer, ObjectCache } from "@kubernetes/client-node";
import type { Kube } from "./kube";
import { SET_NAME } from "./steps";
import { isPodReady, occurrences, reportKey, type Snapshot, type StepLog } from "./trace";
import type { TimelineEntry } from "./why-check";

type Cached<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * Watches (list + watch, through client-node's informer) the scenario namespace's pods, PVCs,
 * StatefulSets and Events, and the PVs claimed from it. Keeps the latest objects, the time of the
 * last change (for "stable for N ms"), and a per-step log of pod/PVC operations and new Events.
 */
export class NamespaceRecorder {
  private readonly informers: Cached<KubernetesObject>[] = [];
  private stopped = false;
  private log: StepLog = NamespaceRecorder.emptyLog();
  private readonly terminatingSeen = new Set<string>();
  private readonly pvcTerminatingSeen = new Set<string>();
  /** Occurrences seen per Event object, to tell a count bump from a resync of the same state. */
  private readonly eventOccurrences = new Map<string, number>();
  /** Reports (object, reason, message) that occurred in earlier steps. */
  private readonly earlierReports = new Set<string>();
  lastChangeAt = Date.now();
  readonly errors: string[] = [];
  /** Every watched state in order, and where each step began: what "why" is checked against (why-check.ts). */
  readonly timeline: TimelineEntry[] = [];

  private pods!: Cached<V1Pod>;
  private pvcs!: Cached<V1PersistentVolumeClaim>;
  private pvs!: Cached<V1PersistentVolume>;
  private sets!: Cached<V1StatefulSet>;
  private events!: Cached<CoreV1Event>;
  private nodes!: Cached<V1Node>;

  constructor(
    private readonly kube: Kube,
    readonly namespace: string,
  ) {}

  async start(): Promise<void> {
    const { core, apps } = this.kube;
    const namespace = this.namespace;
    this.pods = this.watch<V1Pod>(`/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }));
    this.pvcs = this.watch<V1PersistentVolumeClaim>(`/api/v1/namespaces/${namespace}/persistentvolumeclaims`, () => core.listNamespacedPersistentVolumeClaim({ namespace }));
    this.pvs = this.watch<V1PersistentVolume>("/api/v1/persistentvolumes", () => core.listPersistentVolume());
    this.sets = this.watch<V1StatefulSet>(`/apis/apps/v1/namespaces/${namespace}/statefulsets`, () => apps.listNamespacedStatefulSet({ namespace }));
    const events = (this.events = this.watch<CoreV1Event>(`/api/v1/namespaces/${namespace}/events`, () => core.listNamespacedEvent({ namespace })));

    // Registered first, so the cache already holds the change when the peaks are measured.
    this.pods.on("change", () => this.measurePeaks());
    this.pods.on("add", (p) => this.op("pod", "+", p));
    this.pods.on("update", (p) => this.terminating("pod", p));
    this.pods.on("delete", (p) => this.op("pod", "-", p));
    this.pvcs.on("add", (p) => this.op("pvc", "+", p));
    this.pvcs.on("update", (p) => this.terminating("pvc", p));
    this.pvcs.on("delete", (p) => this.op("pvc", "-", p));
    events.on("add", (e) => this.event(e));
    events.on("update", (e) => this.event(e));
    const changed = () => (this.lastChangeAt = Date.now());
    // A repeated Event (count bump, e.g. a retried provisioning) is not a change of state: periodic
    // retries would otherwise keep a settled state from ever looking stable.
    for (const informer of this.informers) informer.on(informer === (events as unknown) ? "add" : "change", changed);
    // Nodes only for the timeline: their heartbeats are no change of the scenario's state.
    this.nodes = this.watch<V1Node>("/api/v1/nodes", () => core.listNode());
    for (const informer of this.informers) informer.on("change", () => this.recordFrame());
    await Promise.all(this.informers.map((i) => i.start()));
  }

  private watch<T extends KubernetesObject>(path: string, list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>): Cached<T> {
    const informer = makeInformer<T>(this.kube.kc, path, list as never);
    // client-node's informer relists on 410 Gone but stops after any other error: restart it.
    informer.on("error", (err?: unknown) => {
      if (this.stopped) return;
      this.errors.push(`${path}: ${String(err)}`);
      setTimeout(() => {
        if (!this.stopped) informer.start().catch((e: unknown) => this.errors.push(`${path} restart: ${String(e)}`));
      }, 500);
    });
    this.informers.push(informer as unknown as Cached<KubernetesObject>);
    return informer;
  }

  private op(kind: "pod" | "pvc", sign: "+" | "-", obj: KubernetesObject): void {
    const name = obj.metadata!.name!;
    (kind === "pod" ? this.log.podOps : this.log.pvcOps).push(`${sign}${name}`);
    // A new object of the same name may go Terminating again.
    if (sign === "+") (kind === "pod" ? this.terminatingSeen : this.pvcTerminatingSeen).delete(obj.metadata!.uid!);
    // An object created already deleting (or deleted without a Terminating phase) is still one op.
    if (sign === "+" && obj.metadata?.deletionTimestamp) this.terminating(kind, obj);
  }

  /** The first sight of a deletionTimestamp on an object (a graceful delete or a finalizer wait). */
  private terminating(kind: "pod" | "pvc", obj: KubernetesObject): void {
    if (!obj.metadata?.deletionTimestamp) return;
    const seen = kind === "pod" ? this.terminatingSeen : this.pvcTerminatingSeen;
    if (seen.has(obj.metadata.uid!)) return;
    seen.add(obj.metadata.uid!);
    (kind === "pod" ? this.log.podOps : this.log.pvcOps).push(`~${obj.metadata.name}`);
  }

  /** A new Event, or one whose count grew: an occurrence in the current step. */
  private event(e: CoreV1Event): void {
    const key = e.metadata?.uid ?? `${e.metadata?.name}`;
    const count = occurrences(e);
    if ((this.eventOccurrences.get(key) ?? 0) >= count) return;
    this.eventOccurrences.set(key, count);
    this.log.events.push({ event: e, repeat: this.earlierReports.has(reportKey(e)) });
  }

  private static emptyLog(): StepLog {
    return { podOps: [], pvcOps: [], events: [], peaks: { starting: 0, terminating: 0 } };
  }

  /** Updates the step's peaks from the pod cache (called on every pod change). */
  private measurePeaks(): void {
    const pods = this.pods.list(this.namespace);
    const terminating = pods.filter((p) => p.metadata?.deletionTimestamp).length;
    const starting = pods.filter((p) => !p.metadata?.deletionTimestamp && !(p.status?.phase === "Running" && isPodReady(p))).length;
    this.log.peaks.starting = Math.max(this.log.peaks.starting, starting);
    this.log.peaks.terminating = Math.max(this.log.peaks.terminating, terminating);
  }

  private recordFrame(): void {
    if (this.stopped) return;
    const ns = this.namespace;
    this.timeline.push({
      frame: { at: Date.now(), snapshot: this.snapshot(SET_NAME), events: this.events.list(ns).map((e) => structuredClone(e)), nodes: this.nodes.list().map((n) => structuredClone(n)) },
    });
  }

  /** Marks the start of a step (the user's action) on the timeline. */
  markStep(name: string, awaited?: boolean): void {
    this.timeline.push(awaited ? { step: name, awaited } : { step: name });
  }

  /** The log since the previous call (one step's worth); the next one starts from the current pods. */
  takeLog(): StepLog {
    const log = this.log;
    for (const o of log.events) this.earlierReports.add(reportKey(o.event));
    this.log = NamespaceRecorder.emptyLog();
    this.measurePeaks();
    return log;
  }

  snapshot(setName: string): Snapshot {
    const ns = this.namespace;
    return {
      pods: this.pods.list(ns).map((p) => structuredClone(p)),
      pvcs: this.pvcs.list(ns).map((p) => structuredClone(p)),
      pvs: this.pvs
        .list()
        .filter((pv) => pv.spec?.claimRef?.namespace === ns)
        .map((pv) => structuredClone(pv)),
      statefulSet: this.sets.get(setName, ns) && structuredClone(this.sets.get(setName, ns)),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop().catch(() => undefined)));
  }
}
