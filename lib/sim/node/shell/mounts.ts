import { type Entry, FsError, type Mountable, parentOf, S_IFDIR, S_IFLNK, S_IFREG } from "./filesystem";

/** The kinds of file trees a container mounts: volumes kept as keys, in-memory trees, the image under its writable layer. */

/** Limits of what the playground keeps for one writable layer or volume (not Kubernetes limits). */
export const STORE_LIMITS = { bytes: 1024 * 1024, entries: 256 };

/** Refuses a write that would take a store past STORE_LIMITS, the way a full disk does. */
export function checkCapacity(sizes: { bytes: number; entries: number }, added: { bytes: number; entries: number }): void {
  if (sizes.bytes + added.bytes > STORE_LIMITS.bytes || sizes.entries + added.entries > STORE_LIMITS.entries) throw new FsError("ENOSPC");
}

/**
 * A filesystem kept as flat string keys → contents, as the playground stores volume data: a file is
 * `<prefix>/<path>`, a directory `<prefix>/<path>/`, a symbolic link `<prefix>/<path>` + LINK_MARK
 * (its target the value; no file name holds a NUL byte), and one file may live at the bare `<prefix>`
 * (the kubia app's data file, at `primary` inside the volume). Directories on the way to a file exist.
 */
export interface KeyValueBacking {
  has(key: string): boolean;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}

const LINK_MARK = "\u0000";

type Kind = "file" | "dir" | "symlink";

export class KeyedVolume implements Mountable {
  constructor(
    private readonly backing: KeyValueBacking,
    private readonly prefix: string,
    private readonly primary: string,
    readonly readOnly: boolean,
    private readonly mtimeOf: (key: string) => number,
    private readonly rootMode = 0o777,
  ) {}

  private fileKey(rel: string): string {
    return rel === this.primary ? this.prefix : `${this.prefix}/${rel}`;
  }

  private ownKeys(): string[] {
    return this.backing.keys().filter((k) => k === this.prefix || k.startsWith(this.prefix + "/"));
  }

  /** Every path in the volume: files, explicit directories ("/" suffix), and the directories implied by them. */
  private paths(): Map<string, Kind> {
    const out = new Map<string, Kind>();
    const addParents = (rel: string) => {
      for (let p = parentOf(rel); p !== ""; p = parentOf(p)) out.set(p, "dir");
    };
    addParents(this.primary); // the app's directory is always there
    for (const key of this.ownKeys()) {
      const rel = key === this.prefix ? this.primary : key.slice(this.prefix.length + 1);
      const kind: Kind = rel.endsWith("/") ? "dir" : rel.endsWith(LINK_MARK) ? "symlink" : "file";
      const path = kind === "file" ? rel : rel.slice(0, -1);
      out.set(path, kind);
      addParents(path);
    }
    return out;
  }

  get(rel: string): Entry | undefined {
    if (rel === "") return { type: "dir", mode: S_IFDIR | this.rootMode, mtime: this.mtimeOf(this.prefix) };
    const kind = this.paths().get(rel);
    if (kind === "file") {
      const key = this.fileKey(rel);
      return { type: "file", content: this.backing.get(key) ?? "", mode: S_IFREG | 0o644, mtime: this.mtimeOf(key) };
    }
    if (kind === "dir") return { type: "dir", mode: S_IFDIR | 0o755, mtime: this.mtimeOf(`${this.prefix}/${rel}/`) };
    if (kind === "symlink") {
      const key = `${this.prefix}/${rel}${LINK_MARK}`;
      return { type: "symlink", target: this.backing.get(key) ?? "", mode: S_IFLNK | 0o777, mtime: this.mtimeOf(key) };
    }
    return undefined;
  }

  children(rel: string): string[] {
    const names = new Set<string>();
    const prefix = rel === "" ? "" : rel + "/";
    for (const path of this.paths().keys()) {
      if (path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes("/")) names.add(path.slice(prefix.length));
    }
    return [...names];
  }

  private usage(): { bytes: number; entries: number } {
    const keys = this.ownKeys();
    return { bytes: keys.reduce((n, k) => n + Buffer.byteLength(this.backing.get(k) ?? ""), 0), entries: keys.length };
  }

