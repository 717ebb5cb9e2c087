import type { V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { mainArgv } from "./images/tools";
import { kubiaStartupLog } from "./proxy";
import { openContainer } from "./shell/container";
import { ExecStartError, startExec } from "./shell/session";

/** runc could not start the container's process: containerd reports exit code 128 (StartError). */
export const START_ERROR_EXIT_CODE = 128;

export interface ContainerProcess {
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

/**
 * Starts the main process of `container` in `pod`: the image's command (or the container's
 * `command`/`args`) in the simulated userland, its stdout and stderr going to the container's log,
 * `onExit` called with its exit code. The kubia app (the book's images and any unknown image
 * without a command) prints its startup lines and serves until stopped: undefined then.
 */
export function startContainerProcess(ctx: SimContext, pod: V1Pod, container: string, onExit: (code: number) => void): ContainerProcess | undefined {
  const spec = pod.spec?.containers?.find((c) => c.name === container);
  const argv = mainArgv(spec?.image, spec?.command, spec?.args);
  if (!argv) {
    kubiaStartupLog(ctx, pod, container);
    return undefined;
  }
  const log = logWriter(ctx, pod, container);
  let stopped = false;
  let kill = () => undefined as void;
  // The kubelet posts the running status (pod IP, container ID) in this same sync: the process starts after it.
  queueMicrotask(() => {
    if (stopped) return;
    const current = (ctx.store.tryGet("pods", pod.metadata?.namespace, pod.metadata!.name!) as V1Pod | undefined) ?? pod;
    try {
      const session = startExec(openContainer(ctx, current.metadata?.uid === pod.metadata?.uid ? current : pod, container), { argv, tty: false, stdin: false }, { stdout: log.write, stderr: log.write });
      kill = () => session.kill();
      session.exited.then(
        (code) => (log.flush(), stopped || onExit(code)),
        () => (log.flush(), stopped || onExit(START_ERROR_EXIT_CODE)),
      );
    } catch (e) {
      if (!(e instanceof ExecStartError)) throw e;
      onExit(START_ERROR_EXIT_CODE);
    }
  });
  return {
    kill() {
      stopped = true;
      kill();
    },
  };
}
