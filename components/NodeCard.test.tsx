import { describe, expect, it } from "vitest";
import { node, pod } from "@/lib/k8s/testing/fixtures";
import { NODE_PODS_SHOWN, NodeCard } from "./NodeCard";
import { render, textOf } from "./testing/render";

describe("NodeCard", () => {
  const pods = (n: number) => Array.from({ length: n }, (_, i) => pod(`web-${i}`, { node: "k8s-node1" }));
  const chips = (html: string) => (html.match(/<li class="rounded-md/g) ?? []).length;

  it("lists a few pods in full, without a Show all button", () => {
    const html = render(<NodeCard name="k8s-node1" node={node("k8s-node1")} pods={pods(5)} highlight={() => true} />);
    expect(chips(html)).toBe(5);
    expect(textOf(html)).not.toContain("Show all");
  });

  it("lists the first NODE_PODS_SHOWN of many, and says how many Show all shows (en, zh-CN)", () => {
    const element = <NodeCard name="k8s-node1" node={node("k8s-node1")} pods={pods(100)} highlight={() => true} />;
    const html = render(element);
    expect(chips(html)).toBe(NODE_PODS_SHOWN);
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Show all 100 pods<\/button>/);
    expect(textOf(render(element, undefined, "zh-CN"))).toContain("显示全部 100 个 Pod");
  });
});
