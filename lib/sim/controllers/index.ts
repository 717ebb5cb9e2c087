import type { SimContext } from "../context";
import { startEndpointsController } from "./endpoints";
import { startGarbageCollector } from "./garbagecollector";
import { startKubelets } from "./kubelet";
import { startNodeLifecycle } from "./nodelifecycle";
import { startPvController } from "./pv";
import { startResourceQuotaController } from "./resourcequota";
import { startScheduler } from "./scheduler";
import { startStatefulSetController } from "./statefulset";

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
    startPvController(ctx),
    startScheduler(ctx),
    startEndpointsController(ctx),
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
