"use client";
import { useState } from "react";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { DEMO_MANIFEST, kubectlFor } from "@/lib/k8s/kubectl";
import { ActionAlert } from "./ActionAlert";
import { useClusterContext } from "./ClusterContext";
import { Modal } from "./Modal";
import { styles } from "./styles";

/** Create the book's kubia demo when it is missing, or reset it (which deletes its pods, claims and data). */
export function DemoControls({ demoExists }: { demoExists: boolean }) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error, clear } = useAction();
  const [confirmReset, setConfirmReset] = useState(false);
  const act = async (action: "create" | "reset") => {
    const result = await run(() => api.demo(action));
    if (result) recordAction(result.action);
    setConfirmReset(false);
  };
  return (
    <div className="flex flex-col items-end">
      <div className="flex items-center gap-2">
        {demoExists ? (
          <button type="button" className={styles.secondaryButton} onClick={() => setConfirmReset(true)} disabled={pending}>
            Reset demo
          </button>
        ) : (
          <button type="button" className={styles.primaryButton} onClick={() => act("create")} disabled={pending}>
            Create demo
          </button>
        )}
        <a href={`/${DEMO_MANIFEST}`} download className="text-base text-sky-800 underline">
          {DEMO_MANIFEST}
        </a>
      </div>
      <ActionAlert error={error} onDismiss={clear} />
      {confirmReset && (
        <Modal title="Reset the kubia demo?" onClose={() => setConfirmReset(false)} tone="danger">
          <p>
            This deletes the StatefulSet <code className={styles.mono}>kubia</code>, force-deletes its pods, deletes its claims — and with them the
            volumes and the data written to them — then creates the demo again with 2 replicas.
          </p>
          <pre className="overflow-x-auto whitespace-pre-wrap rounded-lg bg-slate-900 px-3 py-2 text-sm text-slate-100">
            <code>{kubectlFor.resetDemo(cluster.namespace, "kubia")}</code>
          </pre>
          <div className="flex justify-end gap-3 pt-2">
            <button type="button" className={styles.secondaryButton} onClick={() => setConfirmReset(false)} autoFocus>
              Cancel
            </button>
            <button type="button" className={styles.dangerButton} onClick={() => act("reset")} disabled={pending}>
              Reset demo
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
