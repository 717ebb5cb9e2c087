/** The one path answered without the access token (proxy.ts lets it through; lib/kube/healthz.ts answers it). */
export const HEALTH_PATH = "/api/healthz";
