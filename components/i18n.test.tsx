import { describe, expect, it } from "vitest";
import { SWRConfig, unstable_serialize } from "swr";
import type { DnsResponse } from "@/lib/k8s/contract";
import { buildSlots } from "@/lib/k8s/slots";
import { node, pod, pv, pvc, statefulSet, T0 } from "@/lib/k8s/testing/fixtures";
import { ConnectionBanner } from "./ConnectionBanner";
import { DeletePvcDialog } from "./DeletePvcDialog";
import { DnsPanel } from "./DnsPanel";
import { EventTimeline } from "./EventTimeline";
import { ForceDeleteDialog } from "./ForceDeleteDialog";
import { KubectlConsole } from "./KubectlConsole";
import { NodesStrip } from "./NodesStrip";
import { OrdinalLane } from "./OrdinalLane";
import { StatefulSetHeader } from "./StatefulSetHeader";
import { StatefulSetPicker } from "./StatefulSetPicker";
import { ClusterSummary } from "./ClusterSummary";
import { WhyContext } from "./WhyContext";
import { WhyLine } from "./WhyLine";
import { LessonsPanel } from "./lessons/LessonsPanel";
import { RestartLessonDialog } from "./lessons/RestartLessonDialog";
import type { Snapshot } from "@/lib/k8s/contract";
import en from "@/messages/en.json";
import type { Why, WhyKey } from "@/lib/k8s/why";
import { englishSentences } from "./testing/english";
import { embeddedCluster, render } from "./testing/render";

const zh = (element: React.ReactElement) => render(element, embeddedCluster, "zh-CN");

function lessonSnapshot(sts: Snapshot["objects"]["statefulsets"][number], pods: Snapshot["objects"]["pods"]): Snapshot {
  const objects = { statefulsets: [sts], pods, persistentvolumeclaims: [], persistentvolumes: [], services: [], endpointslices: [], events: [], nodes: [] };
  return { cluster: embeddedCluster, objects, status: {} as Snapshot["status"], eventId: 1, actions: [] };
}

/** Every component of the page, in the states the tests create, rendered in Simplified Chinese. */
function wholePage(): string[] {
  const sts = statefulSet(2);
  sts.status = { replicas: 2, readyReplicas: 1 };
  const claims = [pvc("data-kubia-0", { created: 0 }), pvc("data-kubia-1", { created: 0 }), pvc("data-kubia-2", { created: 0, phase: "Pending" })];
  const pods = [pod("kubia-0", { created: 300, node: "k8s-node1" }), pod("kubia-1", { created: 300, node: "k8s-node2", deleting: { at: 1_000, grace: 30 } })];
  const slots = buildSlots({ statefulSet: sts, pods, pvcs: claims, pvs: claims.slice(0, 2).map(pv), events: [], now: T0 + 60_000 });
  const dns: DnsResponse = {
    source: "derived",
    headlessService: "kubia",
    clusterIpService: { name: "kubia-public", clusterIP: "10.96.0.20" },
    records: [],
    dig: "dig SRV kubia.default.svc.cluster.local",
  };
  return [
    zh(<ClusterSummary cluster={{ ...embeddedCluster, speed: 10 }} />),
    zh(<ConnectionBanner connection={{ stream: "reconnecting", apiConnected: false, kindErrors: [] }} hasSnapshot={false} />),
    zh(<StatefulSetHeader statefulSet={sts} />),
    zh(<StatefulSetPicker names={[]} value={undefined} onChange={() => {}} />),
    zh(<OrdinalLane slots={slots} nodes={new Map()} events={[]} />),
    zh(<OrdinalLane slots={[]} nodes={new Map()} events={[]} />),
    zh(<NodesStrip nodes={[node("k8s-node1"), node("k8s-node2", { ready: "Unknown", down: true })]} pods={pods} canReadNodes={false} highlight={() => true} />),
    zh(<KubectlConsole actions={[]} watchCommand="kubectl get pods -w" />),
    zh(<EventTimeline entries={[]} />),
    zh(<ForceDeleteDialog pod="kubia-1" nodeName="k8s-node2" nodeReady={false} onClose={() => {}} />),
    zh(<ForceDeleteDialog pod="kubia-1" nodeName="k8s-node2" nodeReady onClose={() => {}} />),
    zh(<DeletePvcDialog pvc="data-kubia-1" pv="pvc-1" reclaimPolicy="Delete" usedBy="kubia-1" onClose={() => {}} />),
    zh(<DeletePvcDialog pvc="data-kubia-1" pv="pvc-1" reclaimPolicy="Retain" onClose={() => {}} />),
    zh(<LessonsPanel snapshot={lessonSnapshot(sts, pods)} />),
    render(<LessonsPanel snapshot={lessonSnapshot(sts, pods)} />, { ...embeddedCluster, mode: "real" }, "zh-CN"),
    zh(<RestartLessonDialog title="顺序" onRestart={() => {}} onClose={() => {}} />),
    zh(
      <SWRConfig value={{ fallback: { [unstable_serialize(["/api/dns?statefulset=kubia", "v"])]: dns } }}>
        <DnsPanel statefulSet="kubia" namespace="default" version="v" />
      </SWRConfig>,
    ),
  ];
}

/** Every "why" sentence, with Kubernetes-ish values (names, one-word reasons), in a slot's WhyLine. */
function everyWhy(locale: "en" | "zh-CN"): string[] {
  const values = { pod: "kubia-1", blocker: "kubia-0", higher: "kubia-2", pvc: "data-kubia-1", node: "k8s-node2", storageClass: "missing", reason: "ImagePullBackOff", message: "Forbidden", phase: "Failed", partition: 2, ordinal: 3, replicas: 2, policy: "Retain" };
  return (Object.keys(en.Why) as WhyKey[]).flatMap((key) =>
    ["yes", "no"].map((blocks) => {
      const why: Why = { key, values: { ...values, blocks } };
      return render(
        <WhyContext value={(ordinal) => (ordinal === 1 ? why : undefined)}>
          <WhyLine ordinal={1} />
        </WhyContext>,
        embeddedCluster,
        locale,
      );
    }),
  );
}

describe("the page in zh-CN", () => {
  it("states every controller reason in Chinese, and in English by default", () => {
    expect(everyWhy("zh-CN").flatMap(englishSentences)).toEqual([]);
    const english = everyWhy("en");
    expect(english.every((html) => html.includes("kubia-1") || html.includes("data-kubia-1"))).toBe(true);
    expect(english.join("")).toContain("OrderedReady waits until <code class=\"font-mono\">kubia-0</code> is Running and Ready");
  });
  it("has no untranslated English sentence", () => {
    const found = wholePage().flatMap(englishSentences);
    expect(found).toEqual([]);
  });
  it("the detector does find English (the test can fail)", () => {
    const english = render(<ForceDeleteDialog pod="kubia-1" nodeName="k8s-node2" nodeReady={false} onClose={() => {}} />);
    expect(englishSentences(english).length).toBeGreaterThan(0);
    const sts = statefulSet(2);
    expect(englishSentences(render(<LessonsPanel snapshot={lessonSnapshot(sts, [])} />)).length).toBeGreaterThan(5);
  });
});
