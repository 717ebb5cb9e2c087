import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { fromLabelSelector, matchesLabels } from "../../store/selectors";
import type { StoredObject } from "../../store/store";
import { type RunningController, runController } from "../runtime/controller";
import { objectKey, splitKey } from "../../../k8s/keys";
import { syncStatefulSet } from "./control";
import { withDefaults } from "./defaults";
import { isMemberOf, setControllerRef } from "./identity";

/**
 * The StatefulSet controller (stateful_set.go): reacts to StatefulSets and their pods through
 * watches, with no artificial delays, and syncs one set at a time.
 */

const SETS = "statefulsets.apps";

function selectorMatches(set: V1StatefulSet, labels: Record<string, string> | undefined): boolean {
  const selector = fromLabelSelector(set.spec?.selector);
  // An empty selector selects nothing for a controller (metav1.LabelSelectorAsSelector semantics aside).
  return selector.length > 0 && matchesLabels(selector, labels);
}

/**
 * ControllerRefManager.ClaimPods: the set's pods are those it controls whose name and labels still
 * match; orphans that match are adopted, owned pods that stopped matching are released.
 */
function claimPods(ctx: SimContext, set: V1StatefulSet): V1Pod[] {
  const uid = set.metadata!.uid;
  const deleting = !!set.metadata?.deletionTimestamp;
  const claimed: V1Pod[] = [];
  for (const obj of ctx.store.list("pods", { namespace: set.metadata!.namespace }).items) {
    const pod = obj;
    const refs = pod.metadata?.ownerReferences ?? [];
    const controller = refs.find((r) => r.controller);
    const matches = selectorMatches(set, pod.metadata?.labels) && isMemberOf(set, pod);
    if (controller) {
      if (controller.uid !== uid) continue;
      if (matches || deleting) claimed.push(pod);
      else ctx.store.update("pods", { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.filter((r) => r.uid !== uid) } });
    } else if (matches && !deleting && !pod.metadata?.deletionTimestamp) {
      const adopted = ctx.store.update("pods", { ...obj, metadata: { ...obj.metadata, ownerReferences: [...refs, setControllerRef(set)] } });
      claimed.push(adopted);
    }
  }
  return claimed;
}

/** The sets a pod event concerns: its controlling StatefulSet, or for an orphan every set that selects it. */
function setsForPod(ctx: SimContext, obj: StoredObject): string[] {
  const controller = obj.metadata.ownerReferences?.find((r) => r.controller);
  const namespace = obj.metadata.namespace;
  if (controller) return controller.kind === "StatefulSet" && controller.apiVersion.startsWith("apps/") ? [`${namespace}/${controller.name}`] : [];
  return setsSelecting(ctx, obj);
}

function setsSelecting(ctx: SimContext, obj: StoredObject): string[] {
  return ctx.store
    .list(SETS, { namespace: obj.metadata.namespace })
    .items.filter((s) => selectorMatches(s, obj.metadata.labels))
    .map(objectKey);
}

export function startStatefulSetController(ctx: SimContext): RunningController {
  return runController(ctx, {
    name: "statefulset-controller",
    watches: [
      { resource: SETS, keys: (obj) => [objectKey(obj)] },
      { resource: "pods", keys: (obj) => setsForPod(ctx, obj) },
      // A claim that goes away may unblock a pod waiting on a stale or deleting claim.
      { resource: "persistentvolumeclaims", keys: (obj, type) => (type === "DELETED" ? setsSelecting(ctx, obj) : []) },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const stored = ctx.store.tryGet(SETS, namespace, name);
      if (!stored) return;
      const set = withDefaults(stored);
      const { recheckAfter } = syncStatefulSet(ctx, set, claimPods(ctx, set));
      return recheckAfter !== undefined ? { requeueAfter: recheckAfter } : undefined;
    },
  });
}
