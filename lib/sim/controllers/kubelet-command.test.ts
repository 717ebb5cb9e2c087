import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { mainArgv } from "../node/images/tools";
import { createTestContext } from "../testing/context";
import { startKubelets } from "./kubelet";
import { pullDuration } from "./kubelet/images";
import { addNode, eventsFor, getPod, podManifest } from "./testing/fixtures";

/** Containers run their command in the image's userland: output as logs, exit codes, restart policies. */

const startupMs = (image: string) => 500 + pullDuration(image, "k8s-node1", { cached: false, failing: false }) + 300 + 700;
/** Lets the container's process run (it starts after the kubelet's sync, in a microtask). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function run(name: string, image: string, spec: { command?: string[]; args?: string[]; restartPolicy?: V1Pod["spec"] extends infer S ? S extends { restartPolicy?: infer R } ? R : never : never }) {
  const ctx = createTestContext();
  addNode(ctx, "k8s-node1");
  const kubelets = startKubelets(ctx);
  const pod = podManifest(name, { nodeName: "k8s-node1", containers: [{ name, image, command: spec.command, args: spec.args }] });
  pod.spec!.restartPolicy = spec.restartPolicy ?? "Always";
  ctx.store.create("pods", pod);
  const status = () => getPod(ctx, name)!.status!;
  return { ctx, kubelets, status, logs: () => ctx.logs.read("default", name, name) };
}

describe("a container's command", () => {
  it("combines command and args with the image's ENTRYPOINT and CMD as the runtime does", () => {
    expect(mainArgv("tutum/dnsutils", undefined, ["dig", "SRV", "kubia.default.svc.cluster.local"])).toEqual(["dig", "SRV", "kubia.default.svc.cluster.local"]);
    expect(mainArgv("busybox", undefined, undefined)).toEqual(["sh"]);
    expect(mainArgv("docker.io/library/busybox:1.36", ["sleep"], ["3600"])).toEqual(["sleep", "3600"]);
    expect(mainArgv("curlimages/curl", undefined, ["-s", "http://kubia-public"])).toEqual(["curl", "-s", "http://kubia-public"]);
    expect(mainArgv("curlimages/curl", undefined, ["sh", "-c", "true"])).toEqual(["sh", "-c", "true"]);
    // The book's apps and any unknown image run the kubia app unless given a command.
    expect(mainArgv("luksa/kubia-pet", undefined, ["--verbose"])).toBeUndefined();
    expect(mainArgv("example.com/unknown:1", undefined, undefined)).toBeUndefined();
    expect(mainArgv("luksa/kubia-pet", ["sh", "-c", "exit 2"], undefined)).toEqual(["sh", "-c", "exit 2"]);
  });

  it("runs to completion with restartPolicy Never: its output is the log, the pod Succeeded, the container Completed", async () => {
    const { ctx, kubelets, status, logs } = run("hello", "busybox", { args: ["sh", "-c", "echo hello; echo to stderr >&2"], restartPolicy: "Never" });
    ctx.clock.advance(startupMs("busybox"));
    await settle();
    ctx.clock.advance(0);
    expect(logs()).toBe("hello\nto stderr");
    expect(status().phase).toBe("Succeeded");
    expect(status().containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    ctx.clock.advance(60_000);
    expect(eventsFor(ctx, "hello").filter((e) => e.startsWith("Started"))).toEqual(["Started: Started container hello"]);
    kubelets.stop();
  });

  it("fails with its exit code (phase Failed, reason Error) and restarts OnFailure with the crash back-off", async () => {
    const never = run("fails", "busybox", { command: ["sh", "-c", "exit 3"], restartPolicy: "Never" });
    never.ctx.clock.advance(startupMs("busybox"));
    await settle();
    never.ctx.clock.advance(0);
    expect(never.status().phase).toBe("Failed");
    expect(never.status().containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    never.kubelets.stop();

    const onFailure = run("retries", "busybox", { command: ["sh", "-c", "echo try; exit 1"], restartPolicy: "OnFailure" });
    const restartMs = pullDuration("busybox", "k8s-node1", { cached: true, failing: false }) + 300 + 700;
    onFailure.ctx.clock.advance(startupMs("busybox"));
    await settle();
    onFailure.ctx.clock.advance(0); // first exit: restarted at once
    onFailure.ctx.clock.advance(restartMs);
    await settle();
    onFailure.ctx.clock.advance(0); // second exit within the back-off: CrashLoopBackOff, 10 s
    expect(onFailure.status().phase).toBe("Running");
    expect(onFailure.status().containerStatuses![0]).toMatchObject({ restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    expect(onFailure.logs()).toBe("try\ntry");
    onFailure.kubelets.stop();
  });

  it("keeps a long-running command running, and kills it with its pod", async () => {
    const { ctx, kubelets, status } = run("sleeper", "busybox", { command: ["sleep", "3600"] });
    ctx.clock.advance(startupMs("busybox"));
    await settle();
    ctx.clock.advance(60_000);
    expect(status().containerStatuses![0].state?.running).toBeDefined();
    expect(status().phase).toBe("Running");
    kubelets.stop();
  });

  it("restarts a busybox without a command (sh reads no input and exits 0) under restartPolicy Always", async () => {
    const { ctx, kubelets, status } = run("bare", "busybox", {});
    ctx.clock.advance(startupMs("busybox"));
    await settle();
    ctx.clock.advance(0);
    expect(status().containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(status().phase).toBe("Running");
    kubelets.stop();
  });
});
