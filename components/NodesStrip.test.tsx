import { describe, expect, it } from "vitest";
import { pod } from "@/lib/k8s/testing/fixtures";
import { podsByNode } from "./NodesStrip";

describe("podsByNode", () => {
  it("groups the pods by node, unscheduled under \"\", each group in numeric name order", () => {
    const pods = [
      pod("web-10", { node: "node-a" }),
      pod("web-2", { node: "node-a" }),
      pod("web-1", { node: "node-b" }),
      pod("web-9", {}),
      pod("web-100", { node: "node-a" }),
    ];
    const groups = podsByNode(pods);
    expect([...groups.keys()].sort()).toEqual(["", "node-a", "node-b"]);
    expect(groups.get("node-a")!.map((p) => p.metadata?.name)).toEqual(["web-2", "web-10", "web-100"]);
    expect(groups.get("node-b")!.map((p) => p.metadata?.name)).toEqual(["web-1"]);
    expect(groups.get("")!.map((p) => p.metadata?.name)).toEqual(["web-9"]);
  });
});
