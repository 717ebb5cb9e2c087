import { execFile } from "node:child_process";
import { KUBECTL } from "../../testing/kubectl";
import type { ClusterEnv } from "../../tools/real-cluster/cluster";

/**
 * kubectl with the given credentials, as a teacher's terminal beside the dashboard: the tests use
 * it to change the cluster behind the dashboard's back (apply a StatefulSet, apply RBAC) and to
 * check what the API server says independently of the page.
 */
export { KUBECTL };

export class KubectlError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(" ")} failed: ${stderr.trim()}`);
    this.name = "KubectlError";
  }
}

export function kubectl(env: ClusterEnv, args: string[], input?: string): Promise<string> {
  const fullArgs = ["--kubeconfig", env.PLAYGROUND_KUBECONFIG, ...(env.PLAYGROUND_CONTEXT ? ["--context", env.PLAYGROUND_CONTEXT] : []), "--request-timeout=30s", ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(KUBECTL, fullArgs, { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new KubectlError(args, stderr || err.message));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
