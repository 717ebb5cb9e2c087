"use client";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { useClusterContext } from "./ClusterContext";
import { DangerConfirmFooter } from "./DangerConfirmFooter";
import { Modal } from "./Modal";
import { styles } from "./styles";

/** Confirms deleting a PVC: with reclaim policy Delete its PersistentVolume and the data go too. */
export function DeletePvcDialog({ pvc, pv, reclaimPolicy, usedBy, onClose }: { pvc: string; pv?: string; reclaimPolicy?: string; usedBy?: string; onClose: () => void }) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error } = useAction();
  const confirm = async () => {
    const result = await run(() => api.deletePvc(pvc));
    if (result) {
      recordAction(result.action);
      onClose();
    }
  };
  return (
    <Modal title={`Delete PVC ${pvc}?`} onClose={onClose} tone="danger">
      {reclaimPolicy === "Retain" ? (
        <p>
          Its volume <code className={styles.mono}>{pv ?? "—"}</code> has reclaim policy <strong>Retain</strong>: the PV and its data stay (Released), but
          no new claim binds to it by itself.
        </p>
      ) : (
        <p>
          Its volume <code className={styles.mono}>{pv ?? "—"}</code> has reclaim policy <strong>{reclaimPolicy ?? "Delete"}</strong>: the
          PersistentVolume and <strong>the data on it are deleted</strong>. A pod of this ordinal created later gets a new, empty volume.
        </p>
      )}
      {usedBy && (
        <p>
          <code className={styles.mono}>{usedBy}</code> still mounts it, so the claim stays <em>Terminating</em> (kubernetes.io/pvc-protection) until
          that pod is gone.
        </p>
      )}
      <DangerConfirmFooter kubectl={kubectlFor.deletePvc(cluster.namespace, pvc)} error={error} pending={pending} confirmLabel="Delete PVC" onConfirm={confirm} onCancel={onClose} />
    </Modal>
  );
}
