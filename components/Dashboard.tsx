"use client";
import { useCallback, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { useCluster } from "@/lib/client/useCluster";
import { useReplay } from "@/lib/client/useReplay";
import { useViewPrefs } from "@/lib/client/useViewPrefs";
import { useClusterNow } from "@/lib/client/useClusterNow";
import type { Snapshot } from "@/lib/k8s/contract";
import { deriveDnsRecords } from "@/lib/k8s/dns";
import { mergeTimeline } from "@/lib/k8s/events";
import { relatedEvents } from "@/lib/k8s/story";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { podOrdinal } from "@/lib/k8s/ordinals";
import { buildSlots } from "@/lib/k8s/slots";
import { whyLookup } from "@/lib/k8s/why";
import { SERVICE_NAME_LABEL } from "@/lib/k8s/wellknown";
import { ClusterContext, useClusterContext } from "./ClusterContext";
import { ClusterSummary } from "./ClusterSummary";
import { ContextPicker } from "./ContextPicker";
import { ConnectionBanner } from "./ConnectionBanner";
import { DemoControls } from "./DemoControls";
import { DnsPanel } from "./DnsPanel";
import { EventTimeline } from "./EventTimeline";
import { FaultsPanel } from "./FaultsPanel";
import { KeyboardShortcuts } from "./KeyboardShortcuts";
import { KubectlConsole } from "./KubectlConsole";
import { LastCommand } from "./LastCommand";
import { LessonsPanel } from "./lessons/LessonsPanel";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { NodesStrip } from "./NodesStrip";
import { OrdinalLane } from "./OrdinalLane";
import { ReplayBar } from "./ReplayBar";
import { richTags } from "./richTags";
import { SpeedControl } from "./SpeedControl";
import { StatefulSetHeader } from "./StatefulSetHeader";
import { StatefulSetPicker } from "./StatefulSetPicker";
import { WhyContext, type WhyOf } from "./WhyContext";
import { ViewControls } from "./ViewControls";

const DEMO_NAME = "kubia";
const TIMELINE_LENGTH = 80;

const byName = (a: { metadata?: { name?: string } }, b: { metadata?: { name?: string } }) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");

/** The chosen StatefulSet, else the demo's, else the first; a chosen one that disappears (reset) comes back when it is recreated. */
export function pickStatefulSet(sets: V1StatefulSet[], chosen: string | undefined): V1StatefulSet | undefined {
  return sets.find((s) => s.metadata?.name === chosen) ?? sets.find((s) => s.metadata?.name === DEMO_NAME) ?? sets[0];
}

function StatefulSetView({ snapshot, statefulSet, cause }: { snapshot: Snapshot; statefulSet: V1StatefulSet; cause?: string }) {
  const now = useClusterNow(snapshot.cluster.clock);
  const { replaying } = useClusterContext();
  const { objects, cluster } = snapshot;
  const name = statefulSet.metadata?.name ?? "";
  const namespace = statefulSet.metadata?.namespace ?? cluster.namespace;
  // Time matters to slots only for the "fresh PVC waiting for its pod" rule; the one-second tick is plenty.
  const slots = useMemo(
    () => buildSlots({ statefulSet, pods: objects.pods, pvcs: objects.persistentvolumeclaims, pvs: objects.persistentvolumes, events: objects.events, now }),
    [statefulSet, objects.pods, objects.persistentvolumeclaims, objects.persistentvolumes, objects.events, now],
  );
  const nodes = useMemo(() => new Map(objects.nodes.map((n) => [n.metadata?.name ?? "", n])), [objects.nodes]);
  // Each slot's reason when a lane on screen asks for it, once per state change (see WhyContext).
  const whyOf = useMemo<WhyOf>(
    () => whyLookup({ statefulSet, slots, nodes: objects.nodes, events: objects.events }),
    [statefulSet, slots, objects.nodes, objects.events],
  );
  const events = objects.events;
  const timeline = useMemo(
    () =>
      mergeTimeline(
        relatedEvents(statefulSet, objects.events),
        // Each action carries the cluster time it was done at (ActionRecord.clusterAt), as events do.
        snapshot.actions,
        TIMELINE_LENGTH,
      ),
    [objects.events, snapshot.actions, statefulSet],
  );
  // Refetch DNS when what it is made of changes: the pods and the service's endpoint slices.
  const serviceName = statefulSet.spec?.serviceName ?? "";
  const dnsVersion = useMemo(() => {
    const pods = objects.pods.filter((p) => podOrdinal(p.metadata?.name ?? "", name) !== undefined).map((p) => `${p.metadata?.uid}@${p.metadata?.resourceVersion}`);
    const slices = objects.endpointslices.filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === serviceName).map((s) => `${s.metadata?.uid}@${s.metadata?.resourceVersion}`);
    const services = objects.services.map((s) => `${s.metadata?.uid}@${s.metadata?.resourceVersion}`);
    return [...pods, ...slices, ...services].sort().join(",");
  }, [objects.pods, objects.endpointslices, objects.services, name, serviceName]);
  // Replaying: what cluster DNS answered then, derived from the recorded Service and EndpointSlices.
  const recordedDns = useMemo(
    () => (replaying ? deriveDnsRecords({ statefulSet, services: objects.services, endpointSlices: objects.endpointslices }) : undefined),
    [replaying, statefulSet, objects.services, objects.endpointslices],
  );
  // Kept while the pods are (not on every event or tick): the nodes panel groups them only when they change.
  const namespacePods = useMemo(() => objects.pods.filter((p) => p.metadata?.namespace === namespace), [objects.pods, namespace]);
  const isOurs = useCallback((pod: V1Pod) => podOrdinal(pod.metadata?.name ?? "", name) !== undefined, [name]);
  const images = [...new Set((statefulSet.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.image ? [c.image] : [])))];
  const selector = Object.entries(statefulSet.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

  return (
    <>
      {/* Items of the page's grid (see Dashboard): the header spans it, the rest is the left column. */}
      <div className="xl:col-span-2">
        <StatefulSetHeader statefulSet={statefulSet} />
      </div>
      <div className="min-w-0 xl:col-start-1">
        <WhyContext value={whyOf}>
          <OrdinalLane slots={slots} nodes={nodes} events={events} serviceName={serviceName || undefined} lastCommand={<LastCommand actions={snapshot.actions} />} />
        </WhyContext>
      </div>
      <div className="grid min-w-0 gap-4 xl:col-start-1 2xl:grid-cols-2">
        <div className="space-y-4">
          <DnsPanel statefulSet={name} namespace={namespace} version={dnsVersion} recorded={recordedDns} />
          <NodesStrip nodes={objects.nodes} pods={namespacePods} canReadNodes={cluster.capabilities.nodes} highlight={isOurs} />
          {cluster.capabilities.faults && (
            <div data-secondary>
              <FaultsPanel images={images} />
            </div>
          )}
        </div>
        <div className="space-y-4">
          <KubectlConsole actions={snapshot.actions} watchCommand={kubectlFor.watchPods(namespace, selector || undefined)} />
          <div data-secondary>
            <EventTimeline entries={timeline} cause={cause} />
          </div>
        </div>
      </div>
    </>
  );
}

