/**
 * Object-name grammar (k8s.io/apimachinery/pkg/util/validation): the same regular expressions for
 * the dashboard's input validation and the embedded cluster's API validation.
 */

/** IsDNS1123Label: at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** IsDNS1123Subdomain: at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
