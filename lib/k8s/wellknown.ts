/**
 * Well-known labels and annotations, each written once for the page, the dashboard server, the
 * embedded cluster and the tools.
 */

/** discovery.LabelServiceName: the Service an EndpointSlice belongs to. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/**
 * The playground's own annotation: a node carrying `playground.k8s.io/down: "true"` is powered
 * off: its kubelet stops (no heartbeats, no pod status, no deletions) until it is removed.
 */
export const NODE_DOWN_ANNOTATION = "playground.k8s.io/down";

export function isNodeDown(node: { metadata?: { annotations?: Record<string, string> } } | undefined): boolean {
  return node?.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true";
}

/**
 * KWOK's mark on the fake nodes it manages (its default `--manage-nodes-with-annotation-selector`):
 * their pods go Running and Ready without a process, so nothing answers through them.
 */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export function isKwokNode(node: { metadata?: { annotations?: Record<string, string> } } | undefined): boolean {
  return node?.metadata?.annotations?.[KWOK_NODE_ANNOTATION] !== undefined;
}
