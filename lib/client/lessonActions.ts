import type { ActionResponse, PodDataResponse, Snapshot } from "@/lib/k8s/contract";
import { NODE_DOWN_ANNOTATION } from "@/lib/k8s/wellknown";
import type { LessonAction } from "@/lib/lessons";
import { api } from "./api";

export interface LessonActionResult {
  actions: ActionResponse["action"][];
  /** What the kubia app answered, for the steps that read or write a volume. */
  answer?: PodDataResponse;
}

/** One Do it: the dashboard's own routes, in order; the first failure stops the rest (and is shown). */
export async function runLessonActions(actions: LessonAction[], snapshot: Snapshot): Promise<LessonActionResult> {
  const result: LessonActionResult = { actions: [] };
  for (const action of actions) {
    const response = await runOne(action, snapshot);
    if (!response) continue;
    if ("action" in response) result.actions.push(response.action);
    else result.answer = response;
  }
  return result;
}

async function runOne(action: LessonAction, snapshot: Snapshot): Promise<ActionResponse | PodDataResponse | undefined> {
  switch (action.kind) {
    case "reset":
      return api.demo("reset");
    case "parallel":
      return api.demo("parallel");
    case "scale":
      return api.scale("kubia", action.replicas);
    case "deletePod": {
      const uid = snapshot.objects.pods.find((p) => p.metadata?.name === action.pod)?.metadata?.uid;
      return api.deletePod(action.pod, { ...(action.force ? { force: true } : {}), ...(uid ? { uid } : {}) });
    }
    case "failNodeOf": {
      const node = snapshot.objects.pods.find((p) => p.metadata?.name === action.pod)?.spec?.nodeName;
      return node ? api.failNode(node) : undefined;
    }
    case "recoverNodes": {
      let last: ActionResponse | undefined;
      for (const node of snapshot.objects.nodes.filter((n) => n.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true")) last = await api.recoverNode(node.metadata!.name!);
      return last;
    }
    case "writeData":
      return api.writePodData(action.pod, action.text);
    case "readData":
      return api.readPodData(action.pod);
    case "readinessFile":
      return api.podReadiness(action.pod, action.ready);
    case "faults":
      await api.setFaults(action.patch);
      return undefined;
    case "settings":
      return api.statefulSetSettings("kubia", action.settings);
  }
}
