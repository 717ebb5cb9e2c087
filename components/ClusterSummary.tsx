import type { ClusterInfo } from "@/lib/k8s/contract";

/** Which cluster and namespace the page shows (a context name, never a credential). */
export function ClusterSummary({ cluster }: { cluster: ClusterInfo }) {
  return (
    <p className="text-base text-slate-600">
      {cluster.mode === "embedded" ? "Embedded cluster" : <>Cluster <span className="font-mono">{cluster.context}</span></>}
      {" · namespace "}
      <span className="font-mono font-semibold text-slate-800">{cluster.namespace}</span>
      {cluster.mode === "embedded" && cluster.speed !== 1 && <> · {cluster.speed}× speed</>}
    </p>
  );
}
