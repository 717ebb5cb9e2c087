import { describe, expect, it } from "vitest";
import { eventually } from "@/testing/wait";
import { parseTable, SKIP_KUBECTL } from "@/testing/kubectl";
import { withKubectlCluster } from "./testing/kubectl-cluster";

/**
 * The workloads around a StatefulSet, driven with the real kubectl against the embedded cluster:
 * kubectl create deployment / job / secret / role / rolebinding, rollout status, history and
 * undo, and auth can-i — what a learner reaches for next (the book's debugging pod was a
 * Deployment's).
 */
describe.skipIf(SKIP_KUBECTL)("kubectl workloads against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-workloads", { seedDemo: false });


  it("creates a Deployment, rolls it out, updates its image, shows the history and undoes it", async () => {
    expect(await world.k.ok(["create", "deployment", "dev", "--image=luksa/kubia", "--replicas=2"])).toContain("deployment.apps/dev created");
    expect(await world.k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain('deployment "dev" successfully rolled out');
    const deploy = parseTable(await world.k.ok(["get", "deployments"]));
    expect(deploy).toEqual([expect.objectContaining({ NAME: "dev", READY: "2/2", "UP-TO-DATE": "2", AVAILABLE: "2" })]);
    const rs = parseTable(await world.k.ok(["get", "rs"]));
    expect(rs).toEqual([expect.objectContaining({ NAME: expect.stringMatching(/^dev-\w+$/), DESIRED: "2", CURRENT: "2", READY: "2" })]);
    const pods = parseTable(await world.k.ok(["get", "pods", "-l", "app=dev"]));
    expect(pods.map((p) => p.NAME)).toEqual([expect.stringMatching(new RegExp(`^${rs[0].NAME}-\\w{5}$`)), expect.stringMatching(new RegExp(`^${rs[0].NAME}-\\w{5}$`))]);

    expect(await world.k.ok(["set", "image", "deployment/dev", "kubia=luksa/kubia:v2"])).toContain("deployment.apps/dev image updated");
    expect(await world.k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain("successfully rolled out");
    const history = await world.k.ok(["rollout", "history", "deployment/dev"]);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await world.k.ok(["rollout", "undo", "deployment/dev"])).toContain("deployment.apps/dev rolled back");
    await eventually(async () => ((await world.k.ok(["get", "deployment", "dev", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])) === "luksa/kubia" ? true : undefined), "image back to luksa/kubia");
    expect(await world.k.ok(["rollout", "status", "deployment/dev", "--timeout=60s"])).toContain("successfully rolled out");
    expect(await world.k.ok(["rollout", "history", "deployment/dev"])).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it("creates a Job whose pods are labelled with it, and shows it in the table", async () => {
    expect(await world.k.ok(["create", "job", "once", "--image=busybox", "--", "sh", "-c", "echo done"])).toContain("job.batch/once created");
    await eventually(async () => {
      const jobs = parseTable(await world.k.ok(["get", "jobs"]));
      return jobs.find((j) => j.NAME === "once" && j.STATUS === "Complete" && j.COMPLETIONS === "1/1");
    }, "job once Complete 1/1");
    const pod = parseTable(await world.k.ok(["get", "pods", "-l", "job-name=once"]));
    expect(pod).toEqual([expect.objectContaining({ NAME: expect.stringMatching(/^once-\w{5}$/), STATUS: "Completed" })]);
    expect(await world.k.ok(["logs", "job/once"])).toBe("done\n");
  });

  it("creates a Secret, a Role and a RoleBinding, and answers auth can-i", async () => {
    expect(await world.k.ok(["create", "secret", "generic", "creds", "--from-literal=user=kubia"])).toContain("secret/creds created");
    expect(parseTable(await world.k.ok(["get", "secrets"]))).toEqual([expect.objectContaining({ NAME: "creds", TYPE: "Opaque", DATA: "1" })]);
    expect(await world.k.ok(["get", "secret", "creds", "-o", "jsonpath={.data.user}"])).toBe(Buffer.from("kubia").toString("base64"));
    expect(await world.k.ok(["create", "role", "reader", "--verb=get,list", "--resource=pods"])).toContain("role.rbac.authorization.k8s.io/reader created");
    expect(await world.k.ok(["create", "rolebinding", "reader", "--role=reader", "--serviceaccount=default:default"])).toContain("rolebinding.rbac.authorization.k8s.io/reader created");
    expect(parseTable(await world.k.ok(["get", "rolebindings"]))).toEqual([expect.objectContaining({ NAME: "reader", ROLE: "Role/reader" })]);
    expect((await world.k.ok(["get", "roles"])).split("\n")[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(await world.k.ok(["auth", "can-i", "create", "pods"])).toBe("yes\n");
    expect(await world.k.ok(["auth", "can-i", "--list"])).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
  });

  it("gives every new namespace its default ServiceAccount and kube-root-ca.crt", async () => {
    await world.k.ok(["create", "namespace", "lab"]);
    await eventually(async () => ((await world.k.ok(["get", "sa", "default", "-n", "lab", "-o", "name"])).trim() === "serviceaccount/default" ? true : undefined), "default ServiceAccount in lab");
    expect(await world.k.ok(["get", "configmap", "kube-root-ca.crt", "-n", "lab", "-o", "jsonpath={.data.ca\\.crt}"])).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
