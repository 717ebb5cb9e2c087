"use client";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { useClusterContext } from "./ClusterContext";
import { DangerConfirmFooter } from "./DangerConfirmFooter";
import { Modal } from "./Modal";
import { richTags } from "./richTags";

/** Confirms deleting a PVC: with reclaim policy Delete its PersistentVolume and the data go too. */
export function DeletePvcDialog({ pvc, pv, reclaimPolicy, usedBy, onClose }: { pvc: string; pv?: string; reclaimPolicy?: string; usedBy?: string; onClose: () => void }) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error } = useAction();
  const t = useTranslations("DeletePvc");
  const none = "—";
  const confirm = async () => {
    const result = await run(() => api.deletePvc(pvc));
    if (result) {
      recordAction(result.action);
      onClose();
    }
  };
  return (
    <Modal title={t("title", { pvc })} onClose={onClose} tone="danger">
      {reclaimPolicy === "Retain" ? (
        <p>{t.rich("retain", { ...richTags, pv: pv ?? none })}</p>
      ) : (
        <p>{t.rich("delete", { ...richTags, pv: pv ?? none, policy: reclaimPolicy ?? "Delete" })}</p>
      )}
      {usedBy && (
        <p>{t.rich("usedBy", { ...richTags, pod: usedBy })}</p>
      )}
      <DangerConfirmFooter kubectl={kubectlFor.deletePvc(cluster.namespace, pvc)} error={error} pending={pending} confirmLabel={t("confirm")} onConfirm={confirm} onCancel={onClose} />
    </Modal>
  );
}
