import "server-only";
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { clusterNow, wallClockState, type SpeedState } from "@/lib/k8s/speed";
import { WATCHED_KINDS, type Capabilities, type ClusterInfo, type KindObjects, type WatchedKind } from "@/lib/k8s/contract";
import { Backoff } from "./backoff";
import { contextName, loadKubeConfig } from "./config";
import { fromKubeError } from "./errors";
import { ApiHealthCheck } from "./health";
import { EventHistory } from "./history";
import { Hub } from "./hub";
import { ResilientInformer } from "./informer";
import { isClusterScoped, kubeSource } from "./kinds";
import { logInfo, logWarn } from "./log";
import { kubeJson, kubeRequest } from "./request";
import { settingsFromEnv, type Env, type PlaygroundSettings } from "./settings";

/**
 * The dashboard's one connection to its cluster, per server process: the KubeConfig, typed API
 * clients, the hub and ONE informer per watched kind. Kept on globalThis so `next dev` hot reloads
 * reuse it instead of opening a second set of watches.
 */
export interface EmbeddedCapabilities {
  nodeFailure: boolean;
  faults: boolean;
  dnsServer: boolean;
  dnsPort?: number;
  speed: number;
}

export const CAPABILITIES_PATH = "/apis/playground.k8s.io/v1/capabilities";
export const FAULTS_PATH = "/apis/playground.k8s.io/v1/faults";
export const SPEED_PATH = "/apis/playground.k8s.io/v1/speed";

export class PlaygroundRuntime {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly hub: Hub;
  /** The namespace's watch events since the server started (bounded), for replay. */
  readonly history: EventHistory;
  readonly informers = new Map<WatchedKind, ResilientInformer<KindObjects[WatchedKind]>>();
  /**
   * Resolves after the first attempt to ensure the namespace exists (real) or to learn the embedded
   * cluster's capabilities; a failed attempt keeps retrying in the background.
   */
  readonly ready: Promise<void>;
  private embedded?: EmbeddedCapabilities;
  /** The embedded cluster's clock as last read or set; a real cluster runs on wall time. */
  private speedState?: SpeedState;
  private stopped = false;
  private readyDone = false;
  private readonly lastErrors = new Map<WatchedKind, string | undefined>();
  /** A hung API server leaves the watches open and silent; this notices it (see health.ts). */
  private readonly health: ApiHealthCheck;
  private healthError?: string;

  constructor(readonly settings: PlaygroundSettings) {
    this.kc = loadKubeConfig(settings);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.apps = this.kc.makeApiClient(AppsV1Api);
    // Each change is recorded with the cluster's time too (after `settings`: the clock reads them).
    this.history = new EventHistory({ clusterNow: () => clusterNow(this.clock(), Date.now()) });
    this.hub = new Hub({ clusterInfo: () => this.clusterInfo(), onChange: (id, data) => this.history.record(id, data) });
    for (const kind of WATCHED_KINDS) this.informers.set(kind, this.makeInformer(kind));
    this.ready = this.firstAttempt(settings.mode === "embedded" ? (first) => this.loadEmbeddedCapabilities(first) : (first) => this.ensureNamespace(first)).then(() => {
      this.readyDone = true;
    });
    for (const informer of this.informers.values()) informer.start();
    this.health = this.makeHealthCheck();
    this.health.start();
    logInfo(`watching namespace "${settings.namespace}" on the ${settings.mode} cluster (context ${contextName(settings, this.kc)})`);
  }

  get namespace(): string {
    return this.settings.namespace;
  }

  capabilities(): Capabilities {
    const embedded = this.settings.mode === "embedded";
    return {
      nodeFailure: embedded && (this.embedded?.nodeFailure ?? true),
      faults: embedded && (this.embedded?.faults ?? true),
      dnsServer: embedded && (this.embedded?.dnsServer ?? true),
      nodes: !this.hub.isDisabled("nodes"),
      persistentVolumes: !this.hub.isDisabled("persistentvolumes"),
    };
  }

  clusterInfo(): ClusterInfo {
    return {
      mode: this.settings.mode,
      namespace: this.settings.namespace,
      context: contextName(this.settings, this.kc),
      capabilities: this.capabilities(),
      speed: this.clock().speed,
      clock: this.clock(),
      maxReplicas: this.settings.maxReplicas,
    };
  }

  /** The cluster's clock: the embedded cluster's speed state, else wall time. */
  clock(): SpeedState {
    if (this.settings.mode === "embedded" && this.speedState) return this.speedState;
    return { ...wallClockState(Date.now()), speed: this.settings.mode === "embedded" ? (this.embedded?.speed ?? 1) : 1 };
  }

  /** A new speed state of the embedded cluster (read or set through lib/kube/actions): every browser hears of it. */
  updateClock(state: SpeedState): void {
    this.speedState = state;
    this.hub.clusterChanged();
  }

  /** The embedded cluster's DNS server port (capabilities first, then PLAYGROUND_DNS_PORT). */
  get dnsPort(): number | undefined {
    return this.embedded?.dnsPort ?? this.settings.dnsPort;
  }

