import { describe, expect, it } from "vitest";
import { createVolumeData } from "./volumes";

describe("createVolumeData", () => {
  it("keeps contents per PV, tells an empty file from none, and notifies synchronously on every change", () => {
    const volumes = createVolumeData();
    const seen: string[] = [];
    const stop = volumes.onChange((pv) => seen.push(`${pv}=${JSON.stringify(volumes.read(pv))}`));
    volumes.write("pvc-b", "");
    volumes.write("pvc-a", "héllo\n");
    expect(volumes.names()).toEqual(["pvc-a", "pvc-b"]);
    expect(volumes.read("pvc-a")).toBe("héllo\n");
    expect(volumes.read("pvc-missing")).toBe("");
    volumes.erase("pvc-b");
    volumes.erase("pvc-b"); // already gone: not a change
    expect(seen).toEqual(['pvc-b=""', 'pvc-a="héllo\\n"', 'pvc-b=""']);
    expect(volumes.names()).toEqual(["pvc-a"]);
    stop();
    volumes.write("pvc-a", "again");
    expect(seen).toHaveLength(3);
  });
});
