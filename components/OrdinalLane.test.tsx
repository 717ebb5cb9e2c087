import { describe, expect, it } from "vitest";
import { buildSlots } from "@/lib/k8s/slots";
import { statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { OrdinalLane } from "./OrdinalLane";
import { render } from "./testing/render";

describe("OrdinalLane", () => {
  const lanes = (replicas: number) =>
    render(<OrdinalLane slots={buildSlots({ statefulSet: statefulSet(replicas), pods: [], pvcs: [], pvs: [], events: [], now: T0 })} nodes={new Map()} events={[]} />);

  it("renders every lane up to 20; past that, the first lanes and one hidden item spanning the columns of the rest", () => {
    const few = lanes(20);
    expect(few.match(/<li/g)).toHaveLength(20);
    expect(few).not.toContain("data-lanes-after");
    const many = lanes(1000);
    expect(many.match(/<li/g)).toHaveLength(25); // 24 lanes before the scroller is measured, and the spacer
    expect(many).toContain('<li aria-hidden="true" data-lanes-after="976" class="self-stretch" style="grid-column:span 976"></li>');
    expect(many).toContain('aria-label="Ordinal 23"');
    expect(many).not.toContain('aria-label="Ordinal 24"');
  });
});
