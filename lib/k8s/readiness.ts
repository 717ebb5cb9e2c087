import type { V1Container, V1Probe } from "@kubernetes/client-node";

/**
 * The readiness lesson's probe (Kubernetes in Action, ch. 10 and 17: readiness decides whether a
 * pod counts, and OrderedReady waits for it): the container is Ready while a marker file is absent,
 * so `kubectl exec <pod> -- touch` it breaks one pod's readiness and `rm` repairs it, with nothing
 * else about the pod changing. An exec probe, run without a shell, as the kubelet runs it.
 */
export const NOT_READY_FILE = "/tmp/not-ready";

export const FILE_READINESS_PROBE: V1Probe = {
  exec: { command: ["test", "!", "-e", NOT_READY_FILE] },
  periodSeconds: 1,
  failureThreshold: 1,
};

/** What the dashboard may set as the demo's readiness probe: the lesson's file probe, or none. */
export const READINESS_PROBE_SETTINGS = ["file", "none"] as const;
export type ReadinessProbeSetting = (typeof READINESS_PROBE_SETTINGS)[number];

export const readinessProbeFor = (setting: ReadinessProbeSetting): V1Probe | undefined => (setting === "file" ? FILE_READINESS_PROBE : undefined);

/** The command that marks a pod not ready (creates the file) or ready again (removes it; -f: no error when absent). */
export const readinessFileCommand = (ready: boolean): string[] => (ready ? ["rm", "-f", NOT_READY_FILE] : ["touch", NOT_READY_FILE]);

/** The container has the lesson's file probe (the API server's defaults, such as timeoutSeconds, aside). */
export function hasFileReadinessProbe(container: V1Container | undefined): boolean {
  const command = container?.readinessProbe?.exec?.command;
  return !!command && command.join(" ") === FILE_READINESS_PROBE.exec!.command!.join(" ");
}
