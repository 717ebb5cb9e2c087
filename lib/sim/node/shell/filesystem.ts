/**
 * The container's file tree as its processes see it: the image's root filesystem (with the
 * container's writable layer on top) and, mounted over it, the pod's volumes. Each mounted thing is
 * a `Mountable` with paths relative to its root; `FileSystem` resolves absolute paths to the
 * deepest mount, like the kernel's mount table, and answers with the errno a syscall would give.
 */

export type Errno = "ENOENT" | "ENOTDIR" | "EISDIR" | "EEXIST" | "EROFS" | "ENOTEMPTY" | "ENOSPC" | "EBUSY" | "EACCES" | "EINVAL" | "ELOOP";

/** strerror(3) in glibc's C locale: the text every coreutils message ends with. */
export const STRERROR: Record<Errno, string> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EEXIST: "File exists",
  EROFS: "Read-only file system",
  ENOTEMPTY: "Directory not empty",
  ENOSPC: "No space left on device",
  EBUSY: "Device or resource busy",
  EACCES: "Permission denied",
  EINVAL: "Invalid argument",
  ELOOP: "Too many levels of symbolic links",
};

export class FsError extends Error {
  constructor(readonly code: Errno) {
    super(STRERROR[code]);
  }
}

export interface FileEntry {
  type: "file";
  content: string;
  mode: number;
  mtime: number;
}
export interface DirEntry {
  type: "dir";
  mode: number;
  mtime: number;
}
/** A character device: /dev/null reads nothing, /dev/zero reads zero bytes without end; both swallow writes. */
export interface DeviceEntry {
  type: "device";
  mode: number;
  mtime: number;
  /** Which device (major 1, minor 3 or 5); /dev/null when absent. */
  device?: "null" | "zero";
}
/** A symbolic link (`ln -s`): its target as written, resolved when a path goes through it. */
export interface SymlinkEntry {
  type: "symlink";
  target: string;
  mode: number;
  mtime: number;
}
export type Entry = FileEntry | DirEntry | DeviceEntry | SymlinkEntry;

/** One mounted filesystem; `rel` is relative to its root ("" is the root directory itself). */
export interface Mountable {
  readonly readOnly: boolean;
  get(rel: string): Entry | undefined;
  /** Names directly inside the directory `rel`. */
  children(rel: string): string[];
  /** Creates or replaces a file (the parent exists); may throw ENOSPC. */
  writeFile(rel: string, content: string): void;
  mkdir(rel: string): void;
  /** Creates a symbolic link (the parent exists, nothing is at `rel`). */
  symlink(rel: string, target: string): void;
  /** Removes a file, a symbolic link or an empty directory. */
  remove(rel: string): void;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFCHR = 0o020000;
export const S_IFLNK = 0o120000;

/** Linux's MAXSYMLINKS: more links on one lookup is ELOOP. */
const MAX_SYMLINKS = 40;

/** Joins `path` onto `cwd` and removes ".", ".." and repeated slashes: always absolute. */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const segment of `${path.startsWith("/") ? "" : cwd}/${path}`.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") parts.pop();
    else parts.push(segment);
  }
  return "/" + parts.join("/");
}

export function dirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at <= 0 ? "/" : path.slice(0, at);
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || "/";
}

/** A relative path's parent ("" for a top-level name). */
export function parentOf(rel: string): string {
  const at = rel.lastIndexOf("/");
  return at < 0 ? "" : rel.slice(0, at);
}

interface Mount {
  path: string;
  fs: Mountable;
}

export class FileSystem {
  private readonly mounts: Mount[];

  constructor(root: Mountable, mounts: { path: string; fs: Mountable }[] = []) {
    // Deepest first, so a lookup finds the mount that covers a path; a later mount of the same path hides an earlier one.
    this.mounts = [...mounts.map((m) => ({ path: resolvePath("/", m.path), fs: m.fs })).reverse(), { path: "/", fs: root }].sort((a, b) => b.path.length - a.path.length);
  }

  private locate(path: string): { mount: Mount; rel: string } {
    for (const mount of this.mounts) {
      if (mount.path === "/") return { mount, rel: path.slice(1) };
      if (path === mount.path || path.startsWith(mount.path + "/")) return { mount, rel: path.slice(mount.path.length + 1) };
    }
    throw new Error("no root mount");
  }

  /** Directories that exist because something is mounted below them (the runtime creates mount points). */
  private isMountAncestor(path: string): boolean {
    return this.mounts.some((m) => m.path !== "/" && (m.path === path || m.path.startsWith(path === "/" ? "/" : path + "/")));
  }

