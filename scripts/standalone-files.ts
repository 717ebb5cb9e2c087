import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * The standalone server's entry file, or undefined when `next build` made none. Copies once per
 * build (a marker holds the BUILD_ID it completed), so a second launcher on the same checkout
 * never replaces the assets under a running server.
 */
export function completeStandalone(root: string): string | undefined {
  const dir = standaloneDir(root);
  const server = path.join(dir, "server.js");
  if (!existsSync(server)) return undefined;
  const buildId = readOrEmpty(path.join(root, ".next", "BUILD_ID"));
  const marker = path.join(dir, ".completed-build-id");
  if (buildId && readOrEmpty(marker) === buildId) return server;
  copyFresh(path.join(root, ".next", "static"), path.join(dir, ".next", "static"));
  copyFresh(path.join(root, "public"), path.join(dir, "public"));
  copyFresh(path.join(root, "node_modules", "@kubernetes", "client-node"), path.join(dir, "node_modules", "@kubernetes", "client-node"));
  writeFileSync(`${marker}.tmp`, buildId);
  renameSync(`${marker}.tmp`, marker);
  return server;
}
