import { describe, expect, it } from "vitest";
import { INITIAL_LANES, laneWindow } from "./useLaneWindow";

describe("laneWindow", () => {
  it("renders the lanes in view and four more on each side", () => {
    // 184 px per lane (11rem + a 0.5rem gap), 1,840 px of view: lanes 10–19 in view at 1,840 px.
    expect(laneWindow(1000, 1840, 1840, 184)).toEqual({ start: 6, end: 24 });
    expect(laneWindow(1000, 0, 1840, 184)).toEqual({ start: 0, end: 14 });
  });

  it("stops at the ends, and keeps one lane when scrolled past the last", () => {
    expect(laneWindow(1000, 1000 * 184 - 1840, 1840, 184)).toEqual({ start: 986, end: 1000 });
    expect(laneWindow(30, 99_999, 1840, 184)).toEqual({ start: 29, end: 30 });
  });

  it("renders the first lanes until the scroller is measured", () => {
    expect(laneWindow(1000, 0, 0, 0)).toEqual({ start: 0, end: INITIAL_LANES });
    expect(laneWindow(10, 0, 1840, 0)).toEqual({ start: 0, end: 10 });
  });
});
