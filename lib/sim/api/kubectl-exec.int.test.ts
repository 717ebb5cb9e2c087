import { beforeAll, describe, expect, it } from "vitest";
import { runningReady, whileNodeOfPodIsDown, withKubectlCluster } from "./testing/kubectl-cluster";
import { eventually } from "@/testing/wait";
import { SKIP_KUBECTL } from "@/testing/kubectl";

/**
 * `kubectl exec` (the real kubectl, over WebSocket v5) against the embedded cluster with the book's
 * chapter-10 StatefulSet: what the app stored, exit codes, stdin, the cluster DNS and the pod
 * network from inside a pod, faults, a failed node, and a pod deleted under a running exec.
 */
describe.skipIf(SKIP_KUBECTL)("kubectl exec against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-exec", { seedDemo: true });

  const faults = (patch: object) => world.k.ok(["replace", "--raw", "/apis/playground.k8s.io/v1/faults", "-f", "-"], { input: JSON.stringify(patch) });

  beforeAll(() => eventually(() => runningReady(world.k, ["kubia-0", "kubia-1"]), "kubia-0 and kubia-1 Running"));

  it("cats what the app stored from a POST through the pod proxy, and lists the volume", async () => {
    const posted = await world.k.run(["create", "--raw", "/api/v1/namespaces/default/pods/kubia-0/proxy/", "-f", "-"], { input: "stored through the proxy" });
    expect(posted.code, posted.stderr).toBe(0);
    expect(await world.k.run(["exec", "kubia-0", "--", "cat", "/var/data/kubia.txt"])).toEqual({ code: 0, stdout: "stored through the proxy", stderr: "" });
    expect(await world.k.ok(["exec", "kubia-0", "--", "ls", "-l", "/var/data"])).toMatch(/^total 4\n-rw-r--r-- 1 root root 24 \w{3} [ \d]\d \d\d:\d\d kubia.txt\n$/);
    expect(await world.k.ok(["exec", "kubia-0", "--", "hostname"])).toBe("kubia-0\n");
  });

  it("exits with the command's exit code", async () => {
    expect(await world.k.run(["exec", "kubia-0", "--", "sh", "-c", "exit 3"])).toEqual({ code: 3, stdout: "", stderr: "command terminated with exit code 3\n" });
    expect(await world.k.run(["exec", "kubia-0", "--", "ls", "/nope"])).toEqual({ code: 2, stdout: "", stderr: "ls: cannot access /nope: No such file or directory\ncommand terminated with exit code 2\n" });
  });

  it("fails an unknown command as on a containerd node", async () => {
    const r = await world.k.run(["exec", "kubia-0", "--", "foo"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown\n$/,
    );
  });

  it("runs sh reading piped stdin (-i); its writes reach the app through the volume", async () => {
    const r = await world.k.run(["exec", "-i", "kubia-0", "--", "sh"], { input: "hostname\necho appended >> /var/data/kubia.txt\nexit\n" });
    expect(r).toEqual({ code: 0, stdout: "kubia-0\n", stderr: "" });
    expect(await world.k.ok(["get", "--raw", "/api/v1/namespaces/default/pods/kubia-0/proxy/"])).toBe("You've hit kubia-0\nData stored on this pod: stored through the proxyappended\n\n");
  });

  it("resolves a peer with the cluster DNS and reaches its app over the pod network", async () => {
    const ip = (await world.k.ok(["get", "pod", "kubia-1", "-o", "jsonpath={.status.podIP}"])).trim();
    expect(await world.k.ok(["exec", "kubia-0", "--", "nslookup", "kubia-1.kubia"])).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubia-1.kubia.default.svc.cluster.local\nAddress: ${ip}\n\n`);
    expect(await world.k.ok(["exec", "kubia-0", "--", "curl", "-s", "kubia-1.kubia:8080"])).toBe("You've hit kubia-1\nData stored on this pod: No data posted yet\n");
  });

  it("times out over a broken pod network", async () => {
    await faults({ brokenPodNetwork: true });
    try {
      const r = await world.k.run(["exec", "kubia-0", "--", "curl", "-sS", "-m", "5", "kubia-1.kubia:8080"]);
      expect(r).toMatchObject({ code: 28, stderr: expect.stringMatching(/^curl: \(28\) Resolving timed out after 5000 milliseconds\ncommand terminated with exit code 28\n$/) });
    } finally {
      await faults({ brokenPodNetwork: false });
    }
  });

  it("ends a running exec with 137 when its pod is deleted", async () => {
    const running = world.k.run(["exec", "kubia-1", "--", "sh", "-c", "touch /tmp/started; sleep 3600"], { timeoutMs: 60_000 });
    // The file is in the container's writable layer, which every exec in that container sees.
    await eventually(async () => (await world.k.run(["exec", "kubia-1", "--", "ls", "/tmp/started"])).code === 0, "the exec to be running", 20_000);
    expect((await world.k.run(["delete", "pod", "kubia-1", "--wait=false"])).code).toBe(0);
    expect(await running).toEqual({ code: 137, stdout: "", stderr: "command terminated with exit code 137\n" });
    await eventually(() => runningReady(world.k, ["kubia-0", "kubia-1"]), "kubia-1 replaced");
  });

  it("refuses a pod that has no node yet (kubectl retries over SPDY, then reports the upgrade failure)", async () => {
    await world.k.ok(["run", "pending", "--image=luksa/kubia-pet", "--overrides", JSON.stringify({ spec: { nodeSelector: { "playground.k8s.io/nowhere": "true" } } })]);
    const r = await world.k.run(["exec", "pending", "--", "hostname"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error: unable to upgrade connection: pod pending does not have a host assigned\n" });
  });

  // The embedded nodes declare no `ExtendWebSocketsToKubelet`, so the API server upgrades first and
  // reports the dial on the error channel (subresources/exec.ts explains both paths).
  it("cannot reach the kubelet of a failed node", async () => {
    await whileNodeOfPodIsDown(world.k, "kubia-0", async (ip) => {
      const r = await world.k.run(["exec", "kubia-0", "--", "hostname"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: Internal error occurred: error sending request: Post "https://${ip}:10250/exec/default/kubia-0/kubia?command=hostname&error=1&output=1": dial tcp ${ip}:10250: i/o timeout\n`,
      );
    });
  });
});
