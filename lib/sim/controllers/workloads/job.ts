import { ownerKeys, writeStatusIfChanged } from "./sync";
import type { V1Job, V1JobCondition, V1JobStatus, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { objectKey, splitKey } from "../../../k8s/keys";
import { type RunningController, runController } from "../runtime/controller";
import { recordEvent } from "../runtime/events";
import { isPodReady } from "../../../k8s/status";
import { timeField } from "../../../k8s/time";
import { ignoreStale, timeMs } from "../util";
import { claimPods, isActive, podFromTemplate } from "./pods";

const JOBS = "jobs.batch";
const SOURCE = { component: "job-controller" };
/** DefaultJobPodFailureBackOff and its cap (pkg/controller/job). */
const BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 6 * 60_000;
const COMPLETED = { reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
const BACKOFF_EXCEEDED = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };

const has = (job: V1Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");

function condition(type: string, reason: string, message: string, now: Date): V1JobCondition {
  return { type, status: "True", reason, message, lastProbeTime: now, lastTransitionTime: now };
}

/** getFinishedTime: the last container's finishedAt, else the Ready condition's last change, else creation. */
function finishedAt(pod: V1Pod): number {
  const ends = (pod.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt).filter((t) => t !== undefined);
  if (ends.length) return Math.max(...ends.map(timeMs));
  return timeMs(pod.status?.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime ?? pod.metadata?.creationTimestamp);
}

/** How many pods should run now: parallelism, never more than the completions still missing. */
function wantedActive(job: V1Job, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? 0 : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/**
 * The Job controller (pkg/controller/job), NonIndexed jobs: pods `<job>-<5 chars>` until
 * `completions` succeed, `parallelism` at a time, a failed pod replaced after an exponential back-off
 * until `backoffLimit` failures; then, as v1.36 does (JobManagedBy is GA), SuccessCriteriaMet or
 * FailureTarget first and Complete or Failed once no pod is terminating.
 */
export function startJobController(ctx: SimContext): RunningController {
  const { store } = ctx;
  const owner = (job: V1Job) => ({ apiVersion: "batch/v1", kind: "Job", metadata: job.metadata! });

  const sync = (job: V1Job): { requeueAfter?: number } | void => {
    const now = timeField(ctx.clock.now());
    const pods = claimPods(ctx, owner(job), job.spec?.selector);
    const active = pods.filter(isActive);
    const succeeded = pods.filter((p) => p.status?.phase === "Succeeded").length;
    const failedPods = pods.filter((p) => p.status?.phase === "Failed");
    const terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !["Succeeded", "Failed"].includes(p.status?.phase ?? "")).length;
    const status: V1JobStatus = { ...job.status, startTime: job.status?.startTime ?? now, active: active.length, succeeded, failed: failedPods.length, ready: active.filter(isPodReady).length, terminating, uncountedTerminatedPods: {} };
    const conditions = [...(job.status?.conditions ?? [])];
    const finishing = has(job, "SuccessCriteriaMet") || has(job, "FailureTarget");
    let requeueAfter: number | undefined;
    if (!finishing && !has(job, "Complete") && !has(job, "Failed") && !job.spec?.suspend) {
      if (failedPods.length > (job.spec?.backoffLimit ?? 6)) {
        conditions.push(condition("FailureTarget", BACKOFF_EXCEEDED.reason, BACKOFF_EXCEEDED.message, now));
        for (const p of active) ignoreStale(() => store.delete("pods", p.metadata!.namespace, p.metadata!.name!));
      } else if (job.spec?.completions !== undefined && succeeded >= (job.spec.completions ?? 1)) {
        conditions.push(condition("SuccessCriteriaMet", COMPLETED.reason, COMPLETED.message, now));
        for (const p of active) ignoreStale(() => store.delete("pods", p.metadata!.namespace, p.metadata!.name!));
      } else {
        requeueAfter = createPods(job, active.length, wantedActive(job, succeeded), failedPods);
      }
    }
    const target = conditions.find((c) => c.type === "SuccessCriteriaMet" || c.type === "FailureTarget");
    const stillRunning = pods.some((p) => !["Succeeded", "Failed"].includes(p.status?.phase ?? "") && store.tryGet("pods", p.metadata!.namespace, p.metadata!.name!));
    if (target && !stillRunning && !conditions.some((c) => c.type === "Complete" || c.type === "Failed")) {
      const done = target.type === "SuccessCriteriaMet";
      conditions.push(condition(done ? "Complete" : "Failed", target.reason!, target.message!, now));
      if (done) status.completionTime = now;
      recordEvent(ctx, job, done ? "Normal" : "Warning", done ? "Completed" : target.reason!, done ? "Job completed" : target.message!, SOURCE);
    }
    status.conditions = conditions.length ? conditions : undefined;
    writeStatusIfChanged(ctx, JOBS, job, status);
    if (requeueAfter !== undefined) return { requeueAfter };
  };

  /** Creates the missing pods, or returns how long the back-off after the last failure still lasts. */
  const createPods = (job: V1Job, active: number, wanted: number, failed: V1Pod[]): number | undefined => {
    if (active >= wanted) return undefined;
    const lastFailure = Math.max(0, ...failed.map(finishedAt));
    const backoff = failed.length ? Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** (failed.length - 1)) : 0;
    const wait = lastFailure + backoff - ctx.clock.now();
    if (wait > 0) return wait;
    for (let i = active; i < wanted; i++) {
      try {
        const pod = store.create("pods", podFromTemplate(owner(job), job.spec?.template));
        recordEvent(ctx, job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, SOURCE);
      } catch (err) {
        recordEvent(ctx, job, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`, SOURCE);
        return undefined;
      }
    }
    return undefined;
  };

  return runController(ctx, {
    name: "job-controller",
    watches: [
      { resource: JOBS, keys: (obj) => [objectKey(obj)] },
      { resource: "pods", keys: (obj) => ownerKeys(obj, "Job") },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const job = store.tryGet(JOBS, namespace, name);
      if (!job || job.metadata?.deletionTimestamp) return;
      return sync(job);
    },
  });
}
