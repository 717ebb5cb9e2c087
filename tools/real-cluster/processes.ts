import { readFileSync } from "node:fs";

/** Whether a process with this id exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether pid is still a process of our binary: a recycled pid of some other program must
 * never be signalled. Linux-only (/proc), as is the control plane itself.
 */
export function isOurProcess(pid: number | undefined, binary: string): boolean {
  if (!pid || !isAlive(pid)) return false;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv[0] === binary;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** SIGTERM, then SIGKILL after the timeout; only if the pid still belongs to our binary. */
export async function terminate(pid: number | undefined, binary: string, timeoutMs: number): Promise<void> {
  if (!pid || !isOurProcess(pid, binary)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  if (await waitForExit(pid, timeoutMs)) return;
  if (isOurProcess(pid, binary)) process.kill(pid, "SIGKILL");
  await waitForExit(pid, 5_000);
}
