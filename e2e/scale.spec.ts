import { expect, test } from "./support/fixtures";
import { scaleKeepsAndReusesClaims } from "./scenarios/scale";
import { volumeOf } from "./scenarios/probe";

/** The scale scenario (e2e/scenarios/scale.ts) on the embedded cluster, whose pods run the kubia app: data included. */
test("scale 2→3→1→2: claims are Retained on scale-down and Reused, with their data, on scale-up", async ({ dashboard, probe }) => {
  test.setTimeout(180_000);
  await scaleKeepsAndReusesClaims(dashboard, probe);
  expect(await volumeOf(probe, "data-kubia-2")).toBeTruthy();
});
