import { deletePvc } from "@/lib/kube/actions/workloads";
import { namedAction } from "@/lib/kube/named-action";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Delete a PersistentVolumeClaim (kept Terminating while a pod uses it). Body: {} or none. */
export const DELETE = namedAction(deletePvc);
