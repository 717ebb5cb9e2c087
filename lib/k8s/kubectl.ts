import type { V1Probe } from "@kubernetes/client-node";
import type { FaultsState } from "./contract";
import { NODE_DOWN_ANNOTATION } from "./wellknown";
import type { SpeedChange } from "./speed";

/**
 * The kubectl command equivalent to each dashboard action, shown in the console strip and stored
 * in ActionRecords by the server — one source so the page and the server print the same text.
 * Commands are meant to be pasted into a shell: user-provided text is single-quoted.
 */

/** The demo's manifest, served by the dashboard (public/kubia.yaml) so `kubectl apply` has a file. */
export const DEMO_MANIFEST = "kubia.yaml";
export const PARALLEL_MANIFEST = "kubia-parallel.yaml";

/** POSIX shell single-quoting: safe for any text, including quotes and newlines. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const ns = (namespace: string) => `-n ${shellQuote(namespace)}`;

function proxyPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${namespace}/pods/${pod}/proxy/`;
}

export interface DeletePodOptions {
  force?: boolean;
  gracePeriodSeconds?: number;
}

export const kubectlFor = {
  /** The dashboard's context switch leaves the kubeconfig file alone: kubectl names the context per command. */
  useContext: (context: string, namespace: string) => `kubectl --context ${shellQuote(context)} get statefulsets,pods,pvc ${ns(namespace)}`,

  scale: (namespace: string, name: string, replicas: number) => `kubectl scale statefulset ${name} --replicas=${replicas} ${ns(namespace)}`,

  /** Graceful (the pod's own grace period), a chosen grace period, or force: grace 0 without waiting for the kubelet. */
  deletePod: (namespace: string, name: string, options: DeletePodOptions = {}) => {
    if (options.force) return `kubectl delete pod ${name} --force --grace-period=0 ${ns(namespace)}`;
    const grace = options.gracePeriodSeconds !== undefined ? ` --grace-period=${options.gracePeriodSeconds}` : "";
    return `kubectl delete pod ${name}${grace} ${ns(namespace)}`;
  },

  deletePvc: (namespace: string, name: string) => `kubectl delete pvc ${name} ${ns(namespace)}`,

  /** GET through the API server's pod proxy: what the kubia app answers (its name and stored data). */
  readData: (namespace: string, pod: string) => `kubectl get --raw ${proxyPath(namespace, pod)}`,

  /** POST through the pod proxy (`kubectl create --raw` POSTs the file; `-f -` reads stdin). */
  writeData: (namespace: string, pod: string, data?: string) =>
    data === undefined
      ? `kubectl create --raw ${proxyPath(namespace, pod)} -f data.txt`
      : `printf '%s' ${shellQuote(data)} | kubectl create --raw ${proxyPath(namespace, pod)} -f -`,

  /** The same POST with `kubectl proxy` and curl, as in the book. */
  writeDataWithProxy: (namespace: string, pod: string, data: string) =>
    `kubectl proxy --port=8001 & curl -X POST --data-binary ${shellQuote(data)} localhost:8001${proxyPath(namespace, pod)}`,

  failNode: (name: string) => `kubectl annotate node ${name} ${NODE_DOWN_ANNOTATION}=true`,
  recoverNode: (name: string) => `kubectl annotate node ${name} ${NODE_DOWN_ANNOTATION}-`,

  createDemo: (namespace: string) => `kubectl apply -f ${DEMO_MANIFEST} ${ns(namespace)}`,

  /** The StatefulSet's PVCs carry its selector labels (app=kubia in the demo), so one selector finds them all. */
  resetDemo: (namespace: string, name: string) =>
    [
      `kubectl delete statefulset ${name} ${ns(namespace)}`,
      `kubectl delete pod -l app=${name} --force --grace-period=0 ${ns(namespace)}`,
      `kubectl delete pvc -l app=${name} ${ns(namespace)}`,
      `kubectl apply -f ${DEMO_MANIFEST} ${ns(namespace)}`,
    ].join(" && "),

  /** The embedded cluster's fault switches live in its own API group. */
  setFaults: (patch?: Partial<FaultsState>) =>
    patch === undefined
      ? `kubectl replace --raw /apis/playground.k8s.io/v1/faults -f faults.json`
      : `printf '%s' ${shellQuote(JSON.stringify(patch))} | kubectl replace --raw /apis/playground.k8s.io/v1/faults -f -`,

  /** The lesson's Parallel StatefulSet (public/kubia-parallel.yaml). */
  createParallelDemo: (namespace: string) => `kubectl apply -f ${PARALLEL_MANIFEST} ${ns(namespace)}`,

  setImage: (namespace: string, name: string, container: string, image: string) => `kubectl set image statefulset/${name} ${container}=${image} ${ns(namespace)}`,

  setPartition: (namespace: string, name: string, partition: number) =>
    `kubectl patch statefulset ${name} ${ns(namespace)} -p ${shellQuote(JSON.stringify({ spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition } } } }))}`,

  setRetention: (namespace: string, name: string, whenScaled: string) =>
    `kubectl patch statefulset ${name} ${ns(namespace)} -p ${shellQuote(JSON.stringify({ spec: { persistentVolumeClaimRetentionPolicy: { whenScaled } } }))}`,

  /** A strategic merge patch (kubectl's default), which merges containers by name: only the probe changes; null removes it. */
  setReadinessProbe: (namespace: string, name: string, container: string, probe: V1Probe | undefined) =>
    `kubectl patch statefulset ${name} ${ns(namespace)} -p ${shellQuote(JSON.stringify({ spec: { template: { spec: { containers: [{ name: container, readinessProbe: probe ?? null }] } } } }))}`,

  exec: (namespace: string, pod: string, command: string[]) => `kubectl exec ${pod} ${ns(namespace)} -- ${command.map(shellQuote).join(" ")}`,

  rolloutStatus: (namespace: string, name: string) => `kubectl rollout status statefulset/${name} ${ns(namespace)}`,
  rolloutHistory: (namespace: string, name: string) => `kubectl rollout history statefulset/${name} ${ns(namespace)}`,
  rolloutUndo: (namespace: string, name: string) => `kubectl rollout undo statefulset/${name} ${ns(namespace)}`,
  /** The embedded cluster's clock: `{"speed":0.25}`, `{"paused":true}`. */
  setSpeed: (change: SpeedChange) => `printf '%s' ${shellQuote(JSON.stringify(change))} | kubectl replace --raw /apis/playground.k8s.io/v1/speed -f -`,

  /** Watch the pods as the page does. */
  watchPods: (namespace: string, selector?: string) => `kubectl get pods${selector ? ` -l ${shellQuote(selector)}` : ""} -o wide -w ${ns(namespace)}`,

  /** The SRV lookup from inside the cluster (Kubernetes in Action, ch. 10). */
  digSrv: (namespace: string, fqdn: string) => `kubectl run -it srvlookup --image=tutum/dnsutils --rm --restart=Never ${ns(namespace)} -- dig SRV ${fqdn}`,
};
