import type { V1Binding, V1Eviction } from "@kubernetes/client-node";
import { errors } from "../../store/errors";
import type { ApiDeps } from "../deps";
import { type ApiRequest, decodeObject, mediaType } from "../http";
import { negotiateOutput } from "../negotiation";
import { respond } from "../respond";
import type { ResourceRoute } from "../routes";
import { timeField } from "../../../k8s/time";
import { deepCopy } from "../../store/copy";

function success(code: number): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code };
}

/** POST pods/{name}/binding: what the scheduler does; a pod is bound once (409 afterwards). */
export async function handleBinding(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  if (req.method !== "POST") throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  // The body as sent (decodeObject checks it is an object; target is checked below, as the strategy does).
  const binding = decodeObject(await req.body(), mediaType(req.headers), { apiVersion: "v1", kind: "Binding" }) as unknown as V1Binding;
  const node = binding.target?.name;
  if (!node || (binding.target.kind && binding.target.kind !== "Node")) {
    throw errors.invalid("Binding", "", route.name!, [{ field: "target.kind", reason: "FieldValueNotSupported", message: `Unsupported value: "${binding.target?.kind ?? ""}": supported values: "Node"` }]);
  }
  const pod = deps.ctx.store.get("pods", route.namespace, route.name!);
  if (pod.metadata?.deletionTimestamp) throw errors.conflict("pods", "", route.name!, "pod is being deleted, cannot be assigned to a host");
  if (pod.spec?.nodeName) throw errors.conflict("pods", "", route.name!, `pod ${route.name} is already assigned to node "${pod.spec.nodeName}"`);
  const next = deepCopy(pod);
  next.spec!.nodeName = node;
  deps.ctx.store.update("pods", next);
  const bound = deps.ctx.store.get("pods", route.namespace, route.name!);
  const conditions = (bound.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled");
  conditions.push({ type: "PodScheduled", status: "True", lastTransitionTime: timeField(deps.ctx.clock.now()) });
  deps.ctx.store.update("pods", { ...bound, status: { ...bound.status, conditions } }, { subresource: "status" });
  respond(req.res, 201, success(201), negotiateOutput(req.headers.accept));
}

/** POST pods/{name}/eviction: a graceful delete (there are no PodDisruptionBudgets to respect). */
export async function handleEviction(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  if (req.method !== "POST") throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  // The body as sent: its deleteOptions are not yet checked against the Go types (no V1Eviction model target).
  const eviction = decodeObject(await req.body(), mediaType(req.headers), { apiVersion: "policy/v1", kind: "Eviction" }) as unknown as V1Eviction;
  const opts = eviction.deleteOptions ?? {};
  deps.ctx.store.delete("pods", route.namespace, route.name!, {
    gracePeriodSeconds: opts.gracePeriodSeconds,
    preconditions: opts.preconditions,
    propagationPolicy: opts.propagationPolicy as "Background" | "Foreground" | "Orphan" | undefined,
  });
  respond(req.res, 201, success(201), negotiateOutput(req.headers.accept));
}
