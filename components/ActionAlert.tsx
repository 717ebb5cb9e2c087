import type { ActionError } from "@/lib/client/useAction";

/** An action's failure, with the Kubernetes reason and message the server passed through. */
export function ActionAlert({ error, onDismiss }: { error: ActionError | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div role="alert" className="mt-3 flex items-start gap-3 rounded-lg border border-rose-300 bg-rose-50 px-3 py-2 text-rose-900">
      <p className="flex-1 text-base">
        <strong className="font-semibold">{error.reason}</strong>: {error.message}
      </p>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="text-sm font-medium underline">
          Dismiss
        </button>
      )}
    </div>
  );
}
