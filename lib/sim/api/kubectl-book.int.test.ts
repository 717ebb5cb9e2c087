import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@/testing/wait";
import { parseTable, SKIP_KUBECTL } from "@/testing/kubectl";
import { runningReady, withKubectlCluster } from "./testing/kubectl-cluster";

/**
 * The book's chapter-10 commands, as printed there, with the real kubectl against the embedded
 * cluster and its demo: the SRV lookup with `kubectl run -it … --rm -- dig` (attach, the container
 * running its command, dig answered by the cluster DNS), `kubectl proxy` to the `kubia-public`
 * Service (an unnamed port), and a kubeconfig the user changed surviving a restart of the cluster.
 */
describe.skipIf(SKIP_KUBECTL)("the book's commands against the embedded cluster", () => {
  const world = withKubectlCluster("kubectl-book", { seedDemo: true });

  beforeAll(async () => {
    await eventually(() => runningReady(world.k, ["kubia-0", "kubia-1"]), "kubia-0 and kubia-1 Running");
  });

  const gone = async (pod: string) => !parseTable(await world.k.ok(["get", "pods"])).some((r) => r.NAME === pod);

  it("kubectl run -it srvlookup --image=tutum/dnsutils --rm --restart=Never -- dig SRV kubia.default.svc.cluster.local", async () => {
    const ran = await world.k.run(["run", "-it", "srvlookup", "--image=tutum/dnsutils", "--rm", "--restart=Never", "--", "dig", "SRV", "kubia.default.svc.cluster.local"], { input: "" });
    expect(ran.code, ran.stderr).toBe(0);
    // The pod has a TTY (-t): its terminal turns "\n" into "\r\n", as on a real node.
    expect(ran.stdout).toContain(";; ANSWER SECTION:\r\n");
    const r = { ...ran, stdout: ran.stdout.replace(/\r\n/g, "\n") };
    const ips = Object.fromEntries(await Promise.all(["kubia-0", "kubia-1"].map(async (n) => [n, (await world.k.ok(["get", "pod", n, "-o", "jsonpath={.status.podIP}"])).trim()])));
    expect(r.stdout).toMatch(/^\n; <<>> DiG 9\.11\.3-1ubuntu1\.16-Ubuntu <<>> SRV kubia\.default\.svc\.cluster\.local\n;; global options: \+cmd\n;; Got answer:\n/);
    expect(r.stdout).toContain(";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3\n");
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => l.includes("\tSRV\t")).sort()).toEqual([
      "kubia.default.svc.cluster.local. 30 IN\tSRV\t0 50 80 kubia-0.kubia.default.svc.cluster.local.",
      "kubia.default.svc.cluster.local. 30 IN\tSRV\t0 50 80 kubia-1.kubia.default.svc.cluster.local.",
    ]);
    expect(lines.filter((l) => / IN A /.test(l)).sort()).toEqual([`kubia-0.kubia.default.svc.cluster.local. 30 IN A ${ips["kubia-0"]}`, `kubia-1.kubia.default.svc.cluster.local. 30 IN A ${ips["kubia-1"]}`]);
    expect(r.stdout).toMatch(/\n;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\)\n/);
    expect(r.stdout).toMatch(/pod "srvlookup" deleted from default namespace\n$/);
    expect(r.stderr).not.toContain("couldn't attach");
    await eventually(() => gone("srvlookup"), "srvlookup deleted");
  });

  it("kubectl run -i --rm with +short, and a shell whose exit code kubectl run reports from the pod's status", async () => {
    const short = await world.k.run(["run", "-i", "--rm", "short", "--image=tutum/dnsutils", "--restart=Never", "--", "dig", "+short", "SRV", "kubia.default.svc.cluster.local"], { input: "" });
    expect(short.code, short.stderr).toBe(0);
    expect(short.stdout.split("\n").filter((l) => l.startsWith("0 50 80")).sort()).toEqual(["0 50 80 kubia-0.kubia.default.svc.cluster.local.", "0 50 80 kubia-1.kubia.default.svc.cluster.local."]);
    const shell = await world.k.run(["run", "-i", "--rm", "bb", "--image=busybox", "--restart=Never", "--", "sh"], { input: "echo hi; hostname\nexit 3\n" });
    expect(shell.code).toBe(3);
    expect(shell.stdout).toBe('hi\nbb\npod "bb" deleted from default namespace\n');
    expect(shell.stderr).toContain("pod default/bb terminated (Error)");
    expect(shell.stderr).not.toContain("couldn't attach");
  });

  it("runs a pod's command to completion: Completed in kubectl get, its output in kubectl logs", async () => {
    await world.k.ok(["run", "once", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo done"]);
    await eventually(async () => parseTable(await world.k.ok(["get", "pods"])).find((r) => r.NAME === "once" && r.STATUS === "Completed"), "once Completed");
    expect(await world.k.ok(["logs", "once"])).toBe("done\n");
    await world.k.ok(["run", "fails", "--image=busybox", "--restart=Never", "--", "sh", "-c", "exit 2"]);
    await eventually(async () => parseTable(await world.k.ok(["get", "pods"])).find((r) => r.NAME === "fails" && r.STATUS === "Error"), "fails Error");
    expect((await world.k.ok(["get", "pod", "fails", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}"])).trim()).toBe("Failed 2");
    await world.k.ok(["delete", "pod", "once", "fails", "--grace-period=0", "--force"]);
  });

  it("kubectl cp both ways: a file from the volume, a directory into the pod and back, UTF-8 intact", async () => {
    await world.k.ok(["create", "--raw", "/api/v1/namespaces/default/pods/kubia-1/proxy/", "-f", "-"], { input: "stored for cp" });
    const local = path.join(world.dir, "cp");
    fs.mkdirSync(path.join(local, "d"), { recursive: true });
    const from = await world.k.run(["cp", "kubia-1:/var/data/kubia.txt", path.join(local, "kubia.txt")]);
    expect(from).toEqual({ code: 0, stdout: "tar: Removing leading `/' from member names\n", stderr: "" });
    expect(fs.readFileSync(path.join(local, "kubia.txt"), "utf8")).toBe("stored for cp");
    fs.writeFileSync(path.join(local, "d", "a.txt"), "über\n");
    fs.writeFileSync(path.join(local, "d", "b.txt"), "two\n");
    expect((await world.k.run(["cp", path.join(local, "d"), "kubia-1:/tmp/d"])).code).toBe(0);
    expect(await world.k.ok(["exec", "kubia-1", "--", "cat", "/tmp/d/a.txt", "/tmp/d/b.txt"])).toBe("über\ntwo\n");
    expect((await world.k.run(["cp", "kubia-1:/tmp/d", path.join(local, "back")])).code).toBe(0);
    expect(fs.readdirSync(path.join(local, "back")).sort()).toEqual(["a.txt", "b.txt"]);
    expect(fs.readFileSync(path.join(local, "back", "a.txt"), "utf8")).toBe("über\n");
    // Into the volume: the app's directory gets a second file, kept with the PV.
    expect((await world.k.run(["cp", path.join(local, "d", "b.txt"), "kubia-1:/var/data/"])).code).toBe(0);
    expect(await world.k.ok(["exec", "kubia-1", "--", "ls", "/var/data"])).toBe("b.txt\nkubia.txt\n");
  });

  it("kubectl debug kubia-0 -i --image=busybox -- sh: an ephemeral container in the pod's network, without its volumes", async () => {
    const r = await world.k.run(["debug", "kubia-0", "-i", "--image=busybox", "--", "sh"], { input: "hostname\nls /var/data\nexit 4\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Defaulting debug container name to debugger-[a-z0-9]{5}\.\nkubia-0\nls: cannot access \/var\/data: No such file or directory\n$/);
    const debugger_ = /debugger-[a-z0-9]{5}/.exec(r.stdout)![0];
    const state = await eventually(async () => {
      const statuses = JSON.parse(await world.k.ok(["get", "pod", "kubia-0", "-o", "jsonpath={.status.ephemeralContainerStatuses}"]));
      return statuses.find((s: { name: string; state: { terminated?: unknown } }) => s.name === debugger_ && s.state.terminated);
    }, "the debug container to end");
    expect(state).toMatchObject({ ready: false, restartCount: 0, state: { terminated: { exitCode: 4, reason: "Error" } } });
    // The pod itself is untouched: still Running and Ready.
    expect(parseTable(await world.k.ok(["get", "pods"])).find((row) => row.NAME === "kubia-0")).toMatchObject({ READY: "1/1", STATUS: "Running" });
    const refused = await world.k.run(["patch", "pod", "kubia-0", "--subresource=ephemeralcontainers", "--type=json", "-p", '[{"op":"remove","path":"/spec/ephemeralContainers/0"}]']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("existing ephemeral containers may not be changed");
  });

  it("curl localhost:8001/api/v1/namespaces/default/services/kubia-public/proxy/ through kubectl proxy", async () => {
    const proxy = world.k.background(["proxy", "--port=0"]);
    try {
      const address = await eventually(async () => /Starting to serve on (\S+)/.exec(proxy.output())?.[1], "kubectl proxy to listen");
      const res = await fetch(`http://${address}/api/v1/namespaces/default/services/kubia-public/proxy/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^You've hit kubia-[01]\nData stored on this pod: No data posted yet\n$/);
    } finally {
      await proxy.stop();
    }
  });

  it("keeps the namespace set with kubectl config across a restart; only the server address changes", async () => {
    await world.k.ok(["config", "set-context", "--current", "--namespace", "lab"]);
    const before = (await world.k.ok(["config", "view", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
    await world.restart();
    expect((await world.k.ok(["config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}"])).trim()).toBe("lab");
    const after = (await world.k.ok(["config", "view", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
    expect(after).toBe(world.cluster.apiUrl);
    expect(after).not.toBe(before);
    await world.k.ok(["config", "set-context", "--current", "--namespace", "default"]);
  });
});
