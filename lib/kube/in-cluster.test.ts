import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { contextName, loadKubeConfig } from "./config";
import { SERVICE_ACCOUNT_DIR } from "./in-cluster";
import { settingsFromEnv } from "./settings";

/** A fake pod filesystem: what the kubelet mounts for the ServiceAccount. */
function podRoot(files: { namespace?: string; token?: string }): string {
  const root = mkdtempSync(path.join(tmpdir(), "in-cluster-"));
  const dir = path.join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "ca.crt"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
  if (files.token !== undefined) writeFileSync(path.join(dir, "token"), files.token);
  if (files.namespace !== undefined) writeFileSync(path.join(dir, "namespace"), files.namespace);
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const POD = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };

describe("in-cluster configuration", () => {
  it("in a pod with a real cluster requested: the ServiceAccount, confined to the pod's own namespace", () => {
    const root = podRoot({ namespace: "class-7\n", token: "sa-token" });
    const settings = settingsFromEnv({ ...POD, PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: root });
    expect(settings).toMatchObject({ mode: "real", namespace: "class-7", inCluster: { root } });
    // client-node's loadFromCluster reads the address from process.env itself.
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    Object.assign(process.env, POD);
    let kc: ReturnType<typeof loadKubeConfig>;
    try {
      kc = loadKubeConfig(settings);
    } finally {
      restore("KUBERNETES_SERVICE_HOST", saved.host);
      restore("KUBERNETES_SERVICE_PORT", saved.port);
    }
    expect(kc.getCurrentCluster()?.server).toBe("https://10.96.0.1:443");
    expect(kc.getCurrentCluster()?.caFile).toBe(path.join(root, SERVICE_ACCOUNT_DIR, "ca.crt"));
    expect(contextName(settings, kc)).toBe(kc.getCurrentContext());
    expect(JSON.stringify(contextName(settings, kc))).not.toContain("sa-token");
  });

  it("PLAYGROUND_NAMESPACE overrides the pod's namespace; without the file the default namespace is used", () => {
    const root = podRoot({ namespace: "class-7", token: "t" });
    expect(settingsFromEnv({ ...POD, PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: root, PLAYGROUND_NAMESPACE: "other" }).namespace).toBe("other");
    const bare = podRoot({ token: "t" });
    expect(settingsFromEnv({ ...POD, PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: bare }).namespace).toBe("sts-playground");
  });

  it("never switches silently: a pod without PLAYGROUND_MODE=real runs the embedded cluster; an explicit kubeconfig wins", () => {
    const root = podRoot({ namespace: "class-7", token: "t" });
    expect(settingsFromEnv({ ...POD, PLAYGROUND_IN_CLUSTER_ROOT: root, PLAYGROUND_EMBEDDED_KUBECONFIG: "/data/kubeconfig" })).toMatchObject({ mode: "embedded", namespace: "default" });
    const explicit = settingsFromEnv({ ...POD, PLAYGROUND_IN_CLUSTER_ROOT: root, PLAYGROUND_KUBECONFIG: "/k" });
    expect(explicit.inCluster).toBeUndefined();
    expect(explicit.namespace).toBe("sts-playground");
    // Outside a pod, PLAYGROUND_MODE=real keeps using KUBECONFIG / ~/.kube/config.
    expect(settingsFromEnv({ PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: root }).inCluster).toBeUndefined();
  });

  it("a pod without a mounted token is a configuration error that says so", () => {
    const root = podRoot({ namespace: "class-7" });
    const settings = settingsFromEnv({ ...POD, PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: root });
    expect(() => loadKubeConfig(settings)).toThrow(/no ServiceAccount token is mounted/);
  });
});
