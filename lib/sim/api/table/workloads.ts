import type { V1Container } from "@kubernetes/client-node";
import { formatAge } from "../../../k8s/time";
import { col, type Printer } from "./types";

/** layoutContainerCells: container names and images, comma-separated. */
export function containerCells(containers: V1Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(","), list.map((c) => c.image ?? "").join(",")];
}

export const statefulSetPrinter: Printer<"statefulsets.apps"> = {
  columns: [
    col("Name"),
    col("Ready", 0, "Number of the pod with ready state"),
    col("Age"),
    col("Containers", 1, "Names of each container in the template."),
    col("Images", 1, "Images referenced by each container in the template."),
  ],
  row(sts, now) {
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return {
      cells: [sts.metadata?.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, formatAge(sts.metadata?.creationTimestamp, now), names, images],
    };
  },
};

export const controllerRevisionPrinter: Printer<"controllerrevisions.apps"> = {
  columns: [col("Name"), col("Controller", 0, "Controller of the object"), col("Revision", 0, "Revision of the ControllerRevision"), col("Age")],
  row(rev, now) {
    const owner = rev.metadata?.ownerReferences?.find((o) => o.controller);
    const group = owner?.apiVersion?.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : "";
    const controller = owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : "<none>";
    return { cells: [rev.metadata?.name, controller, rev.revision, formatAge(rev.metadata?.creationTimestamp, now)] };
  },
};
