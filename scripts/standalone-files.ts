import { closeSync, cpSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Next.js' standalone output (`output: "standalone"` in next.config.ts) leaves copying the page's
 * assets to us. Completes `<root>/.next/standalone` into a directory that serves on its own:
 * `.next/static`, `public/`, and the whole @kubernetes/client-node (the embedded cluster's OpenAPI
 * reads its model declarations at run time, which no import traces). Used by `npm start` (the
 * launcher) and by scripts/standalone.ts (the container image). No esbuild here: the launcher,
 * which imports this, is itself bundled.
 */
export function standaloneDir(root: string): string {
  return path.join(root, ".next", "standalone");
}

function copyFresh(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, dereference: true });
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** A lock older than this was left by a launcher killed while copying. */
const STALE_LOCK_MS = 60_000;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Takes `lock` (an exclusively created file), waiting while another launcher holds it; false if `done()` became true meanwhile. */
function takeLock(lock: string, done: () => boolean): boolean {
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (done()) return false;
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    } catch {
      // released meanwhile: try again
    }
    sleepSync(100);
  }
}

/**
 * The standalone server's entry file, or undefined when `next build` made none. Copies once per
 * build (a marker holds the BUILD_ID it completed), so a second launcher on the same checkout
 * never replaces the assets under a running server; launchers starting together take turns
 * through a lock file, and the later ones find the copy made.
 */
export function completeStandalone(root: string): string | undefined {
  const dir = standaloneDir(root);
  const server = path.join(dir, "server.js");
  if (!existsSync(server)) return undefined;
  const buildId = readOrEmpty(path.join(root, ".next", "BUILD_ID"));
  const marker = path.join(dir, ".completed-build-id");
  const completed = () => !!buildId && readOrEmpty(marker) === buildId;
  if (completed()) return server;
  const lock = path.join(dir, ".completing");
  if (!takeLock(lock, completed)) return server;
  try {
    if (completed()) return server;
    copyFresh(path.join(root, ".next", "static"), path.join(dir, ".next", "static"));
    copyFresh(path.join(root, "public"), path.join(dir, "public"));
    copyFresh(path.join(root, "node_modules", "@kubernetes", "client-node"), path.join(dir, "node_modules", "@kubernetes", "client-node"));
    writeFileSync(`${marker}.tmp`, buildId);
    renameSync(`${marker}.tmp`, marker);
  } finally {
    rmSync(lock, { force: true });
  }
  return server;
}
