import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { eventually, kubectlFor, parseTable, requireKubectl, SKIP_KUBECTL } from "./testing/kubectl";

/**
 * The book's chapter-10 commands, as printed there, with the real kubectl against the embedded
 * cluster and its demo: `kubectl proxy` to the `kubia-public` Service (an unnamed port), and a
 * kubeconfig the user changed surviving a restart of the cluster.
 */
describe.skipIf(SKIP_KUBECTL)("the book's commands against the embedded cluster", () => {
  let cluster: RunningCluster;
  let dir: string;
  let k: ReturnType<typeof kubectlFor>;
  const start = () => startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(dir, "data"), speed: 50, seedDemo: true });

  beforeAll(async () => {
    requireKubectl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-kubectl-book-"));
    cluster = await start();
    k = kubectlFor(cluster.kubeconfigPath, path.join(dir, "cache"));
    await eventually(async () => {
      const rows = parseTable(await k.ok(["get", "pods"]));
      return ["kubia-0", "kubia-1"].every((n) => rows.some((r) => r.NAME === n && r.STATUS === "Running" && r.READY === "1/1"));
    }, "kubia-0 and kubia-1 Running");
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("curl localhost:8001/api/v1/namespaces/default/services/kubia-public/proxy/ through kubectl proxy", async () => {
    const proxy = k.background(["proxy", "--port=0"]);
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
    await k.ok(["config", "set-context", "--current", "--namespace", "lab"]);
    const before = (await k.ok(["config", "view", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
    await cluster.stop();
    cluster = await start();
    expect((await k.ok(["config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}"])).trim()).toBe("lab");
    const after = (await k.ok(["config", "view", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
    expect(after).toBe(cluster.apiUrl);
    expect(after).not.toBe(before);
    await k.ok(["config", "set-context", "--current", "--namespace", "default"]);
  });
});
