import type { Duplex } from "node:stream";
import type { V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { attachToContainer } from "./containers";
import { proxyToPod, type ProxyRequest, type ProxyResponse } from "./proxy";
import { portForwardToPod } from "./portforward";
import { openContainer } from "./shell/container";
import { type ExecOptions, type ExecSession, type ExecSink, startExec } from "./shell/session";

export type { ExecOptions, ExecSession, ExecSink, ProxyRequest, ProxyResponse };
export { ExecStartError } from "./shell/session";
export { PortForwardError, sandboxId } from "./portforward";

/**
 * The node side of the embedded cluster as the API server reaches it: what a kubelet and its
 * container runtime serve (the pod network, processes in containers, container logs). The API
 * server's connect subresources (`pods/proxy`, `pods/exec`, `pods/attach`, `pods/log` and
 * `pods/portforward`) go through this one interface; the node's parts behind it (images, the shell,
 * volume contents) stay the node's own.
 */
export interface NodeRuntime {
  /**
   * An HTTP request to a pod's port through the pod network (`pods/{name}[:port]/proxy`). Throws
   * a StatusError with the API server's answer when the pod cannot be reached.
   */
  proxy(pod: V1Pod, port: string | undefined, req: ProxyRequest, opts?: { scheme?: string; signal?: AbortSignal }): Promise<ProxyResponse>;
  /**
   * Starts a process in a running container (`pods/exec`), as the container runtime does: throws
   * ExecStartError when there is nothing to run.
   */
  exec(pod: V1Pod, container: string, options: ExecOptions, sink: ExecSink): ExecSession;
  /**
   * Attaches to the main process of a running container (`pods/attach`): its output from now on,
   * the client's input to its stdin; `exited` resolves when the process ends.
   */
  attach(pod: V1Pod, container: string, options: { stdin: boolean }, sink: ExecSink): ExecSession;
  /**
   * One forwarded connection (`pods/portforward`), as the container runtime serves it: `connection`
   * reaches whatever listens on `port` inside the pod (the pod as it was when the session opened)
   * and the promise resolves when the forwarding is over. Rejects with a PortForwardError carrying
   * the runtime's message when nothing can be reached (no such sandbox any more, nothing listening).
   */
  portForward(pod: V1Pod, port: number, connection: Duplex): Promise<void>;
  /** What the container has written to stdout and stderr (`pods/log`). */
  logs(namespace: string, pod: string, container: string): string;
}

/** The runtime of the embedded cluster's nodes, over the shared context. */
export function createNodeRuntime(ctx: SimContext): NodeRuntime {
  return {
    proxy: (pod, port, req, opts) => proxyToPod(ctx, pod, port, req, opts),
    exec: (pod, container, options, sink) => startExec(openContainer(ctx, pod, container), options, sink),
    attach: (pod, container, options, sink) => attachToContainer(ctx, pod, container, options, sink) ?? idleAttach(),
    portForward: (pod, port, connection) => portForwardToPod(ctx, pod, port, connection),
    logs: (namespace, pod, container) => ctx.logs.read(namespace, pod, container),
  };
}

/** Attached to the kubia app: it reads no input, and nothing it prints arrives until the client leaves. */
function idleAttach(): ExecSession {
  return { input: () => undefined, endInput: () => undefined, resize: () => undefined, kill: () => undefined, exited: new Promise(() => undefined) };
}
