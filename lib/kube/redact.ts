/**
 * Scrubs credentials out of text that leaves the server (responses, logs). Known secrets (the
 * kubeconfig user's token, password, key and certificate data, the dashboard's own access token)
 * are registered when loaded; generic patterns catch bearer tokens and URL user-info as well.
 */
const REGISTRY_KEY = Symbol.for("sts-playground.redact.secrets");
type GlobalWithSecrets = typeof globalThis & { [REGISTRY_KEY]?: Set<string> };

function secrets(): Set<string> {
  const g = globalThis as GlobalWithSecrets;
  return (g[REGISTRY_KEY] ??= new Set<string>());
}

/** Remember a secret so redact() removes it (very short strings are ignored: they would mangle text). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secrets().add(value);
}

const PATTERNS: [RegExp, string][] = [
  [/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]"],
  [/(basic\s+)[A-Za-z0-9+/]+=*/gi, "$1[redacted]"],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1[redacted]@"],
  [/(token["'=:\s]+)[A-Za-z0-9\-._~+/]{16,}/gi, "$1[redacted]"],
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, "[redacted]"],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets()) out = out.split(secret).join("[redacted]");
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
