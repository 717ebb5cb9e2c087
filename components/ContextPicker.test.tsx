import { describe, expect, it } from "vitest";
import { SWRConfig, unstable_serialize } from "swr";
import type { ClusterInfo, ContextList } from "@/lib/k8s/contract";
import { ContextPicker } from "./ContextPicker";
import { embeddedCluster, render, textOf } from "./testing/render";

const realCluster: ClusterInfo = { ...embeddedCluster, mode: "real", context: "kind-a", namespace: "sts-playground", speed: 1 };
const list = (overrides: Partial<ContextList> = {}): ContextList => ({ current: "kind-a", contexts: ["kind-a", "kind-b"], switchable: true, namespace: "sts-playground", ...overrides });

function renderWith(cluster: ClusterInfo, contexts: ContextList | undefined, locale: "en" | "zh-CN" = "en"): string {
  const fallback = contexts ? { [unstable_serialize(["/api/contexts", cluster.context])]: contexts } : {};
  return render(
    <SWRConfig value={{ fallback }}>
      <ContextPicker cluster={cluster} />
    </SWRConfig>,
    cluster,
    locale,
  );
}

describe("ContextPicker", () => {
  it("offers the kubeconfig's contexts in a labelled select, the one in use selected, and an explicit Use button", () => {
    const html = renderWith(realCluster, list());
    const id = /<label for="([^"]+)"[^>]*>Kubernetes context<\/label>/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toMatch(new RegExp(`<select id="${id}"[^>]*aria-describedby="${id}-note"`));
    expect(html).toMatch(/<option value="kind-a" selected="">kind-a<\/option><option value="kind-b">kind-b<\/option>/);
    // Nothing chosen yet: the button does nothing until another context is selected.
    expect(html).toMatch(/<button type="button"[^>]*disabled=""[^>]*>Use context<\/button>/);
    expect(textOf(html)).toContain("In every context the dashboard acts only in namespace sts-playground.");
  });

  it("is in Chinese on a Chinese page", () => {
    const text = textOf(renderWith(realCluster, list(), "zh-CN"));
    expect(text).toContain("Kubernetes 上下文");
    expect(text).toContain("使用此上下文");
    expect(text).toContain("命名空间 sts-playground");
  });

  it("shows nothing with a single context, when switching is impossible, or on the embedded cluster", () => {
    expect(renderWith(realCluster, list({ contexts: ["kind-a"] }))).toBe("");
    expect(renderWith(realCluster, list({ switchable: false }))).toBe("");
    expect(renderWith(embeddedCluster, list())).toBe("");
    expect(renderWith(realCluster, undefined)).toBe("");
  });
});
