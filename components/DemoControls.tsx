"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { DEMO_MANIFEST, kubectlFor } from "@/lib/k8s/kubectl";
import { ActionAlert } from "./ActionAlert";
import { useClusterContext } from "./ClusterContext";
import { Modal } from "./Modal";
import { richTags } from "./richTags";
import { styles } from "./styles";

/** Create the book's kubia demo when it is missing, or reset it (which deletes its pods, claims and data). */
export function DemoControls({ demoExists }: { demoExists: boolean }) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error, clear } = useAction();
  const [confirmReset, setConfirmReset] = useState(false);
  const t = useTranslations("Demo");
  const common = useTranslations("Common");
  const act = async (action: "create" | "reset") => {
    const result = await run(() => api.demo(action));
    if (result) recordAction(result.action);
    setConfirmReset(false);
  };
  return (
    <div className="flex flex-col items-end">
      <div className="flex items-center gap-2">
        {demoExists ? (
          <button type="button" className={`${styles.secondaryButton} py-1`} onClick={() => setConfirmReset(true)} disabled={pending}>
            {t("reset")}
          </button>
        ) : (
          <button type="button" className={`${styles.primaryButton} py-1`} onClick={() => act("create")} disabled={pending}>
            {t("create")}
          </button>
        )}
        <a href={`/${DEMO_MANIFEST}`} download className="text-base text-sky-800 underline">
          {DEMO_MANIFEST}
        </a>
      </div>
      <ActionAlert error={error} onDismiss={clear} />
      {confirmReset && (
        <Modal title={t("resetTitle")} onClose={() => setConfirmReset(false)} tone="danger">
          <p>{t.rich("resetBody", richTags)}</p>
          <pre className={`overflow-x-auto whitespace-pre-wrap rounded-lg px-3 py-2 text-sm ${styles.terminal}`}>
            <code>{kubectlFor.resetDemo(cluster.namespace, "kubia")}</code>
          </pre>
          <div className="flex justify-end gap-3 pt-2">
            <button type="button" className={styles.secondaryButton} onClick={() => setConfirmReset(false)} autoFocus>
              {common("cancel")}
            </button>
            <button type="button" className={styles.dangerButton} onClick={() => act("reset")} disabled={pending}>
              {t("reset")}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
