"use client";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { useClusterContext } from "./ClusterContext";
import { DangerConfirmFooter } from "./DangerConfirmFooter";
import { Modal } from "./Modal";
import { richTags } from "./richTags";

/**
 * Confirms a force delete (grace period 0). It teaches why the button is dangerous: the
 * StatefulSet's at-most-one guarantee rests on waiting for the kubelet's confirmation, which a
 * force delete skips.
 */
export function ForceDeleteDialog({
  pod,
  uid,
  nodeName,
  nodeReady,
  onClose,
}: {
  pod: string;
  /** The incarnation shown when the dialog opened: a replacement with the same name is never deleted. */
  uid?: string;
  nodeName?: string;
  nodeReady?: boolean;
  onClose: () => void;
}) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error } = useAction();
  const t = useTranslations("ForceDelete");
  const confirm = async () => {
    const result = await run(() => api.deletePod(pod, { force: true, uid }));
    if (result) {
      recordAction(result.action);
      onClose();
    }
  };
  return (
    <Modal title={t("title", { pod })} onClose={onClose} tone="danger">
      <p>{t.rich("atMostOne", { ...richTags, pod })}</p>
      <p>{t.rich("danger", { ...richTags, pod })}</p>
      <p className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950">
        {nodeName ? (
          nodeReady === false ? (
            t.rich("nodeNotReady", { ...richTags, node: nodeName })
          ) : (
            t.rich("nodeReady", { ...richTags, node: nodeName })
          )
        ) : (
          t("noNode")
        )}
      </p>
      <DangerConfirmFooter kubectl={kubectlFor.deletePod(cluster.namespace, pod, { force: true })} error={error} pending={pending} confirmLabel={t("confirm")} onConfirm={confirm} onCancel={onClose} />
    </Modal>
  );
}
