import { describe, expect, it } from "vitest";
import { createTestContext } from "../../testing/context";
import { startKubelets } from "../kubelet";
import { pullDuration } from "./images";
import { addNode, getPod, podManifest } from "../testing/fixtures";

/** Stopping a container: SIGTERM to its main process first, SIGKILL (137) when the grace period ends. */

const startupMs = 500 + pullDuration("busybox", "k8s-node1", { cached: false, failing: false }) + 300 + 700;
/** Lets the container's process run (it works in microtasks and cluster-clock timers). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The busybox sidecar of the upstream e2e spec "…delete pod-0 with failing container". */
const TRAPPING_SCRIPT = `
  echo "Running in pod $POD_NAME"
  _term(){
    echo "Received SIGTERM signal"
    if [ "\${POD_NAME}" = "ss3-0" ]; then
      exit 1
    else
      exit 0
    fi
  }
  trap _term SIGTERM
  while true; do
    echo "Running in infinite loop in $POD_NAME"
    sleep 1
  done
`;

async function runningPod(name: string, script: string) {
  const ctx = createTestContext();
  addNode(ctx, "k8s-node1");
  const kubelets = startKubelets(ctx);
  const pod = podManifest(name, { nodeName: "k8s-node1", containers: [{ name: "c", image: "busybox", command: ["sh", "-c"], args: [script] }] });
  pod.spec!.containers[0].env = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
  ctx.store.create("pods", pod);
  ctx.clock.advance(startupMs);
  await settle();
  return { ctx, kubelets, logs: () => ctx.logs.read("default", name, "c") };
}

/** Advances the cluster clock one second at a time, letting the shell run between. */
async function seconds(ctx: ReturnType<typeof createTestContext>, n: number) {
  for (let i = 0; i < n; i++) {
    ctx.clock.advance(1000);
    await settle();
  }
}

describe("graceful termination", () => {
  it("keeps a trap-and-sleep loop running until the pod is deleted", async () => {
    const { ctx, kubelets, logs } = await runningPod("ss3-1", TRAPPING_SCRIPT);
    await seconds(ctx, 3);
    expect(getPod(ctx, "ss3-1")!.status!.containerStatuses![0].state?.running).toBeDefined();
    expect(logs().split("\n").filter((l) => l === "Running in infinite loop in ss3-1").length).toBeGreaterThanOrEqual(3);
    kubelets.stop();
  });

  it("sends SIGTERM: the shell's trap runs after the current sleep and its exit code ends the container before the grace period", async () => {
    const { ctx, kubelets, logs } = await runningPod("ss3-0", TRAPPING_SCRIPT);
    await seconds(ctx, 2);
    ctx.store.delete("pods", "default", "ss3-0");
    let finalStatus: unknown;
    let finalLog = "";
    ctx.store.watch("pods", { namespace: "default" }, (_type, pod) => {
      const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
      if (!terminated || finalStatus) return;
      finalStatus = terminated;
      finalLog = logs(); // the pod's logs go with it once it is removed
    });
    await seconds(ctx, 3);
    expect(finalLog).toContain("Received SIGTERM signal");
    expect(finalStatus).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(getPod(ctx, "ss3-0")).toBeUndefined(); // gone well within the 30 s grace period
    kubelets.stop();
  });

  it("a shell without a trap ignores SIGTERM as PID 1 and is killed when the grace period ends (137)", async () => {
    const { ctx, kubelets } = await runningPod("loop", "while true; do sleep 1; done");
    ctx.store.delete("pods", "default", "loop");
    await seconds(ctx, 10);
    expect(getPod(ctx, "loop")?.metadata?.deletionTimestamp).toBeDefined();
    await seconds(ctx, 21);
    expect(getPod(ctx, "loop")).toBeUndefined();
    kubelets.stop();
  });
});
