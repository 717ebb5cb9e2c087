import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { openDataFile, locateDataFile } from "../dataFile";
import { pruneVolumeFiles } from "../volumes";
import { openContainer } from "./container";
import { type Entry, FileSystem, FsError, resolvePath, S_IFDIR, S_IFREG } from "./filesystem";
import { KeyedVolume, type KeyValueBacking, MemoryFs, OverlayFs, STORE_LIMITS } from "./mounts";
import { kubiaWorld } from "../testing/shell";

function errno(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return "ok";
}

const dir: Entry = { type: "dir", mode: S_IFDIR | 0o755, mtime: 0 };
const file = (content: string): Entry => ({ type: "file", content, mode: S_IFREG | 0o644, mtime: 0 });

function mapBacking(): KeyValueBacking & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, has: (k) => map.has(k), get: (k) => map.get(k), set: (k, v) => map.set(k, v), delete: (k) => map.delete(k), keys: () => [...map.keys()] };
}

describe("resolvePath", () => {
  it("joins onto the working directory and normalizes", () => {
    expect(resolvePath("/var", "data/../data//kubia.txt")).toBe("/var/data/kubia.txt");
    expect(resolvePath("/var/data", "/etc/./hosts")).toBe("/etc/hosts");
    expect(resolvePath("/", "../..")).toBe("/");
  });
});

describe("FileSystem", () => {
  const image = () => new MemoryFs(new Map<string, Entry>([["", dir], ["etc", dir], ["etc/hosts", file("127.0.0.1\tlocalhost\n")], ["var", dir]]));

  it("answers with the errno a syscall gives", () => {
    const fs = new FileSystem(image());
    expect(fs.readFile("/etc/hosts")).toBe("127.0.0.1\tlocalhost\n");
    expect(errno(() => fs.stat("/nope"))).toBe("ENOENT");
    expect(errno(() => fs.stat("/etc/hosts/x"))).toBe("ENOTDIR");
    expect(errno(() => fs.readFile("/etc"))).toBe("EISDIR");
    expect(errno(() => fs.writeFile("/etc/hosts", "x"))).toBe("EROFS");
    expect(errno(() => fs.mkdir("/etc"))).toBe("EEXIST");
    expect(errno(() => fs.writeFile("/nope/x", "x"))).toBe("ENOENT");
  });

  it("puts mounts over the image, creating their mount points, and keeps read-only mounts read-only", () => {
    const data = new KeyedVolume(mapBacking(), "pv", "kubia.txt", false, () => 0);
    const config = new MemoryFs(new Map<string, Entry>([["", dir], ["app.conf", file("x=1\n")]]));
    const fs = new FileSystem(image(), [
      { path: "/var/data", fs: data },
      { path: "/config/app", fs: config },
    ]);
    expect(fs.list("/").sort()).toEqual(["config", "etc", "var"]);
    expect(fs.list("/var")).toEqual(["data"]);
    expect(fs.stat("/config").type).toBe("dir");
    fs.writeFile("/var/data/kubia.txt", "hello");
    expect(fs.list("/var/data")).toEqual(["kubia.txt"]);
    expect(errno(() => fs.writeFile("/config/app/app.conf", "x"))).toBe("EROFS");
    expect(errno(() => fs.rmdir("/var/data"))).toBe("ENOTEMPTY");
    fs.unlink("/var/data/kubia.txt");
    expect(errno(() => fs.rmdir("/var/data"))).toBe("EBUSY");
  });
});

