import { AppsV1Api, CoreV1Api, KubeConfig, StorageV1Api } from "@kubernetes/client-node";

/** The API clients a scenario needs, from a kubeconfig path and context: the same code for every cluster. */
export interface Kube {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  storage: StorageV1Api;
}

export function kubeFor(kubeconfigPath: string, context: string): Kube {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), storage: kc.makeApiClient(StorageV1Api) };
}

export function isNotFound(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 404;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An ApiException's Status reason and message (its body is a JSON string), else the error text. */
export function apiErrorText(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e?.body === "string") {
    try {
      const status = JSON.parse(e.body) as { reason?: string; message?: string };
      return `${e.code} ${status.reason ?? ""}: ${status.message ?? e.body}`;
    } catch {
      return `${e.code}: ${e.body}`;
    }
  }
  return e?.message ?? String(err);
}
