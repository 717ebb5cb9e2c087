/** Where the real-cluster dashboard of playwright.real.config.ts listens and what it shows (shared by the config, serve.ts and the tests). */
export const REAL_E2E_PORT = Number(process.env.E2E_REAL_PORT ?? 3310);
/** the rendered deploy/ Role's namespace by default: the manifests are applied verbatim. */
export const REAL_E2E_NAMESPACE = process.env.E2E_REAL_NAMESPACE ?? "sts-playground";
export const REAL_E2E_BASE_URL = `http://127.0.0.1:${REAL_E2E_PORT}`;
