import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { contextName, loadKubeConfig } from "./config";
import { redact } from "./redact";
import { DEFAULT_MAX_REPLICAS, maxReplicasFromEnv, realClusterRequested, settingsFromEnv } from "./settings";

describe("settingsFromEnv", () => {
  it("uses the embedded cluster when the launcher set its kubeconfig", () => {
    expect(settingsFromEnv({ PLAYGROUND_EMBEDDED_KUBECONFIG: "/d/kubeconfig", PLAYGROUND_DNS_PORT: "10053" })).toEqual({
      mode: "embedded",
      kubeconfigPath: "/d/kubeconfig",
      namespace: "default",
      maxReplicas: DEFAULT_MAX_REPLICAS,
      dnsPort: 10053,
    });
  });

  it("opts into a real cluster only explicitly; a shell KUBECONFIG alone does not switch", () => {
    expect(realClusterRequested({ KUBECONFIG: "/home/t/.kube/config" })).toBe(false);
    expect(realClusterRequested({ PLAYGROUND_KUBECONFIG: "/k" })).toBe(true);
    expect(realClusterRequested({ PLAYGROUND_CONTEXT: "kind-kind" })).toBe(true);
    expect(realClusterRequested({ PLAYGROUND_MODE: "real" })).toBe(true);
    expect(realClusterRequested({ PLAYGROUND_MODE: "embedded", PLAYGROUND_CONTEXT: "x" })).toBe(false);
    expect(settingsFromEnv({ PLAYGROUND_CONTEXT: "kind-kind", PLAYGROUND_EMBEDDED_KUBECONFIG: "/d/k" })).toMatchObject({
      mode: "real",
      context: "kind-kind",
      namespace: "sts-playground",
      kubeconfigPath: undefined,
    });
  });

  it("refuses a missing cluster, a bad namespace or a bad replica limit", () => {
    expect(() => settingsFromEnv({})).toThrow(/no cluster configured/);
    expect(() => settingsFromEnv({ PLAYGROUND_KUBECONFIG: "/k", PLAYGROUND_NAMESPACE: "Kube_System" })).toThrow(/DNS-1123/);
    expect(() => settingsFromEnv({ PLAYGROUND_KUBECONFIG: "/k", PLAYGROUND_NAMESPACE: "a/b" })).toThrow(/DNS-1123/);
    expect(() => settingsFromEnv({ PLAYGROUND_EMBEDDED_KUBECONFIG: "/k", PLAYGROUND_MAX_REPLICAS: "-3" })).toThrow(/MAX_REPLICAS/);
    expect(maxReplicasFromEnv({ PLAYGROUND_MAX_REPLICAS: "7" })).toBe(7);
    expect(maxReplicasFromEnv({})).toBe(50);
  });
});

describe("loadKubeConfig", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kc-"));
  const file = path.join(dir, "config");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: plain
  cluster: { server: "http://127.0.0.1:16443" }
- name: tls
  cluster: { server: "https://10.0.0.1:6443", certificate-authority-data: "Y2E=" }
users:
- name: admin
  user: { token: "kubeconfig-secret-token-aaaaaaaaaaaa", client-key-data: "a2V5LWRhdGEtc2VjcmV0LXNlY3JldA==" }
contexts:
- name: local
  context: { cluster: plain, user: admin }
- name: prod
  context: { cluster: tls, user: admin, namespace: x }
current-context: local
`,
  );

  it("selects the requested context and only names it", () => {
    const settings = { mode: "real" as const, kubeconfigPath: file, context: "prod", namespace: "sts-playground", maxReplicas: 50 };
    const kc = loadKubeConfig(settings);
    expect(kc.getCurrentCluster()?.server).toBe("https://10.0.0.1:6443");
    expect(contextName(settings, kc)).toBe("prod");
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
  });

  it("accepts plain-HTTP servers as kubectl does (client-node would refuse them)", async () => {
    const kc = loadKubeConfig({ mode: "embedded", kubeconfigPath: file, namespace: "default", maxReplicas: 50 });
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
    await expect(kc.applyToHTTPSOptions({})).resolves.toBeUndefined();
  });

  it("refuses an unknown context or file without quoting the file", () => {
    expect(() => loadKubeConfig({ mode: "real", kubeconfigPath: file, context: "nope", namespace: "n", maxReplicas: 1 })).toThrow(/no context named "nope"/);
    expect(() => loadKubeConfig({ mode: "real", kubeconfigPath: path.join(dir, "missing"), namespace: "n", maxReplicas: 1 })).toThrow(/cannot load the kubeconfig/);
  });

  it("registers the user's credentials for redaction", () => {
    loadKubeConfig({ mode: "real", kubeconfigPath: file, namespace: "n", maxReplicas: 1 });
    expect(redact("oops kubeconfig-secret-token-aaaaaaaaaaaa leaked")).toBe("oops [redacted] leaked");
    expect(redact("key a2V5LWRhdGEtc2VjcmV0LXNlY3JldA== here")).not.toContain("a2V5LWRhdGEtc2VjcmV0LXNlY3JldA==");
  });
});
