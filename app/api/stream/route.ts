import { handle } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { eventStream, eventStreamResponse } from "@/lib/kube/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Server-Sent Events: snapshot or replay, then live changes; resumes with Last-Event-ID or ?lastEventId=. */
export async function GET(request: Request) {
  const handler = async ({ lastEventId }: { lastEventId?: string }) => {
    const playground = getRuntime();
    const stream = eventStream(playground.hub, {
      lastEventId: request.headers.get("last-event-id") ?? lastEventId ?? null,
      signal: request.signal,
      before: playground.whenSettled(5_000),
    });
    return eventStreamResponse(stream);
  };
  return handle(request, handler, { query: ["lastEventId"] });
}
