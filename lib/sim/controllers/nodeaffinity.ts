import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Pod } from "@kubernetes/client-node";

/**
 * Required node affinity as the scheduler's NodeAffinity filter and the DaemonSet controller read
 * it (k8s.io/component-helpers/scheduling/corev1/nodeaffinity): the terms are ORed, the requirements
 * of a term ANDed; matchExpressions test labels, matchFields only `metadata.name`.
 */

function numeric(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const have = numeric(value);
      const bound = numeric(values[0]);
      if (have === undefined || bound === undefined) return false;
      return req.operator === "Gt" ? have > bound : have < bound;
    }
    default:
      return false;
  }
}

function termMatches(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false; // an empty term matches no node
  return (
    expressions.every((req) => requirementMatches(req, node.metadata?.labels?.[req.key])) &&
    fields.every((req) => req.key === "metadata.name" && requirementMatches(req, node.metadata?.name))
  );
}

/** True when the pod's required node affinity (if any) admits `node`. */
export function matchesRequiredNodeAffinity(pod: V1Pod, node: V1Node): boolean {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((term) => termMatches(term, node));
}
