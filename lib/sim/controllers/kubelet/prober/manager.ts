import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ContainerRuntime, ProbeType } from "../types";
import { type ProbeHost, probeSettings, ProbeWorker } from "./worker";

const PROBES: [ProbeType, keyof Pick<V1Container, "startupProbe" | "readinessProbe" | "livenessProbe">][] = [
  ["startup", "startupProbe"],
  ["readiness", "readinessProbe"],
  ["liveness", "livenessProbe"],
];

/**
 * The kubelet's probe manager (prober_manager.go): one worker per probe of each container of the
 * pods its node runs, each with its own timer, so pods without probes cost nothing and the cost of
 * the others is one timer per probe period.
 */
export class ProbeManager {
  private readonly workers = new Map<string, ProbeWorker[]>();

  constructor(private readonly host: ProbeHost) {}

  addPod(podKey: string, pod: V1Pod): void {
    if (this.workers.has(podKey)) return;
    const workers: ProbeWorker[] = [];
    for (const container of pod.spec?.containers ?? []) {
      for (const [type, field] of PROBES) {
        const spec = container[field];
        if (spec) workers.push(new ProbeWorker(this.host, podKey, container, type, spec));
      }
    }
    if (!workers.length) return;
    this.workers.set(podKey, workers);
    for (const w of workers) w.start();
  }

  removePod(podKey: string): void {
    for (const w of this.workers.get(podKey) ?? []) w.stop();
    this.workers.delete(podKey);
  }

  /**
   * A container has just started: its probes run once their initial delay is over (the kubelet's
   * status sync triggers a readiness run at once; the playground runs each probe as soon as it may).
   */
  containerStarted(podKey: string, container: string): void {
    for (const w of this.workers.get(podKey) ?? []) {
      if (w.container.name !== container) continue;
      const spec = w.container[PROBES.find(([t]) => t === w.type)![1]]!;
      w.trigger(probeSettings(spec).initialDelaySeconds * 1000);
    }
  }

  stop(): void {
    for (const key of [...this.workers.keys()]) this.removePod(key);
  }
}

/** Whether the container counts as started: running, and its startup probe (if any) has succeeded. */
export function isStarted(c: ContainerRuntime, spec: V1Container | undefined): boolean {
  return c.phase === "running" && (!spec?.startupProbe || c.probe?.startup === "success");
}

/** Whether the container is ready: started, and its readiness probe (if any) last succeeded. */
export function isReady(c: ContainerRuntime, spec: V1Container | undefined): boolean {
  return isStarted(c, spec) && (!spec?.readinessProbe || c.probe?.readiness === "success");
}
