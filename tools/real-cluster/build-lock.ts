import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isAlive } from "./processes";

function holderOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `build` while holding `<target>.lock`, so two processes never build one binary at once:
 * `.ci/run` starts the Go builds in the background while npm test's first steps run, and npm test's
 * own build step then waits here and finds the binary up to date (`build` re-checks). A lock whose
 * process is gone (killed mid-build) is taken over.
 */
export async function withBuildLock<T>(target: string, log: (line: string) => void, build: () => Promise<T>, pollMs = 1_000): Promise<T> {
  const lock = `${target}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = holderOf(lock);
    if (holder !== undefined && !isAlive(holder)) {
      // Only if it still names the dead process: another waiter may have taken it over meanwhile.
      if (holderOf(lock) === holder) rmSync(lock, { force: true });
      continue;
    }
    if (!announced) {
      log(`waiting for the build of ${path.basename(target)} in process ${holder ?? "(starting)"} (${lock})`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await build();
  } finally {
    rmSync(lock, { force: true });
  }
}
