import "server-only";
import { Writable } from "node:stream";
import { Exec, type V1Status } from "@kubernetes/client-node";
import type { ActionRecord } from "@/lib/k8s/contract";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { NOT_READY_FILE, readinessFileCommand } from "@/lib/k8s/readiness";
import { KubeApiError, notFound, PlaygroundError } from "../errors";
import type { PlaygroundRuntime } from "../runtime";
import { API_TIMEOUT_MS, runAction, withTimeout } from "./record";

/**
 * A command in a pod's first container through the API server's `pods/exec` subresource (the
 * WebSocket channel protocol, client-node's Exec: what `kubectl exec` does), with no stdin and no
 * TTY. Only the dashboard's own commands reach here (lib/k8s/readiness.ts), never one from a request.
 * Output is kept up to a bound; the command's end is the Status on the error channel.
 */
const MAX_OUTPUT_CHARS = 8 * 1024;

function collector(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (text.length < MAX_OUTPUT_CHARS) text += chunk.toString("utf8").slice(0, MAX_OUTPUT_CHARS - text.length);
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * The API server refused the upgrade (a pod not running yet, a missing container): ws only reports
 * its status code, which is kept (a 400 stays a 400, with the reason Kubernetes uses for it).
 */
function upgradeRefused(pod: string, err: Error): PlaygroundError {
  const code = Number(/Unexpected server response: (\d{3})/.exec(err.message)?.[1]);
  return code >= 400 ? new KubeApiError(code, undefined, `exec in ${pod}: the API server answered ${code}`) : new PlaygroundError(502, "InternalError", `exec in ${pod}: ${err.message}`);
}

async function execInPod(runtime: PlaygroundRuntime, pod: string, command: string[]): Promise<void> {
  const spec = runtime.hub.get("pods", runtime.namespace, pod)?.spec;
  if (!spec) throw notFound(`pods "${pod}" not found`);
  const container = spec.containers[0]?.name ?? "";
  const stdout = collector();
  const stderr = collector();
  const status = await withTimeout(
    new Promise<V1Status>((resolve, reject) => {
      let settled = false;
      const settle = (s: V1Status) => {
        settled = true;
        resolve(s);
      };
      new Exec(runtime.kc)
        .exec(runtime.namespace, pod, container, command, stdout.stream, stderr.stream, null, false, settle)
        .then((ws) => ws.on("close", () => settled || reject(new PlaygroundError(502, "InternalError", `the exec stream of ${pod} closed without an exit status`))))
        .catch((err: Error) => reject(upgradeRefused(pod, err)));
    }),
    API_TIMEOUT_MS,
    `exec in ${pod}`,
  );
  if (status.status !== "Success") {
    // NonZeroExitCode and the API server's refusals (container not running…) keep their reason and message; stderr says why.
    const detail = stderr.text().trim();
    throw new KubeApiError(status.code ?? 500, { reason: status.reason, message: [status.message, detail].filter(Boolean).join(": ") }, `exec in ${pod} failed`);
  }
}

/** The readiness lesson: create (not ready) or remove (ready) the file the probe tests, recorded with its `kubectl exec`. */
export async function setReadinessFile(runtime: PlaygroundRuntime, pod: string, ready: boolean): Promise<ActionRecord> {
  const command = readinessFileCommand(ready);
  return runAction(runtime, { action: "exec", target: `pod/${pod}`, kubectl: kubectlFor.exec(runtime.namespace, pod, command) }, async () => {
    await execInPod(runtime, pod, command);
    return ready ? `removed ${NOT_READY_FILE} in ${pod}: its readiness probe passes again` : `created ${NOT_READY_FILE} in ${pod}: its readiness probe fails`;
  });
}
