"use client";
import { useTranslations } from "next-intl";
import type { ActionError } from "@/lib/client/useAction";
import { ActionAlert } from "./ActionAlert";
import { styles } from "./styles";

/**
 * The end of every dangerous dialog: the kubectl command that does the same, the API's error if
 * it refused, and Cancel (focused first, so Enter never destroys by accident) beside the action.
 */
export function DangerConfirmFooter({
  kubectl,
  error,
  pending,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  kubectl: string;
  error: ActionError | null;
  pending: boolean;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations("Common");
  return (
    <>
      <pre className={`whitespace-pre-wrap break-all rounded-lg px-3 py-2 text-base ${styles.terminal}`}>
        <code>{kubectl}</code>
      </pre>
      <ActionAlert error={error} />
      <div className="flex justify-end gap-3 pt-2">
        <button type="button" className={styles.secondaryButton} onClick={onCancel} autoFocus>
          {t("cancel")}
        </button>
        <button type="button" className={styles.dangerButton} onClick={onConfirm} disabled={pending}>
          {confirmLabel}
        </button>
      </div>
    </>
  );
}
