import { describe, expect, it } from "vitest";
import { SWRConfig, unstable_serialize } from "swr";
import type { DnsResponse } from "@/lib/k8s/contract";
import { node, pod, statefulSet } from "@/lib/k8s/testing/fixtures";
import { ConnectionBanner } from "./ConnectionBanner";
import { DnsPanel } from "./DnsPanel";
import { POD_RECORDS_SHOWN } from "./PodDnsRecords";
import { ForceDeleteDialog } from "./ForceDeleteDialog";
import { KubectlConsole } from "./KubectlConsole";
import { NodeCard } from "./NodeCard";
import { StatefulSetHeader } from "./StatefulSetHeader";
import { StatefulSetPicker } from "./StatefulSetPicker";
import { embeddedCluster, render, textOf } from "./testing/render";

describe("StatefulSetHeader", () => {
  it("shows counts and policies, Scale up / Scale down and a Replicas spinbutton with Apply", () => {
    const sts = statefulSet(3);
    sts.status = { replicas: 3, readyReplicas: 2 };
    const html = render(<StatefulSetHeader statefulSet={sts} />);
    const text = textOf(html);
    expect(text).toContain("Desired 3 Current 3 Ready 2");
    expect(text).toContain("Pod management OrderedReady");
    expect(text).toContain("PVC retention whenScaled: Retain, whenDeleted: Retain");
    expect(text).toContain("Service kubia");
    expect(html).toMatch(/<button[^>]*><span aria-hidden="true">−<\/span> Scale down<\/button>/);
    expect(html).toMatch(/<button[^>]*><span aria-hidden="true">\+<\/span> Scale up<\/button>/);
    const id = /<label for="([^"]+)"[^>]*>Replicas<\/label>/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toMatch(new RegExp(`<input id="${id}" type="number"[^>]*value="3"`));
    expect(html).toMatch(/<button type="submit"[^>]*>Apply<\/button>/);
  });
  it("disables Scale down at 0 and Scale up at the maximum", () => {
    expect(render(<StatefulSetHeader statefulSet={statefulSet(0)} />)).toMatch(/disabled=""><span aria-hidden="true">−/);
    expect(render(<StatefulSetHeader statefulSet={statefulSet(50)} />)).toMatch(/disabled=""><span aria-hidden="true">\+/);
  });
});

describe("StatefulSetPicker", () => {
  it("is a select labelled StatefulSet listing every set", () => {
    const html = render(<StatefulSetPicker names={["kubia", "web"]} value="web" onChange={() => {}} />);
    const id = /<label for="([^"]+)"[^>]*>StatefulSet<\/label>/.exec(html)?.[1];
    expect(html).toContain(`<select id="${id}"`);
    expect(html).toMatch(/<option value="kubia">kubia<\/option><option value="web" selected="">web<\/option>/);
  });
});

describe("ForceDeleteDialog", () => {
  it("is a dialog titled after the pod, explains at-most-one and the danger, confirmed by 'Force delete'", () => {
    const html = render(<ForceDeleteDialog pod="kubia-1" nodeName="k8s-node2" nodeReady={false} onClose={() => {}} />);
    const titleId = /<dialog aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`<h2 id="${titleId}" class="text-2xl font-semibold">Force delete kubia-1?</h2>`);
    const text = textOf(html);
    expect(text).toContain("at most one");
    expect(text).toContain("two kubia-1 pods may then run at the same time");
    expect(text).toContain("Node k8s-node2 is not Ready");
    expect(text).toContain("kubectl delete pod kubia-1 --force --grace-period=0 -n default");
    expect(html).toMatch(/<button[^>]*>Cancel<\/button><button[^>]*>Force delete<\/button>/);
  });
});

describe("NodeCard", () => {
  const pods = [pod("kubia-0", { node: "k8s-node2" })];
  it("an article per node with health and pods, Fail / Recover only on the embedded cluster", () => {
    const html = render(<NodeCard name="k8s-node2" node={node("k8s-node2")} pods={pods} highlight={() => true} />);
    expect(html).toMatch(/^<article aria-label="Node k8s-node2"/);
    expect(textOf(html)).toContain("Ready");
    expect(textOf(html)).toContain("kubia-0");
    expect(html).toMatch(/<button[^>]*>Fail node<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Recover node<\/button>/);
    const real = render(<NodeCard name="k8s-node2" node={node("k8s-node2")} pods={pods} highlight={() => true} />, {
      ...embeddedCluster,
      mode: "real",
      capabilities: { ...embeddedCluster.capabilities, nodeFailure: false },
    });
    expect(real).not.toContain("Fail node");
  });
  it("a failed node offers Recover node and shows NotReady with its taints", () => {
    const down = node("k8s-node2", { ready: "Unknown", down: true, taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] });
    const html = render(<NodeCard name="k8s-node2" node={down} pods={[]} highlight={() => false} />);
    expect(textOf(html)).toContain("NotReady");
    expect(textOf(html)).toContain("node.kubernetes.io/unreachable:NoExecute");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Fail node<\/button>/);
    expect(html).toMatch(/<button type="button" class="[^"]*">Recover node<\/button>/);
  });
});

