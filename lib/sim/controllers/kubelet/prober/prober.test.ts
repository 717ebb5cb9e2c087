import type { V1Container, V1Pod, V1Probe } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../../../testing/context";
import { openContainer } from "../../../../sim/node/shell/container";
import { startExec } from "../../../../sim/node/shell/session";
import { startKubelets } from "../../kubelet";
import { addNode, addPod, advanceSettled, condition, eventsFor, getPod, setNodeDown } from "../../testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;

function setup(speed = 1) {
  const ctx = createTestContext({ speed });
  addNode(ctx, "k8s-node1");
  return { ctx, kubelets: startKubelets(ctx) };
}

function container(image: string, probes: Partial<Pick<V1Container, "readinessProbe" | "livenessProbe" | "startupProbe">>, extra: Partial<V1Container> = {}): V1Container {
  return { name: "kubia", image, ports: [{ name: "http", containerPort: image === "httpd" ? 80 : 8080 }], ...probes, ...extra };
}

/** Starts the pod and lets it run until its container has started (pull, create, start). */
async function startPod(ctx: Ctx, c: V1Container, grace?: number): Promise<void> {
  addPod(ctx, "web-0", { nodeName: "k8s-node1", containers: [c], grace });
  for (let i = 0; i < 100 && !getPod(ctx, "web-0")?.status?.containerStatuses?.[0]?.state?.running; i++) await advanceSettled(ctx, 100);
}

/** `kubectl exec web-0 -- <argv>`: runs in the container's userland. */
async function exec(ctx: Ctx, ...argv: string[]): Promise<number> {
  const session = startExec(openContainer(ctx, getPod(ctx, "web-0")!, "kubia"), { argv, tty: false, stdin: false }, { stdout: () => undefined, stderr: () => undefined });
  return session.exited;
}

const status = (ctx: Ctx) => getPod(ctx, "web-0")!.status!.containerStatuses![0];
const unhealthy = (ctx: Ctx) => eventsFor(ctx, "web-0").filter((e) => e.startsWith("Unhealthy:"));
const execProbe = (command: string[], more: Partial<V1Probe> = {}): V1Probe => ({ exec: { command }, periodSeconds: 5, ...more });

