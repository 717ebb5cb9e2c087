import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startCluster } from "../cluster";
import type { StoredObject } from "../store/store";
import { beginStart, BOOT_MARKER, StartupError } from "./startup";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-startup-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const opts = (dataDir: string) => ({ dataDir, apiPort: 0, dnsPort: 0, seedDemo: false });

function runaway(): StoredObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas: 1e308,
      serviceName: "web",
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "luksa/kubia-pet" }] } },
    },
  };
}

describe("starting from a saved state the API server would refuse", () => {
  it("stops and names the object, then PLAYGROUND_DROP_INVALID drops only it and keeps volume contents", async () => {
    const dataDir = tmp();
    const first = await startCluster(opts(dataDir));
    await first.stop();
    const seeded = await startCluster({ ...opts(dataDir), controllersPaused: true });
    // Saved by a version that did not check ranges: written past the API's decoding.
    seeded.ctx.store.create("statefulsets.apps", runaway());
    seeded.ctx.volumes.write("pv-keep", "precious bytes");
    await seeded.stop();

    const refused = startCluster(opts(dataDir));
    await expect(refused).rejects.toThrow(StartupError);
    await expect(startCluster(opts(dataDir))).rejects.toThrow(
      /statefulsets\.apps default\/web: json: cannot unmarshal number 1e\+308 into Go struct field StatefulSetSpec\.spec\.replicas of type int32[\s\S]*PLAYGROUND_DROP_INVALID=1/,
    );

    vi.spyOn(console, "warn").mockImplementation(() => {});
    const dropped = await startCluster({ ...opts(dataDir), dropInvalid: true, controllersPaused: true });
    expect(dropped.ctx.store.tryGet("statefulsets.apps", "default", "web")).toBeUndefined();
    expect(dropped.ctx.volumes.read("pv-keep")).toBe("precious bytes");
    await dropped.stop();
    const again = await startCluster({ ...opts(dataDir), controllersPaused: true });
    expect(again.ctx.store.tryGet("statefulsets.apps", "default", "web")).toBeUndefined();
    expect(again.ctx.volumes.read("pv-keep")).toBe("precious bytes");
    await again.stop();
  });
});

describe("starts that die right after starting", () => {
  it("warn after one early death, refuse after two in a row, and let a paused start through", () => {
    const dataDir = tmp();
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    beginStart(dataDir, { controllersPaused: false, warn }); // dies: the marker stays
    beginStart(dataDir, { controllersPaused: false, warn }); // dies again
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/stopped unexpectedly within 120 s \(1 time\(s\) in a row[\s\S]*PLAYGROUND_PAUSE_CONTROLLERS=1/);
    expect(() => beginStart(dataDir, { controllersPaused: false, warn })).toThrow(/2 time\(s\) in a row/);
    const paused = beginStart(dataDir, { controllersPaused: true, warn });
    paused.done(); // healthy: the record of early deaths is cleared
    expect(fs.existsSync(path.join(dataDir, BOOT_MARKER))).toBe(false);
    beginStart(dataDir, { controllersPaused: false, warn }).done();
    expect(warnings).toHaveLength(1);
  });
});
