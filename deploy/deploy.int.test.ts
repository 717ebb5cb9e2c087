import { execFileSync } from "node:child_process";
import path from "node:path";
import type { V1ClusterRole, V1Deployment, V1NetworkPolicy, V1Role, V1RoleBinding, V1Service } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { HEALTH_PATH } from "@/lib/kube/health-path";
import { KUBECTL, requireKubectl } from "@/testing/kubectl";

/**
 * The kustomization as `kubectl apply -k deploy/` sends it, rendered by the suite's kubectl
 * (v1.36.3): least privilege (no wildcard, no cluster-wide rights in the base), the pod's
 * hardening, probes on the health route, the Service and NetworkPolicy selecting the pod. The
 * API server's own validation of the same rendering and the rights in use are in
 * e2e/real-dashboard/deploy.int.test.ts and least-privilege.int.test.ts.
 */
type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

function render(dir: string): Doc[] {
  requireKubectl();
  const text = execFileSync(KUBECTL, ["kustomize", path.join(import.meta.dirname, dir)], { encoding: "utf8", timeout: 60_000 });
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

const one = <T>(docs: Doc[], kind: string): T => {
  const found = docs.filter((d) => d.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as unknown as T;
};

/** Verbs the dashboard's allow-listed operations use (deploy/README.md's table). */
const DASHBOARD_VERBS = new Set(["get", "list", "watch", "create", "delete", "patch"]);

describe("deploy/ (kubectl kustomize)", () => {
  const base = render(".");

  it("renders exactly the base's objects, all in one namespace, no cluster-wide rights", () => {
    expect(base.map((d) => d.kind).sort()).toEqual(["Deployment", "Namespace", "NetworkPolicy", "Role", "RoleBinding", "Service", "ServiceAccount"]);
    const namespace = one<Doc>(base, "Namespace").metadata.name;
    for (const doc of base.filter((d) => d.kind !== "Namespace")) expect(doc.metadata.namespace, doc.kind).toBe(namespace);
  });

  it("grants a Role limited to the dashboard's allow-list: no wildcard, no secrets, no exec", () => {
    const role = one<V1Role>(base, "Role");
    for (const rule of role.rules ?? []) {
      for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs]) expect(value).not.toContain("*");
      for (const verb of rule.verbs) expect(DASHBOARD_VERBS.has(verb), verb).toBe(true);
      expect(rule.resources ?? []).not.toContain("secrets");
      expect(rule.resources ?? []).not.toContain("pods/exec");
      expect(rule.nonResourceURLs).toBeUndefined();
    }
    const binding = one<V1RoleBinding>(base, "RoleBinding");
    const account = one<Doc>(base, "ServiceAccount");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata!.name });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }]);
  });

  it("runs the dashboard hardened, in in-cluster mode, as that ServiceAccount, with probes on the health route", () => {
    const deployment = one<V1Deployment>(base, "Deployment");
    const pod = deployment.spec!.template.spec!;
    expect(pod.serviceAccountName).toBe(one<Doc>(base, "ServiceAccount").metadata.name);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container.securityContext?.capabilities?.add).toBeUndefined();
    expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    for (const probe of [container.readinessProbe, container.livenessProbe]) expect(probe?.httpGet).toMatchObject({ path: HEALTH_PATH, port: "http" });
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
    expect(env.PLAYGROUND_MODE?.value).toBe("real");
    expect(env.PLAYGROUND_KUBECONFIG).toBeUndefined();
    expect(env.PLAYGROUND_NAMESPACE).toBeUndefined(); // the pod's own namespace
    expect(env.PLAYGROUND_TOKEN?.valueFrom?.secretKeyRef).toMatchObject({ key: "token" });
    // The root filesystem is read-only: every path the server writes is a volume.
    const mounts = (container.volumeMounts ?? []).map((m) => m.mountPath).sort();
    expect(mounts).toEqual(["/app/.next/cache", "/data", "/tmp"]);
  });

  it("exposes the pod's port through the Service and lets in nothing else", () => {
    const deployment = one<V1Deployment>(base, "Deployment");
    const podLabels = deployment.spec!.template.metadata!.labels!;
    const service = one<V1Service>(base, "Service");
    for (const [k, v] of Object.entries(service.spec!.selector!)) expect(podLabels[k]).toBe(v);
    expect(service.spec!.ports!.map((p) => p.targetPort)).toEqual(["http"]);
    expect(deployment.spec!.template.spec!.containers[0].ports!.map((p) => p.name)).toEqual(["http"]);
    const policy = one<V1NetworkPolicy>(base, "NetworkPolicy");
    for (const [k, v] of Object.entries(policy.spec!.podSelector!.matchLabels!)) expect(podLabels[k]).toBe(v);
    expect(policy.spec!.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec!.ingress!.flatMap((r) => r.ports!.map((p) => p.port))).toEqual(["http"]);
    expect(policy.spec!.egress!.flatMap((r) => r.ports!.map((p) => p.port)).sort()).toEqual([443, 6443]);
  });

  it("opt-in overlay: the base plus read-only nodes and PersistentVolumes, nothing more", () => {
    const overlay = render("overlays/cluster-read");
    expect(overlay.length).toBe(base.length + 2);
    const clusterRole = one<V1ClusterRole>(overlay, "ClusterRole");
    expect(clusterRole.rules).toEqual([{ apiGroups: [""], resources: ["nodes", "persistentvolumes"], verbs: ["list", "watch"] }]);
    const account = one<Doc>(overlay, "ServiceAccount");
    expect(one<V1RoleBinding>(overlay, "ClusterRoleBinding").subjects).toEqual([{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }]);
  });
});
