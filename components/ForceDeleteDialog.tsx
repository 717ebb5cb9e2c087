"use client";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { useClusterContext } from "./ClusterContext";
import { DangerConfirmFooter } from "./DangerConfirmFooter";
import { Modal } from "./Modal";
import { styles } from "./styles";

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
  const confirm = async () => {
    const result = await run(() => api.deletePod(pod, { force: true, uid }));
    if (result) {
      recordAction(result.action);
      onClose();
    }
  };
  return (
    <Modal title={`Force delete ${pod}?`} onClose={onClose} tone="danger">
      <p>
        A StatefulSet runs <strong>at most one</strong> pod per ordinal: it creates a new <code className={styles.mono}>{pod}</code> only after the
        old pod object is gone, and a normal delete keeps the object (<em>Terminating</em>) until the kubelet on its node confirms that the containers
        have stopped.
      </p>
      <p>
        Force delete removes the object <strong>at once</strong>, without that confirmation. If the node is merely unreachable and still runs the
        pod, two <code className={styles.mono}>{pod}</code> pods may then run at the same time and write to the same volume.
      </p>
      <p className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950">
        {nodeName ? (
          nodeReady === false ? (
            <>
              Node <strong>{nodeName}</strong> is not Ready. Only force delete if you know it is really down (powered off, or its kubelet will never
              run this pod again).
            </>
          ) : (
            <>
              Node <strong>{nodeName}</strong> is Ready: a normal delete will finish by itself. Force delete is not needed here.
            </>
          )
        ) : (
          <>The pod is not on any node.</>
        )}
      </p>
      <DangerConfirmFooter kubectl={kubectlFor.deletePod(cluster.namespace, pod, { force: true })} error={error} pending={pending} confirmLabel="Force delete" onConfirm={confirm} onCancel={onClose} />
    </Modal>
  );
}