  writeFile(rel: string, content: string): void {
    const key = this.fileKey(rel);
    const before = this.backing.has(key) ? Buffer.byteLength(this.backing.get(key) ?? "") : 0;
    checkCapacity(this.usage(), { bytes: Buffer.byteLength(content) - before, entries: this.backing.has(key) ? 0 : 1 });
    this.backing.set(key, content);
  }

  mkdir(rel: string): void {
    checkCapacity(this.usage(), { bytes: 0, entries: 1 });
    this.backing.set(`${this.prefix}/${rel}/`, "");
  }

  symlink(rel: string, target: string): void {
    checkCapacity(this.usage(), { bytes: Buffer.byteLength(target), entries: 1 });
    this.backing.set(`${this.prefix}/${rel}${LINK_MARK}`, target);
  }

  remove(rel: string): void {
    const kind = this.paths().get(rel);
    if (kind === "file") return this.backing.delete(this.fileKey(rel));
    if (kind === "symlink") return this.backing.delete(`${this.prefix}/${rel}${LINK_MARK}`);
    // The app's own directory (when the volume is mounted above it) is not modelled as removable.
    const appDirectory = parentOf(this.primary);
    if (appDirectory === rel || appDirectory.startsWith(rel + "/")) throw new FsError("EBUSY");
    this.backing.delete(`${this.prefix}/${rel}/`);
  }
}

/** A read-only filesystem in memory: the image's files, a ConfigMap's keys. */
export class MemoryFs implements Mountable {
  readonly readOnly = true;

  constructor(private readonly entries: Map<string, Entry>) {}

  get(rel: string): Entry | undefined {
    return this.entries.get(rel);
  }

  children(rel: string): string[] {
    return childNames(this.entries.keys(), rel);
  }

  writeFile(): void {
    throw new FsError("EROFS");
  }

  mkdir(): void {
    throw new FsError("EROFS");
  }

  symlink(): void {
    throw new FsError("EROFS");
  }

  remove(): void {
    throw new FsError("EROFS");
  }
}

function childNames(paths: Iterable<string>, rel: string): string[] {
  const prefix = rel === "" ? "" : rel + "/";
  const names: string[] = [];
  for (const p of paths) if (p !== "" && p.startsWith(prefix) && !p.slice(prefix.length).includes("/")) names.push(p.slice(prefix.length));
  return names;
}

/**
 * The container's writable layer over its image (overlayfs): changes are copies, deletions are
 * whiteouts (null), the image itself never changes. It lives as long as the container does.
 */
export class OverlayFs implements Mountable {
  readonly readOnly = false;

  constructor(
    private readonly lower: Mountable,
    private readonly upper: Map<string, Entry | null>,
    private readonly now: () => number,
  ) {}

  get(rel: string): Entry | undefined {
    if (this.upper.has(rel)) return this.upper.get(rel) ?? undefined;
    return this.lower.get(rel);
  }

  children(rel: string): string[] {
    const names = new Set(this.lower.children(rel));
    for (const name of childNames(this.upper.keys(), rel)) {
      if (this.upper.get(rel === "" ? name : `${rel}/${name}`) === null) names.delete(name);
      else names.add(name);
    }
    return [...names];
  }

  private usage(): { bytes: number; entries: number } {
    let bytes = 0;
    for (const e of this.upper.values()) if (e?.type === "file") bytes += Buffer.byteLength(e.content);
    return { bytes, entries: this.upper.size };
  }

  writeFile(rel: string, content: string): void {
    const before = this.upper.get(rel);
    checkCapacity(this.usage(), { bytes: Buffer.byteLength(content) - (before?.type === "file" ? Buffer.byteLength(before.content) : 0), entries: this.upper.has(rel) ? 0 : 1 });
    const mode = this.get(rel)?.mode ?? S_IFREG | 0o644;
    this.upper.set(rel, { type: "file", content, mode, mtime: this.now() });
  }

  mkdir(rel: string): void {
    checkCapacity(this.usage(), { bytes: 0, entries: 1 });
    this.upper.set(rel, { type: "dir", mode: S_IFDIR | 0o755, mtime: this.now() });
  }

  symlink(rel: string, target: string): void {
    checkCapacity(this.usage(), { bytes: 0, entries: 1 });
    this.upper.set(rel, { type: "symlink", target, mode: S_IFLNK | 0o777, mtime: this.now() });
  }

  remove(rel: string): void {
    if (this.lower.get(rel)) this.upper.set(rel, null);
    else this.upper.delete(rel);
  }
}
