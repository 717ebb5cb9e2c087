import type { SimContext } from "../context";
import { startEndpointsController } from "./endpoints";
import { startGarbageCollector } from "./garbagecollector";
import { startKubelets } from "./kubelet";
import { startNodeLifecycle } from "./nodelifecycle";
import { startPvController } from "./pv";
import { startResourceQuotaController } from "./resourcequota";
import { startScheduler } from "./scheduler";
import { startServiceAccountControllers } from "./serviceaccounts";
import { startStatefulSetController } from "./statefulset";
import { startDaemonSetController } from "./workloads/daemonset";
import { startDeploymentController } from "./workloads/deployment";
import { startJobController } from "./workloads/job";
import { startReplicaSetController } from "./workloads/replicaset";

/**
 * Starts every controller of the embedded cluster (kube-controller-manager, kube-scheduler and
 * one kubelet per node). The PV controller runs the hostpath provisioner and the node lifecycle
 * controller runs taint-based eviction. `stop()` stops them in reverse order.
 */
export function startControllers(ctx: SimContext): { stop(): void } {
  const running: { stop(): void }[] = [
    startGarbageCollector(ctx),
    startResourceQuotaController(ctx),
    startStatefulSetController(ctx),
    startDeploymentController(ctx),
    startReplicaSetController(ctx),
    startJobController(ctx),
    startDaemonSetController(ctx),
    startPvController(ctx),
    startScheduler(ctx),
    startEndpointsController(ctx),
    startServiceAccountControllers(ctx),
    startNodeLifecycle(ctx),
    startKubelets(ctx),
  ];
  return {
    stop() {
      for (const r of running.reverse()) r.stop();
      running.length = 0;
    },
  };
}
