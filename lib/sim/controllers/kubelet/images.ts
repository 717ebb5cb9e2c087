import { createHash } from "node:crypto";
import type { SimContext } from "../../context";
import { fnv1a } from "../util";

/**
 * Image names and pulls as containerd and the kubelet's image manager report them: the fully
 * qualified reference, whether a pull can succeed, how long it takes and what the events say.
 */

/** docker.io normalisation: "luksa/kubia-pet" → "docker.io/luksa/kubia-pet:latest", "nginx" → "docker.io/library/nginx:latest". */
export function normalizeImage(image: string): string {
  const [name, digest] = image.split("@");
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let repo = hasDomain ? name : `docker.io/${name}`;
  if (!hasDomain && !name.includes("/")) repo = `docker.io/library/${name}`;
  if (digest) return `${repo}@${digest}`;
  const lastSegment = repo.slice(repo.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? repo : `${repo}:latest`;
}

export function registryHost(image: string): string {
  const ref = normalizeImage(image);
  return ref.slice(0, ref.indexOf("/"));
}

/** An image that cannot exist (a registry under the reserved `.invalid` domain) or one the teacher marked missing. */
export function isUnpullable(ctx: SimContext, image: string): boolean {
  const host = registryHost(image).replace(/:\d+$/, "");
  if (host === "invalid" || host.endsWith(".invalid")) return true;
  const ref = normalizeImage(image);
  return ctx.faults.get().missingImages.some((m) => m === image || normalizeImage(m) === ref);
}

/** containerd's answer for a reference that does not resolve, as the CRI error the kubelet prints. */
export function pullErrorMessage(image: string): string {
  const ref = normalizeImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

/** Go's time.Duration String() for a millisecond-truncated duration: "812ms", "2.013s", "1m5s". */
export function goDuration(ms: number): string {
  ms = Math.round(ms);
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, "");
  return minutes ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** A plausible, stable image size (bytes) per reference. */
export function imageSize(image: string): number {
  return 50_000_000 + (fnv1a(normalizeImage(image)) % 600_000_000);
}

export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  return `${repo}@sha256:${createHash("sha256").update(ref).digest("hex")}`;
}

/**
 * How long a pull takes on a real cluster (ms): a first pull downloads the layers (2–3 s for the
 * book's images on a fast link), a re-pull of a cached image only checks the manifest, and a
 * failing pull ends when the registry answers.
 */
export function pullDuration(image: string, nodeName: string, opts: { cached: boolean; failing: boolean }): number {
  const jitter = fnv1a(`${image}|${nodeName}`) % 1000;
  if (opts.failing) return 1000 + (jitter % 500);
  return opts.cached ? 300 + (jitter % 500) : 2000 + jitter;
}

export function pulledMessage(image: string, durationMs: number): string {
  const d = goDuration(durationMs);
  return `Successfully pulled image "${image}" in ${d} (${d} including waiting). Image size: ${imageSize(image)} bytes.`;
}
