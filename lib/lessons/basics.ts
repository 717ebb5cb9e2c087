import { kubectlFor } from "@/lib/k8s/kubectl";
import { serviceDnsName } from "@/lib/k8s/dns";
import { freshDemo, isReady, podOf, pvcOf, rememberLastAction, rememberPod, reused, settled, stsOf, actionsSince, DEMO } from "./state";
import type { Lesson, LessonStep } from "./types";

const DATA_LINE = "written through kubia-1";

/** Every lesson starts from the demo as a reset leaves it (ticks at once when it already is). */
export const startStep: LessonStep = {
  id: "start",
  command: (ns) => kubectlFor.resetDemo(ns, DEMO),
  actions: [{ kind: "reset" }],
  check: freshDemo,
};

const srvCommand = (ns: string) => kubectlFor.digSrv(ns, serviceDnsName(DEMO, ns));

/** Ready endpoints of the headless service with a hostname: the SRV records dig prints. */
const srvTargets = (s: Parameters<LessonStep["check"]>[0]) =>
  s.objects.endpointslices
    .filter((e) => e.metadata?.namespace === s.cluster.namespace && e.metadata?.labels?.["kubernetes.io/service-name"] === DEMO)
    .flatMap((e) => e.endpoints ?? [])
    .filter((e) => e.conditions?.ready && e.hostname)
    .map((e) => e.hostname!);

export const identity: Lesson = {
  id: "identity",
  steps: [
    startStep,
    {
      id: "names",
      command: (ns) => `kubectl get pods,pvc -l app=${DEMO} -o wide -n ${ns}`,
      check: (s) => ["data-kubia-0", "data-kubia-1"].every((n) => pvcOf(s, n)?.status?.phase === "Bound") && isReady(s, "kubia-0") && isReady(s, "kubia-1"),
    },
    {
      id: "dns",
      command: srvCommand,
      check: (s) => ["kubia-0", "kubia-1"].every((h) => srvTargets(s).includes(h)),
    },
    {
      id: "delete",
      command: (ns) => kubectlFor.deletePod(ns, "kubia-0"),
      actions: [{ kind: "deletePod", pod: "kubia-0" }],
      baseline: rememberPod("kubia-0"),
      check: (s, b) => {
        const pod = podOf(s, "kubia-0");
        return isReady(s, "kubia-0") && pod?.metadata?.uid !== b.uid && !!pod?.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === "data-kubia-0");
      },
    },
  ],
};

export const order: Lesson = {
  id: "order",
  steps: [
    startStep,
    { id: "scaleUp", command: (ns) => kubectlFor.scale(ns, DEMO, 4), actions: [{ kind: "scale", replicas: 4 }], check: (s) => settled(s, 4) },
    { id: "scaleDown", command: (ns) => kubectlFor.scale(ns, DEMO, 2), actions: [{ kind: "scale", replicas: 2 }], check: (s) => settled(s, 2) },
    {
      id: "parallel",
      command: (ns) => kubectlFor.createParallelDemo(ns),
      actions: [{ kind: "parallel" }],
      check: (s) => !!stsOf(s, "kubia-parallel") && ["kubia-parallel-0", "kubia-parallel-1", "kubia-parallel-2"].every((p) => !!podOf(s, p)),
    },
  ],
};

export const volumes: Lesson = {
  id: "volumes",
  steps: [
    startStep,
    {
      id: "write",
      needs: "containers",
      command: (ns) => kubectlFor.writeData(ns, "kubia-1", DATA_LINE),
      actions: [{ kind: "writeData", pod: "kubia-1", text: DATA_LINE }],
      baseline: rememberLastAction,
      check: (s, b) => actionsSince(s, b).some((a) => a.action === "write-data" && a.target === "pod/kubia-1" && a.ok),
    },
    {
      id: "scaleDown",
      command: (ns) => kubectlFor.scale(ns, DEMO, 1),
      actions: [{ kind: "scale", replicas: 1 }],
      check: (s) => settled(s, 1) && !podOf(s, "kubia-1") && !!pvcOf(s, "data-kubia-1"),
    },
    { id: "scaleUp", command: (ns) => kubectlFor.scale(ns, DEMO, 2), actions: [{ kind: "scale", replicas: 2 }], check: (s) => settled(s, 2) && reused(s, "data-kubia-1", "kubia-1") },
    { id: "read", needs: "containers", command: (ns) => kubectlFor.readData(ns, "kubia-1"), actions: [{ kind: "readData", pod: "kubia-1" }], check: (s) => reused(s, "data-kubia-1", "kubia-1") },
    {
      id: "retention",
      command: (ns) => kubectlFor.setRetention(ns, DEMO, "Delete"),
      actions: [{ kind: "settings", settings: { whenScaled: "Delete" } }],
      check: (s) => stsOf(s)?.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === "Delete",
    },
    {
      id: "scaleDownDelete",
      command: (ns) => kubectlFor.scale(ns, DEMO, 1),
      actions: [{ kind: "scale", replicas: 1 }],
      check: (s) => settled(s, 1) && !podOf(s, "kubia-1") && !pvcOf(s, "data-kubia-1"),
    },
  ],
};

export const peers: Lesson = {
  id: "peers",
  steps: [
    startStep,
    { id: "srv", command: srvCommand, check: (s) => srvTargets(s).length >= 2 },
    {
      id: "image",
      command: (ns) => kubectlFor.setImage(ns, DEMO, DEMO, "luksa/kubia-pet-peers"),
      actions: [{ kind: "settings", settings: { image: "luksa/kubia-pet-peers" } }],
      check: (s) => ["kubia-0", "kubia-1"].every((p) => isReady(s, p) && podOf(s, p)?.spec?.containers?.[0]?.image === "luksa/kubia-pet-peers"),
    },
    {
      id: "ask",
      needs: "containers",
      command: (ns) => kubectlFor.readData(ns, "kubia-0"),
      actions: [{ kind: "readData", pod: "kubia-0" }],
      check: (s) => isReady(s, "kubia-0") && podOf(s, "kubia-0")?.spec?.containers?.[0]?.image === "luksa/kubia-pet-peers",
    },
  ],
};
