import { randomUUID } from "node:crypto";
import type { V1PersistentVolume } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { ANN, claimClass, PV_PROTECTION } from "./pv-binding";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import { recordEvent } from "./runtime/events";

/** The provisioner of the embedded cluster's default StorageClass `standard`. */
export const HOSTPATH_PROVISIONER = "playground.k8s.io/hostpath";
/** How long creating a volume takes (minikube's hostpath provisioner answers in well under a second). */
const PROVISION_MS = 500;
const DELETE_MS = 500;

/** Where the volume lives on the node, as minikube's storage-provisioner lays it out. */
export function hostPathFor(namespace: string, claim: string): string {
  return `/tmp/hostpath-provisioner/${namespace}/${claim}`;
}

/**
 * An external provisioner in the manner of sig-storage-lib-external-provisioner: it provisions
 * `pvc-<claim uid>` for claims the PV controller annotated with its name (events `Provisioning`
 * and `ProvisioningSucceeded` from `<provisioner>_<host>_<uuid>`), and deletes the volumes it made
 * once they are Released with reclaim policy Delete, erasing their data.
 */
export function startHostPathProvisioner(ctx: SimContext): RunningController {
  const store = ctx.store;
  const source = { component: `${HOSTPATH_PROVISIONER}_playground_${randomUUID()}` };
  const started = new Map<string, { uid: string; at: number }>();
  const releasing = new Map<string, number>();

  const provision = (namespace: string | undefined, name: string) => {
    const key = `${namespace}/${name}`;
    const obj = store.tryGet("persistentvolumeclaims", namespace, name);
    const claim = obj && obj;
    const mine = claim && !claim.metadata?.deletionTimestamp && !claim.spec?.volumeName && claim.metadata?.annotations?.[ANN.storageProvisioner] === HOSTPATH_PROVISIONER;
    const sc = mine ? (store.tryGet("storageclasses.storage.k8s.io", undefined, claimClass(claim))) : undefined;
    const pvName = `pvc-${claim?.metadata?.uid}`;
    if (!claim || !mine || !sc || ctx.faults.get().storageUnavailable || store.tryGet("persistentvolumes", undefined, pvName)) {
      started.delete(key);
      return;
    }
    const now = ctx.clock.now();
    const begun = started.get(key);
    if (!begun || begun.uid !== claim.metadata!.uid) {
      started.set(key, { uid: claim.metadata!.uid!, at: now });
      recordEvent(ctx, obj, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${key}"`, source);
      return { requeueAfter: PROVISION_MS };
    }
    const due = begun.at + PROVISION_MS;
    if (now < due) return { requeueAfter: due - now };
    started.delete(key);
    const pv: V1PersistentVolume = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: pvName, annotations: { [ANN.provisionedBy]: HOSTPATH_PROVISIONER }, finalizers: [PV_PROTECTION] },
      spec: {
        accessModes: claim.spec?.accessModes,
        capacity: { storage: claim.spec?.resources?.requests?.storage ?? "0" },
        claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace, name, uid: claim.metadata!.uid, resourceVersion: claim.metadata!.resourceVersion },
        hostPath: { path: hostPathFor(namespace ?? "default", name), type: "" },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        storageClassName: claimClass(claim),
        volumeMode: claim.spec?.volumeMode ?? "Filesystem",
        ...(sc.mountOptions ? { mountOptions: sc.mountOptions } : {}),
      },
      status: { phase: "Pending" },
    };
    store.create("persistentvolumes", pv);
    recordEvent(ctx, obj, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pvName}`, source);
  };

  const reclaim = (name: string) => {
    const obj = store.tryGet("persistentvolumes", undefined, name);
    const pv = obj && obj;
    const deletable =
      pv && !pv.metadata?.deletionTimestamp && pv.status?.phase === "Released" && pv.spec?.persistentVolumeReclaimPolicy === "Delete" && pv.metadata?.annotations?.[ANN.provisionedBy] === HOSTPATH_PROVISIONER;
    if (!deletable) {
      releasing.delete(name);
      return;
    }
    const now = ctx.clock.now();
    if (!releasing.has(name)) releasing.set(name, now);
    const due = releasing.get(name)! + DELETE_MS;
    if (now < due) return { requeueAfter: due - now };
    releasing.delete(name);
    ctx.volumes.erase(name);
    store.delete("persistentvolumes", undefined, name);
  };

  return runController(ctx, {
    name: "hostpath-provisioner",
    watches: [
      { resource: "persistentvolumeclaims", keys: (obj, type) => (type === "DELETED" ? [] : [`claim:${objectKey(obj)}`]) },
      { resource: "persistentvolumes", keys: (obj) => [`volume:${obj.metadata.name}`] },
    ],
    reconcile(key) {
      const colon = key.indexOf(":");
      const { namespace, name } = splitKey(key.slice(colon + 1));
      return key.startsWith("claim:") ? provision(namespace, name) : reclaim(name);
    },
  });
}