describe("prober", () => {
  it("readiness (exec): not ready until the probe succeeds, then flips after failureThreshold failures in a row", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: execProbe(["test", "-f", "/tmp/ready"], { failureThreshold: 2 }) }));
    await advanceSettled(ctx, 100);
    expect(status(ctx)).toMatchObject({ ready: false, started: true });
    expect(getPod(ctx, "web-0")!.status!.conditions!.find((c) => c.type === "ContainersReady")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [kubia]" });
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed: "]);
    const event = ctx.store.list("events").items.find((e) => e.reason === "Unhealthy")!;
    expect(event).toMatchObject({ type: "Warning", involvedObject: { kind: "Pod", name: "web-0", fieldPath: "spec.containers{kubia}" }, source: { component: "kubelet", host: "k8s-node1" } });
    expect(await exec(ctx, "touch", "/tmp/ready")).toBe(0);
    await advanceSettled(ctx, 5_000);
    expect(condition(getPod(ctx, "web-0"), "Ready")).toBe("True");
    expect(await exec(ctx, "rm", "/tmp/ready")).toBe(0);
    await advanceSettled(ctx, 5_000);
    expect(condition(getPod(ctx, "web-0"), "Ready")).toBe("True"); // one failure: below the threshold of 2
    await advanceSettled(ctx, 5_000);
    expect(condition(getPod(ctx, "web-0"), "Ready")).toBe("False");
    // Repeated failures aggregate into one event with a count, as client-go's recorder does.
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed:  (x3)"]);
    expect(status(ctx).restartCount).toBe(0);
    kubelets.stop();
  });

  it("liveness (httpGet): Killing after failureThreshold, the probe's grace period, restart with lastState", async () => {
    const { ctx, kubelets } = setup();
    const probe: V1Probe = { httpGet: { path: "/index.html", port: "http" }, periodSeconds: 1, failureThreshold: 1, terminationGracePeriodSeconds: 4 };
    await startPod(ctx, container("httpd", { livenessProbe: probe }), 30);
    await advanceSettled(ctx, 2_000);
    expect(status(ctx).restartCount).toBe(0);
    expect(await exec(ctx, "mv", "/usr/local/apache2/htdocs/index.html", "/tmp/")).toBe(0);
    await advanceSettled(ctx, 1_000);
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404"]);
    expect(eventsFor(ctx, "web-0")).toContain("Killing: Container kubia failed liveness probe, will be restarted");
    expect(status(ctx).state?.running).toBeDefined(); // SIGTERM ignored: it runs out its grace period
    await advanceSettled(ctx, 4_000 + 2_000);
    expect(status(ctx)).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137, reason: "Error" } } });
    // The new container has the image's files again: the probe passes and nothing is killed any more.
    await advanceSettled(ctx, 5_000);
    expect(status(ctx)).toMatchObject({ restartCount: 1, state: { running: expect.anything() } });
    kubelets.stop();
  });

  it("startup gates readiness and liveness; the container is not started until it succeeds", async () => {
    const { ctx, kubelets } = setup();
    await startPod(
      ctx,
      container("luksa/kubia-pet", {
        startupProbe: execProbe(["cat", "/tmp/started"], { periodSeconds: 2, failureThreshold: 30 }),
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 },
        livenessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 2 },
      }),
    );
    await advanceSettled(ctx, 4_000);
    expect(status(ctx)).toMatchObject({ started: false, ready: false, restartCount: 0 });
    expect(unhealthy(ctx)[0]).toMatch(/^Unhealthy: Startup probe failed: cat: \/tmp\/started: No such file or directory\n/);
    expect(unhealthy(ctx).some((e) => e.includes("Liveness"))).toBe(false);
    await exec(ctx, "touch", "/tmp/started");
    await advanceSettled(ctx, 2_000);
    expect(status(ctx)).toMatchObject({ started: true });
    await advanceSettled(ctx, 2_000);
    expect(status(ctx).ready).toBe(true);
    expect(unhealthy(ctx)).toContain("Unhealthy: Liveness probe failed: dial tcp 10.1.1.2:9999: connect: connection refused");
    kubelets.stop();
  });

  it("a failed startup probe kills the container", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { startupProbe: execProbe(["false"], { periodSeconds: 1, failureThreshold: 2 }) }), 0);
    await advanceSettled(ctx, 2_000);
    expect(eventsFor(ctx, "web-0")).toContain("Killing: Container kubia failed startup probe, will be restarted");
    await advanceSettled(ctx, 2_500); // the 2 s minimum grace period
    expect(status(ctx).restartCount).toBe(1);
    kubelets.stop();
  });

  it("runs on the cluster clock: at 10× speed a 10 s period passes in 1 s", async () => {
    const { ctx, kubelets } = setup(10);
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: execProbe(["test", "-f", "/tmp/ready"], { periodSeconds: 10 }) }));
    await exec(ctx, "touch", "/tmp/ready");
    expect(status(ctx).ready).toBe(false);
    await advanceSettled(ctx, 1_000, 50);
    expect(status(ctx).ready).toBe(true);
    kubelets.stop();
  });

  it("reports each handler's failure as upstream words it", async () => {
    const { ctx, kubelets } = setup();
    await startPod(
      ctx,
      container("luksa/kubia-pet", {
        readinessProbe: { grpc: { port: 9090 }, periodSeconds: 60, timeoutSeconds: 2 },
        livenessProbe: execProbe(["sleep", "5"], { periodSeconds: 60, failureThreshold: 5 }),
        startupProbe: undefined,
      }),
    );
    await advanceSettled(ctx, 3_000);
    expect(unhealthy(ctx).sort()).toEqual([
      'Unhealthy: Liveness probe failed: command timed out: "sleep 5" timed out after 1s',
      'Unhealthy: Readiness probe failed: timeout: failed to connect service "10.1.1.2:9090" within 2s: context deadline exceeded',
    ]);
    kubelets.stop();
  });

  it("reports an exec probe that cannot start and an https probe against plain HTTP", async () => {
    const { ctx, kubelets } = setup();
    await startPod(
      ctx,
      container("luksa/kubia-pet", {
        readinessProbe: { httpGet: { path: "/", port: 8080, scheme: "HTTPS" }, periodSeconds: 60 },
        livenessProbe: execProbe(["no-such-tool"], { periodSeconds: 60, failureThreshold: 5 }),
      }),
    );
    await advanceSettled(ctx, 500);
    const events = unhealthy(ctx);
    expect(events).toContain('Unhealthy: Readiness probe failed: Get "https://10.1.1.2:8080/": http: server gave HTTP response to HTTPS client');
    expect(events.find((e) => e.includes("Liveness"))).toMatch(
      /^Unhealthy: Liveness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-tool": executable file not found in \$PATH: unknown$/,
    );
    kubelets.stop();
  });

  it("stops probing a pod that is deleted", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { livenessProbe: { tcpSocket: { port: 1 }, periodSeconds: 1, failureThreshold: 1 } }), 5);
    ctx.store.delete("pods", "default", "web-0", { gracePeriodSeconds: 0 });
    await advanceSettled(ctx, 3_000);
    expect(getPod(ctx, "web-0") as V1Pod | undefined).toBeUndefined();
    expect(unhealthy(ctx).length).toBeLessThanOrEqual(1);
    kubelets.stop();
  });

  it("pauses while its node is down and probes again when it is back", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: execProbe(["test", "-f", "/tmp/ready"], { periodSeconds: 1, failureThreshold: 1 }) }));
    await exec(ctx, "touch", "/tmp/ready");
    await advanceSettled(ctx, 1_000);
    expect(status(ctx).ready).toBe(true);
    setNodeDown(ctx, "k8s-node1", true);
    await exec(ctx, "rm", "/tmp/ready");
    await advanceSettled(ctx, 5_000);
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed: "]); // only the one before the touch
    setNodeDown(ctx, "k8s-node1", false);
    await advanceSettled(ctx, 2_000);
    expect(status(ctx).ready).toBe(false);
    kubelets.stop();
  });

  it("keeps a ready container ready when the playground restarts (until its probe says otherwise)", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: execProbe(["test", "-f", "/tmp/ready"], { periodSeconds: 5, failureThreshold: 1 }) }));
    await exec(ctx, "touch", "/tmp/ready");
    await advanceSettled(ctx, 5_000);
    expect(status(ctx).ready).toBe(true);
    kubelets.stop();
    const again = startKubelets(ctx);
    await advanceSettled(ctx, 100);
    expect(status(ctx)).toMatchObject({ ready: true, restartCount: 0 });
    await exec(ctx, "rm", "/tmp/ready");
    await advanceSettled(ctx, 5_000);
    expect(status(ctx).ready).toBe(false);
    again.stop();
  });

  it("records a probe failing every second 25 times, then no more (the kubelet's event spam filter)", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: execProbe(["false"], { periodSeconds: 1 }) }));
    await advanceSettled(ctx, 60_000, 500);
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed:  (x25)"]);
    kubelets.stop();
  });

  it("readiness needs successThreshold successes in a row, one per period, from the initial delay on", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, container("luksa/kubia-pet", { readinessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 3, periodSeconds: 2, successThreshold: 3 } }));
    const started = ctx.clock.now(); // startPod stops within 100 ms of the start
    const readyAt = async () => {
      for (let i = 0; i < 200 && !status(ctx).ready; i++) await advanceSettled(ctx, 100);
      return ctx.clock.now() - started;
    };
    // Probes at 3 s, 5 s and 7 s after the start: Ready with the third.
    const elapsed = await readyAt();
    expect(elapsed).toBeGreaterThan(6_800);
    expect(elapsed).toBeLessThanOrEqual(7_100);
    kubelets.stop();
  });

  it("agnhost test-webserver, probed at /localhost.crt as the upstream StatefulSet e2e tests do", async () => {
    const { ctx, kubelets } = setup();
    const image = "registry.k8s.io/e2e-test-images/agnhost:2.55";
    const probe: V1Probe = { httpGet: { path: "/localhost.crt", port: 80 }, periodSeconds: 1, failureThreshold: 1 };
    await startPod(ctx, { name: "kubia", image, args: ["test-webserver"], readinessProbe: probe });
    await advanceSettled(ctx, 1_000);
    expect(status(ctx).ready).toBe(true);
    // breakHTTPProbe / restoreHTTPProbe, run through sh as e2estatefulset.ExecInStatefulPods does.
    expect(await exec(ctx, "/bin/sh", "-x", "-c", "mv -v /localhost.crt /tmp/ || true")).toBe(0);
    await advanceSettled(ctx, 1_000);
    expect(status(ctx).ready).toBe(false);
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404"]);
    expect(await exec(ctx, "/bin/sh", "-x", "-c", "mv -v /tmp/localhost.crt / || true")).toBe(0);
    await advanceSettled(ctx, 1_000);
    expect(status(ctx).ready).toBe(true);
    kubelets.stop();
  });

  it("agnhost with a subcommand the playground does not simulate listens on nothing", async () => {
    const { ctx, kubelets } = setup();
    await startPod(ctx, { name: "kubia", image: "registry.k8s.io/e2e-test-images/agnhost:2.55", args: ["pause"], readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } });
    await advanceSettled(ctx, 500);
    expect(unhealthy(ctx)).toEqual(["Unhealthy: Readiness probe failed: dial tcp 10.1.1.2:80: connect: connection refused"]);
    kubelets.stop();
  });
});
