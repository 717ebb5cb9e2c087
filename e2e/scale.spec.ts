import { expect, test } from "./support/fixtures";
import { pvcVolume } from "./support/kubectl";
import { scaleKeepsAndReusesClaims } from "./scenarios/scale";

/** The scale scenario (e2e/scenarios/scale.ts) on the embedded cluster, whose pods run the kubia app: data included. */
test("scale 2→3→1→2: claims are Retained on scale-down and Reused, with their data, on scale-up", async ({ dashboard }) => {
  test.setTimeout(180_000);
  await scaleKeepsAndReusesClaims(dashboard, { volumeOf: pvcVolume, volumeData: true });
  expect(await pvcVolume("data-kubia-2")).toBeTruthy();
});
