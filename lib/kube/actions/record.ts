import "server-only";
import { randomUUID } from "node:crypto";
import type { ActionRecord } from "@/lib/k8s/contract";
import { clusterNow } from "@/lib/k8s/speed";
import { fromKubeError, PlaygroundError } from "../errors";
import { redact } from "../redact";
import type { PlaygroundRuntime } from "../runtime";

/**
 * Every dashboard action is recorded (with the kubectl command that does the same) and broadcast
 * on the hub, whether it succeeded or not: the timeline shows failures too. A failure is then
 * rethrown so the route answers with the Kubernetes reason and message.
 */
export interface ActionMeta {
  action: string;
  target: string;
  kubectl: string;
}

/** When an action happens, on the wall clock and on the cluster's (which the action's record keeps, see ActionRecord). */
export function actionTimes(runtime: PlaygroundRuntime, now = Date.now()): Pick<ActionRecord, "at" | "clusterAt"> {
  return { at: new Date(now).toISOString(), clusterAt: new Date(clusterNow(runtime.clock(), now)).toISOString() };
}

export async function runAction(
  runtime: PlaygroundRuntime,
  meta: ActionMeta,
  perform: () => Promise<string | undefined>,
): Promise<ActionRecord> {
  const base = { id: randomUUID(), ...actionTimes(runtime), ...meta };
  try {
    const message = await perform();
    const record: ActionRecord = { ...base, ok: true, ...(message ? { message: redact(message) } : {}) };
    runtime.hub.recordAction(record);
    return record;
  } catch (err) {
    const e = fromKubeError(err);
    runtime.hub.recordAction({ ...base, ok: false, message: redact(`${e.reason}: ${e.message}`) });
    throw e;
  }
}

/** Bounds a call to the API server: a hung server answers 504 instead of holding the request forever. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlaygroundError(504, "Timeout", `${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const API_TIMEOUT_MS = 15_000;

/** Only the embedded cluster can fail nodes or inject faults. 403 (not 5xx): it is the request that cannot be served here. */
export function requireEmbedded(runtime: PlaygroundRuntime, what: string): void {
  if (runtime.settings.mode !== "embedded") {
    throw new PlaygroundError(403, "Forbidden", `${what} is only available on the embedded cluster`);
  }
}
