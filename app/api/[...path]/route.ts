import { handle } from "@/lib/kube/http";
import { notFound } from "@/lib/kube/errors";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Anything else under /api: a JSON 404 (there is no pass-through to the API server). */
async function unknownRoute(request: Request): Promise<Response> {
  return handle(request, async () => {
    throw notFound(`no such dashboard route: ${request.method} ${new URL(request.url).pathname.slice(0, 200)}`);
  });
}

export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };
