/**
 * The tool images learners reach for besides the book's apps, by what their image config says
 * they run (ENTRYPOINT and CMD). Their programs are the playground's userland (lib/sim/node/shell).
 */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
}

/** The repository of an image reference, without registry (docker.io), tag or digest: `tutum/dnsutils`, `busybox`. */
export function repositoryOf(image: string | undefined): string {
  return (image ?? "")
    .replace(/@.*$/, "")
    .replace(/:[^/:]*$/, "")
    .replace(/^(docker\.io\/)?(library\/)?/, "");
}

const TOOL_IMAGES: Record<string, ImageConfig> = {
  // busybox: CMD ["sh"]; without a terminal or stdin, sh reads end of input and exits 0.
  busybox: { entrypoint: [], cmd: ["sh"] },
  alpine: { entrypoint: [], cmd: ["/bin/sh"] },
  // tutum/dnsutils (ubuntu with dnsutils): ubuntu's CMD ["/bin/bash"].
  "tutum/dnsutils": { entrypoint: [], cmd: ["/bin/bash"] },
  "infoblox/dnstools": { entrypoint: [], cmd: ["/bin/sh"] },
  ubuntu: { entrypoint: [], cmd: ["/bin/bash"] },
  debian: { entrypoint: [], cmd: ["bash"] },
  // curlimages/curl: ENTRYPOINT ["/entrypoint.sh"] CMD ["curl"]; the script runs curl with
  // arguments that start with "-", else the arguments as a command (see mainArgv).
  "curlimages/curl": { entrypoint: ["/entrypoint.sh"], cmd: ["curl"] },
};

/** The image config of a tool image; undefined for the book's apps and any other image (they run the kubia app). */
export function toolImage(image: string | undefined): ImageConfig | undefined {
  return TOOL_IMAGES[repositoryOf(image)];
}

/**
 * What the container's main process runs, as the runtime combines the image config with the
 * container's `command` (replaces ENTRYPOINT, drops CMD) and `args` (replaces CMD). Undefined when
 * it is the kubia app (an app image, or any unknown image, without a `command`).
 */
export function mainArgv(image: string | undefined, command: string[] | undefined, args: string[] | undefined): string[] | undefined {
  if (command?.length) return [...command, ...(args ?? [])];
  const config = toolImage(image);
  if (!config) return undefined;
  const argv = [...config.entrypoint, ...(args?.length ? args : config.cmd)];
  if (argv[0] === "/entrypoint.sh") {
    const rest = argv.slice(1);
    return rest.length === 0 || rest[0].startsWith("-") ? ["curl", ...rest] : rest;
  }
  return argv;
}
