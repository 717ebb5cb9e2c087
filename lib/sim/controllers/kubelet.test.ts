import type { Stored } from "../store/types";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { proxyToPod } from "../node/proxy";
import { startKubelets } from "./kubelet";
import { pullDuration } from "./kubelet/images";
import { addNode, addPod, addPvc, condition, eventsFor, getPod, setNodeDown, settle } from "./testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;

/** Time from the kubelet first seeing a pod to its container running: sandbox + first pull + create + start. */
const startupMs = (image = "luksa/kubia-pet", node = "k8s-node1") => 500 + pullDuration(image, node, { cached: false, failing: false }) + 300 + 700;

function setup(opts: { speed?: number } = {}) {
  const ctx = createTestContext(opts);
  addNode(ctx, "k8s-node1");
  addNode(ctx, "k8s-node2");
  return { ctx, kubelets: startKubelets(ctx) };
}

const lease = (ctx: Ctx, node: string) => ctx.store.tryGet("leases.coordination.k8s.io", "kube-node-lease", node);

describe("kubelet", () => {
  it("starts a pod: sandbox and IP, pull, create, start, Ready, with the kubelet's events", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1", image: "luksa/kubia" });
    ctx.clock.advance(0);
    let pod = getPod(ctx, "kubia-0")!;
    expect(pod.status).toMatchObject({ phase: "Pending", hostIP: "192.168.57.101", startTime: expect.any(String) });
    expect(pod.status?.podIP).toBeUndefined();
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image: "luksa/kubia", ready: false, started: false, state: { waiting: { reason: "ContainerCreating" } } });
    ctx.clock.advance(startupMs("luksa/kubia") - 1);
    expect(getPod(ctx, "kubia-0")!.status?.phase).toBe("Pending");
    ctx.clock.advance(1);
    pod = getPod(ctx, "kubia-0")!;
    expect(pod.status?.phase).toBe("Running");
    expect(pod.status?.podIP).toBe("10.1.1.2");
    expect(pod.status?.podIPs).toEqual([{ ip: "10.1.1.2" }]);
    expect(pod.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(["PodReadyToStartContainers=True", "Initialized=True", "Ready=True", "ContainersReady=True"]);
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({
      image: "docker.io/luksa/kubia:latest",
      imageID: expect.stringMatching(/^docker\.io\/luksa\/kubia@sha256:[0-9a-f]{64}$/),
      containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/),
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: expect.any(String) } },
    });
    const events = eventsFor(ctx, "kubia-0");
    expect(events[0]).toBe('Pulling: Pulling image "luksa/kubia"');
    expect(events[1]).toMatch(/^Pulled: Successfully pulled image "luksa\/kubia" in (\d\.\d+s) \(\1 including waiting\)\. Image size: \d+ bytes\.$/);
    expect(events.slice(2)).toEqual(["Created: Created container: kubia", "Started: Started container kubia"]);
    expect(ctx.logs.read("default", "kubia-0", "kubia")).toContain("Kubia server starting...");
    kubelets.stop();
  });

  it("never takes a pod out of a terminal phase written through the API (generateAPIPodStatus), whatever its containers do", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1", image: "luksa/kubia" });
    ctx.clock.advance(startupMs("luksa/kubia"));
    const running = getPod(ctx, "kubia-0")!;
    expect(running.status?.phase).toBe("Running");
    ctx.store.update("pods", { ...running, status: { ...running.status, phase: "Failed", reason: "Evicted", message: "marked Failed" } }, { subresource: "status" });
    ctx.clock.advance(10_000);
    expect(getPod(ctx, "kubia-0")!.status).toMatchObject({ phase: "Failed", reason: "Evicted", message: "marked Failed" });
    kubelets.stop();
  });

  it("hands out unique IPs from the node's podCIDR and does not reuse a freed one at once", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "a", { nodeName: "k8s-node1" });
    addPod(ctx, "b", { nodeName: "k8s-node1" });
    addPod(ctx, "c", { nodeName: "k8s-node2" });
    ctx.clock.advance(10_000);
    expect(["a", "b", "c"].map((n) => getPod(ctx, n)!.status?.podIP)).toEqual(["10.1.1.2", "10.1.1.3", "10.1.2.2"]);
    ctx.store.delete("pods", "default", "a", { gracePeriodSeconds: 0 });
    addPod(ctx, "d", { nodeName: "k8s-node1" });
    ctx.clock.advance(10_000);
    expect(getPod(ctx, "d")!.status?.podIP).toBe("10.1.1.4");
    kubelets.stop();
  });

  it("reports Ready only after the readiness probe's initial delay", async () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1", readinessDelaySeconds: 5 });
    ctx.clock.advance(startupMs());
    await settle(ctx);
    const pod = getPod(ctx, "kubia-0")!;
    expect(pod.status?.phase).toBe("Running");
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [kubia]" });
    ctx.clock.advance(4_999);
    await settle(ctx);
    expect(condition(getPod(ctx, "kubia-0"), "Ready")).toBe("False");
    ctx.clock.advance(1);
    await settle(ctx);
    expect(condition(getPod(ctx, "kubia-0"), "Ready")).toBe("True");
    kubelets.stop();
  });

  it("goes ErrImagePull → ImagePullBackOff with the back-off, and recovers once the image can be pulled", () => {
    const { ctx, kubelets } = setup();
    ctx.faults.set({ missingImages: ["luksa/kubia-pet"] });
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1" });
    const failMs = pullDuration("luksa/kubia-pet", "k8s-node1", { cached: false, failing: true });
    ctx.clock.advance(500 + failMs);
    const waiting = () => getPod(ctx, "kubia-0")!.status?.containerStatuses?.[0].state?.waiting;
    const ref = "docker.io/luksa/kubia-pet:latest";
    const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    expect(waiting()).toEqual({ reason: "ErrImagePull", message: error });
    expect(eventsFor(ctx, "kubia-0")).toEqual(['Pulling: Pulling image "luksa/kubia-pet"', `Failed: Failed to pull image "luksa/kubia-pet": ${error}`, "Failed: Error: ErrImagePull"]);
    ctx.clock.advance(1_000);
    expect(waiting()?.reason).toBe("ImagePullBackOff");
    expect(eventsFor(ctx, "kubia-0").slice(3)).toEqual(['BackOff: Back-off pulling image "luksa/kubia-pet"', "Failed: Error: ImagePullBackOff"]);
    // Second attempt 10 s after the failure, the third 20 s after the second failure.
    ctx.clock.advance(9_000 - 1);
    expect(eventsFor(ctx, "kubia-0")[0]).toBe('Pulling: Pulling image "luksa/kubia-pet"');
    ctx.clock.advance(1);
    expect(eventsFor(ctx, "kubia-0")[0]).toBe('Pulling: Pulling image "luksa/kubia-pet" (x2)');
    ctx.clock.advance(failMs + 20_000);
    expect(eventsFor(ctx, "kubia-0")[0]).toBe('Pulling: Pulling image "luksa/kubia-pet" (x3)');
    ctx.faults.set({ missingImages: [] });
    ctx.clock.advance(failMs + 40_000 + startupMs() - 500);
    expect(getPod(ctx, "kubia-0")!.status?.phase).toBe("Running");
    kubelets.stop();
  });

  it("treats any image under the .invalid domain as unpullable", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "x", { nodeName: "k8s-node1", image: "registry.invalid/team/app:1" });
    ctx.clock.advance(5_000);
    expect(getPod(ctx, "x")!.status?.containerStatuses?.[0].state?.waiting?.reason).toBe("ImagePullBackOff");
    expect(eventsFor(ctx, "x")[1]).toContain('Failed to pull image "registry.invalid/team/app:1": rpc error: code = NotFound');
    kubelets.stop();
  });

  it("keeps the pod in ContainerCreating until its claims are bound", () => {
    const { ctx, kubelets } = setup();
    addPvc(ctx, "data-kubia-0");
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1", claims: ["data-kubia-0"] });
    ctx.clock.advance(60_000);
    expect(getPod(ctx, "kubia-0")!.status?.containerStatuses?.[0].state?.waiting?.reason).toBe("ContainerCreating");
    expect(getPod(ctx, "kubia-0")!.status?.podIP).toBeUndefined();
    expect(eventsFor(ctx, "kubia-0")).toEqual([]);
    const pvc = ctx.store.get("persistentvolumeclaims", "default", "data-kubia-0");
    const bound = ctx.store.update("persistentvolumeclaims", { ...pvc, spec: { ...pvc.spec!, volumeName: "pvc-1" } });
    ctx.store.update("persistentvolumeclaims", { ...bound, status: { phase: "Bound" } }, { subresource: "status" });
    ctx.clock.advance(startupMs());
    expect(getPod(ctx, "kubia-0")!.status?.phase).toBe("Running");
    kubelets.stop();
  });

  it("terminates gracefully: Killing, the full grace period (scaled), exit 137, then the final delete", () => {
    for (const speed of [1, 10]) {
      const { ctx, kubelets } = setup({ speed });
      addPod(ctx, "kubia-0", { nodeName: "k8s-node1", image: "luksa/kubia" });
      ctx.clock.advance(10_000);
      const uid = getPod(ctx, "kubia-0")!.metadata!.uid;
      const deletes: Stored<"pods">[] = [];
      ctx.store.watch("pods", {}, (type, o) => type === "DELETED" && deletes.push(o));
      ctx.store.delete("pods", "default", "kubia-0");
      ctx.clock.advance(0);
      expect(eventsFor(ctx, "kubia-0").at(-1)).toBe("Killing: Stopping container kubia");
      ctx.clock.advance(30_000 / speed - 1);
      expect(getPod(ctx, "kubia-0")?.metadata?.deletionTimestamp).toBeDefined();
      expect(getPod(ctx, "kubia-0")?.status?.phase).toBe("Running");
      ctx.clock.advance(1);
      expect(getPod(ctx, "kubia-0")).toBeUndefined();
      const last = deletes[0];
      expect(last?.metadata?.uid).toBe(uid);
      expect(last?.status?.phase).toBe("Failed");
      expect(last?.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137, reason: "Error" });
      expect(ctx.logs.read("default", "kubia-0", "kubia")).toBe("");
      kubelets.stop();
    }
  });

  it("records Killing for the containers of a pod force-deleted while they run", () => {
    // A real kubelet stops the containers of a pod removed from the API and says so; found while
    // checking the differential fidelity suite's force-delete scenario (KWOK emits no Killing at all).
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1", image: "luksa/kubia" });
    ctx.clock.advance(10_000);
    const uid = getPod(ctx, "kubia-0")!.metadata!.uid;
    ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "kubia-0").at(-1)).toBe("Killing: Stopping container kubia");
    const killing = ctx.store.list("events", { namespace: "default" }).items.find((e) => e.reason === "Killing");
    expect(killing!.involvedObject.uid).toBe(uid);
    kubelets.stop();
  });

  it("does nothing while its node is down, and resumes when it recovers", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1" });
    ctx.clock.advance(10_000);
    const renewed = lease(ctx, "k8s-node1")!.spec!.renewTime;
    setNodeDown(ctx, "k8s-node1", true);
    ctx.store.delete("pods", "default", "kubia-0");
    addPod(ctx, "kubia-1", { nodeName: "k8s-node1" });
    ctx.clock.advance(10 * 60_000);
    expect(getPod(ctx, "kubia-0")?.metadata?.deletionTimestamp).toBeDefined(); // Terminating forever
    expect(eventsFor(ctx, "kubia-0")).not.toContain("Killing: Stopping container kubia");
    expect(getPod(ctx, "kubia-1")!.status?.containerStatuses).toBeUndefined();
    expect(lease(ctx, "k8s-node1")!.spec!.renewTime).toBe(renewed);
    expect(lease(ctx, "k8s-node2")!.spec!.renewTime).not.toBe(renewed);

    setNodeDown(ctx, "k8s-node1", false);
    ctx.clock.advance(0);
    expect(lease(ctx, "k8s-node1")!.spec!.renewTime).not.toBe(renewed);
    expect(eventsFor(ctx, "kubia-0").at(-1)).toBe("Killing: Stopping container kubia");
    ctx.clock.advance(30_000);
    expect(getPod(ctx, "kubia-0")).toBeUndefined();
    expect(getPod(ctx, "kubia-1")!.status?.phase).toBe("Running");
    kubelets.stop();
  });

  it("renews its Lease every 10 s, repairs its node conditions and starts a kubelet for a node added later", () => {
    const { ctx, kubelets } = setup();
    ctx.clock.advance(0);
    const first = lease(ctx, "k8s-node1")!;
    expect(first.spec).toMatchObject({ holderIdentity: "k8s-node1", leaseDurationSeconds: 40 });
    ctx.clock.advance(9_999);
    expect(lease(ctx, "k8s-node1")!.spec!.renewTime).toBe(first.spec!.renewTime);
    ctx.clock.advance(1);
    expect(Date.parse(String(lease(ctx, "k8s-node1")!.spec!.renewTime)) - Date.parse(String(first.spec!.renewTime))).toBe(10_000);

    const node = ctx.store.get("nodes", undefined, "k8s-node2");
    node.status!.conditions = [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }];
    ctx.store.update("nodes", node, { subresource: "status" });
    ctx.clock.advance(0);
    const ready = (ctx.store.get("nodes", undefined, "k8s-node2")).status!.conditions!.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" });
    expect(eventsFor(ctx, "k8s-node2")).toEqual(["NodeReady: Node k8s-node2 status is now: NodeReady"]);

    addNode(ctx, "k8s-node3");
    addPod(ctx, "late", { nodeName: "k8s-node3" });
    ctx.clock.advance(10_000);
    expect(getPod(ctx, "late")!.status?.podIP).toBe("10.1.3.2");
    kubelets.stop();
  });

  it("restarts a container whose app died, with restartCount, lastState and CrashLoopBackOff", async () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "lonely", { nodeName: "k8s-node1" }); // kubia-pet without a volume: a POST crashes it (ENOENT)
    ctx.clock.advance(startupMs());
    const uid = getPod(ctx, "lonely")!.metadata!.uid;
    const crash = () => proxyToPod(ctx, getPod(ctx, "lonely")!, undefined, { method: "POST", path: "/", query: "", headers: {}, body: Buffer.from("x") }).catch(() => undefined);
    const status = () => getPod(ctx, "lonely")!.status!.containerStatuses![0];
    const restartMs = pullDuration("luksa/kubia-pet", "k8s-node1", { cached: true, failing: false }) + 300 + 700;

    await crash();
    ctx.clock.advance(0); // first exit: restarted at once (Always pulls again)
    expect(status().state?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(getPod(ctx, "lonely")!.status?.phase).toBe("Running");
    expect(condition(getPod(ctx, "lonely"), "Ready")).toBe("False");
    ctx.clock.advance(restartMs);
    expect(status()).toMatchObject({ restartCount: 1, ready: true, state: { running: {} }, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    expect(eventsFor(ctx, "lonely")[0]).toBe('Pulling: Pulling image "luksa/kubia-pet" (x2)');

    await crash();
    ctx.clock.advance(0); // second exit within the back-off: CrashLoopBackOff for 10 s
    expect(status().state?.waiting).toEqual({ reason: "CrashLoopBackOff", message: `back-off 10s restarting failed container=kubia pod=lonely_default(${uid})` });
    expect(status().restartCount).toBe(1);
    expect(eventsFor(ctx, "lonely")).toContain(`BackOff: Back-off restarting failed container kubia in pod lonely_default(${uid})`);
    ctx.clock.advance(10_000 + restartMs - 1);
    expect(status().state?.running).toBeUndefined();
    ctx.clock.advance(1);
    expect(status()).toMatchObject({ restartCount: 2, state: { running: {} } });
    kubelets.stop();
  });

  it("adopts a running pod after a restart without starting it again", () => {
    const { ctx, kubelets } = setup();
    addPod(ctx, "kubia-0", { nodeName: "k8s-node1" });
    ctx.clock.advance(10_000);
    kubelets.stop();
    const before = getPod(ctx, "kubia-0")!;
    const events = eventsFor(ctx, "kubia-0");
    const again = startKubelets(ctx);
    addPod(ctx, "kubia-1", { nodeName: "k8s-node1" });
    ctx.clock.advance(10_000);
    expect(eventsFor(ctx, "kubia-0")).toEqual(events);
    expect(getPod(ctx, "kubia-0")!.status?.podIP).toBe(before.status?.podIP);
    expect(getPod(ctx, "kubia-1")!.status?.podIP).toBe("10.1.1.3");
    again.stop();
  });
});
