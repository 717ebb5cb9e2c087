import { kubectlFor } from "@/lib/k8s/kubectl";
import { actionsSince, DEMO, imageOf, isReady, nodeReady, podOf, rememberLastAction, rememberPod, rolledOut, settled, stsOf } from "./state";
import { startStep } from "./basics";
import type { Lesson } from "./types";

const PEERS = "luksa/kubia-pet-peers";
const BOOK = "luksa/kubia-pet";

export const access: Lesson = {
  id: "access",
  steps: [
    startStep,
    {
      id: "service",
      command: (ns) => `kubectl run -it curl --image=curlimages/curl --rm --restart=Never -n ${ns} -- curl -s kubia-public.${ns}.svc.cluster.local`,
      check: (s) =>
        s.objects.services.some((svc) => svc.metadata?.name === "kubia-public" && !!svc.spec?.clusterIP) &&
        s.objects.endpointslices.some((e) => e.metadata?.labels?.["kubernetes.io/service-name"] === "kubia-public" && (e.endpoints ?? []).some((p) => p.conditions?.ready)),
    },
    {
      id: "proxy",
      needs: "containers",
      command: (ns) => `kubectl proxy --port=8001 & curl localhost:8001/api/v1/namespaces/${ns}/pods/kubia-0/proxy/`,
      actions: [{ kind: "writeData", pod: "kubia-0", text: "through the API server" }],
      baseline: rememberLastAction,
      check: (s, b) => actionsSince(s, b).some((a) => a.action === "write-data" && a.target === "pod/kubia-0" && a.ok),
    },
  ],
};

export const nodeFailure: Lesson = {
  id: "nodeFailure",
  steps: [
    startStep,
    {
      id: "fail",
      needs: "nodeFailure",
      command: () => kubectlFor.failNode("<node of kubia-0>"),
      actions: [{ kind: "failNodeOf", pod: "kubia-0" }],
      check: (s) => !!podOf(s, "kubia-0")?.spec?.nodeName && !nodeReady(s, podOf(s, "kubia-0")?.spec?.nodeName),
    },
    {
      id: "delete",
      needs: "nodeFailure",
      command: (ns) => kubectlFor.deletePod(ns, "kubia-0"),
      actions: [{ kind: "deletePod", pod: "kubia-0" }],
      check: (s) => !!podOf(s, "kubia-0")?.metadata?.deletionTimestamp && !nodeReady(s, podOf(s, "kubia-0")?.spec?.nodeName),
    },
    {
      id: "force",
      needs: "nodeFailure",
      command: (ns) => kubectlFor.deletePod(ns, "kubia-0", { force: true }),
      actions: [{ kind: "deletePod", pod: "kubia-0", force: true }],
      baseline: rememberPod("kubia-0"),
      check: (s, b) => isReady(s, "kubia-0") && podOf(s, "kubia-0")?.metadata?.uid !== b.uid,
    },
    {
      id: "recover",
      needs: "nodeFailure",
      command: () => kubectlFor.recoverNode("<node>"),
      actions: [{ kind: "recoverNodes" }],
      check: (s) => s.objects.nodes.length > 0 && s.objects.nodes.every((n) => nodeReady(s, n.metadata?.name)),
    },
  ],
};

const waitingReason = (s: Parameters<Lesson["steps"][number]["check"]>[0], pod: string) => podOf(s, pod)?.status?.containerStatuses?.[0]?.state?.waiting?.reason;

export const failures: Lesson = {
  id: "failures",
  steps: [
    startStep,
    {
      id: "storage",
      needs: "faults",
      command: (ns) => `${kubectlFor.setFaults({ storageUnavailable: true })} && ${kubectlFor.scale(ns, DEMO, 3)}`,
      actions: [{ kind: "faults", patch: { storageUnavailable: true } }, { kind: "scale", replicas: 3 }],
      check: (s) => !!podOf(s, "kubia-2") && !podOf(s, "kubia-2")?.spec?.nodeName,
    },
    {
      id: "storageFixed",
      needs: "faults",
      command: () => kubectlFor.setFaults({ storageUnavailable: false }),
      actions: [{ kind: "faults", patch: { storageUnavailable: false } }],
      check: (s) => settled(s, 3),
    },
    {
      id: "image",
      needs: "faults",
      command: (ns) => `${kubectlFor.setFaults({ missingImages: [BOOK] })} && ${kubectlFor.deletePod(ns, "kubia-2")}`,
      actions: [{ kind: "faults", patch: { missingImages: [BOOK] } }, { kind: "deletePod", pod: "kubia-2" }],
      check: (s) => ["ErrImagePull", "ImagePullBackOff"].includes(waitingReason(s, "kubia-2") ?? ""),
    },
    {
      id: "imageFixed",
      needs: "faults",
      command: () => kubectlFor.setFaults({ missingImages: [] }),
      actions: [{ kind: "faults", patch: { missingImages: [] } }],
      check: (s) => settled(s, 3),
    },
    {
      id: "network",
      needs: "faults",
      command: (ns) => `${kubectlFor.setFaults({ brokenPodNetwork: true })} && ${kubectlFor.writeData(ns, "kubia-0", "ping")}`,
      actions: [{ kind: "faults", patch: { brokenPodNetwork: true } }, { kind: "writeData", pod: "kubia-0", text: "ping" }],
      baseline: rememberLastAction,
      check: (s, b) => actionsSince(s, b).some((a) => a.action === "write-data" && !a.ok),
    },
    {
      id: "networkFixed",
      needs: "faults",
      command: (ns) => `${kubectlFor.setFaults({ brokenPodNetwork: false })} && ${kubectlFor.writeData(ns, "kubia-0", "pong")}`,
      actions: [{ kind: "faults", patch: { brokenPodNetwork: false } }, { kind: "writeData", pod: "kubia-0", text: "pong" }],
      baseline: rememberLastAction,
      check: (s, b) => actionsSince(s, b).some((a) => a.action === "write-data" && a.ok),
    },
  ],
};

export const rollingUpdate: Lesson = {
  id: "rollingUpdate",
  steps: [
    startStep,
    {
      id: "image",
      command: (ns) => `${kubectlFor.setImage(ns, DEMO, DEMO, PEERS)} && ${kubectlFor.rolloutStatus(ns, DEMO)}`,
      actions: [{ kind: "settings", settings: { image: PEERS } }],
      check: (s) => rolledOut(s, PEERS),
    },
    {
      id: "partition",
      command: (ns) => kubectlFor.setPartition(ns, DEMO, 1),
      actions: [{ kind: "settings", settings: { partition: 1 } }],
      check: (s) => stsOf(s)?.spec?.updateStrategy?.rollingUpdate?.partition === 1,
    },
    {
      id: "canary",
      command: (ns) => kubectlFor.setImage(ns, DEMO, DEMO, BOOK),
      actions: [{ kind: "settings", settings: { image: BOOK } }],
      check: (s) => isReady(s, "kubia-1") && imageOf(podOf(s, "kubia-1")) === BOOK && imageOf(podOf(s, "kubia-0")) === PEERS,
    },
    {
      id: "finish",
      command: (ns) => kubectlFor.setPartition(ns, DEMO, 0),
      actions: [{ kind: "settings", settings: { partition: 0 } }],
      check: (s) => rolledOut(s, BOOK),
    },
    {
      id: "history",
      command: (ns) => `${kubectlFor.rolloutHistory(ns, DEMO)} && ${kubectlFor.rolloutUndo(ns, DEMO)}`,
      check: (s) => rolledOut(s, BOOK) || rolledOut(s, PEERS),
    },
  ],
};