describe("DnsPanel", () => {
  it("a region 'DNS records' with per-pod A records, dig-style SRV lines and the ClusterIP service", () => {
    const url = "/api/dns?statefulset=kubia";
    const dns: DnsResponse = {
      source: "dns-server",
      headlessService: "kubia",
      clusterIpService: { name: "kubia-public", clusterIP: "10.96.0.20" },
      records: [
        { name: "kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-0.kubia.default.svc.cluster.local." },
        { name: "kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-1.kubia.default.svc.cluster.local." },
        { name: "kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.0.5" },
        { name: "kubia-0.kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.0.5" },
        { name: "kubia-1.kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.1.7" },
        { name: "kubia-public.default.svc.cluster.local", type: "A", ttl: 30, data: "10.96.0.20" },
      ],
      dig: "dig @127.0.0.1 -p 10053 SRV kubia.default.svc.cluster.local",
    };
    const html = render(
      <SWRConfig value={{ fallback: { [unstable_serialize([url, "v1"])]: dns } }}>
        <DnsPanel statefulSet="kubia" namespace="default" version="v1" />
      </SWRConfig>,
    );
    expect(html).toMatch(/^<section aria-label="DNS records"/);
    const text = textOf(html);
    expect(text).toContain("kubia-0.kubia.default.svc.cluster.local → 10.1.0.5");
    expect(text).toContain("kubia-1.kubia.default.svc.cluster.local → 10.1.1.7");
    // The text, not the markup: the record's data sits in a no-wrap span (H-E2E: SRV targets broke at "kubia-").
    expect(html).toContain("kubia.default.svc.cluster.local.\t30\tIN\tSRV\t"); // dig's tab-separated columns
    expect(text).toContain("kubia.default.svc.cluster.local. 30 IN SRV 0 50 8080 kubia-0.kubia.default.svc.cluster.local.");
    expect(text).toContain("kubia-public.default.svc.cluster.local → 10.96.0.20");
    expect(text).toContain("dig @127.0.0.1 -p 10053 SRV kubia.default.svc.cluster.local");
    expect(html).toMatch(/<button[^>]*>Copy<\/button>/);
  });

  it("lists the first POD_RECORDS_SHOWN of many pods' A records, and says how many Show all shows (en, zh-CN)", () => {
    const url = "/api/dns?statefulset=kubia";
    const pods = Array.from({ length: 100 }, (_, i) => ({ name: `kubia-${i}.kubia.default.svc.cluster.local`, type: "A" as const, ttl: 30, data: `10.1.0.${i + 1}` }));
    const dns: DnsResponse = { source: "dns-server", headlessService: "kubia", records: pods, dig: "dig SRV kubia.default.svc.cluster.local" };
    const element = (
      <SWRConfig value={{ fallback: { [unstable_serialize([url, "v1"])]: dns } }}>
        <DnsPanel statefulSet="kubia" namespace="default" version="v1" />
      </SWRConfig>
    );
    const html = render(element);
    expect(html.match(/<li class="font-mono/g)).toHaveLength(POD_RECORDS_SHOWN);
    expect(textOf(html)).toContain(`kubia-${POD_RECORDS_SHOWN - 1}.kubia.default.svc.cluster.local → 10.1.0.${POD_RECORDS_SHOWN}`);
    expect(textOf(html)).not.toContain(`kubia-${POD_RECORDS_SHOWN}.kubia`);
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Show all 100 records<\/button>/);
    expect(textOf(render(element, undefined, "zh-CN"))).toContain("显示全部 100 条记录");
  });
});

describe("KubectlConsole", () => {
  it("lists the watch command and every action's kubectl, each with Copy", () => {
    const html = render(
      <KubectlConsole
        watchCommand="kubectl get pods -l app=kubia -o wide -w -n default"
        actions={[{ id: "1", at: "2026-01-01T00:00:00Z", action: "scale", target: "statefulset/kubia", kubectl: "kubectl scale statefulset kubia --replicas=3 -n default", ok: true }]}
      />,
    );
    expect(html).toMatch(/^<section aria-label="kubectl"/);
    expect(textOf(html)).toContain("$ kubectl scale statefulset kubia --replicas=3 -n default");
    expect(html.match(/>Copy<\/button>/g)).toHaveLength(2);
  });
});

describe("ConnectionBanner", () => {
  const ok = { stream: "open" as const, apiConnected: true, kindErrors: [] };
  it("renders nothing while live", () => {
    expect(render(<ConnectionBanner connection={ok} hasSnapshot />)).toBe("");
  });
  it("alerts when the stream drops or the API server is unreachable", () => {
    expect(textOf(render(<ConnectionBanner connection={{ ...ok, stream: "reconnecting" }} hasSnapshot />))).toContain("Lost the live stream");
    const html = render(<ConnectionBanner connection={{ ...ok, apiConnected: false, kindErrors: [{ kind: "pods", error: "connect ECONNREFUSED 127.0.0.1:16443" }] }} hasSnapshot />);
    expect(html).toMatch(/^<div role="alert"/);
    expect(textOf(html)).toContain("pods: connect ECONNREFUSED 127.0.0.1:16443");
  });
});
