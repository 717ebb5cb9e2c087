import type { KubernetesObject, V1StorageClass } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { ANN, type Claim, bind, claimClass, claimInUse, findBestMatch, PV_PROTECTION, PVC_PROTECTION, setClaimPhase, setFinalizer, setVolumePhase, volumeMismatch } from "./pv-binding";
import { HOSTPATH_PROVISIONER, startHostPathProvisioner } from "./pv-provisioner";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import { recordEvent } from "./runtime/events";
import { podClaimNames } from "./util";

/** pvClaimBinderSyncPeriod: the PV controller re-syncs every claim and volume this often. */
const SYNC_PERIOD_MS = 15_000;
const SOURCE = { component: "persistentvolume-controller" };
const CLASSES = "storageclasses.storage.k8s.io";

/** The StorageClass as the controller can use it: a missing class and the storage fault look alike. */
function usableClass(ctx: SimContext, name: string): V1StorageClass | undefined {
  if (ctx.faults.get().storageUnavailable) return undefined;
  return ctx.store.tryGet(CLASSES, undefined, name);
}

function defaultClass(ctx: SimContext): V1StorageClass | undefined {
  if (ctx.faults.get().storageUnavailable) return undefined;
  return ctx.store
    .list(CLASSES)
    .items.map((o) => o)
    .filter((c) => c.metadata?.annotations?.[ANN.defaultClass] === "true")
    .sort((a, b) => String(b.metadata?.creationTimestamp).localeCompare(String(a.metadata?.creationTimestamp)))[0];
}

/**
 * The PersistentVolume controller (pkg/controller/volume/persistentvolume) with the pvc- and
 * pv-protection controllers, plus the hostpath provisioner the `standard` class names:
 * binds claims to matching volumes (static) or asks the provisioner (dynamic), keeps both sides
 * of a binding consistent, releases and reclaims volumes whose claim is gone, and holds the
 * protection finalizers while a claim is used by a pod or a volume is bound.
 */
