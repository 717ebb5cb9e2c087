import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { SERVICE_ACCOUNT_DIR } from "./in-cluster";
import { registerSecret } from "./redact";
import { isSettingsError, SettingsError, type PlaygroundSettings } from "./settings";

/**
 * Loads the KubeConfig for the chosen cluster. Everything client-node supports works as is:
 * TLS with a CA, client certificates, bearer tokens, exec credential plugins, auth providers.
 * The user's secrets are registered with redact() so they can never leak into a response or a log.
 */
export function loadKubeConfig(settings: PlaygroundSettings): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (settings.kubeconfigPath) kc.loadFromFile(settings.kubeconfigPath);
    else if (settings.inCluster) loadInCluster(kc, settings.inCluster.root);
    else kc.loadFromDefault();
  } catch (err) {
    if (isSettingsError(err)) throw err;
    // The error text may quote the file; say only which file failed.
    const source = settings.kubeconfigPath ?? (settings.inCluster ? "(in-cluster ServiceAccount)" : "(KUBECONFIG / ~/.kube/config)");
    throw new SettingsError(`cannot load the kubeconfig ${source}: ${(err as Error)?.name ?? "error"}`);
  }
  if (settings.context) {
    if (!kc.getContextObject(settings.context)) {
      throw new SettingsError(`the kubeconfig has no context named "${settings.context}"`);
    }
    kc.setCurrentContext(settings.context);
  }
  if (!kc.getCurrentCluster()) throw new SettingsError("the kubeconfig has no current cluster");
  allowPlainHttpServers(kc);
  registerKubeConfigSecrets(kc);
  return kc;
}

/** The pod's ServiceAccount: client-node reads the token file on every request, so a rotated token is used at once. */
function loadInCluster(kc: KubeConfig, root: string): void {
  if (!existsSync(path.join(root || "/", SERVICE_ACCOUNT_DIR, "token"))) {
    throw new SettingsError("in a pod but no ServiceAccount token is mounted (automountServiceAccountToken: false?)");
  }
  kc.loadFromCluster(root);
}

/**
 * client-node refuses an `http:` server unless `insecure-skip-tls-verify` is set, although there
 * is no TLS to verify; kubectl accepts such kubeconfigs (the embedded cluster's, `kubectl proxy`'s).
 * Setting the flag on plain-HTTP clusters only changes nothing for HTTPS ones.
 */
function allowPlainHttpServers(kc: KubeConfig): void {
  if (!kc.clusters.some((c) => c.server.startsWith("http:") && !c.skipTLSVerify)) return;
  kc.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
}

/** Every credential-like value in the kubeconfig's users, for redaction. */
export function registerKubeConfigSecrets(kc: KubeConfig): void {
  for (const user of kc.getUsers()) {
    registerSecret(user.token);
    registerSecret(user.password);
    registerSecret(user.keyData);
    registerSecret(user.certData);
    const providerConfig = (user.authProvider as { config?: Record<string, string> } | undefined)?.config ?? {};
    for (const value of Object.values(providerConfig)) registerSecret(value);
    for (const env of (user.exec as { env?: { value?: string }[] } | undefined)?.env ?? []) registerSecret(env.value);
  }
}

/** The context name shown in the UI: a name only, never a server URL or credential. */
export function contextName(settings: PlaygroundSettings, kc: KubeConfig): string {
  return settings.mode === "embedded" ? "embedded" : kc.getCurrentContext();
}
