import { describe, expect, it } from "vitest";
import { StatusError } from "../store/errors";
import { MAX_BODY_BYTES, kubiaStartupLog, onKubiaCrash, proxyToPod, splitSchemeNamePort } from "./proxy";
import { boundClaim, kubiaContext, request, runningPod } from "./testing/fixtures";

const text = async (p: Promise<{ status: number; body: Buffer }>) => {
  const r = await p;
  return [r.status, r.body.toString("utf8")] as const;
};

async function failure(p: Promise<unknown>): Promise<[number, string, string]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return [e.code, e.reason, e.message];
    throw e;
  }
  throw new Error("expected the proxy to fail");
}

describe("the kubia-pet app behind pods/proxy", () => {
  it("answers GET with the pod's name and 'No data posted yet' on a fresh volume", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "data-kubia-0", "pvc-0001");
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "data-kubia-0" });
    const res = await proxyToPod(ctx, pod, undefined, request());
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("You've hit kubia-0\nData stored on this pod: No data posted yet\n");
    expect(res.headers).toEqual({ date: "Thu, 01 Jan 2026 00:00:00 GMT" });
  });

  it("stores a POST body on the PV, logs like the app, and keeps it for the next pod with the same claim", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "data-kubia-1", "pvc-0002");
    const first = runningPod(ctx, { name: "kubia-1", ip: "10.1.2.20", data: "data-kubia-1" });
    expect(await text(proxyToPod(ctx, first, undefined, request("POST", "Hey there! This greeting was submitted to kubia-1.")))).toEqual([
      200,
      "Data stored on pod kubia-1\n",
    ]);
    expect(ctx.volumes.read("pvc-0002")).toBe("Hey there! This greeting was submitted to kubia-1.");
    expect(ctx.logs.read("default", "kubia-1", "kubia")).toBe("New data has been received and stored.\n");

    // Scale down and up: a new pod object (new uid, other node, other IP) re-attaches the same claim.
    ctx.store.delete("pods", "default", "kubia-1", { gracePeriodSeconds: 0 });
    const second = runningPod(ctx, { name: "kubia-1", ip: "10.1.3.7", node: "k8s-node1", data: "data-kubia-1" });
    expect(second.metadata!.uid).not.toBe(first.metadata!.uid);
    expect(await text(proxyToPod(ctx, second, "8080", request()))).toEqual([
      200,
      "You've hit kubia-1\nData stored on this pod: Hey there! This greeting was submitted to kubia-1.\n",
    ]);
  });

  it("keeps each PV's data apart and replaces (not appends) on a second POST", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "data-kubia-0", "pvc-a");
    boundClaim(ctx, "data-kubia-1", "pvc-b");
    const a = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "data-kubia-0" });
    const b = runningPod(ctx, { name: "kubia-1", ip: "10.1.1.11", data: "data-kubia-1" });
    await proxyToPod(ctx, a, undefined, request("POST", "one"));
    await proxyToPod(ctx, a, undefined, request("POST", "two"));
    expect((await proxyToPod(ctx, a, undefined, request())).body.toString()).toBe("You've hit kubia-0\nData stored on this pod: two\n");
    expect((await proxyToPod(ctx, b, undefined, request())).body.toString()).toBe("You've hit kubia-1\nData stored on this pod: No data posted yet\n");
  });

  it("tells an empty POST (an empty file) from no data, and answers other methods like GET, as the book's app", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "c", "pv-c");
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "c" });
    await proxyToPod(ctx, pod, undefined, request("POST", ""));
    expect(await text(proxyToPod(ctx, pod, undefined, request("PUT", "ignored", "/any/path")))).toEqual([200, "You've hit kubia-0\nData stored on this pod: \n"]);
    expect(await text(proxyToPod(ctx, pod, undefined, request("HEAD")))).toEqual([200, ""]);
  });

  it("refuses bodies over the playground limit with 413", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "c", "pv-c");
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "c" });
    expect(await failure(proxyToPod(ctx, pod, undefined, request("POST", "x".repeat(MAX_BODY_BYTES + 1))))).toEqual([
      413,
      "RequestEntityTooLarge",
      `Request entity too large: limit is ${MAX_BODY_BYTES}`,
    ]);
    expect(ctx.volumes.names()).toEqual([]);
  });
});

