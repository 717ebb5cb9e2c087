"use client";
import { useActionLock } from "./ClusterContext";

/** Why the controls beside it are disabled (replaying), or nothing when they are not locked. */
export function ActionLockNote({ id, className = "" }: { id?: string; className?: string }) {
  const { reason } = useActionLock();
  if (!reason) return null;
  return (
    <p id={id} className={`text-sm font-semibold text-fuchsia-900 ${className}`}>
      {reason}
    </p>
  );
}
