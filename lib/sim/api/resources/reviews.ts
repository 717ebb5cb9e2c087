import { NULL_TIME } from "../../../k8s/time";
import type { V1SubjectRulesReviewStatus } from "@kubernetes/client-node";
import { errors } from "../../store/errors";
import type { StoredObject } from "../../store/store";
import { isOf, type Stored } from "../../store/types";
import type { ResourceAccess } from "../access";
import { modelOf, validateFields } from "../fields";
import { type ApiRequest, decodeObject, mediaType } from "../http";
import type { Output } from "../negotiation";
import { respond } from "../respond";
import { field, throwIfInvalid } from "../../strategies/validation";
import { deepCopy } from "../../store/copy";

/**
 * The rules the embedded cluster's one user holds: the kubeconfig's user is an administrator, as
 * kubeadm's admin.conf is (group system:masters, bound to cluster-admin), and every authenticated
 * user also has system:basic-user, system:discovery and system:public-info-viewer — the order in
 * which the RBAC rule resolver lists them (plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
 */
const ADMIN_RULES: V1SubjectRulesReviewStatus = {
  resourceRules: [
    { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
    { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
  ],
  nonResourceRules: [
    { verbs: ["*"], nonResourceURLs: ["*"] },
    { verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] },
    { verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"] },
  ],
  incomplete: false,
};

function decodeReview(req: ApiRequest, access: ResourceAccess, body: Buffer): StoredObject {
  const review = decodeObject(body, mediaType(req.headers)) as StoredObject;
  validateFields(req.query, req.res, modelOf(access.rt), access.rt.kind, access.rt.version, review);
  if (review.apiVersion && review.apiVersion !== access.apiVersion) {
    throw errors.badRequest(`the API version in the data (${review.apiVersion}) does not match the expected API version (${access.apiVersion})`);
  }
  if (review.kind && review.kind !== access.rt.kind) throw errors.badRequest(`the kind in the data (${review.kind}) does not match the expected kind (${access.rt.kind})`);
  return { ...review, apiVersion: access.apiVersion, kind: access.rt.kind, metadata: { creationTimestamp: NULL_TIME } };
}

/** SelfSubjectAccessReview: the administrator may do anything (the privileged-group authorizer's Allow, no reason). */
function accessDecision(review: Stored<"selfsubjectaccessreviews.authorization.k8s.io">): StoredObject {
  const spec = review.spec ?? {};
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  // ValidateSelfSubjectAccessReviewSpec (pkg/apis/authorization/validation).
  if (resource && nonResource) throwIfInvalid(review, "authorization.k8s.io", [field.invalid("spec.nonResourceAttributes", nonResource, "cannot be specified in combination with resourceAttributes")]);
  if (!resource && !nonResource) throwIfInvalid(review, "authorization.k8s.io", [field.invalid("spec.resourceAttributes", null, "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
  return { ...review, status: { allowed: true } };
}

/** SelfSubjectRulesReview: the rules above, for any namespace (spec.namespace is required, as upstream). */
function rulesOf(review: StoredObject): StoredObject {
  return { ...review, spec: review.spec ?? {}, status: deepCopy(ADMIN_RULES) };
}

/** POST of a review: decided and answered with 201, never stored (reviews have only the create verb). */
export async function handleReview(req: ApiRequest, access: ResourceAccess, output: Output): Promise<void> {
  if (req.method !== "POST") throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  const review = decodeReview(req, access, await req.body());
  const answer = isOf(access.key, "selfsubjectaccessreviews.authorization.k8s.io", review) ? accessDecision(review) : rulesOf(review);
  respond(req.res, 201, answer, output);
}
