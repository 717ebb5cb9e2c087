import { formatAge } from "../../../k8s/time";
import { accessModes } from "./format";
import { col, type Printer } from "./types";

const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

export const pvcPrinter: Printer<"persistentvolumeclaims"> = {
  columns: [
    col("Name"),
    col("Status", 0, "phase represents the current phase of PersistentVolumeClaim."),
    col("Volume", 0, "volumeName is the binding reference to the PersistentVolume backing this claim."),
    col("Capacity", 0, "capacity represents the actual resources of the underlying volume."),
    col("Access Modes", 0, "accessModes contains the actual access modes the volume backing the PVC has."),
    col("StorageClass", 0, "StorageClass of the pvc"),
    col("VolumeAttributesClass", 0, "VolumeAttributesClass of the pvc"),
    col("Age"),
    col("VolumeMode", 1, "volumeMode defines what type of volume is required by the claim."),
  ],
  row(pvc, now) {
    const phase = pvc.metadata?.deletionTimestamp ? "Terminating" : pvc.status?.phase ?? "";
    const bound = !!pvc.spec?.volumeName;
    const storageClass = pvc.metadata?.annotations?.[BETA_CLASS_ANNOTATION] ?? pvc.spec?.storageClassName ?? "";
    return {
      cells: [
        pvc.metadata?.name,
        phase,
        pvc.spec?.volumeName ?? "",
        bound ? String(pvc.status?.capacity?.storage ?? "") : "",
        bound ? accessModes(pvc.status?.accessModes) : "",
        storageClass,
        pvc.spec?.volumeAttributesClassName || "<unset>",
        formatAge(pvc.metadata?.creationTimestamp, now),
        pvc.spec?.volumeMode ?? "<unset>",
      ],
    };
  },
};

export const pvPrinter: Printer<"persistentvolumes"> = {
  columns: [
    col("Name"),
    col("Capacity", 0, "capacity is the description of the persistent volume's resources and capacity."),
    col("Access Modes", 0, "accessModes contains all ways the volume can be mounted."),
    col("Reclaim Policy", 0, "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
    col("Status", 0, "phase indicates if a volume is available, bound to a claim, or released by a claim."),
    col("Claim", 0, "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
    col("StorageClass", 0, "StorageClass of the pv"),
    col("VolumeAttributesClass", 0, "VolumeAttributesClass of the pv"),
    col("Reason", 0, "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
    col("Age"),
    col("VolumeMode", 1, "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
  ],
  row(pv, now) {
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ""}/${pv.spec.claimRef.name ?? ""}` : "";
    return {
      cells: [
        pv.metadata?.name,
        String(pv.spec?.capacity?.storage ?? ""),
        accessModes(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? "",
        pv.metadata?.deletionTimestamp ? "Terminating" : pv.status?.phase ?? "",
        claim,
        pv.metadata?.annotations?.[BETA_CLASS_ANNOTATION] ?? pv.spec?.storageClassName ?? "",
        pv.spec?.volumeAttributesClassName || "<unset>",
        pv.status?.reason ?? "",
        formatAge(pv.metadata?.creationTimestamp, now),
        pv.spec?.volumeMode ?? "<unset>",
      ],
    };
  },
};

export const storageClassPrinter: Printer<"storageclasses.storage.k8s.io"> = {
  columns: [
    col("Name"),
    col("Provisioner", 0, "provisioner indicates the type of the provisioner."),
    col("ReclaimPolicy", 0, "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
    col("VolumeBindingMode", 0, "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
    col("AllowVolumeExpansion", 0, "allowVolumeExpansion shows whether the storage class allow volume expand."),
    col("Age"),
  ],
  row(sc, now) {
    const isDefault = sc.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
    return {
      cells: [
        isDefault ? `${sc.metadata?.name} (default)` : sc.metadata?.name,
        sc.provisioner,
        sc.reclaimPolicy ?? "Delete",
        sc.volumeBindingMode ?? "Immediate",
        String(sc.allowVolumeExpansion ?? false),
        formatAge(sc.metadata?.creationTimestamp, now),
      ],
    };
  },
};
