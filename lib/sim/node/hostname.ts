import type { V1Pod } from "@kubernetes/client-node";

export const CLUSTER_DOMAIN = "cluster.local";

/**
 * `os.hostname()` inside the pod, as the kubelet sets it (GeneratePodHostNameAndDomain): spec.hostname
 * or the pod name, cut to 63 characters without a trailing '-' or '.'; the FQDN with setHostnameAsFQDN.
 */
export function podHostname(pod: V1Pod): string {
  const name = pod.spec?.hostname || pod.metadata?.name || "";
  const hostname = name.length > 63 ? name.slice(0, 63).replace(/[-.]+$/, "") : name;
  const subdomain = pod.spec?.subdomain;
  if (pod.spec?.setHostnameAsFQDN && subdomain) return `${hostname}.${subdomain}.${pod.metadata?.namespace}.svc.${CLUSTER_DOMAIN}`;
  return hostname;
}