  /**
   * Waits (bounded) until the first attempt of every informer is over — synced, or failed with a
   * reason the snapshot can show — so a first snapshot is neither empty nor stuck on a dead cluster.
   */
  async whenSettled(timeoutMs: number): Promise<boolean> {
    if (this.readyDone && this.hub.settled) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.ready, deadline]);
    clearTimeout(timer);
    return this.hub.waitForSettled(timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    this.health.stop();
    for (const informer of this.informers.values()) informer.stop();
    this.hub.closeSubscribers();
  }

  private makeHealthCheck(): ApiHealthCheck {
    const probe = async (timeoutMs: number) => {
      try {
        await kubeRequest(this.kc, { path: "/readyz", timeoutMs, maxResponseBytes: 4096 });
      } catch (err) {
        throw new Error(fromKubeError(err).message);
      }
    };
    return new ApiHealthCheck(probe, {
      onDown: (message) => {
        for (const kind of WATCHED_KINDS) {
          if (!this.hub.isDisabled(kind)) this.hub.setStatus(kind, { synced: false, error: `health check: ${message}` });
        }
        if (this.healthError !== message) logWarn(`the API server does not answer (${message}); watching for it to come back`);
        this.healthError = message;
      },
      onUp: () => {
        this.healthError = undefined;
        logInfo("the API server answers again: restarting the watches");
        for (const informer of this.informers.values()) {
          informer.stop();
          informer.start();
        }
      },
    });
  }

  private makeInformer<K extends WatchedKind>(kind: K): ResilientInformer<KindObjects[K]> {
    return new ResilientInformer<KindObjects[K]>(
      kind,
      kubeSource(this.kc, kind, this.settings.namespace),
      {
        replace: (items) => this.hub.replace(kind, items),
        apply: (type, object) => this.hub.apply(kind, type, object),
        status: (status) => {
          if (this.lastErrors.get(kind) !== status.error) {
            this.lastErrors.set(kind, status.error);
            if (status.error) logWarn(`watch ${kind}: ${status.error} (retrying with back-off)`);
            else if (status.synced) logInfo(`watch ${kind}: synced`);
          }
          this.hub.setStatus(kind, status);
        },
        forbidden: (message) => {
          logInfo(`${kind} are not readable with these credentials (${message}); the dashboard works without them`);
          this.hub.disable(kind);
        },
      },
      { disableOnForbidden: isClusterScoped(kind) },
    );
  }

  /** Runs a retrying setup loop in the background; resolves after its first attempt, successful or not. */
  private firstAttempt(loop: (firstAttemptDone: () => void) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      loop(resolve).then(resolve, (err) => {
        logWarn(`setup failed: ${fromKubeError(err).message}`);
        resolve();
      });
    });
  }

  /** The embedded cluster advertises what it can do; retried until it answers (it may still be starting). */
  private async loadEmbeddedCapabilities(firstAttemptDone: () => void): Promise<void> {
    const backoff = new Backoff();
    while (!this.stopped) {
      try {
        this.embedded = await kubeJson<EmbeddedCapabilities>(this.kc, { path: CAPABILITIES_PATH, timeoutMs: 5_000 });
        this.speedState = await kubeJson<SpeedState>(this.kc, { path: SPEED_PATH, timeoutMs: 5_000 }).catch(() => undefined);
        return;
      } catch (err) {
        const e = fromKubeError(err);
        // An API server without the playground group is not the embedded cluster: no extras.
        if (e.status === 404) {
          this.embedded = { nodeFailure: false, faults: false, dnsServer: false, speed: 1 };
          return;
        }
        firstAttemptDone();
        await new Promise((resolve) => setTimeout(resolve, backoff.next()));
      }
    }
  }

  /** Real clusters: create the playground namespace on first use (a namespace-scoped Role cannot read it: assume it exists). */
  private async ensureNamespace(firstAttemptDone: () => void): Promise<void> {
    const name = this.settings.namespace;
    const backoff = new Backoff();
    while (!this.stopped) {
      try {
        await this.core.readNamespace({ name });
        return;
      } catch (err) {
        const e = fromKubeError(err);
        if (e.status === 403) return;
        if (e.status === 404) {
          try {
            await this.core.createNamespace({ body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "statefulset-playground" } } } });
            logInfo(`created namespace "${name}"`);
            return;
          } catch (createErr) {
            const c = fromKubeError(createErr);
            if (c.status === 409 || c.status === 403) return;
            logWarn(`cannot create namespace "${name}": ${c.message}`);
          }
        }
        firstAttemptDone();
        await new Promise((resolve) => setTimeout(resolve, backoff.next()));
      }
    }
  }
}

const RUNTIME_KEY = Symbol.for("sts-playground.runtime");
type GlobalWithRuntime = typeof globalThis & { [RUNTIME_KEY]?: PlaygroundRuntime };

/** The process's runtime, created (and its watches started) on first use. Throws SettingsError when no cluster is configured. */
export function getRuntime(env: Env = process.env): PlaygroundRuntime {
  const g = globalThis as GlobalWithRuntime;
  return (g[RUNTIME_KEY] ??= new PlaygroundRuntime(settingsFromEnv(env)));
}

/** Replaces the process's runtime (a context switch): the old one's watches stop and its streams end. */
export function replaceRuntime(next: PlaygroundRuntime): void {
  const g = globalThis as GlobalWithRuntime;
  const previous = g[RUNTIME_KEY];
  g[RUNTIME_KEY] = next;
  if (previous !== next) previous?.stop();
}

/** Stops and forgets the process's runtime (tests, or a launcher switching clusters). */
export function disposeRuntime(): void {
  const g = globalThis as GlobalWithRuntime;
  g[RUNTIME_KEY]?.stop();
  delete g[RUNTIME_KEY];
}
