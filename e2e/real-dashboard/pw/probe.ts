import type { ClusterProbe } from "../../scenarios/probe";
import { setNodeDown } from "../../../tools/real-cluster/cluster";
import { kubectl } from "../kubectl";
import type { Admin } from "./fixtures";
import { REAL_E2E_NAMESPACE } from "./settings";

/** A read that answers undefined for an object that does not exist (404). */
export const orUndefinedOn404 = <T>(promise: Promise<T>): Promise<T | undefined> =>
  promise.catch((err) => ((err as { code?: number }).code === 404 ? undefined : Promise.reject(err)));

/**
 * The real control plane seen from the teacher's terminal (the admin client): KWOK pods run no
 * containers (no volume data), the dashboard cannot fail nodes of a real cluster (the terminal does,
 * like `npm run cluster:real -- fail-node N`), and its clock is the wall clock, so the scenario
 * deletes the pod itself instead of waiting 300 s for the taint-based eviction.
 */
export function realProbe(admin: Admin): ClusterProbe {
  return {
    namespace: REAL_E2E_NAMESPACE,
    pod: admin.pod,
    claim: (name) => orUndefinedOn404(admin.core.readNamespacedPersistentVolumeClaim({ name, namespace: REAL_E2E_NAMESPACE })),
    volume: (name) => orUndefinedOn404(admin.core.readPersistentVolume({ name })),
    volumeData: false,
    nodeButtons: false,
    faults: false,
    evictsInTime: false,
    kubectl: (args, input) => kubectl(admin.env, args, input),
    failNode: async (_dashboard, node) => void (await setNodeDown(admin.env, node, true)),
    recoverNode: async (_dashboard, node) => void (await setNodeDown(admin.env, node, false)),
  };
}
