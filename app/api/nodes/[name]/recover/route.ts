import { recoverNode } from "@/lib/kube/actions/embedded";
import { namedAction } from "@/lib/kube/named-action";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Bring a failed node back (embedded cluster only). Body: {} or none. */
export const POST = namedAction(recoverNode);
