import type { ClusterConnection } from "@/lib/client/useCluster";

/**
 * Shown while the page is not live: the stream to the dashboard server dropped, the server's
 * watches of the API server fail, or the first snapshot could not be loaded. Gone when it converges.
 */
export function ConnectionBanner({ connection, hasSnapshot }: { connection: ClusterConnection; hasSnapshot: boolean }) {
  const problems: string[] = [];
  if (connection.stream === "reconnecting") problems.push("Lost the live stream from the dashboard server; reconnecting…");
  if (!connection.apiConnected) {
    const kinds = connection.kindErrors.map((k) => `${k.kind}: ${k.error}`).join("; ");
    problems.push(`The Kubernetes API server is not answering the dashboard's watches${kinds ? ` (${kinds})` : ""}; retrying…`);
  }
  if (connection.snapshotError && !hasSnapshot) problems.push(`Cannot load the cluster: ${connection.snapshotError.reason}: ${connection.snapshotError.message}`);
  if (problems.length === 0) return null;
  return (
    <div role="alert" aria-label="Connection" className="sticky top-0 z-20 border-b-2 border-amber-400 bg-amber-100 px-6 py-3 text-lg text-amber-950">
      {problems.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p className="text-sm">What you see may be out of date until the connection is back.</p>
    </div>
  );
}
