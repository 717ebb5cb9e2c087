import { errors } from "../../store/errors";
import { decodeJson } from "../http";
import { jsonPatch } from "./json-patch";
import { mergePatch } from "./merge";
import { strategicMergePatch } from "./strategic";

export const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

/** Applies a PATCH body of the given media type to a JSON document (the current object). */
export function applyPatch(current: unknown, contentType: string, body: Buffer): unknown {
  switch (contentType) {
    case "application/json-patch+json":
      return jsonPatch(current, decodeJson(body));
    case "application/merge-patch+json":
      return mergePatch(current, decodeJson(body));
    case "application/strategic-merge-patch+json":
      return strategicMergePatch(current, decodeJson(body));
    default:
      throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`);
  }
}

export { jsonPatch, mergePatch, strategicMergePatch };
