import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubeconfigFor, writeKubeconfig } from "./kubeconfig";

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
  file = path.join(dir, "kubeconfig");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = () => parse(fs.readFileSync(file, "utf8"));

describe("writeKubeconfig", () => {
  it("writes the embedded cluster's kubeconfig when there is none, owner-readable only", () => {
    writeKubeconfig(file, "http://127.0.0.1:16443");
    expect(read()).toEqual(kubeconfigFor("http://127.0.0.1:16443"));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("on a restart changes only the server address, keeping what the user set", () => {
    writeKubeconfig(file, "http://127.0.0.1:16443");
    const edited = read();
    // What `kubectl config set-context --current --namespace lab` and a second cluster leave behind.
    edited.contexts[0].context.namespace = "lab";
    edited.clusters.push({ name: "other", cluster: { server: "https://10.0.0.1:6443" } });
    edited.contexts.push({ name: "other", context: { cluster: "other", user: "playground-user" } });
    edited["current-context"] = "other";
    edited.clusters[0].cluster["certificate-authority"] = "/dev/null";
    fs.writeFileSync(file, JSON.stringify(edited));
    writeKubeconfig(file, "http://127.0.0.1:20000");
    const after = read();
    expect(after.contexts[0]).toEqual({ name: "playground", context: { cluster: "playground", user: "playground-user", namespace: "lab" } });
    expect(after["current-context"]).toBe("other");
    expect(after.clusters).toEqual([
      { name: "playground", cluster: { server: "http://127.0.0.1:20000", "insecure-skip-tls-verify": true, "certificate-authority": "/dev/null" } },
      { name: "other", cluster: { server: "https://10.0.0.1:6443" } },
    ]);
    expect(after.contexts).toHaveLength(2);
  });

  it("adds its own entries to a kubeconfig that lacks them", () => {
    fs.writeFileSync(file, "apiVersion: v1\nkind: Config\nclusters: []\n");
    writeKubeconfig(file, "http://127.0.0.1:16443");
    expect(read()).toEqual({ ...kubeconfigFor("http://127.0.0.1:16443"), preferences: undefined });
  });

  it("replaces a file that is not a kubeconfig", () => {
    fs.writeFileSync(file, "clusters: 3\n: : :\n");
    writeKubeconfig(file, "http://127.0.0.1:16443");
    expect(read()).toEqual(kubeconfigFor("http://127.0.0.1:16443"));
  });
});
