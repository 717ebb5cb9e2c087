import type { V1Container, V1Pod, V1Probe } from "@kubernetes/client-node";
import type { SimContext } from "../../../context";
import type { ContainerRef, ContainerRuntime, PodRuntime, ProbeResult, ProbeType } from "../types";
import { type ProbeOutcome, type ProbeTarget, runProbe } from "./handlers";

/**
 * One probe of one container, as the kubelet's prober worker (pkg/kubelet/prober/worker.go) runs
 * it: its own timer on the cluster clock every `periodSeconds`, nothing before `initialDelaySeconds`,
 * startup gating the other two, `successThreshold`/`failureThreshold` runs before the result flips,
 * and on hold after a liveness failure or a startup verdict until the container is replaced.
 */

/** What the worker sees of its kubelet. */
export interface ProbeHost {
  ctx: SimContext;
  /** The pod as stored, the runtime's pod and container, the node's IP; undefined once the pod is gone, "paused" while the node is down. */
  target(podKey: string, container: string): { pod: V1Pod; rt: PodRuntime; c: ContainerRuntime; nodeIP?: string } | "paused" | undefined;
  /** A result changed: the pod worker syncs the pod (status, restarts). */
  resultChanged(podKey: string): void;
  event(pod: V1Pod, type: "Normal" | "Warning", reason: string, message: string, container: ContainerRef): void;
}

/** SetDefaults_Probe. */
export function probeSettings(spec: V1Probe) {
  return {
    periodMs: (spec.periodSeconds || 10) * 1000,
    initialDelaySeconds: spec.initialDelaySeconds ?? 0,
    successThreshold: spec.successThreshold || 1,
    failureThreshold: spec.failureThreshold || 3,
  };
}

/** Until a probe has run: readiness is Failure, liveness Success, startup Unknown (no result). */
const INITIAL: Record<ProbeType, ProbeResult | undefined> = { readiness: "failure", liveness: "success", startup: undefined };

const TITLE: Record<ProbeType, string> = { readiness: "Readiness", liveness: "Liveness", startup: "Startup" };

/** The prober retries a probe that errored (not one that failed) this many times in all. */
const MAX_PROBE_RETRIES = 3;

export class ProbeWorker {
  private timer: unknown;
  private stopped = false;
  private inFlight = false;
  /** A trigger that came while a probe ran: when to probe once it is over. */
  private triggeredAt?: number;
  private containerID?: string;
  private lastResult?: ProbeResult;
  private resultRun = 0;
  private onHold = false;
  private readonly settings: ReturnType<typeof probeSettings>;

  constructor(
    private readonly host: ProbeHost,
    readonly podKey: string,
    readonly container: V1Container,
    readonly type: ProbeType,
    private readonly spec: V1Probe,
  ) {
    this.settings = probeSettings(spec);
  }

  /** The first probe at once (it waits for the container), then every period. */
  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.host.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Probe after `ms` and count the period from then (the kubelet's manual trigger resets the ticker). */
  trigger(ms: number): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.triggeredAt = this.host.ctx.clock.now() + ms;
      return;
    }
    this.host.ctx.clock.clearTimeout(this.timer);
    this.schedule(ms);
  }

  private schedule(ms: number): void {
    this.timer = this.host.ctx.clock.setTimeout(() => void this.tick(), Math.max(0, ms));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    const started = this.host.ctx.clock.now();
    this.inFlight = true;
    let keepGoing = true;
    try {
      keepGoing = await this.doProbe();
    } catch {
      // doProbe recovers from a panic and keeps going (runtime.HandleCrash): a probe that threw
      // leaves the result as it was, and never takes the playground down.
    } finally {
      this.inFlight = false;
    }
    if (!keepGoing) return this.stop();
    if (this.stopped || this.timer !== undefined) return;
    const now = this.host.ctx.clock.now();
    if (this.triggeredAt !== undefined) {
      const at = this.triggeredAt;
      this.triggeredAt = undefined;
      return this.schedule(at - now);
    }
    // A ticker: the next tick is a period after this one began; ticks missed while probing are dropped.
    let next = started + this.settings.periodMs;
    while (next <= now) next += this.settings.periodMs;
    this.schedule(next - now);
  }

  private setResult(c: ContainerRuntime, result: ProbeResult | undefined): void {
    if ((c.probe ??= {})[this.type] === result) return;
    if (result === undefined) delete c.probe[this.type];
    else c.probe[this.type] = result;
    this.host.resultChanged(this.podKey);
  }

  /** worker.doProbe: probes once if it is time to, records the result; false when the worker should end. */
  private async doProbe(): Promise<boolean> {
    const target = this.host.target(this.podKey, this.container.name);
    if (target === "paused") return true;
    if (!target || target.rt.terminal) return false;
    const { pod, c } = target;
    if (!c.containerID) return true; // not created yet
    if (c.containerID !== this.containerID) {
      this.containerID = c.containerID;
      // A container the playground found running after a restart keeps the result it had.
      if (c.probe?.[this.type] === undefined) this.setResult(c, INITIAL[this.type]);
      this.onHold = false;
    }
    if (this.onHold) return true;
    if (c.phase !== "running") {
      this.setResult(c, "failure");
      return c.phase !== "terminated";
    }
    if (pod.metadata?.deletionTimestamp && this.type !== "readiness") {
      this.setResult(c, "success"); // a quiet shutdown
      return false;
    }
    const now = this.host.ctx.clock.now();
    // int32(time.Since(startedAt).Seconds()) < initialDelaySeconds; the millisecond of slack keeps a
    // timer set for the exact end of the delay (floating-point cluster time) from missing it by a hair.
    if (now - c.startedAt! < this.settings.initialDelaySeconds * 1000 - 1) return true;
    const started = !this.container.startupProbe || c.probe?.startup === "success";
    if (started === (this.type === "startup")) return true; // startup stops once started; the others wait for it
    const result = await this.probeOnce({ pod, container: this.container, podIP: target.rt.ip ?? "", nodeIP: target.nodeIP });
    if (this.stopped || c.containerID !== this.containerID) return true;
    return this.record(c, result);
  }

  /** prober.probe: runs the handler (retrying errors), records Unhealthy / ProbeWarning events. */
  private async probeOnce(t: ProbeTarget): Promise<ProbeResult> {
    let outcome: ProbeOutcome = { result: "unknown", output: "" };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      outcome = await runProbe(this.host.ctx, t, this.spec);
      if (outcome.error === undefined) break;
    }
    const title = TITLE[this.type];
    if (outcome.error !== undefined) {
      this.host.event(t.pod, "Warning", "Unhealthy", `${title} probe errored and resulted in ${outcome.result} state: ${outcome.error}`, this.container);
      return "failure";
    }
    if (outcome.result === "warning") this.host.event(t.pod, "Warning", "ProbeWarning", `${title} probe warning: ${outcome.output}`, this.container);
    if (outcome.result === "failure") this.host.event(t.pod, "Warning", "Unhealthy", `${title} probe failed: ${outcome.output}`, this.container);
    return outcome.result === "success" || outcome.result === "warning" ? "success" : "failure";
  }

  /** The thresholds: the result changes only after enough runs in a row. */
  private record(c: ContainerRuntime, result: ProbeResult): boolean {
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const threshold = result === "failure" ? this.settings.failureThreshold : this.settings.successThreshold;
    if (this.resultRun < threshold) return true;
    this.setResult(c, result);
    if ((this.type === "liveness" && result === "failure") || this.type === "startup") {
      // The container will be restarted (or has started): probe again only once it is a new one.
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}
