import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { ROOT_CA_CONFIGMAP, startServiceAccountControllers } from "./serviceaccounts";

const PEM = "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n";
let ctx: ReturnType<typeof createTestContext>;
let controllers: ReturnType<typeof startServiceAccountControllers>;

beforeEach(async () => {
  ctx = createTestContext();
  controllers = startServiceAccountControllers(ctx, Promise.resolve(PEM));
  await controllers.ready;
});
afterEach(() => controllers.stop());

const drain = () => ctx.clock.advance(0);
const namespace = (name: string) => ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });

describe("service account and root CA controllers", () => {
  it("give a new namespace its default ServiceAccount and kube-root-ca.crt", () => {
    namespace("lab");
    drain();
    expect(ctx.store.tryGet("serviceaccounts", "lab", "default")?.metadata.name).toBe("default");
    const cm = ctx.store.tryGet("configmaps", "lab", ROOT_CA_CONFIGMAP);
    expect(cm?.data).toEqual({ "ca.crt": PEM });
    expect(cm?.metadata.annotations?.["kubernetes.io/description"]).toMatch(/^Contains a CA bundle/);
  });

  it("recreate what is deleted and restore what is edited", () => {
    namespace("lab");
    drain();
    ctx.store.delete("serviceaccounts", "lab", "default");
    const cm = ctx.store.get("configmaps", "lab", ROOT_CA_CONFIGMAP);
    ctx.store.update("configmaps", { ...cm, data: { "ca.crt": "edited", extra: "x" } });
    drain();
    expect(ctx.store.tryGet("serviceaccounts", "lab", "default")).toBeDefined();
    expect(ctx.store.get("configmaps", "lab", ROOT_CA_CONFIGMAP).data).toEqual({ "ca.crt": PEM });
  });

  it("leave a terminating namespace alone", () => {
    ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone" }, status: { phase: "Terminating" } });
    drain();
    expect(ctx.store.tryGet("serviceaccounts", "gone", "default")).toBeUndefined();
    expect(ctx.store.tryGet("configmaps", "gone", ROOT_CA_CONFIGMAP)).toBeUndefined();
  });

  it("generate a real CA once and keep it in kube-system across restarts", async () => {
    controllers.stop();
    const fresh = createTestContext();
    fresh.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } });
    const first = startServiceAccountControllers(fresh);
    await first.ready;
    fresh.clock.advance(0);
    const pem = (fresh.store.get("configmaps", "kube-system", ROOT_CA_CONFIGMAP).data as Record<string, string>)["ca.crt"];
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    first.stop();
    const second = startServiceAccountControllers(fresh);
    await second.ready;
    fresh.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } });
    fresh.clock.advance(0);
    expect(fresh.store.get("configmaps", "lab", ROOT_CA_CONFIGMAP).data).toEqual({ "ca.crt": pem });
    second.stop();
  });
});
