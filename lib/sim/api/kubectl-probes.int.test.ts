import { describe, expect, it } from "vitest";
import { eventually, sleep } from "@/testing/wait";
import { parseTable, SKIP_KUBECTL } from "@/testing/kubectl";
import { withKubectlCluster } from "./testing/kubectl-cluster";

/**
 * Probes end to end with the real kubectl: the kubelet's readiness, liveness and startup probes
 * on the cluster clock, and what follows from their results — READY, RESTARTS, the Unhealthy and
 * Killing events, an OrderedReady scale-up that waits for the lower ordinal (the upstream
 * StatefulSet e2e tests break readiness exactly this way).
 */

const STATEFULSET = `
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia-pet
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          exec: {command: [test, -f, /tmp/ready]}
          periodSeconds: 1
          failureThreshold: 1
`;

const LIVENESS_POD = `
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: kubia
    image: luksa/kubia-pet
    livenessProbe:
      exec: {command: [cat, /app.js]}
      periodSeconds: 1
      failureThreshold: 2
`;

const HTTPD_POD = `
apiVersion: v1
kind: Pod
metadata: {name: httpd}
spec:
  containers:
  - name: httpd
    image: httpd:2.4
    ports: [{name: web, containerPort: 80}]
    readinessProbe:
      httpGet: {path: /index.html, port: web}
      periodSeconds: 1
      failureThreshold: 1
`;

describe.skipIf(SKIP_KUBECTL)("probes against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-probes", { seedDemo: false });

  const pods = async () => parseTable(await world.k.ok(["get", "pods"]));
  const row = async (name: string) => (await pods()).find((r) => r.NAME === name);
  const readyIs = (name: string, ready: string) => eventually(async () => ((await row(name))?.READY === ready ? true : undefined), `${name} READY ${ready}`);

  it("an exec readiness probe: rm the file → NotReady with Unhealthy events, and an OrderedReady scale-up waits for it", async () => {
    await world.k.ok(["apply", "-f", "-"], { input: STATEFULSET });
    await eventually(async () => ((await row("web-0"))?.STATUS === "Running" ? true : undefined), "web-0 Running");
    expect((await row("web-0"))?.READY).toBe("0/1");
    await world.k.ok(["exec", "web-0", "--", "touch", "/tmp/ready"]);
    await readyIs("web-0", "1/1");
    expect(await world.k.ok(["get", "pod", "web-0", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).toBe("True");

    await world.k.ok(["exec", "web-0", "--", "rm", "/tmp/ready"]);
    await readyIs("web-0", "0/1");
    const ready = JSON.parse(await world.k.ok(["get", "pod", "web-0", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')]}"]));
    expect(ready).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [kubia]" });
    expect(await world.k.ok(["describe", "pod", "web-0"])).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+spec\.containers\{kubia\}: Readiness probe failed:/);
    const events = parseTable(await world.k.ok(["get", "events", "--field-selector", "involvedObject.name=web-0,reason=Unhealthy"]));
    expect(events).toEqual([expect.objectContaining({ TYPE: "Warning", REASON: "Unhealthy", OBJECT: "pod/web-0", MESSAGE: "Readiness probe failed:" })]);
    const wide = parseTable(await world.k.ok(["get", "events", "-o", "wide", "--field-selector", "involvedObject.name=web-0,reason=Unhealthy"]));
    expect(wide).toEqual([expect.objectContaining({ SUBOBJECT: "spec.containers{kubia}", SOURCE: expect.stringMatching(/^kubelet, k8s-node\d$/) })]);
    // The pod's endpoint is not ready any more.
    await eventually(async () => ((await world.k.ok(["get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "jsonpath={.items[0].endpoints[0].conditions.ready}"])) === "false" ? true : undefined), "endpoint not ready");

    // OrderedReady: web-1 is not created while web-0 is not Ready.
    await world.k.ok(["scale", "statefulset", "web", "--replicas=3"]);
    await sleep(1_000); // 50 s of cluster time
    expect((await pods()).map((r) => r.NAME)).toEqual(["web-0"]);
    await world.k.ok(["exec", "web-0", "--", "touch", "/tmp/ready"]);
    await eventually(async () => ((await row("web-1"))?.STATUS === "Running" ? true : undefined), "web-1 Running");
    await sleep(500);
    expect(await row("web-2")).toBeUndefined(); // web-1 is not Ready until its own file exists
    await world.k.ok(["exec", "web-1", "--", "touch", "/tmp/ready"]);
    await eventually(async () => ((await row("web-2"))?.STATUS === "Running" ? true : undefined), "web-2 Running");
  });

  it("a failing liveness probe: Killing, and the container is restarted (RESTARTS 1)", async () => {
    await world.k.ok(["apply", "-f", "-"], { input: LIVENESS_POD });
    await readyIs("live", "1/1");
    await world.k.ok(["exec", "live", "--", "rm", "/app.js"]);
    await eventually(async () => ((await row("live"))?.RESTARTS.startsWith("1") ? true : undefined), "live RESTARTS 1");
    const describe = await world.k.ok(["describe", "pod", "live"]);
    expect(describe).toMatch(/Warning\s+Unhealthy\s+.*Liveness probe failed: cat: \/app.js: No such file or directory/);
    expect(describe).toMatch(/Normal\s+Killing\s+.*Container kubia failed liveness probe, will be restarted/);
    expect(describe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+137/);
    expect(describe).toMatch(/Liveness:\s+exec \[cat \/app.js\] delay=0s timeout=1s period=1s #success=1 #failure=2/);
    // The new container has the image's /app.js again: it stays up.
    await readyIs("live", "1/1");
  });

  it("an httpGet readiness probe on httpd: mv index.html away → NotReady with the 404", async () => {
    await world.k.ok(["apply", "-f", "-"], { input: HTTPD_POD });
    await readyIs("httpd", "1/1");
    expect(await world.k.ok(["exec", "httpd", "--", "mv", "/usr/local/apache2/htdocs/index.html", "/tmp/"])).toBe("");
    await readyIs("httpd", "0/1");
    expect(await world.k.ok(["describe", "pod", "httpd"])).toMatch(/Warning\s+Unhealthy\s+.*Readiness probe failed: HTTP probe failed with statuscode: 404/);
    // The kubelet's requests are in httpd's access log, from the node's address.
    expect(await world.k.ok(["logs", "httpd"])).toMatch(/^192\.168\.57\.10\d - - \[[^\]]+\] "GET \/index\.html HTTP\/1\.1" 404 \d+$/m);
    await world.k.ok(["exec", "httpd", "--", "mv", "/tmp/index.html", "/usr/local/apache2/htdocs/"]);
    await readyIs("httpd", "1/1");
  });
});
