import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { eventually } from "@/testing/wait";
import { kubectlFor, parseTable, requireKubectl, SKIP_KUBECTL } from "@/testing/kubectl";

/**
 * The workloads around a StatefulSet, driven with the real kubectl against the embedded cluster:
 * kubectl create deployment / job / secret / role / rolebinding, rollout status, history and
 * undo, and auth can-i — what a learner reaches for next (the book's debugging pod was a
 * Deployment's).
 */
describe.skipIf(SKIP_KUBECTL)("kubectl workloads against the embedded cluster", () => {
  let cluster: RunningCluster;
  let dir: string;
  let k: ReturnType<typeof kubectlFor>;

  beforeAll(async () => {
    requireKubectl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-kubectl-workloads-"));
    cluster = await startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(dir, "data"), speed: 50, seedDemo: false });
    k = kubectlFor(cluster.kubeconfigPath, path.join(dir, "cache"));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates a Deployment, rolls it out, updates its image, shows the history and undoes it", async () => {
    expect(await k.ok(["create", "deployment", "dev", "--image=luksa/kubia", "--replicas=2"])).toContain("deployment.apps/dev created");
    expect(await k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain('deployment "dev" successfully rolled out');
    const deploy = parseTable(await k.ok(["get", "deployments"]));
    expect(deploy).toEqual([expect.objectContaining({ NAME: "dev", READY: "2/2", "UP-TO-DATE": "2", AVAILABLE: "2" })]);
    const rs = parseTable(await k.ok(["get", "rs"]));
    expect(rs).toEqual([expect.objectContaining({ NAME: expect.stringMatching(/^dev-\w+$/), DESIRED: "2", CURRENT: "2", READY: "2" })]);
    const pods = parseTable(await k.ok(["get", "pods", "-l", "app=dev"]));
    expect(pods.map((p) => p.NAME)).toEqual([expect.stringMatching(new RegExp(`^${rs[0].NAME}-\\w{5}$`)), expect.stringMatching(new RegExp(`^${rs[0].NAME}-\\w{5}$`))]);

    expect(await k.ok(["set", "image", "deployment/dev", "kubia=luksa/kubia:v2"])).toContain("deployment.apps/dev image updated");
    expect(await k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain("successfully rolled out");
    const history = await k.ok(["rollout", "history", "deployment/dev"]);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await k.ok(["rollout", "undo", "deployment/dev"])).toContain("deployment.apps/dev rolled back");
    await eventually(async () => ((await k.ok(["get", "deployment", "dev", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])) === "luksa/kubia" ? true : undefined), "image back to luksa/kubia");
    expect(await k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain("successfully rolled out");
    expect(await k.ok(["rollout", "history", "deployment/dev"])).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it("creates a Job whose pods are labelled with it, and shows it in the table", async () => {
    expect(await k.ok(["create", "job", "once", "--image=busybox", "--", "sh", "-c", "echo done"])).toContain("job.batch/once created");
    await eventually(async () => {
      const jobs = parseTable(await k.ok(["get", "jobs"]));
      return jobs.find((j) => j.NAME === "once" && j.STATUS === "Complete" && j.COMPLETIONS === "1/1");
    }, "job once Complete 1/1");
    const pod = parseTable(await k.ok(["get", "pods", "-l", "job-name=once"]));
    expect(pod).toEqual([expect.objectContaining({ NAME: expect.stringMatching(/^once-\w{5}$/), STATUS: "Completed" })]);
    expect(await k.ok(["logs", "job/once"])).toBe("done\n");
  });

  it("creates a Secret, a Role and a RoleBinding, and answers auth can-i", async () => {
    expect(await k.ok(["create", "secret", "generic", "creds", "--from-literal=user=kubia"])).toContain("secret/creds created");
    expect(parseTable(await k.ok(["get", "secrets"]))).toEqual([expect.objectContaining({ NAME: "creds", TYPE: "Opaque", DATA: "1" })]);
    expect(await k.ok(["get", "secret", "creds", "-o", "jsonpath={.data.user}"])).toBe(Buffer.from("kubia").toString("base64"));
    expect(await k.ok(["create", "role", "reader", "--verb=get,list", "--resource=pods"])).toContain("role.rbac.authorization.k8s.io/reader created");
    expect(await k.ok(["create", "rolebinding", "reader", "--role=reader", "--serviceaccount=default:default"])).toContain("rolebinding.rbac.authorization.k8s.io/reader created");
    expect(parseTable(await k.ok(["get", "rolebindings"]))).toEqual([expect.objectContaining({ NAME: "reader", ROLE: "Role/reader" })]);
    expect((await k.ok(["get", "roles"])).split("\n")[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(await k.ok(["auth", "can-i", "create", "pods"])).toBe("yes\n");
    expect(await k.ok(["auth", "can-i", "--list"])).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
  });

  it("gives every new namespace its default ServiceAccount and kube-root-ca.crt", async () => {
    await k.ok(["create", "namespace", "lab"]);
    await eventually(async () => ((await k.ok(["get", "sa", "default", "-n", "lab", "-o", "name"])).trim() === "serviceaccount/default" ? true : undefined), "default ServiceAccount in lab");
    expect(await k.ok(["get", "configmap", "kube-root-ca.crt", "-n", "lab", "-o", "jsonpath={.data.ca\\.crt}"])).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
