import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withBuildLock } from "./build-lock";

const dirs: string[] = [];
function target(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "build-lock-"));
  dirs.push(dir);
  return path.join(dir, "bin", "tool");
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("withBuildLock", () => {
  it("runs one build at a time: the second waits for the first and then runs", async () => {
    const file = target();
    const order: string[] = [];
    const lines: string[] = [];
    let release!: () => void;
    const first = withBuildLock(file, (l) => lines.push(l), async () => {
      order.push("first start");
      await new Promise<void>((resolve) => (release = resolve));
      order.push("first end");
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withBuildLock(file, (l) => lines.push(l), async () => void order.push("second"), 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(["first start"]);
    expect(lines).toEqual([`waiting for the build of tool in process ${process.pid} (${file}.lock)`]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first start", "first end", "second"]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("releases the lock when the build throws", async () => {
    const file = target();
    await expect(withBuildLock(file, () => undefined, async () => Promise.reject(new Error("go build failed")))).rejects.toThrow("go build failed");
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(await withBuildLock(file, () => undefined, async () => "built")).toBe("built");
  });

  it("takes over a lock whose process is gone", async () => {
    const file = target();
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.lock`, `${child.pid}\n`);
    const lines: string[] = [];
    expect(await withBuildLock(file, (l) => lines.push(l), async () => "built", 10)).toBe("built");
    expect(lines).toEqual([]);
  });
});
