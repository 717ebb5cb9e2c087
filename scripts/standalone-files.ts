import { cpSync, existsSync, rmSync } from "node:fs";
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

/** The standalone server's entry file, or undefined when `next build` made none. */
export function completeStandalone(root: string): string | undefined {
  const dir = standaloneDir(root);
  const server = path.join(dir, "server.js");
  if (!existsSync(server)) return undefined;
  copyFresh(path.join(root, ".next", "static"), path.join(dir, ".next", "static"));
  copyFresh(path.join(root, "public"), path.join(dir, "public"));
  copyFresh(path.join(root, "node_modules", "@kubernetes", "client-node"), path.join(dir, "node_modules", "@kubernetes", "client-node"));
  return server;
}
