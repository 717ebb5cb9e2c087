/**
 * Captures what the real kube-apiserver of the suite (tools/real-cluster, its own instance "protobuf")
 * answers in `application/vnd.kubernetes.protobuf` and in JSON for the same objects: a Pod, a
 * StatefulSet, a ControllerRevision, a Service, a PVC, lists, a NotFound Status and a watch frame.
 * They land in lib/sim/api/protobuf/fixtures/, where fixtures.test.ts decodes and re-encodes them.
 * Also what the real kubectl prints for the objects its typed clients create (protobuf requests),
 * which lib/sim/api/kubectl-protobuf.int.test.ts expects of the embedded cluster.
 *
 *   npx tsx scripts/k8s-proto-fixtures.ts        (needs the built binary: npm run tools)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { down, up } from "../tools/real-cluster/cluster";
import { realClusterInstancePaths } from "../tools/real-cluster/config";

const OUT = path.resolve(import.meta.dirname, "../lib/sim/api/protobuf/fixtures");
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const NS = "pbfix";

interface Reply {
  status: number;
  type: string;
  body: Buffer;
}

function client(kc: KubeConfig) {
  const server = new URL(kc.getCurrentCluster()!.server);
  return async (method: string, urlPath: string, accept: string, body?: unknown): Promise<Reply> => {
    const opts: https.RequestOptions = { method, hostname: server.hostname, port: server.port, path: urlPath, headers: { accept, ...(body ? { "content-type": "application/json" } : {}) } };
    await kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  };
}

const STATEFULSET = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    serviceName: "web",
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "kubia", image: "luksa/kubia-pet", ports: [{ name: "http", containerPort: 8080 }], resources: { requests: { cpu: "100m", memory: "64Mi" } }, volumeMounts: [{ name: "data", mountPath: "/var/data" }] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } }],
  },
};
const SERVICE = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { clusterIP: "None", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "alt", port: 81, targetPort: 8081 }] } };

/** The kubectl commands of issue 13 that send protobuf, and `get -o json` of what they created. */
const KUBECTL_CREATES: { create: string[]; get: string[] }[] = [
  { create: ["create", "namespace", "lab"], get: ["get", "namespace", "lab"] },
  { create: ["create", "configmap", "cfg", "-n", "lab", "--from-literal=greeting=hello", "--from-literal=empty="], get: ["get", "configmap", "cfg", "-n", "lab"] },
  { create: ["create", "serviceaccount", "robot", "-n", "lab"], get: ["get", "serviceaccount", "robot", "-n", "lab"] },
  { create: ["create", "service", "clusterip", "other", "--clusterip=None", "-n", "lab"], get: ["get", "service", "other", "-n", "lab"] },
];

function captureKubectl(kubectl: string, kubeconfig: string, context: string): void {
  const run = (args: string[]) => execFileSync(kubectl, ["--kubeconfig", kubeconfig, "--context", context, ...args], { encoding: "utf8" });
  const printed = KUBECTL_CREATES.map(({ create, get }) => ({ create, get, printed: run(create), object: JSON.parse(run([...get, "-o", "json"])) }));
  fs.writeFileSync(path.join(OUT, "kubectl-creates.json"), JSON.stringify(printed, null, 2) + "\n");
  console.log(`kubectl: ${printed.length} creates`);
}

