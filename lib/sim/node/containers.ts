import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { mainArgv } from "./images/tools";
import { kubiaStartupLog } from "./proxy";
import { openContainer } from "./shell/container";
import { ProcessSignals } from "./shell/process";
import { ExecStartError, type ExecSession, type ExecSink, startExec } from "./shell/session";

/** runc could not start the container's process: containerd reports exit code 128 (StartError). */
export const START_ERROR_EXIT_CODE = 128;

export interface ContainerProcess {
  /** The runtime stops the container: SIGTERM to its main process, which may end before the grace period does. */
  terminate(): void;
  /** The container is stopped (pod deleted, container replaced): the process dies with it. */
  kill(): void;
}

/** Writes a process's output to the container's log line by line, as the runtime's log driver does. */
function logWriter(ctx: SimContext, pod: V1Pod, container: string): { write(text: string): void; flush(): void } {
  const namespace = pod.metadata?.namespace ?? "default";
  const name = pod.metadata?.name ?? "";
  let partial = "";
  return {
    write(text) {
      const lines = (partial + text).split("\n");
      partial = lines.pop()!;
      for (const line of lines) ctx.logs.append(namespace, name, container, line);
    },
    flush() {
      if (partial) ctx.logs.append(namespace, name, container, partial);
      partial = "";
    },
  };
}

/** Where an attach (kubectl attach, run -i) meets the main process of a container. */
interface Attachable {
  attach(options: { stdin: boolean }, sink: ExecSink): ExecSession;
}

const attachables = new WeakMap<SimContext, Map<string, Attachable>>();

function registry(ctx: SimContext): Map<string, Attachable> {
  let map = attachables.get(ctx);
  if (!map) attachables.set(ctx, (map = new Map()));
  return map;
}

const keyOf = (pod: V1Pod, container: string) => `${pod.metadata?.uid}/${container}`;

/**
 * A container started with `stdin: true` (kubectl run -i) waits this long for its first attach
 * before its process runs without one. A real runtime starts it at once and a fast command may
 * finish before kubectl attaches (kubectl then falls back to the logs); the playground lets kubectl
 * attach first, as a learner expects.
 */
export const ATTACH_WAIT_MS = 5_000;

/**
 * Attaches to the main process of a running container: its output from now on, and (with
 * `stdin`) the client's input to its stdin. Ending the attach leaves the process running; the
 * session's `exited` resolves when the process ends. Undefined when the container runs the kubia
 * app, which reads no input and whose output is its log.
 */
export function attachToContainer(ctx: SimContext, pod: V1Pod, container: string, options: { stdin: boolean }, sink: ExecSink): ExecSession | undefined {
  return registry(ctx).get(keyOf(pod, container))?.attach(options, sink);
}

/**
 * Starts the main process of `container` in `pod`: the image's command (or the container's
 * `command`/`args`) in the simulated userland, its stdout and stderr going to the container's log
 * and to whoever is attached, `onExit` called with its exit code. The kubia app (the book's images
 * and any unknown image without a command) prints its startup lines and serves until stopped:
 * undefined then.
 */
export function startContainerProcess(ctx: SimContext, pod: V1Pod, container: string, onExit: (code: number) => void): ContainerProcess | undefined {
  const spec = [...(pod.spec?.containers ?? []), ...((pod.spec?.ephemeralContainers ?? []) as V1Container[])].find((c) => c.name === container);
  const argv = mainArgv(spec?.image, spec?.command, spec?.args);
  if (!argv) {
    kubiaStartupLog(ctx, pod, container);
    return undefined;
  }
  const log = logWriter(ctx, pod, container);
  const attached = new Set<ExecSink>();
  const out = (text: string) => {
    log.write(text);
    for (const sink of attached) sink.stdout(text);
  };
  let stopped = false;
  const signals = new ProcessSignals();
  let session: ExecSession | undefined;
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const key = keyOf(pod, container);
  let waitTimer: unknown;
  const run = () => {
    if (stopped || session) return;
    ctx.clock.clearTimeout(waitTimer as never);
    const current = (ctx.store.tryGet("pods", pod.metadata?.namespace, pod.metadata!.name!) as V1Pod | undefined) ?? pod;
    try {
      session = startExec(openContainer(ctx, current.metadata?.uid === pod.metadata?.uid ? current : pod, container), { argv, tty: !!spec?.tty, stdin: !!spec?.stdin, signals }, { stdout: out, stderr: out });
    } catch (e) {
      if (!(e instanceof ExecStartError)) throw e;
      return finish(START_ERROR_EXIT_CODE);
    }
    session.exited.then(finish, () => finish(START_ERROR_EXIT_CODE));
  };
  const finish = (code: number) => {
    log.flush();
    registry(ctx).delete(key);
    exited(code);
    if (!stopped) onExit(code);
  };
  registry(ctx).set(key, {
    attach(options, sink) {
      attached.add(sink);
      queueMicrotask(run);
      const detach = () => attached.delete(sink);
      return {
        input: (data) => options.stdin && session?.input(data),
        // stdinOnce: the container's stdin closes when the first attached client closes it.
        endInput: () => options.stdin && spec?.stdinOnce && session?.endInput(),
        resize: (columns, rows) => session?.resize(columns, rows),
        kill: detach,
        exited: exit.finally(detach),
      };
    },
  });
  // The kubelet posts the running status (pod IP, container ID) in this same sync: the process starts after it.
  if (spec?.stdin) waitTimer = ctx.clock.setTimeout(run, ATTACH_WAIT_MS);
  else queueMicrotask(run);
  return {
    terminate: () => signals.send("TERM"),
    kill() {
      stopped = true;
      ctx.clock.clearTimeout(waitTimer as never);
      registry(ctx).delete(key);
      session?.kill();
    },
  };
}
