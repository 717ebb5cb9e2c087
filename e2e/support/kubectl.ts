import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { KUBECTL } from "../../testing/kubectl";

/**
 * kubectl against the embedded cluster the e2e webServer started (playwright.config.ts gives it
 * the throw-away data dir `.playground-e2e`, where it writes its kubeconfig): the tests drive and
 * inspect the cluster the way a teacher's terminal would, independently of the page under test.
 */
export const E2E_KUBECONFIG = fileURLToPath(new URL("../../.playground-e2e/kubeconfig", import.meta.url));
const KUBECTL_TIMEOUT_MS = 30_000;

export class KubectlError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`kubectl ${args.join(" ")} failed (${code}): ${stderr.trim()}`);
    this.name = "KubectlError";
  }
}

/** Runs kubectl with the e2e kubeconfig; resolves with stdout, rejects with stderr. `input` goes to stdin (`-f -`). */
export function kubectl(args: string[], input?: string): Promise<string> {
  const fullArgs = ["--kubeconfig", E2E_KUBECONFIG, "--request-timeout=20s", ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(KUBECTL, fullArgs, { timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new KubectlError(args, stderr || err.message, (err as NodeJS.ErrnoException).code ?? null));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** One field of an object (`kubectl get pod kubia-0 -o jsonpath={.metadata.uid}`); "" when the object is gone. */
export async function jsonpath(kind: string, name: string, path: string, namespace = "default"): Promise<string> {
  try {
    return (await kubectl(["get", kind, name, "-n", namespace, "-o", `jsonpath={${path}}`])).trim();
  } catch (err) {
    if (err instanceof KubectlError && /NotFound|not found/.test(err.stderr)) return "";
    throw err;
  }
}