/** The whole page: connection state, the StatefulSet picker, and the chosen StatefulSet's story. */
export function Dashboard() {
  const t = useTranslations("Dashboard");
  const state = useCluster();
  const { snapshot, recordAction } = state;
  // The choice lives in the URL (?statefulset=web) so a reload or a shared link shows the same set.
  // Read once in the browser; nothing that depends on it is rendered before the snapshot arrives.
  const [chosen, setChosen] = useState<string | undefined>(() =>
    typeof window === "undefined" ? undefined : (new URLSearchParams(window.location.search).get("statefulset") ?? undefined),
  );
  const choose = (name: string) => {
    setChosen(name);
    const url = new URL(window.location.href);
    url.searchParams.set("statefulset", name);
    window.history.replaceState(window.history.state, "", url);
  };
  const replay = useReplay(snapshot);
  const prefs = useViewPrefs();
  const [help, setHelp] = useState(false);
  // In replay the whole view is drawn from the recorded state; the header stays live.
  const view = replay.view;
  const clusterInfo = snapshot?.cluster;
  const context = useMemo(() => (clusterInfo ? { cluster: clusterInfo, recordAction } : null), [clusterInfo, recordAction]);
  // The view's context: the replayed moment's cluster (its clock stopped then), actions locked.
  const replaying = !!replay.history;
  const viewCluster = view?.cluster;
  const viewContext = useMemo(() => (viewCluster ? { cluster: viewCluster, recordAction, replaying } : null), [viewCluster, recordAction, replaying]);
  const sets = useMemo(
    () => (view ? view.objects.statefulsets.filter((s) => s.metadata?.namespace === view.cluster.namespace).sort(byName) : []),
    [view],
  );
  const current = pickStatefulSet(sets, chosen);
  const currentName = current?.metadata?.name ?? "";
  const podNames = useMemo(
    () =>
      (snapshot?.objects.pods ?? [])
        .flatMap((p) => {
          const ordinal = podOrdinal(p.metadata?.name ?? "", currentName);
          return ordinal === undefined ? [] : [[ordinal, p.metadata!.name!] as const];
        })
        .sort((a, b) => a[0] - b[0])
        .map(([, n]) => n),
    [snapshot, currentName],
  );

  return (
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <ConnectionBanner connection={state} hasSnapshot={!!snapshot} />
      {/* Compact: on a 1280×720 projector the whole StatefulSet must fit under it. */}
      <header className="flex flex-wrap items-center justify-between gap-x-6 gap-y-1 border-b border-slate-200 bg-white px-4 py-1.5">
        {/* One line: the summary wraps inside itself (paused, it is longer) rather than pushing Speed to a line of its own. */}
        <div className="flex min-w-0 items-center gap-x-4">
          <h1 className="shrink-0 whitespace-nowrap text-2xl font-bold tracking-tight">{t("title")}</h1>
          {snapshot && context && (
            <ClusterContext value={context}>
              <ClusterSummary cluster={snapshot.cluster} />
              <SpeedControl />
            </ClusterContext>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          {snapshot && !replay.history && <ReplayBar replay={replay} />}
          <ViewControls dark={prefs.dark} presenter={prefs.presenter} onToggleDark={prefs.toggleDark} onTogglePresenter={prefs.togglePresenter} onHelp={() => setHelp(true)} />
          <LanguageSwitcher />
          {snapshot && <ContextPicker cluster={snapshot.cluster} />}
          {snapshot && context && (
            <ClusterContext value={context}>
              <div className="flex flex-wrap items-center gap-4">
                <StatefulSetPicker names={sets.map((s) => s.metadata?.name ?? "")} value={current?.metadata?.name} onChange={choose} />
                <DemoControls demoExists={sets.some((s) => s.metadata?.name === DEMO_NAME)} />
              </div>
            </ClusterContext>
          )}
        </div>
      </header>
      <main className="mx-auto max-w-[120rem] space-y-3 px-4 py-2">
        {!snapshot && !state.snapshotError && <p className="text-xl text-slate-600">{t("connecting")}</p>}
        {snapshot && replay.history && <ReplayBar replay={replay} />}
        {view && viewContext && (
          <ClusterContext value={viewContext}>
            {/*
             * One screen (1280×720 and up): the StatefulSet's header across the top, the diagram under it
             * and the Lessons column beside it, so the current step is in view with the lanes. The view's
             * parts are items of this grid (xl:contents). The column is at most the height left under the
             * two headers (about 16rem) so, unscrolled, its list ends on screen. The Lessons panel is outside the view: a reset
             * removes and recreates the set, and the lesson must stay open through it.
             */}
            <div className="grid items-start gap-3 xl:grid-cols-[minmax(0,1fr)_19rem] 2xl:grid-cols-[minmax(0,1fr)_32rem]">
              <div className="min-w-0 space-y-3 xl:contents xl:space-y-0">
                {current ? (
                  <StatefulSetView snapshot={view} statefulSet={current} cause={replay.cause} />
                ) : (
                  <p className="rounded-2xl border-2 border-dashed border-slate-300 p-8 text-xl text-slate-600 xl:col-start-1">
                    {t.rich("noStatefulSet", { ...richTags, namespace: view.cluster.namespace })}
                  </p>
                )}
              </div>
              {snapshot && <LessonsPanel snapshot={snapshot} className="xl:sticky xl:top-2 xl:col-start-2 xl:row-span-2 xl:row-start-2 xl:max-h-[calc(100vh-16rem)]" />}
            </div>
          </ClusterContext>
        )}
      </main>
      <KeyboardShortcuts
        pods={podNames}
        clock={snapshot?.cluster.clock}
        embedded={snapshot?.cluster.mode === "embedded"}
        replay={replay}
        onToggleDark={prefs.toggleDark}
        onTogglePresenter={prefs.togglePresenter}
        help={help}
        onHelp={setHelp}
      />
    </div>
  );
}
