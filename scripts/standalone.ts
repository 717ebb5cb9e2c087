/**
 * The container image's application directory, `.next/standalone` after `next build`:
 *
 *   server.js            Next.js' standalone server, with the production dependencies it traced
 *   .next/static, public the page's assets (scripts/standalone-files.ts)
 *   playground.mjs       scripts/playground.ts bundled: the launcher and the embedded cluster
 *
 * Run it as: node .next/standalone/playground.mjs --server .next/standalone/server.js
 * Usage: tsx scripts/standalone.ts (after next build)
 */
import path from "node:path";
import { build } from "esbuild";
import { completeStandalone, standaloneDir } from "./standalone-files";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Bundles the launcher into one file: the image needs neither tsx nor the TypeScript sources. */
export async function bundleLauncher(outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, "scripts", "playground.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Located at run time, not imported (lib/sim/api/openapi/descriptions.ts); completeStandalone copies it whole.
    external: ["@kubernetes/client-node"],
    alias: { "@": ROOT },
    // Bundled CommonJS dependencies (ws, dns-packet) call require(): give the ES module one.
    banner: { js: 'import { createRequire as __playgroundRequire } from "node:module"; const require = __playgroundRequire(import.meta.url);' },
    logLevel: "warning",
  });
}

export async function assembleStandalone(): Promise<string> {
  if (!completeStandalone(ROOT)) throw new Error(`.next/standalone/server.js is missing: run \`next build\` first (next.config.ts sets output: "standalone")`);
  const dir = standaloneDir(ROOT);
  await bundleLauncher(path.join(dir, "playground.mjs"));
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  assembleStandalone().then(
    (dir) => {
      const shown = path.relative(process.cwd(), dir);
      console.log(`standalone: ${shown} (node ${shown}/playground.mjs --server ${shown}/server.js)`);
    },
    (err) => {
      console.error(`standalone: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
