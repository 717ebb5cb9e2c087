import { describe, expect, it } from "vitest";
import { buildSlots } from "@/lib/k8s/slots";
import { statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { OrdinalLane } from "./OrdinalLane";
import { render } from "./testing/render";

describe("OrdinalLane", () => {
  const lanes = (replicas: number) =>
    render(<OrdinalLane slots={buildSlots({ statefulSet: statefulSet(replicas), pods: [], pvcs: [], pvs: [], events: [], now: T0 })} nodes={new Map()} events={[]} />);

  it("renders every lane, but past 20 lets the browser skip the ones out of view (content-visibility, globals.css)", () => {
    const few = lanes(20);
    expect(few.match(/<li/g)).toHaveLength(20);
    expect(few).not.toContain("lanes-crowded");
    const many = lanes(21);
    expect(many.match(/<li/g)).toHaveLength(21);
    expect(many).toContain("lanes-crowded");
  });
});
