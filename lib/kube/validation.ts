import { z } from "zod";
import { KUBIA_IMAGES } from "@/lib/k8s/demo";
import { READINESS_PROBE_SETTINGS } from "@/lib/k8s/readiness";
import { MAX_SPEED } from "@/lib/k8s/speed";
import { badRequest } from "./errors";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from "@/lib/k8s/names";

/**
 * Request validation for every dashboard route. Object names follow Kubernetes' own rules
 * (apimachinery validation: DNS-1123 label for names that become hostnames — pods, StatefulSets,
 * services —, DNS-1123 subdomain for the others), so `/`, `%2F`, `..`, upper case or a namespace
 * smuggled into a name can never reach the API server. Bodies are strict: unknown fields (such as
 * `namespace`) are refused.
 */

export const dnsLabel = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(DNS1123_LABEL, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit");

export const dnsSubdomain = z
  .string()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .regex(DNS1123_SUBDOMAIN, "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'");

export type NameRule = "label" | "subdomain";

/** Validates a name taken from the URL path, naming the field when it is refused. */
export function parseName(value: unknown, field: string, rule: NameRule): string {
  return parseWith(rule === "label" ? dnsLabel : dnsSubdomain, value, field);
}

export const MAX_GRACE_PERIOD_SECONDS = 3600;
export const MAX_POD_DATA_CHARS = 8192;

export function scaleRequestSchema(maxReplicas: number) {
  return z.strictObject({
    replicas: z
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(0, "must be at least 0")
      .max(maxReplicas, `must be at most ${maxReplicas} (PLAYGROUND_MAX_REPLICAS)`),
  });
}

export const deletePodRequestSchema = z
  .strictObject({
    force: z.boolean({ error: "must be true or false" }).optional(),
    gracePeriodSeconds: z
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(0, "must be at least 0")
      .max(MAX_GRACE_PERIOD_SECONDS, `must be at most ${MAX_GRACE_PERIOD_SECONDS}`)
      .optional(),
    uid: z
      .string({ error: "must be a string" })
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a pod uid")
      .optional(),
  })
  .refine((body) => !(body.force && body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds > 0), {
    path: ["gracePeriodSeconds"],
    message: "a force delete has a grace period of 0",
  });

export const emptyRequestSchema = z.strictObject({});

export const demoRequestSchema = z.strictObject({
  action: z.enum(["create", "reset", "parallel"], { error: 'must be "create", "reset" or "parallel"' }),
});

/**
 * A lesson's change to a StatefulSet: exactly one of an image from the allow-list (the apps the
 * embedded cluster runs), a rolling-update partition, the PVC retention policy on scale-down, or
 * the readiness lesson's probe (one fixed probe, or none).
 */
export function statefulSetSettingsSchema(maxReplicas: number) {
  return z
    .strictObject({
      image: z.enum(KUBIA_IMAGES, { error: `must be one of ${KUBIA_IMAGES.join(", ")}` }).optional(),
      partition: z
        .number({ error: "must be a number" })
        .int("must be an integer")
        .min(0, "must be at least 0")
        .max(maxReplicas, `must be at most ${maxReplicas} (PLAYGROUND_MAX_REPLICAS)`)
        .optional(),
      whenScaled: z.enum(["Retain", "Delete"], { error: 'must be "Retain" or "Delete"' }).optional(),
      readinessProbe: z.enum(READINESS_PROBE_SETTINGS, { error: 'must be "file" or "none"' }).optional(),
    })
    .refine((body) => Object.keys(body).length === 1, { message: "exactly one of image, partition, whenScaled, readinessProbe" });
}

/** The readiness lesson's exec: only its own two commands (lib/k8s/readiness.ts), never a command from the request. */
export const podReadinessRequestSchema = z.strictObject({
  ready: z.boolean({ error: "must be true or false" }),
});

export const podDataRequestSchema = z.strictObject({
  data: z.string({ error: "must be a string" }).max(MAX_POD_DATA_CHARS, `must be at most ${MAX_POD_DATA_CHARS} characters`),
});

/** An image reference as the container runtime accepts it (registry/repo:tag@digest), nothing more. */
const imageReference = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[a-z0-9]([a-z0-9._\-/:@]*[a-zA-Z0-9_])?$/, "must be an image reference such as luksa/kubia-pet or registry.example/app:1.0");

export const faultsRequestSchema = z.strictObject({
  storageUnavailable: z.boolean({ error: "must be true or false" }).optional(),
  missingImages: z.array(imageReference).max(20, "at most 20 images").optional(),
  brokenPodNetwork: z.boolean({ error: "must be true or false" }).optional(),
});

/** A speed change: a factor above 0 (at most MAX_SPEED) and/or pause; an empty change is refused. */
export const speedRequestSchema = z
  .strictObject({
    speed: z.number({ error: "must be a number" }).gt(0, "must be above 0").max(MAX_SPEED, `must be at most ${MAX_SPEED}`).optional(),
    paused: z.boolean({ error: "must be true or false" }).optional(),
  })
  .refine((body) => body.speed !== undefined || body.paused !== undefined, { message: "give a speed, paused, or both", path: ["speed"] });

/** A path segment as a person can read it: odd keys (empty, dotted, spaced) are quoted so the field is never blank. */
function fieldSegment(segment: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

/** Parses with a zod schema; the first problem becomes a 400 naming its field (prefixed with `field` when given). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKeys = issue.code === "unrecognized_keys" ? (issue as { keys?: string[] }).keys : undefined;
  const path = [field, ...issue.path.map(String), ...(unknownKeys?.slice(0, 1) ?? [])].filter((p) => p !== undefined).map(fieldSegment).join(".");
  const message = unknownKeys ? `unknown field ${JSON.stringify(unknownKeys[0])}` : issue.message;
  // A rule over the whole body (e.g. "exactly one of …") has no path: the body itself is the field at fault.
  throw badRequest(path ? `${path}: ${message}` : message, path || "body");
}

/** A kubeconfig context name (free text in kubeconfig files: EKS and GKE names hold ':' '/' '@'); membership is checked against the file. */
export const useContextRequestSchema = z.strictObject({
  context: z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .max(253, "must be at most 253 characters")
    .regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters"),
});
