import type { ActionRecord, ActionResponse } from "../k8s/contract";
import { handle, readJson } from "./http";
import { getRuntime, type PlaygroundRuntime } from "./runtime";
import { emptyRequestSchema, parseName } from "./validation";

/**
 * The route handler of an action on one named object whose body is empty (`{}` or none): fail or
 * recover a node, delete a claim. It checks the request (`handle`), the name (DNS-1123 subdomain)
 * and the empty body, runs the action and answers its record with the kubectl command.
 */
export function namedAction(act: (runtime: PlaygroundRuntime, name: string) => Promise<ActionRecord>) {
  return async (request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> =>
    handle(request, async (): Promise<ActionResponse> => {
      const name = parseName((await params).name, "name", "subdomain");
      await readJson(request, emptyRequestSchema);
      return { action: await act(getRuntime(), name) };
    });
}
