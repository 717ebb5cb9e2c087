import "server-only";
import { randomUUID } from "node:crypto";
import type { ActionRecord, ContextList } from "@/lib/k8s/contract";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { badRequest, PlaygroundError } from "./errors";
import { logInfo } from "./log";
import { actionTimes } from "./actions/record";
import { getRuntime, PlaygroundRuntime, replaceRuntime } from "./runtime";

/**
 * The context picker (real-cluster mode with a kubeconfig of several contexts). Only the contexts'
 * NAMES leave the server — never a server URL, user or credential. Switching is an explicit
 * request (the header's "Use" button), never automatic; whatever the context, the dashboard stays
 * confined to the same namespace (PLAYGROUND_NAMESPACE), through the same allow-list.
 *
 * Per server process: with several replicas each has its own choice (README, "Several replicas").
 */
export type { ContextList };

/** False on the embedded cluster and in a pod (in-cluster configuration has one context). */
function switchable(runtime: PlaygroundRuntime): boolean {
  return runtime.settings.mode === "real" && !runtime.settings.inCluster;
}

export function listContexts(runtime: PlaygroundRuntime = getRuntime()): ContextList {
  const current = runtime.kc.getCurrentContext();
  const names = switchable(runtime) ? runtime.kc.getContexts().map((c) => c.name) : [current];
  return { current, contexts: [...new Set(names)], switchable: switchable(runtime), namespace: runtime.namespace };
}

/** Starts a runtime on the chosen context (same namespace, same limits) and retires the current one. */
export function switchContext(name: string): { list: ContextList; action: ActionRecord } {
  const runtime = getRuntime();
  if (!switchable(runtime)) {
    throw new PlaygroundError(409, "Conflict", runtime.settings.mode === "embedded" ? "the embedded cluster has a single context" : "in a pod the dashboard uses its ServiceAccount: there is no other context");
  }
  if (!runtime.kc.getContexts().some((c) => c.name === name)) throw badRequest(`the kubeconfig has no context named "${name}"`, "context");
  const action: ActionRecord = {
    id: randomUUID(),
    ...actionTimes(runtime),
    action: "use-context",
    target: `context/${name}`,
    kubectl: kubectlFor.useContext(name, runtime.namespace),
    ok: true,
  };
  if (runtime.kc.getCurrentContext() === name) return { list: listContexts(runtime), action };
  const next = new PlaygroundRuntime({ ...runtime.settings, context: name });
  replaceRuntime(next);
  next.hub.recordAction(action);
  logInfo(`switched to context "${name}" (namespace "${next.namespace}"), as a viewer asked`);
  return { list: listContexts(next), action };
}
