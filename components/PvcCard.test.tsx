import { afterEach, describe, expect, it, vi } from "vitest";
import { buildSlots } from "@/lib/k8s/slots";
import { pod, pv, pvc, statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { elementWith, textOf } from "./testing/render";

/** useNow reads the clock when its module loads: load the components (and their context) after setting it. */
async function load(now: number) {
  vi.resetModules();
  vi.useFakeTimers({ now, toFake: ["Date"] });
  const [{ PvcCard }, { OrdinalLane }, { render }] = await Promise.all([import("./PvcCard"), import("./OrdinalLane"), import("./testing/render")]);
  return { PvcCard, OrdinalLane, render };
}

afterEach(() => {
  vi.useRealTimers();
});

const claim0 = pvc("data-kubia-0", { created: 0 });
const claim1 = pvc("data-kubia-1", { created: 5_000 });
const pvs = [pv(claim0), pv(claim1)];

describe("PvcCard", () => {
  it("a Bound claim: an article named after it with status, capacity, class and volume", async () => {
    const { PvcCard, render } = await load(T0 + 60_000);
    const [slot] = buildSlots({ statefulSet: statefulSet(1), pods: [pod("kubia-0", { created: 300 })], pvcs: [claim0], pvs, events: [], now: T0 + 60_000 });
    const html = render(<PvcCard claim={slot.claims[0]} podName="kubia-0" />);
    expect(html).toMatch(/^<article aria-label="PVC data-kubia-0"/);
    const text = textOf(html);
    expect(text).toContain("Bound");
    expect(text).toContain("Capacity 1Mi");
    expect(text).toContain("Storage class standard");
    expect(text).toContain("Volume pvc-data-kubia-0");
    expect(text).toContain("Reclaim Delete");
    expect(html).toMatch(/<button[^>]*>Delete PVC<\/button>/);
  });

  it("its Details hold the volume's data (read and written through the pod that mounts it), with the other secondary facts", async () => {
    const { PvcCard, render } = await load(T0 + 60_000);
    const [slot] = buildSlots({ statefulSet: statefulSet(1), pods: [pod("kubia-0", { created: 300 })], pvcs: [claim0], pvs, events: [], now: T0 + 60_000 });
    const html = render(<PvcCard claim={slot.claims[0]} podName="kubia-0" dataPod="kubia-0" />);
    const details = html.slice(html.indexOf("<details"), html.indexOf("</details>"));
    expect(textOf(details)).toContain("Capacity 1Mi");
    expect(details).toContain('aria-label="Volume data of kubia-0"');
    expect(details).toContain('aria-label="Data for kubia-0"');
    expect(details).toMatch(/<button[^>]*>Read<\/button>/);
    // Without a running pod there is nothing to read the volume through: the Details say so.
    const alone = render(<PvcCard claim={slot.claims[0]} podName="kubia-0" />);
    expect(alone).not.toContain("Volume data of");
    expect(textOf(alone)).toContain("No pod mounts it now: its data is read through kubia-0 when it runs again.");
  });

  it("Reused says when, and that the PV and data are the same", async () => {
    const { PvcCard, render } = await load(T0 + 310_000);
    const slots = buildSlots({ statefulSet: statefulSet(2), pods: [pod("kubia-1", { created: 250_000 })], pvcs: [claim1], pvs, events: [], now: T0 + 310_000 });
    const text = textOf(render(<PvcCard claim={slots[1].claims[0]} podName="kubia-1" />));
    expect(text).toContain("Reused");
    expect(text).toContain("Re-attached to the new kubia-1 60s ago: same PV pvc-data-kubia-1, same data.");
  });
});

describe("OrdinalLane", () => {
  it("keeps a Retained claim in its slot under a greyed 'no pod' placeholder", async () => {
    const { OrdinalLane, render } = await load(T0 + 300_000);
    const slots = buildSlots({ statefulSet: statefulSet(1), pods: [pod("kubia-0", { created: 300 })], pvcs: [claim0, claim1], pvs, events: [], now: T0 + 300_000 });
    const html = render(<OrdinalLane slots={slots} nodes={new Map()} events={[]} />);
    expect(html).toContain('aria-label="Pod kubia-0"');
    expect(html).not.toContain('aria-label="Pod kubia-1"');
    const slot1 = elementWith(html, "aria-label", "Ordinal 1")!;
    expect(slot1).toContain('data-desired="false"');
    expect(textOf(slot1)).toContain("kubia-1 no pod");
    expect(slot1).toContain('aria-label="PVC data-kubia-1"');
    expect(textOf(slot1)).toContain("Retained");
    expect(textOf(slot1)).toContain("Kept without a pod");
  });

  it("says so when scaled to zero with nothing left", async () => {
    const { OrdinalLane, render } = await load(T0);
    expect(textOf(render(<OrdinalLane slots={[]} nodes={new Map()} events={[]} />))).toContain("scaled to 0");
  });
});