export function startPvController(ctx: SimContext): RunningController {
  const store = ctx.store;
  const event = (obj: KubernetesObject, type: "Normal" | "Warning", reason: string, message: string) => recordEvent(ctx, obj, type, reason, message, SOURCE);
  const allClaimKeys = () => store.view("persistentvolumeclaims").map((o) => `claim:${objectKey(o)}`);

  const syncUnboundClaim = (claim: Claim) => {
    const volumes = store.view("persistentvolumes");
    if (claim.spec?.volumeName) {
      // The user asked for a specific volume.
      const pv = volumes.find((v) => v.metadata?.name === claim.spec!.volumeName);
      if (!pv) return void setClaimPhase(ctx, claim, "Pending");
      const ref = pv.spec?.claimRef;
      if (!ref) {
        const mismatch = volumeMismatch(pv, claim);
        if (!mismatch) return bind(ctx, pv, claim);
        event(claim, "Warning", "VolumeMismatch", `Cannot bind to requested volume "${pv.metadata!.name}": ${mismatch}`);
        return void setClaimPhase(ctx, claim, "Pending");
      }
      if (ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (!ref.uid || ref.uid === claim.metadata?.uid)) return bind(ctx, pv, claim);
      event(claim, "Warning", "FailedBinding", `volume "${pv.metadata!.name}" already bound to a different claim.`);
      return void setClaimPhase(ctx, claim, "Pending");
    }
    const match = findBestMatch(volumes, claim);
    if (match) return bind(ctx, match, claim);
    const className = claimClass(claim);
    if (claim.spec?.storageClassName === undefined || claim.spec?.storageClassName === null) {
      // RetroactiveDefaultStorageClass: a claim without a class gets the default once there is one.
      const fallback = defaultClass(ctx);
      if (fallback && !claim.metadata?.annotations?.[ANN.betaStorageClass]) {
        store.update("persistentvolumeclaims", { ...claim, spec: { ...claim.spec, storageClassName: fallback.metadata!.name } });
        return;
      }
    }
    if (!className) {
      event(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
      return void setClaimPhase(ctx, claim, "Pending");
    }
    const sc = usableClass(ctx, className);
    if (!sc) {
      event(claim, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`);
      return void setClaimPhase(ctx, claim, "Pending");
    }
    if (sc.volumeBindingMode === "WaitForFirstConsumer") {
      event(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
      return void setClaimPhase(ctx, claim, "Pending");
    }
    // Every provisioner is external to the controller (CSI-style): annotate the claim and wait.
    if (claim.metadata?.annotations?.[ANN.storageProvisioner] !== sc.provisioner) {
      const annotations = { ...(claim.metadata?.annotations ?? {}), [ANN.storageProvisioner]: sc.provisioner, [ANN.betaStorageProvisioner]: sc.provisioner };
      claim = store.update("persistentvolumeclaims", { ...claim, metadata: { ...claim.metadata, annotations } });
    }
    event(
      claim,
      "Normal",
      "ExternalProvisioning",
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    setClaimPhase(ctx, claim, "Pending");
  };

  const syncBoundClaim = (claim: Claim) => {
    const pv = store.peek("persistentvolumes", undefined, claim.spec!.volumeName!);
    if (!pv) {
      if (claim.status?.phase !== "Lost") event(claim, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
      return void setClaimPhase(ctx, claim, "Lost");
    }
    const ref = pv.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata?.uid) return bind(ctx, pv, claim);
    if (claim.status?.phase !== "Lost") event(claim, "Warning", "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    setClaimPhase(ctx, claim, "Lost");
  };

  // The keys the periodic resync visits: every claim and volume but the settled ones, whose sync
  // would be the same no-op again (the real controller's resync of such an object reads its cache
  // and writes nothing). A bound claim, or a volume not being deleted, is settled after its sync
  // until a change to it or its counterpart unsettles it. At speed 100 the 15 s period is 0.15 s
  // of wall time: visiting 2,000 settled objects that often was most of an idle 1,000-pod
  // cluster's CPU. Unbound and deleting claims stay here: their sync reads other objects (volumes,
  // classes, pods) and records an Event each time, as the real one does.
  const unsettled = new Set<string>();
  const settleAfterSync = (key: string, settles: boolean) => (settles ? unsettled.delete(key) : unsettled.add(key));
  const isSettledClaim = (claim: Claim) => Boolean(claim.spec?.volumeName && claim.metadata.annotations?.[ANN.bindCompleted] && !claim.metadata.deletionTimestamp);

  // Reads without copies (store.peek, store.view): every write below builds a new object.
  const syncClaim = (namespace: string | undefined, name: string) => {
    const obj = store.peek("persistentvolumeclaims", namespace, name);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      // pvc-protection: the claim goes once no pod that may still run uses it.
      if (!claimInUse(ctx, obj)) setFinalizer(ctx, "persistentvolumeclaims", obj, PVC_PROTECTION, false);
      return;
    }
    // Normally added at admission; the write re-triggers this sync, which then does the rest.
    if (!obj.metadata.finalizers?.includes(PVC_PROTECTION)) return void setFinalizer(ctx, "persistentvolumeclaims", obj, PVC_PROTECTION, true);
    if (obj.spec?.volumeName && obj.metadata.annotations?.[ANN.bindCompleted]) syncBoundClaim(obj);
    else syncUnboundClaim(obj);
  };

  const syncVolume = (name: string) => {
    const obj = store.peek("persistentvolumes", undefined, name);
    if (!obj) return;
    let pv = obj;
    if (obj.metadata.deletionTimestamp) {
      // pv-protection: a volume that is no longer bound may go.
      if (pv.status?.phase !== "Bound") setFinalizer(ctx, "persistentvolumes", obj, PV_PROTECTION, false);
      return;
    }
    pv = setFinalizer(ctx, "persistentvolumes", obj, PV_PROTECTION, true);
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) return void setVolumePhase(ctx, pv, "Available");
    const claim = store.peek("persistentvolumeclaims", ref.namespace, ref.name!);
    if (claim && claim.metadata.uid === ref.uid) {
      if (claim.spec?.volumeName === name) setVolumePhase(ctx, pv, "Bound");
      else controller.queue.add(`claim:${objectKey(claim)}`);
      return;
    }
    // The claim is gone: release the volume, then reclaim it as its policy says.
    if (pv.status?.phase === "Released" || pv.status?.phase === "Failed") return;
    pv = setVolumePhase(ctx, pv, "Released");
    if (pv.spec?.persistentVolumeReclaimPolicy === "Delete" && pv.metadata?.annotations?.[ANN.provisionedBy] !== HOSTPATH_PROVISIONER) {
      const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      event(pv, "Warning", "VolumeFailedDelete", message);
      setVolumePhase(ctx, pv, "Failed", message);
    }
  };

  const controller = runController(ctx, {
    name: "persistentvolume-controller",
    watches: [
      {
        resource: "persistentvolumeclaims",
        keys: (obj, type) => {
          const volume = obj.spec?.volumeName;
          // The volume's sync reads its claim: visit it at the next resync.
          if (volume) unsettled.add(`volume:${volume}`);
          return [`claim:${objectKey(obj)}`, ...(type === "DELETED" && volume ? [`volume:${volume}`] : [])];
        },
      },
      {
        resource: "persistentvolumes",
        keys: (obj) => {
          const ref = obj.spec?.claimRef;
          return [`volume:${obj.metadata.name}`, ...(ref?.name ? [`claim:${ref.namespace}/${ref.name}`] : [])];
        },
      },
      { resource: CLASSES, keys: () => allClaimKeys() },
      { resource: "pods", keys: (obj) => podClaimNames(obj).map((c) => `claim:${obj.metadata.namespace}/${c}`) },
    ],
    reconcile(key) {
      const colon = key.indexOf(":");
      const kind = key.slice(0, colon);
      const { namespace, name } = splitKey(key.slice(colon + 1));
      if (kind === "claim") {
        syncClaim(namespace, name);
        const claim = store.peek("persistentvolumeclaims", namespace, name);
        settleAfterSync(key, !claim || isSettledClaim(claim));
      } else {
        syncVolume(name);
        const volume = store.peek("persistentvolumes", undefined, name);
        settleAfterSync(key, !volume || !volume.metadata.deletionTimestamp);
      }
    },
  });
  // pvClaimBinderSyncPeriod: every claim and volume that is not settled (above).
  const resync = () => {
    for (const key of unsettled) controller.queue.add(key);
    resyncTimer = ctx.clock.setTimeout(resync, SYNC_PERIOD_MS);
  };
  let resyncTimer = ctx.clock.setTimeout(resync, SYNC_PERIOD_MS);
  const offFaults = ctx.faults.onChange(() => allClaimKeys().forEach((k) => controller.queue.add(k)));
  const provisioner = startHostPathProvisioner(ctx);
  return {
    ...controller,
    stop() {
      offFaults();
      ctx.clock.clearTimeout(resyncTimer);
      provisioner.stop();
      controller.stop();
    },
  };
}
