import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@/testing/wait";
import { parseTable, SKIP_KUBECTL } from "@/testing/kubectl";
import { runningReady, withKubectlCluster } from "./testing/kubectl-cluster";

/**
 * The experiments of Kubernetes in Action's StatefulSet chapter, driven with the real kubectl (v1.36.3, built from the real control plane's Go modules) against the embedded cluster:
 * apply a StatefulSet, watch it come up, scale down and up (PVC reuse), force delete, get -w,
 * describe, logs, a node failure through the annotation, and the playground capabilities.
 */
const STATEFULSET_YAML = `
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: kubia
        image: luksa/kubia-pet
        ports:
        - name: http
          containerPort: 8080
        volumeMounts:
        - name: data
          mountPath: /var/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Mi
`;

describe.skipIf(SKIP_KUBECTL)("kubectl against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl", { seedDemo: false });

  const pods = async () => parseTable(await world.k.ok(["get", "pods"]));

  beforeAll(async () => {
    fs.writeFileSync(path.join(world.dir, "web.yaml"), STATEFULSET_YAML);
  });

  it("applies a StatefulSet from YAML without --validate=false and shows READY/STATUS columns", async () => {
    const applied = await world.k.ok(["apply", "-f", path.join(world.dir, "web.yaml")]);
    expect(applied).toContain("service/web created");
    expect(applied).toContain("statefulset.apps/web created");
    await eventually(() => runningReady(world.k, ["web-0", "web-1"]), "web-0 and web-1 Running 1/1");
    const header = (await world.k.ok(["get", "pods"])).split("\n")[0];
    expect(header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const wide = parseTable(await world.k.ok(["get", "pods", "-o", "wide"]));
    expect(wide.find((r) => r.NAME === "web-0")).toMatchObject({ IP: expect.stringMatching(/^10\.1\.\d+\.\d+$/), NODE: expect.stringMatching(/^k8s-node[123]$/) });
    expect((await world.k.ok(["get", "sts", "web"])).split("\n")[1]).toMatch(/^web\s+2\/2\s+/);
    // As on a real cluster: volumeClaimTemplates is an atomic list the server defaults, so kubectl
    // always sends it again ("configured"), and the server finds nothing changed.
    const version = await world.k.ok(["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"]);
    const again = await world.k.ok(["apply", "-f", path.join(world.dir, "web.yaml")]);
    expect(again).toContain("service/web unchanged");
    expect(again).toContain("statefulset.apps/web configured");
    expect(await world.k.ok(["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"])).toBe(version);
  });

  it("scales down keeping the PVC, and back up reusing it", async () => {
    const before = parseTable(await world.k.ok(["get", "pvc"])).find((r) => r.NAME === "data-web-1");
    expect(before).toMatchObject({ STATUS: "Bound" });
    expect(await world.k.ok(["scale", "sts", "web", "--replicas=1"])).toContain("statefulset.apps/web scaled");
    await eventually(async () => !(await pods()).some((r) => r.NAME === "web-1"), "web-1 to be gone");
    expect(parseTable(await world.k.ok(["get", "pvc"])).find((r) => r.NAME === "data-web-1")).toMatchObject({ STATUS: "Bound", VOLUME: before!.VOLUME });
    await world.k.ok(["scale", "sts", "web", "--replicas=2"]);
    await eventually(() => runningReady(world.k, ["web-0", "web-1"]), "web-1 back");
    const claim = (await world.k.ok(["get", "pod", "web-1", "-o", "jsonpath={.spec.volumes[?(@.name=='data')].persistentVolumeClaim.claimName}"])).trim();
    expect(claim).toBe("data-web-1");
    expect(parseTable(await world.k.ok(["get", "pvc"])).find((r) => r.NAME === "data-web-1")?.VOLUME).toBe(before!.VOLUME);
  });

  it("keeps data on the volume across a forced delete; logs show the POST", async () => {
    const posted = await world.k.run(["create", "--raw", "/api/v1/namespaces/default/pods/web-0/proxy/", "-f", "-"], { input: "hello from kubectl" });
    expect(posted.code, posted.stderr).toBe(0);
    expect(await world.k.ok(["logs", "web-0"])).toContain("New data has been received and stored.");
    const deleted = await world.k.run(["delete", "pod", "web-0", "--force", "--grace-period=0"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('pod "web-0" force deleted');
    await eventually(() => runningReady(world.k, ["web-0"]), "web-0 recreated");
    expect(await world.k.ok(["get", "--raw", "/api/v1/namespaces/default/pods/web-0/proxy/"])).toContain("hello from kubectl");
  });

  it("describes a pod with its events", async () => {
    const described = await world.k.ok(["describe", "pod", "web-0"]);
    expect(described).toMatch(/^Name:\s+web-0$/m);
    expect(described).toMatch(/^Events:/m);
    expect(described).toMatch(/Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/web-0 to k8s-node[123]/);
  });

  it("streams changes with get -w (Terminating shows)", async () => {
    const watch = world.k.background(["get", "pods", "-w"]);
    await eventually(async () => watch.output().includes("web-1"), "the initial rows of get -w", 10_000);
    const del = await world.k.run(["delete", "pod", "web-1", "--wait=false"]);
    expect(del.code, del.stderr).toBe(0);
    await eventually(async () => /web-1\s+1\/1\s+Terminating/.test(watch.output()), "a Terminating row", 15_000);
    const { stdout } = await watch.stop();
    expect(stdout.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    await eventually(() => runningReady(world.k, ["web-0", "web-1"]), "web-1 replaced");
  });

  it("fails a node through the annotation and recovers it", async () => {
    expect(await world.k.ok(["annotate", "node", "k8s-node2", "playground.k8s.io/down=true"])).toContain("node/k8s-node2 annotated");
    await eventually(async () => parseTable(await world.k.ok(["get", "nodes"])).find((r) => r.NAME === "k8s-node2")?.STATUS === "NotReady", "k8s-node2 NotReady", 30_000);
    await world.k.ok(["annotate", "node", "k8s-node2", "playground.k8s.io/down-"]);
    await eventually(async () => parseTable(await world.k.ok(["get", "nodes"])).find((r) => r.NAME === "k8s-node2")?.STATUS === "Ready", "k8s-node2 Ready again", 30_000);
  });

  it("reports errors as the real server words them", async () => {
    const missing = await world.k.run(["get", "pod", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const immutable = await world.k.run(["patch", "sts", "web", "-p", '{"spec":{"podManagementPolicy":"Parallel"}}']);
    expect(immutable.stderr).toContain("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template'");
    const created = await world.k.run(["create", "-f", path.join(world.dir, "web.yaml")]);
    expect(created.stderr).toContain('statefulsets.apps "web" already exists');
    fs.writeFileSync(path.join(world.dir, "typo.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndta:\n  a: b\n");
    const typo = await world.k.run(["apply", "-f", path.join(world.dir, "typo.yaml")]);
    expect(typo.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"');
  });

  it("explains fields from the OpenAPI schemas, as on a real cluster", async () => {
    const replicas = await world.k.ok(["explain", "statefulset.spec.replicas"]);
    expect(replicas).toMatch(/^GROUP:\s+apps\nKIND:\s+StatefulSet\nVERSION:\s+v1$/m);
    expect(replicas).toContain("FIELD: replicas <integer>");
    expect(replicas.replace(/\s+/g, " ")).toContain("replicas is the desired number of replicas of the given Template.");
    const policy = await world.k.ok(["explain", "statefulset.spec.persistentVolumeClaimRetentionPolicy"]);
    expect(policy).toContain("FIELD: persistentVolumeClaimRetentionPolicy <StatefulSetPersistentVolumeClaimRetentionPolicy>");
    expect(policy).toMatch(/^ {2}whenDeleted\t<string>$/m);
    expect(policy).toMatch(/^ {2}whenScaled\t<string>$/m);
    const spec = await world.k.ok(["explain", "statefulset.spec"]);
    expect(spec).toMatch(/^ {2}selector\t<LabelSelector> -required-$/m);
    expect(spec).toMatch(/^ {2}volumeClaimTemplates\t<\[\]PersistentVolumeClaim>$/m);
    const containers = await world.k.ok(["explain", "pods.spec.containers"]);
    expect(containers).toContain("FIELD: containers <[]Container>");
    expect(containers).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(containers).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);
    expect(await world.k.ok(["explain", "pods.spec.containers.resources.limits"])).toContain("FIELD: limits <map[string]Quantity>");
    expect(await world.k.ok(["explain", "pods.spec.containers.livenessProbe.httpGet.port"])).toContain("FIELD: port <IntOrString>");
  });

  it("serves the playground capabilities", async () => {
    const caps = JSON.parse(await world.k.ok(["get", "--raw", "/apis/playground.k8s.io/v1/capabilities"]));
    expect(caps).toEqual({ nodeFailure: true, faults: true, dnsServer: true, dnsPort: world.cluster.dnsPort, speed: 50 });
  });
});
