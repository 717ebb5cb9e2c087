import type { V1Pod } from "@kubernetes/client-node";
import { errors } from "../../store/errors";
import type { ApiDeps, ProxyRequest } from "../deps";
import type { ApiRequest } from "../http";
import type { ResourceRoute } from "../routes";
import { SERVICE_NAME_LABEL } from "../../../k8s/wellknown";

/** utilnet.SplitSchemeNamePort: "name", "name:port" or "scheme:name:port". */
export function splitSchemeNamePort(id: string, kind: "pod" | "service"): { scheme: string; name: string; port: string } {
  const parts = id.split(":");
  if (parts.length === 1) return { scheme: "", name: parts[0], port: "" };
  if (parts.length === 2) return { scheme: "", name: parts[0], port: parts[1] };
  if (parts.length === 3 && (parts[0] === "http" || parts[0] === "https" || parts[0] === "")) return { scheme: parts[0], name: parts[1], port: parts[2] };
  throw errors.badRequest(`invalid ${kind} request "${id}"`);
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host", "content-length", "authorization"]);

async function proxyRequest(req: ApiRequest, rest: string): Promise<ProxyRequest> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  return { method: req.method, path: "/" + rest, query: req.query.toString(), headers, body: await req.body() };
}

async function forward(deps: ApiDeps, req: ApiRequest, pod: V1Pod, port: string | undefined, rest: string, scheme: string): Promise<void> {
  // A client that gives up (kubectl's timeout, a closed browser tab) cancels the dial.
  const abort = new AbortController();
  const onClose = () => abort.abort();
  req.res.on("close", onClose);
  const proxied = await proxyRequest(req, rest);
  const answer = await deps.node.proxy(pod, port, proxied, { scheme: scheme || undefined, signal: abort.signal }).finally(() => req.res.off("close", onClose));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  req.res.writeHead(answer.status, { ...headers, "Content-Length": answer.body.length });
  req.res.end(answer.body);
}

/** pods/{name}[:port]/proxy/{path}: to the pod's app (the proxy picks the port when none is given). */
export async function handlePodProxy(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  const { scheme, name, port } = splitSchemeNamePort(route.name!, "pod");
  const pod = deps.ctx.store.get("pods", route.namespace, name);
  await forward(deps, req, pod, port || undefined, route.rest ?? "", scheme);
}

interface Backend {
  podName: string;
  ip: string;
  port: number;
}

/** Ready endpoints of the service port named `portName`, from its EndpointSlices (or Endpoints). */
function backendsOf(deps: ApiDeps, namespace: string, service: string, portName: string): Backend[] {
  const { store } = deps.ctx;
  const slices = store.list("endpointslices.discovery.k8s.io", { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${service}` }).items;
  const out: Backend[] = [];
  if (slices.length) {
    for (const slice of slices) {
      const port = slice.ports?.find((p) => (p.name ?? "") === portName);
      if (!port?.port) continue;
      for (const ep of slice.endpoints ?? []) {
        if (ep.conditions?.ready === false || ep.targetRef?.kind !== "Pod" || !ep.targetRef.name) continue;
        for (const ip of ep.addresses) out.push({ podName: ep.targetRef.name, ip, port: port.port });
      }
    }
    return out;
  }
  const endpoints = store.tryGet("endpoints", namespace, service);
  for (const subset of endpoints?.subsets ?? []) {
    const port = subset.ports?.find((p) => (p.name ?? "") === portName);
    if (!port) continue;
    for (const a of subset.addresses ?? []) if (a.targetRef?.kind === "Pod" && a.targetRef.name) out.push({ podName: a.targetRef.name, ip: a.ip, port: port.port });
  }
  return out;
}

const roundRobin = new Map<string, number>();

/**
 * services/{name}[:port]/proxy/{path}: a port number is mapped to the service port's name, then the
 * request goes to the next ready endpoint (round-robin) whose address still belongs to that pod.
 */
export async function handleServiceProxy(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  const namespace = route.namespace!;
  const { scheme, name, port } = splitSchemeNamePort(route.name!, "service");
  const svc = deps.ctx.store.get("services", namespace, name);
  let portName = port;
  if (/^[0-9]+$/.test(port)) {
    const match = svc.spec?.ports?.find((p) => p.port === Number(port));
    if (!match) throw errors.notFound("services", "", `no service port ${port} found for service "${name}"`);
    portName = match.name ?? "";
  }
  const backends = backendsOf(deps, namespace, name, portName).filter((b) => {
    const pod = deps.ctx.store.tryGet("pods", namespace, b.podName);
    return !!pod && (pod.status?.podIP === b.ip || pod.status?.podIPs?.some((p) => p.ip === b.ip));
  });
  if (!backends.length) throw errors.serviceUnavailable(`no endpoints available for service "${name}"`);
  const key = `${namespace}/${name}/${portName}`;
  const next = (roundRobin.get(key) ?? 0) % backends.length;
  roundRobin.set(key, next + 1);
  const backend = backends[next];
  const pod = deps.ctx.store.get("pods", namespace, backend.podName);
  await forward(deps, req, pod, String(backend.port), route.rest ?? "", scheme);
}
