import type { V1LabelSelector, V1Service } from "@kubernetes/client-node";

/**
 * Label selector matching (k8s.io/apimachinery/pkg/labels): matchLabels AND every
 * matchExpression. An empty selector matches everything, as metav1.LabelSelectorAsSelector does.
 */
export function matchesSelector(labels: Record<string, string> | undefined, selector: V1LabelSelector | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
        if (!present || !values.includes(have[expr.key])) return false;
        break;
      case "NotIn":
        if (present && values.includes(have[expr.key])) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Whether a Service's selector picks pods with these labels. A Service without a selector selects
 * nothing (its endpoints are managed by hand), unlike an empty LabelSelector.
 */
export function serviceSelects(service: V1Service, labels: Record<string, string> | undefined): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  const have = labels ?? {};
  return Object.entries(selector).every(([key, value]) => have[key] === value);
}