describe("reaching the pod, as the API server's pod proxy does", () => {
  it("is a 400 'address not allowed' while the pod has no IP", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "kubia-0", running: false });
    expect(await failure(proxyToPod(ctx, pod, undefined, request()))).toEqual([400, "BadRequest", "address not allowed"]);
  });

  it("is connection refused while the container is not running, or on a port kubia does not listen on", async () => {
    const ctx = kubiaContext();
    const starting = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", running: false });
    expect(await failure(proxyToPod(ctx, starting, undefined, request()))).toEqual([
      503,
      "ServiceUnavailable",
      "error trying to reach service: dial tcp 10.1.1.10:8080: connect: connection refused",
    ]);
    const pod = runningPod(ctx, { name: "kubia-1", ip: "10.1.1.11" });
    expect((await failure(proxyToPod(ctx, pod, "80", request())))[2]).toBe("error trying to reach service: dial tcp 10.1.1.11:80: connect: connection refused");
    // A port name goes to Go's service table (http = 80), not to the pod's named container ports.
    expect((await failure(proxyToPod(ctx, pod, "http", request())))[2]).toBe("error trying to reach service: dial tcp 10.1.1.11:80: connect: connection refused");
    expect((await failure(proxyToPod(ctx, pod, "web", request())))[2]).toBe("error trying to reach service: dial tcp: lookup tcp/web: unknown port");
  });

  it("dials port 80 when the pod declares no port (the API server's default for a pod proxy without a port)", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "dev", ip: "10.1.1.12", ports: [] });
    expect((await failure(proxyToPod(ctx, pod, undefined, request())))[2]).toBe("error trying to reach service: dial tcp 10.1.1.12:80: connect: connection refused");
    expect((await proxyToPod(ctx, pod, "8080", request())).status).toBe(200);
  });

  it("times out after the 30 s dial timeout (scaled by speed) when the pod network is broken", async () => {
    const ctx = kubiaContext(10);
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10" });
    ctx.faults.set({ brokenPodNetwork: true });
    let settled = false;
    const pending = failure(proxyToPod(ctx, pod, undefined, request())).finally(() => (settled = true));
    ctx.clock.advance(2_999);
    await Promise.resolve();
    expect(settled).toBe(false);
    ctx.clock.advance(1);
    expect(await pending).toEqual([503, "ServiceUnavailable", "error trying to reach service: dial tcp 10.1.1.10:8080: i/o timeout"]);
  });

  it("times out when the pod's node is down, and stops waiting when the client goes away", async () => {
    const ctx = kubiaContext();
    const node = ctx.store.get("nodes", undefined, "k8s-node2");
    node.metadata.annotations = { "playground.k8s.io/down": "true" };
    ctx.store.update("nodes", node);
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", node: "k8s-node2" });
    const timedOut = failure(proxyToPod(ctx, pod, undefined, request()));
    ctx.clock.advance(30_000);
    expect((await timedOut)[2]).toMatch(/i\/o timeout$/);

    const abort = new AbortController();
    const aborted = proxyToPod(ctx, pod, undefined, request(), { signal: abort.signal });
    abort.abort(new Error("client disconnected"));
    await expect(aborted).rejects.toThrow("client disconnected");
    expect(ctx.clock.pending()).toBe(0);
  });

  it("fails the TLS handshake for https:", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10" });
    expect((await failure(proxyToPod(ctx, pod, "8080", request(), { scheme: "https" })))[2]).toBe(
      "error trying to reach service: tls: first record does not look like a TLS handshake",
    );
  });

  it("splits the pod proxy id as utilnet.SplitSchemeNamePort", () => {
    expect(splitSchemeNamePort("kubia-0")).toEqual({ scheme: "", name: "kubia-0", port: undefined });
    expect(splitSchemeNamePort("kubia-0:8080")).toEqual({ scheme: "", name: "kubia-0", port: "8080" });
    expect(splitSchemeNamePort("https:kubia-0:8443")).toEqual({ scheme: "https", name: "kubia-0", port: "8443" });
    expect(() => splitSchemeNamePort("ftp:kubia-0:21")).toThrow('invalid pod request "ftp:kubia-0:21"');
    expect(() => splitSchemeNamePort("a:b:c:d")).toThrow(StatusError);
    expect(() => splitSchemeNamePort(":80")).toThrow(StatusError);
  });
});

