import type { V1StatefulSet } from "@kubernetes/client-node";
import { deepCopy } from "../../store/copy";

/**
 * The API server's defaults for apps/v1 StatefulSets (SetDefaults_StatefulSet). Applied to the
 * controller's copy so that a set stored without them (e.g. created straight in the store)
 * behaves exactly as it would on a real cluster.
 */
export function withDefaults(input: V1StatefulSet): V1StatefulSet {
  const set = deepCopy(input);
  const spec = (set.spec ??= { selector: {}, serviceName: "", template: {} });
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= "OrderedReady";
  spec.revisionHistoryLimit ??= 10;
  spec.minReadySeconds ??= 0;
  const strategy = (spec.updateStrategy ??= { type: "RollingUpdate" });
  strategy.type ??= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.partition ??= 0;
  }
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ??= "Retain";
  retention.whenScaled ??= "Retain";
  return set;
}

export function allowsBurst(set: V1StatefulSet): boolean {
  return set.spec?.podManagementPolicy === "Parallel";
}
