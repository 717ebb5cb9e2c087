import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildBinary, GoMissingError } from "./build";
import { realClusterPaths } from "./config";

describe("without a Go toolchain", () => {
  it("fails loudly instead of skipping, naming the way to skip on purpose", async () => {
    const env = { ...process.env, PLAYGROUND_GO: "/nonexistent/bin/go", PLAYGROUND_REAL_DIR: mkdtempSync(path.join(os.tmpdir(), "real-cluster-")) };
    const attempt = buildBinary(realClusterPaths(env), () => {}, env);
    await expect(attempt).rejects.toBeInstanceOf(GoMissingError);
    await expect(attempt).rejects.toThrow(/PLAYGROUND_SKIP_REAL=1/);
  });
});
