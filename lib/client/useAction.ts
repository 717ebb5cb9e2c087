"use client";
import { useCallback, useState } from "react";
import { describeError } from "./api";

export interface ActionError {
  reason: string;
  message: string;
  /** Set for a NetworkError (see ApiRequestError.detail). */
  detail?: string;
}

/**
 * Runs a user action: `pending` while it runs (buttons disable), the error's Kubernetes reason and
 * message afterwards for an inline alert, cleared by the next attempt.
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(describeError(err));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, pending, error, clear };
}
