import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { errors } from "../../store/errors";
import type { ApiDeps } from "../deps";
import { type ApiRequest, boolParam, intParam } from "../http";
import type { ResourceRoute } from "../routes";

const FOLLOW_POLL_MS = 200;

/** ValidateContainer (registry/core/pod/strategy.go): the container to read, or a 400 naming the choices. */
function containerOf(pod: V1Pod, requested: string | null): string {
  const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  if (!requested) {
    const containers = pod.spec?.containers ?? [];
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${pod.metadata?.name}`);
    throw errors.badRequest(`a container name must be specified for pod ${pod.metadata?.name}, choose one of: [${names.join(" ")}]`);
  }
  if (!names.includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${pod.metadata?.name}`);
  return requested;
}

/** The kubelet's validateContainerLogStatus: no logs from a container that has not started. */
function checkStarted(pod: V1Pod, container: string, previous: boolean): void {
  const statuses: V1ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  const where = `container "${container}" in pod "${pod.metadata?.name}"`;
  if (!status) throw errors.badRequest(`${where} is waiting to start: ContainerCreating`);
  if (previous) {
    if (!status.lastState?.terminated) throw errors.badRequest(`previous terminated container "${container}" in pod "${pod.metadata?.name}" not found`);
    return;
  }
  if (status.state?.running || status.state?.terminated || status.lastState?.terminated) return;
  const reason = status.state?.waiting?.reason;
  if (reason === "ErrImagePull") throw errors.badRequest(`${where} is waiting to start: image can't be pulled`);
  if (reason === "ImagePullBackOff") throw errors.badRequest(`${where} is waiting to start: trying and failing to pull image`);
  if (reason) throw errors.badRequest(`${where} is waiting to start: ${reason}`);
  throw errors.badRequest(`${where} is waiting to start - no logs yet`);
}

function asText(log: string): string {
  return log && !log.endsWith("\n") ? log + "\n" : log;
}

function tail(text: string, lines: number | undefined): string {
  if (lines === undefined || lines < 0) return text;
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  return all.length ? asText(all.slice(Math.max(0, all.length - lines)).join("\n")) : "";
}

/** GET pods/{name}/log: container, tailLines, limitBytes, previous and follow (streams until the pod goes). */
export function handleLog(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): void {
  if (req.method !== "GET") throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  const { store } = deps.ctx;
  const namespace = route.namespace!;
  const name = route.name!;
  const pod = store.get("pods", namespace, name);
  const container = containerOf(pod, req.query.get("container"));
  const previous = boolParam(req.query, "previous");
  const limitBytes = intParam(req.query, "limitBytes");
  const res = req.res;
  if (!pod.spec?.nodeName) {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end();
    return;
  }
  checkStarted(pod, container, previous);
  const read = () => asText(deps.node.logs(namespace, name, container));
  let text = tail(read(), intParam(req.query, "tailLines"));
  if (limitBytes !== undefined && limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString("utf8");
  res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private", ...(boolParam(req.query, "follow") ? { "Transfer-Encoding": "chunked" } : {}) });
  if (!boolParam(req.query, "follow") || previous) {
    res.end(text);
    return;
  }
  res.write(text);
  res.flushHeaders();
  followLog(deps, req, namespace, name, read);
}

function followLog(deps: ApiDeps, req: ApiRequest, namespace: string, name: string, read: () => string): void {
  const res = req.res;
  let sent = read().length;
  let closed = false;
  const poll = setInterval(() => {
    const now = read();
    if (now.length < sent) sent = 0; // the log was cleared (a new container)
    if (now.length > sent) res.write(now.slice(sent));
    sent = now.length;
  }, FOLLOW_POLL_MS);
  const unwatch = deps.ctx.store.watch("pods", { namespace, fieldSelector: `metadata.name=${name}` }, (type) => {
    if (type === "DELETED") close();
  });
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    unwatch();
    deps.streams.delete(close);
    res.end();
  }
  deps.streams.add(close);
  res.on("close", close);
}
