import type { V1Container, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";

/** Where the book's kubia-pet app keeps its data (`const dataFile = "/var/data/kubia.txt"`). */
export const DATA_FILE = "/var/data/kubia.txt";

/**
 * What backs the app's data file in a given pod:
 * - `persistentVolume`: a PVC-backed volume mounted over /var/data; the bytes belong to the PV.
 * - `podScratch`: an emptyDir (or another pod-lifetime volume); gone with the pod.
 * - `imageFilesystem`: nothing is mounted there and the image (node:7) has no /var/data, so the
 *   file does not exist and cannot be created (ENOENT).
 * - `unboundClaim`: the claim is missing or not bound; the kubelet would never have started the
 *   container, so nothing can be listening.
 */
export type DataFileLocation =
  | { kind: "persistentVolume"; pvName: string; readOnly: boolean }
  | { kind: "podScratch"; key: string; readOnly: boolean }
  | { kind: "imageFilesystem" }
  | { kind: "unboundClaim"; claimName: string };

function normalize(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}

/** The mount that holds /var/data/kubia.txt: the deepest mountPath that contains it, like the kernel's mount table. */
function mountFor(container: V1Container) {
  const candidates = (container.volumeMounts ?? []).filter((m) => {
    const dir = normalize(m.mountPath);
    return dir === "/" || DATA_FILE.startsWith(dir + "/");
  });
  return candidates.sort((a, b) => normalize(b.mountPath).length - normalize(a.mountPath).length)[0];
}

/**
 * Follows pod volume → claim → bound PV the way the kubelet mounts it. A generic ephemeral volume's
 * claim is named `<pod>-<volume>`. A `subPath` on the mount is not modelled: the file is taken to be
 * at the root of the volume.
 */
export function locateDataFile(ctx: SimContext, pod: V1Pod, container: V1Container): DataFileLocation {
  const mount = mountFor(container);
  const volume = mount && pod.spec?.volumes?.find((v) => v.name === mount.name);
  if (!mount || !volume) return { kind: "imageFilesystem" };
  const readOnly = !!mount.readOnly;
  const claimName = volume.persistentVolumeClaim?.claimName ?? (volume.ephemeral ? `${pod.metadata?.name}-${volume.name}` : undefined);
  if (!claimName) return { kind: "podScratch", key: `${pod.metadata?.uid}/${volume.name}`, readOnly };
  const claim = ctx.store.tryGet("persistentvolumeclaims", pod.metadata?.namespace, claimName) as V1PersistentVolumeClaim | undefined;
  const pvName = claim?.spec?.volumeName;
  if (!pvName) return { kind: "unboundClaim", claimName };
  return { kind: "persistentVolume", pvName, readOnly: readOnly || !!volume.persistentVolumeClaim?.readOnly };
}

/** The app's view of its data file: `undefined` when the file does not exist (fs.statSync would throw). */
export interface DataFile {
  read(): string | undefined;
  /** Replaces the file, or throws the errno the app's createWriteStream would emit. */
  write(content: string): void;
}

export class FileSystemError extends Error {
  constructor(readonly code: "ENOENT" | "EROFS", syscallMessage: string) {
    super(`${code}: ${syscallMessage}, open '${DATA_FILE}'`);
  }
}

/** emptyDir contents per context; they need no persistence because they die with their pod anyway. */
const scratchByContext = new WeakMap<SimContext, Map<string, string>>();

function scratch(ctx: SimContext): Map<string, string> {
  let files = scratchByContext.get(ctx);
  if (!files) scratchByContext.set(ctx, (files = new Map()));
  if (files.size > 64) {
    // Drop the scratch data of pods that no longer exist (an emptyDir is deleted with its pod).
    const live = new Set(ctx.store.list("pods").items.map((p) => p.metadata.uid));
    for (const key of [...files.keys()]) if (!live.has(key.split("/")[0])) files.delete(key);
  }
  return files;
}

/**
 * The emptyDir contents of `ctx` (key `<pod uid>/<volume>` for the app's data file), for the files
 * `kubectl exec` sees and makes there (lib/sim/node/shell keys them `<pod uid>/<volume>/<path>`).
 */
export function podScratchFiles(ctx: SimContext): Map<string, string> {
  return scratch(ctx);
}

export function openDataFile(ctx: SimContext, location: DataFileLocation): DataFile {
  const readOnlyError = () => new FileSystemError("EROFS", "read-only file system");
  switch (location.kind) {
    case "persistentVolume":
      return {
        // names() tells an empty file (POSTed with no body) from no file at all.
        read: () => (ctx.volumes.names().includes(location.pvName) ? ctx.volumes.read(location.pvName) : undefined),
        write: (content) => {
          if (location.readOnly) throw readOnlyError();
          ctx.volumes.write(location.pvName, content);
        },
      };
    case "podScratch":
      return {
        read: () => scratch(ctx).get(location.key),
        write: (content) => {
          if (location.readOnly) throw readOnlyError();
          scratch(ctx).set(location.key, content);
        },
      };
    default:
      return {
        read: () => undefined,
        write: () => {
          throw new FileSystemError("ENOENT", "no such file or directory");
        },
      };
  }
}