describe("where the data file lives", () => {
  it("crashes the app on POST when nothing is mounted at /var/data (ENOENT), and the proxy sees EOF", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "lonely", ip: "10.1.1.10" });
    expect((await proxyToPod(ctx, pod, undefined, request())).body.toString()).toBe("You've hit lonely\nData stored on this pod: No data posted yet\n");
    const crashes: unknown[] = [];
    onKubiaCrash(ctx, (c) => crashes.push(c));
    expect(await failure(proxyToPod(ctx, pod, undefined, request("POST", "x")))).toEqual([503, "ServiceUnavailable", "error trying to reach service: EOF"]);
    expect(crashes).toEqual([{ namespace: "default", pod: "lonely", container: "kubia" }]);
    expect(ctx.logs.read("default", "lonely", "kubia")).toContain("Error: ENOENT: no such file or directory, open '/var/data/kubia.txt'\n");
  });

  it("crashes with EROFS on a read-only mount", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "c", "pv-c");
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "c", readOnly: true });
    await failure(proxyToPod(ctx, pod, undefined, request("POST", "x")));
    expect(ctx.logs.read("default", "kubia-0", "kubia")).toContain("EROFS: read-only file system");
    expect(ctx.volumes.names()).toEqual([]);
  });

  it("keeps emptyDir data per pod: a new pod starts empty", async () => {
    const ctx = kubiaContext();
    const first = runningPod(ctx, { name: "scratch", ip: "10.1.1.10", data: "emptyDir" });
    await proxyToPod(ctx, first, undefined, request("POST", "temporary"));
    expect((await proxyToPod(ctx, first, undefined, request())).body.toString()).toContain("this pod: temporary");
    expect(ctx.volumes.names()).toEqual([]); // not a PersistentVolume
    ctx.store.delete("pods", "default", "scratch", { gracePeriodSeconds: 0 });
    const second = runningPod(ctx, { name: "scratch", ip: "10.1.1.10", data: "emptyDir" });
    expect((await proxyToPod(ctx, second, undefined, request())).body.toString()).toContain("No data posted yet");
  });

  it("is connection refused when the claim is not bound (the kubelet would not have started the container)", async () => {
    const ctx = kubiaContext();
    boundClaim(ctx, "pending", undefined);
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10", data: "pending" });
    expect((await failure(proxyToPod(ctx, pod, undefined, request())))[2]).toMatch(/connection refused$/);
  });
});

describe("other book images", () => {
  it("luksa/kubia logs its start and every request, and answers only its name", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "kubia-x7k2p", ip: "10.1.1.10", image: "docker.io/luksa/kubia:latest" });
    kubiaStartupLog(ctx, pod);
    expect(await text(proxyToPod(ctx, pod, undefined, request()))).toEqual([200, "You've hit kubia-x7k2p\n"]);
    expect(ctx.logs.read("default", "kubia-x7k2p", "kubia")).toBe("Kubia server starting...\nReceived request from ::ffff:192.168.57.101\n");
  });

  it("kubia-pet prints nothing when it starts", () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "kubia-0", ip: "10.1.1.10" });
    kubiaStartupLog(ctx, pod);
    expect(ctx.logs.read("default", "kubia-0", "kubia")).toBe("");
  });
});
