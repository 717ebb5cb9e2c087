"use client";
import { useTranslations } from "next-intl";
import type { ActionError } from "@/lib/client/useAction";
import { NETWORK_ERROR_REASON } from "@/lib/client/api";

/** An action's failure, with the Kubernetes reason and message the server passed through. */
export function ActionAlert({ error, onDismiss }: { error: ActionError | null; onDismiss?: () => void }) {
  const t = useTranslations("Common");
  if (!error) return null;
  // The one error the browser makes itself (no Kubernetes message to pass through) is translated.
  const message = error.reason === NETWORK_ERROR_REASON && error.detail !== undefined ? t("networkError", { detail: error.detail }) : error.message;
  return (
    <div role="alert" className="mt-3 flex items-start gap-3 rounded-lg border border-rose-300 bg-rose-50 px-3 py-2 text-rose-900">
      <p className="flex-1 text-base">
        <strong className="font-semibold">{error.reason}</strong>: <span lang={message === error.message ? "en" : undefined}>{message}</span>
      </p>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="text-sm font-medium underline">
          {t("dismiss")}
        </button>
      )}
    </div>
  );
}
