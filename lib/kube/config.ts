import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import { registerSecret } from "./redact";
import { SettingsError, type PlaygroundSettings } from "./settings";

/**
 * Loads the KubeConfig for the chosen cluster. Everything client-node supports works as is:
 * TLS with a CA, client certificates, bearer tokens, exec credential plugins, auth providers.
 * The user's secrets are registered with redact() so they can never leak into a response or a log.
 */
export function loadKubeConfig(settings: PlaygroundSettings): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (settings.kubeconfigPath) kc.loadFromFile(settings.kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    // The error text may quote the file; say only which file failed.
    throw new SettingsError(
      `cannot load the kubeconfig ${settings.kubeconfigPath ?? "(KUBECONFIG / ~/.kube/config)"}: ${(err as Error)?.name ?? "error"}`,
    );
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
