import { failNode } from "@/lib/kube/actions/embedded";
import { namedAction } from "@/lib/kube/named-action";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Take a node down (embedded cluster only). Body: {} or none. */
export const POST = namedAction(failNode);
