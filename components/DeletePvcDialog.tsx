"use client";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { ActionAlert } from "./ActionAlert";
import { useClusterContext } from "./ClusterContext";
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
      <pre className="whitespace-pre-wrap break-all rounded-lg bg-slate-900 px-3 py-2 text-base text-slate-100">
        <code>{kubectlFor.deletePvc(cluster.namespace, pvc)}</code>
      </pre>
      <ActionAlert error={error} />
      <div className="flex justify-end gap-3 pt-2">
        <button type="button" className={styles.secondaryButton} onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className={styles.dangerButton} onClick={confirm} disabled={pending}>
          Delete PVC
        </button>
      </div>
    </Modal>
  );
}
