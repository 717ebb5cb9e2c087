import "server-only";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { ActionRecord, FaultsState } from "@/lib/k8s/contract";
import { formatSpeed, type SpeedChange, type SpeedState } from "@/lib/k8s/speed";
import { kubeJson } from "../request";
import { FAULTS_PATH, SPEED_PATH, type PlaygroundRuntime } from "../runtime";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { NODE_DOWN_ANNOTATION } from "@/lib/k8s/wellknown";
import { API_TIMEOUT_MS, requireEmbedded, runAction, withTimeout } from "./record";

/**
 * What only the embedded cluster can do. A node "fails" when it carries the annotation
 * `playground.k8s.io/down=true` (its kubelet stops reporting, as a powered-off machine would);
 * removing it recovers the node. Faults are the book's failures (no storage, a missing image, a broken pod network), switched on demand.
 */

async function annotateNode(runtime: PlaygroundRuntime, name: string, value: "true" | null): Promise<void> {
  await withTimeout(
    runtime.core.patchNode(
      { name, body: { metadata: { annotations: { [NODE_DOWN_ANNOTATION]: value } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    ),
    API_TIMEOUT_MS,
    "patching the node",
  );
}

export async function failNode(runtime: PlaygroundRuntime, name: string): Promise<ActionRecord> {
  requireEmbedded(runtime, "failing a node");
  return runAction(runtime, { action: "fail-node", target: `node/${name}`, kubectl: kubectlFor.failNode(name) }, async () => {
    await annotateNode(runtime, name, "true");
    return `node/${name} is down: its kubelet stops reporting, its pods cannot be confirmed deleted`;
  });
}

export async function recoverNode(runtime: PlaygroundRuntime, name: string): Promise<ActionRecord> {
  requireEmbedded(runtime, "recovering a node");
  return runAction(runtime, { action: "recover-node", target: `node/${name}`, kubectl: kubectlFor.recoverNode(name) }, async () => {
    await annotateNode(runtime, name, null);
    return `node/${name} is back`;
  });
}

export async function getFaults(runtime: PlaygroundRuntime): Promise<FaultsState> {
  requireEmbedded(runtime, "fault injection");
  return kubeJson<FaultsState>(runtime.kc, { path: FAULTS_PATH, timeoutMs: API_TIMEOUT_MS });
}

/** Applies a partial change to the fault state (read, merge, write the whole FaultState). */
export async function setFaults(runtime: PlaygroundRuntime, patch: Partial<FaultsState>): Promise<FaultsState> {
  requireEmbedded(runtime, "fault injection");
  let result: FaultsState | undefined;
  await runAction(runtime, { action: "set-faults", target: "faults", kubectl: kubectlFor.setFaults(patch) }, async () => {
    const current = await getFaults(runtime);
    const next: FaultsState = { ...current, ...patch };
    result = await kubeJson<FaultsState>(runtime.kc, {
      method: "PUT",
      path: FAULTS_PATH,
      body: JSON.stringify(next),
      timeoutMs: API_TIMEOUT_MS,
    });
    return describeFaults(result);
  });
  return result!;
}

function describeFaults(state: FaultsState): string {
  const on = [
    state.storageUnavailable ? "storage unavailable" : undefined,
    state.missingImages.length > 0 ? `missing images: ${state.missingImages.join(", ")}` : undefined,
    state.brokenPodNetwork ? "broken pod network" : undefined,
  ].filter(Boolean);
  return on.length > 0 ? `faults on: ${on.join("; ")}` : "no faults";
}

/** The embedded cluster's clock: its speed, whether it is paused, and its time. */
export async function getSpeed(runtime: PlaygroundRuntime): Promise<SpeedState> {
  requireEmbedded(runtime, "slow motion");
  const state = await kubeJson<SpeedState>(runtime.kc, { path: SPEED_PATH, timeoutMs: API_TIMEOUT_MS });
  runtime.updateClock(state);
  return state;
}

/** Changes the speed and/or pauses or resumes the embedded cluster's clock, live; every browser hears of it. */
export async function setSpeed(runtime: PlaygroundRuntime, change: SpeedChange): Promise<SpeedState> {
  requireEmbedded(runtime, "slow motion");
  let result: SpeedState | undefined;
  await runAction(runtime, { action: "set-speed", target: "speed", kubectl: kubectlFor.setSpeed(change) }, async () => {
    result = await kubeJson<SpeedState>(runtime.kc, { method: "PUT", path: SPEED_PATH, body: JSON.stringify(change), timeoutMs: API_TIMEOUT_MS });
    runtime.updateClock(result);
    return result.paused ? `cluster clock paused (at ${formatSpeed(result.speed)})` : `cluster clock runs at ${formatSpeed(result.speed)}`;
  });
  return result!;
}
