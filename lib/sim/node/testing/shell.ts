import type { V1PersistentVolume, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { addService, addSlice } from "../../dns/testing/fixtures";
import { boundClaim, kubiaContext, runningPod } from "./fixtures";
import { openContainer } from "../shell/container";
import { startExec } from "../shell/session";

/**
 * The book's chapter-10 world for shell tests: StatefulSet pods kubia-0 and kubia-1 with their
 * claims bound to PVs, the headless Service `kubia` with its EndpointSlice, and the ClusterIP
 * Service `kubia-public`.
 */
export function kubiaWorld() {
  const ctx = kubiaContext();
  for (const name of ["default", "kube-system"]) ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const pods: Record<string, V1Pod> = {};
  for (const [i, ip] of ["10.1.2.10", "10.1.2.11"].entries()) {
    const pvName = `pvc-${i}`;
    ctx.store.create("persistentvolumes", { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: pvName }, spec: { capacity: { storage: "1Mi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/tmp/${pvName}` } } } as V1PersistentVolume);
    boundClaim(ctx, `data-kubia-${i}`, pvName);
    pods[`kubia-${i}`] = runningPod(ctx, { name: `kubia-${i}`, ip, data: `data-kubia-${i}` });
  }
  addService(ctx.store, "kubia", { clusterIP: "None", selector: { app: "kubia" }, ports: [{ name: "http", port: 80, protocol: "TCP" }] });
  addSlice(ctx.store, "kubia", [
    { ip: "10.1.2.10", hostname: "kubia-0", pod: "kubia-0" },
    { ip: "10.1.2.11", hostname: "kubia-1", pod: "kubia-1" },
  ]);
  addService(ctx.store, "kubia-public", { clusterIP: "10.96.100.1", clusterIPs: ["10.96.100.1"], selector: { app: "kubia" }, ports: [{ name: "http", port: 80, protocol: "TCP" }] });
  addSlice(ctx.store, "kubia-public", [{ ip: "10.1.2.11", pod: "kubia-1" }]);
  return { ctx, pods };
}

export interface Ran {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs one exec in `podName` (argv, or a script for `sh -c`) and collects what it printed. */
export async function execIn(
  ctx: SimContext,
  podName: string,
  command: string[] | string,
  opts: { stdin?: string; tty?: boolean; whileRunning?: (session: ReturnType<typeof startExec>) => Promise<void> | void } = {},
): Promise<Ran> {
  const pod = ctx.store.get("pods", "default", podName);
  const out = { stdout: "", stderr: "" };
  const argv = typeof command === "string" ? ["sh", "-c", command] : command;
  const session = startExec(openContainer(ctx, pod, "kubia"), { argv, tty: !!opts.tty, stdin: opts.stdin !== undefined }, { stdout: (d) => (out.stdout += d), stderr: (d) => (out.stderr += d) });
  if (opts.stdin !== undefined) {
    session.input(Buffer.from(opts.stdin));
    if (!opts.tty) session.endInput();
  }
  await opts.whileRunning?.(session);
  const code = await session.exited;
  return { ...out, code };
}