  /**
   * The path with every symbolic link on the way replaced by where it points (the last component
   * too when `followLast`), as the kernel's path walk: every ancestor must be a directory. The last
   * component need not exist (a file about to be created).
   */
  walk(path: string, followLast: boolean, links = { count: 0 }): string {
    const segments = path.split("/").filter(Boolean);
    let current = "/";
    for (const [i, segment] of segments.entries()) {
      const parent = this.entryAt(current);
      if (!parent) throw new FsError("ENOENT");
      if (parent.type !== "dir") throw new FsError("ENOTDIR");
      const next = current === "/" ? `/${segment}` : `${current}/${segment}`;
      const entry = this.entryAt(next);
      if (entry?.type === "symlink" && (followLast || i < segments.length - 1)) {
        if (++links.count > MAX_SYMLINKS) throw new FsError("ELOOP");
        current = this.walk(resolvePath(current, entry.target), true, links);
      } else current = next;
    }
    return current;
  }

  /** stat(2) of an absolute, normalized path: symbolic links are followed. */
  stat(path: string): Entry {
    const entry = this.entryAt(this.walk(path, true));
    if (!entry) throw new FsError("ENOENT");
    return entry;
  }

  /** lstat(2): a symbolic link at the end of the path is what is described. */
  lstat(path: string): Entry {
    const entry = this.entryAt(this.walk(path, false));
    if (!entry) throw new FsError("ENOENT");
    return entry;
  }

  tryLstat(path: string): Entry | undefined {
    try {
      return this.lstat(path);
    } catch {
      return undefined;
    }
  }

  /** symlink(2): a link at `path` to `target` (kept as written, even when nothing is there). */
  symlink(target: string, path: string): void {
    if (this.tryLstat(path)) throw new FsError("EEXIST");
    const real = this.walk(path, false);
    this.requireParentDirectory(real);
    const { mount, rel } = this.locate(real);
    if (mount.fs.readOnly) throw new FsError("EROFS");
    mount.fs.symlink(rel, target);
  }

  exists(path: string): boolean {
    try {
      this.stat(path);
      return true;
    } catch {
      return false;
    }
  }

  private entryAt(path: string): Entry | undefined {
    const { mount, rel } = this.locate(path);
    const entry = mount.fs.get(rel);
    if (entry) return entry;
    if (this.isMountAncestor(path)) return { type: "dir", mode: S_IFDIR | 0o755, mtime: 0 };
    return undefined;
  }

  readOnly(path: string): boolean {
    return this.locate(path).mount.fs.readOnly;
  }

  /** Names in a directory, including mount points directly below it, unsorted. */
  list(path: string): string[] {
    const entry = this.stat(path);
    if (entry.type !== "dir") throw new FsError("ENOTDIR");
    path = this.walk(path, true);
    const { mount, rel } = this.locate(path);
    const names = new Set(mount.fs.children(rel));
    const prefix = path === "/" ? "/" : path + "/";
    for (const m of this.mounts) {
      if (m.path !== "/" && m.path.startsWith(prefix)) names.add(m.path.slice(prefix.length).split("/")[0]);
    }
    return [...names];
  }

  readFile(path: string): string {
    const entry = this.stat(path);
    if (entry.type === "dir") throw new FsError("EISDIR");
    return entry.type === "file" ? entry.content : "";
  }

  /** open(O_WRONLY|O_CREAT|O_TRUNC or O_APPEND) + write. */
  writeFile(path: string, content: string, append = false): void {
    path = this.walk(path, true);
    const existing = this.tryStat(path);
    if (existing?.type === "dir") throw new FsError("EISDIR");
    if (existing?.type === "device") return;
    this.requireParentDirectory(path);
    const { mount, rel } = this.locate(path);
    if (mount.fs.readOnly) throw new FsError("EROFS");
    mount.fs.writeFile(rel, append && existing?.type === "file" ? existing.content + content : content);
  }

  mkdir(path: string): void {
    if (this.tryLstat(path)) throw new FsError("EEXIST");
    path = this.walk(path, false);
    this.requireParentDirectory(path);
    const { mount, rel } = this.locate(path);
    if (mount.fs.readOnly) throw new FsError("EROFS");
    mount.fs.mkdir(rel);
  }

  /** unlink(2): files and symbolic links (not what they point to). */
  unlink(path: string): void {
    const entry = this.lstat(path);
    if (entry.type === "dir") throw new FsError("EISDIR");
    this.removeEntry(this.walk(path, false));
  }

  /** rmdir(2): empty directories only; a mount point is busy. */
  rmdir(path: string): void {
    const entry = this.lstat(path);
    path = this.walk(path, false);
    if (entry.type !== "dir") throw new FsError("ENOTDIR");
    if (this.list(path).length) throw new FsError("ENOTEMPTY");
    if (this.isMountAncestor(path) || path === "/") throw new FsError("EBUSY");
    this.removeEntry(path);
  }

  private removeEntry(path: string): void {
    const { mount, rel } = this.locate(path);
    if (mount.fs.readOnly) throw new FsError("EROFS");
    mount.fs.remove(rel);
  }

  tryStat(path: string): Entry | undefined {
    try {
      return this.stat(path);
    } catch {
      return undefined;
    }
  }

  private requireParentDirectory(path: string): void {
    const parent = this.stat(dirname(path));
    if (parent.type !== "dir") throw new FsError("ENOTDIR");
  }
}
