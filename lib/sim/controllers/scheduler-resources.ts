import type { V1Container, V1Node, V1Pod } from "@kubernetes/client-node";
import { isPodTerminal, parseQuantity } from "./util";

/**
 * What NodeResourcesFit counts (pkg/scheduler/framework/plugins/noderesources/fit.go): a node's
 * allocatable pods, CPU (millicores) and memory (bytes), and the sum of what its pods request.
 * The scheduler keeps these per node from its pod watch (the scheduler cache), so a scheduling
 * cycle costs O(nodes), not O(pods).
 */

export interface Resources {
  milliCPU: number;
  memory: number;
}

export interface NodeUsage extends Resources {
  pods: number;
}

const request = (c: V1Container, name: "cpu" | "memory"): number => {
  const q = parseQuantity(c.resources?.requests?.[name] as string | undefined);
  return Number.isFinite(q) ? q : 0;
};

function containerRequest(c: V1Container): Resources {
  return { milliCPU: Math.ceil(request(c, "cpu") * 1000), memory: request(c, "memory") };
}

const add = (a: Resources, b: Resources): Resources => ({ milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory });
const max = (a: Resources, b: Resources): Resources => ({ milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory) });

/**
 * The pod's effective request (resourcehelper.PodRequests): the sum over its containers and its
 * restartable (sidecar) init containers, or the largest init container plus the sidecars started
 * before it when that is more; plus the pod overhead.
 */
export function podRequest(pod: V1Pod): Resources {
  let sum = (pod.spec?.containers ?? []).map(containerRequest).reduce(add, { milliCPU: 0, memory: 0 });
  let sidecars: Resources = { milliCPU: 0, memory: 0 };
  let initMax: Resources = { milliCPU: 0, memory: 0 };
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequest(c);
    if (c.restartPolicy === "Always") {
      sidecars = add(sidecars, r);
      sum = add(sum, r);
      initMax = max(initMax, sidecars);
    } else initMax = max(initMax, add(sidecars, r));
  }
  const overhead = pod.spec?.overhead as Record<string, string> | undefined;
  const extra = { milliCPU: Math.ceil((parseQuantity(overhead?.cpu) || 0) * 1000), memory: parseQuantity(overhead?.memory) || 0 };
  return add(max(sum, initMax), extra);
}

export function nodeAllocatable(node: V1Node): NodeUsage {
  const a = node.status?.allocatable ?? {};
  const num = (v: string | undefined) => (Number.isFinite(parseQuantity(v)) ? parseQuantity(v) : 0);
  return { pods: Math.floor(num(a.pods)), milliCPU: Math.round(num(a.cpu) * 1000), memory: num(a.memory) };
}

/** NodeResourcesFit's reasons, and whether preemption could ever help (a request larger than the node cannot). */
export function insufficientResources(req: Resources, used: NodeUsage, allocatable: NodeUsage): { reasons: string[]; unresolvable: boolean } {
  const reasons: string[] = [];
  let unresolvable = false;
  if (used.pods + 1 > allocatable.pods) reasons.push("Too many pods");
  if (req.milliCPU > 0 && req.milliCPU > allocatable.milliCPU - used.milliCPU) {
    reasons.push("Insufficient cpu");
    unresolvable ||= req.milliCPU > allocatable.milliCPU;
  }
  if (req.memory > 0 && req.memory > allocatable.memory - used.memory) {
    reasons.push("Insufficient memory");
    unresolvable ||= req.memory > allocatable.memory;
  }
  return { reasons, unresolvable };
}

/**
 * The scheduler cache's view of assigned pods: node usage updated per pod event. Terminal pods
 * leave it (the scheduler's informer filters them out); terminating ones still count.
 */
export class NodeUsageCache {
  private readonly byPod = new Map<string, { node: string; request: Resources }>();
  private readonly byNode = new Map<string, NodeUsage>();

  /** Records the pod's current state; true when it left a node (room for a pending pod). */
  observe(key: string, pod: V1Pod | undefined): boolean {
    const previous = this.byPod.get(key);
    const node = pod && !isPodTerminal(pod) ? pod.spec?.nodeName : undefined;
    if (previous) {
      this.change(previous.node, previous.request, -1);
      this.byPod.delete(key);
    }
    if (pod && node) {
      const req = podRequest(pod);
      this.byPod.set(key, { node, request: req });
      this.change(node, req, 1);
    }
    return !!previous && previous.node !== node;
  }

  usage(node: string): NodeUsage {
    return this.byNode.get(node) ?? { pods: 0, milliCPU: 0, memory: 0 };
  }

  private change(node: string, req: Resources, sign: 1 | -1): void {
    const u = this.usage(node);
    this.byNode.set(node, { pods: u.pods + sign, milliCPU: u.milliCPU + sign * req.milliCPU, memory: u.memory + sign * req.memory });
  }
}