describe("KeyedVolume", () => {
  it("keeps the app's file at the bare key and other files under <prefix>/", () => {
    const backing = mapBacking();
    const volume = new KeyedVolume(backing, "pvc-1", "kubia.txt", false, () => 0);
    volume.writeFile("kubia.txt", "data");
    volume.mkdir("logs");
    volume.writeFile("logs/a.log", "a");
    expect([...backing.map.entries()]).toEqual([
      ["pvc-1", "data"],
      ["pvc-1/logs/", ""],
      ["pvc-1/logs/a.log", "a"],
    ]);
    expect(volume.children("").sort()).toEqual(["kubia.txt", "logs"]);
    expect(volume.get("logs")?.type).toBe("dir");
    volume.remove("logs/a.log");
    volume.remove("logs");
    expect(volume.children("")).toEqual(["kubia.txt"]);
  });

  it("shows the app's directory when the volume is mounted above it", () => {
    const volume = new KeyedVolume(mapBacking(), "pv", "data/kubia.txt", false, () => 0);
    expect(volume.children("")).toEqual(["data"]);
    expect(volume.get("data/kubia.txt")).toBeUndefined();
  });

  it("refuses writes past the playground's limits with ENOSPC", () => {
    const volume = new KeyedVolume(mapBacking(), "pv", "kubia.txt", false, () => 0);
    expect(errno(() => volume.writeFile("big", "x".repeat(STORE_LIMITS.bytes + 1)))).toBe("ENOSPC");
    for (let i = 0; i < STORE_LIMITS.entries; i++) volume.writeFile(`f${i}`, "");
    expect(errno(() => volume.writeFile("one-more", ""))).toBe("ENOSPC");
  });
});

describe("OverlayFs", () => {
  it("copies changes up and hides deletions; the image never changes", () => {
    const lower = new MemoryFs(new Map<string, Entry>([["", dir], ["tmp", dir], ["app.js", file("// app")]]));
    const upper = new Map<string, Entry | null>();
    const layer = new OverlayFs(lower, upper, () => 42);
    layer.writeFile("tmp/note", "hi");
    layer.remove("app.js");
    expect(layer.children("").sort()).toEqual(["tmp"]);
    expect(layer.get("tmp/note")).toMatchObject({ type: "file", content: "hi", mtime: 42 });
    expect(lower.get("app.js")).toBeDefined();
    expect(new OverlayFs(lower, new Map(), () => 0).children("").sort()).toEqual(["app.js", "tmp"]);
  });
});

describe("a pod's container", () => {
  it("sees the PV the kubia app writes, and writes where the app reads", () => {
    const { ctx, pods } = kubiaWorld();
    const container = openContainer(ctx, pods["kubia-0"], "kubia");
    const appFile = openDataFile(ctx, locateDataFile(ctx, pods["kubia-0"], pods["kubia-0"].spec!.containers[0]));
    appFile.write("posted");
    expect(container.fs.readFile("/var/data/kubia.txt")).toBe("posted");
    container.fs.writeFile("/var/data/kubia.txt", " and appended", true);
    expect(appFile.read()).toBe("posted and appended");
    container.fs.unlink("/var/data/kubia.txt");
    expect(appFile.read()).toBeUndefined();
  });

  it("starts a new container's writable layer empty, but keeps the volume", () => {
    const { ctx, pods } = kubiaWorld();
    const first = openContainer(ctx, pods["kubia-0"], "kubia");
    first.fs.writeFile("/tmp/scratch", "gone with the container");
    first.fs.writeFile("/var/data/notes", "kept with the volume");
    expect(openContainer(ctx, pods["kubia-0"], "kubia").fs.exists("/tmp/scratch")).toBe(true);
    const restarted = structuredClone(pods["kubia-0"]) as V1Pod;
    restarted.status!.containerStatuses![0].containerID = "containerd://new";
    const next = openContainer(ctx, restarted, "kubia");
    expect(next.fs.exists("/tmp/scratch")).toBe(false);
    expect(next.fs.readFile("/var/data/notes")).toBe("kept with the volume");
  });

  it("drops the extra files of a PV that was deleted", () => {
    const { ctx, pods } = kubiaWorld();
    openContainer(ctx, pods["kubia-0"], "kubia").fs.writeFile("/var/data/notes", "x");
    ctx.volumes.write("pvc-0", "data");
    ctx.store.delete("persistentvolumes", undefined, "pvc-0");
    pruneVolumeFiles(ctx.volumes, new Set(["pvc-1"]));
    expect(ctx.volumes.names()).toEqual(["pvc-0"]); // the data file itself is the provisioner's to erase
  });
});