/** How the server refuses: a body that is not protobuf, an Accept it cannot serve (JSON Status each). */
async function captureRefusals(kc: KubeConfig): Promise<void> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const send = async (urlPath: string, method: string, headers: Record<string, string>, body?: Buffer) => {
    const opts: https.RequestOptions = { method, hostname: server.hostname, port: server.port, path: urlPath, headers };
    await kc.applyToHTTPSOptions(opts);
    return new Promise<unknown>((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ code: res.statusCode, contentType: res.headers["content-type"], body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  const refusals = {
    notProtobuf: await send(`/api/v1/namespaces/${NS}/configmaps`, "POST", { "content-type": PROTOBUF, accept: "application/json" }, Buffer.from('{"kind":"ConfigMap"}')),
    notAcceptable: await send(`/api/v1/namespaces/${NS}/configmaps`, "GET", { accept: "text/html" }),
    tableInProtobufOnly: await send(`/api/v1/namespaces/${NS}/configmaps`, "GET", { accept: `${PROTOBUF};as=Table;v=v1;g=meta.k8s.io` }),
  };
  fs.writeFileSync(path.join(OUT, "refusals.json"), JSON.stringify(refusals, null, 2) + "\n");
  console.log("refusals captured");
}

async function main(): Promise<void> {
  const paths = realClusterInstancePaths("protobuf");
  const env = await up({ paths });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.PLAYGROUND_KUBECONFIG);
    kc.setCurrentContext(env.PLAYGROUND_CONTEXT);
    const call = client(kc);
    await call("POST", "/api/v1/namespaces", "application/json", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    await call("POST", `/api/v1/namespaces/${NS}/services`, "application/json", SERVICE);
    await call("POST", `/apis/apps/v1/namespaces/${NS}/statefulsets`, "application/json", STATEFULSET);
    for (let i = 0; ; i++) {
      const pod = await call("GET", `/api/v1/namespaces/${NS}/pods/web-0`, "application/json");
      if (pod.status === 200 && JSON.parse(pod.body.toString()).status?.phase === "Running") break;
      if (i > 240) throw new Error("web-0 never ran");
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000)); // let status settle so both reads see one version
    fs.mkdirSync(OUT, { recursive: true });
    const both = async (name: string, urlPath: string) => {
      for (;;) {
        const pb = await call("GET", urlPath, PROTOBUF);
        const json = await call("GET", urlPath, "application/json");
        const rv = (r: Reply) => (r.status < 300 ? JSON.parse(json.body.toString()).metadata?.resourceVersion : "");
        if (pb.type !== PROTOBUF) throw new Error(`${urlPath}: answered ${pb.type}`);
        if (rv(pb) !== rv(json)) continue;
        fs.writeFileSync(path.join(OUT, `${name}.pb`), pb.body);
        fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(JSON.parse(json.body.toString()), null, 2) + "\n");
        console.log(`${name}: ${pb.status} ${pb.body.length} bytes`);
        return;
      }
    };
    await both("pod", `/api/v1/namespaces/${NS}/pods/web-0`);
    await both("statefulset", `/apis/apps/v1/namespaces/${NS}/statefulsets/web`);
    await both("service", `/api/v1/namespaces/${NS}/services/web`);
    await both("pvc", `/api/v1/namespaces/${NS}/persistentvolumeclaims/data-web-0`);
    await both("controllerrevisionlist", `/apis/apps/v1/namespaces/${NS}/controllerrevisions`);
    await both("podlist", `/api/v1/namespaces/${NS}/pods`);
    await both("status-notfound", `/api/v1/namespaces/${NS}/configmaps/missing`);
    // One frame of each kind of watch stream: the initial ADDED of the namespace's root CA configmap.
    const watch = `/api/v1/namespaces/${NS}/configmaps?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dkube-root-ca.crt`;
    const pbWatch = await call("GET", watch, `${PROTOBUF};stream=watch`);
    const jsonWatch = await call("GET", watch, "application/json");
    if (pbWatch.type !== `${PROTOBUF};stream=watch`) throw new Error(`watch answered ${pbWatch.type}`);
    fs.writeFileSync(path.join(OUT, "watch-configmap.pb"), pbWatch.body);
    fs.writeFileSync(path.join(OUT, "watch-configmap.json"), JSON.stringify(JSON.parse(jsonWatch.body.toString().split("\n")[0]), null, 2) + "\n");
    console.log(`watch: ${pbWatch.body.length} bytes`);
    captureKubectl(paths.kubectl, env.PLAYGROUND_KUBECONFIG, env.PLAYGROUND_CONTEXT);
    await captureRefusals(kc);
  } finally {
    if (!process.argv.includes("--keep")) await down({ paths });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
