import type { V1Container, V1Node, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import type { AppEnvironment } from "./images/kubia";
import { locateDataFile, openDataFile } from "./dataFile";
import { podPeers } from "./images/peers";
import { podHostname } from "./hostname";
import { openContainer } from "./shell/container";

/**
 * The address the app sees requests come from: the API server's host on the pod network, which node
 * prints IPv4-mapped. The embedded cluster's control plane runs on k8s-node1, so its InternalIP is used when known.
 */
export function apiServerAddress(ctx: SimContext): string {
  const node = ctx.store.tryGet("nodes", undefined, "k8s-node1") as V1Node | undefined;
  const ip = node?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "10.1.0.1";
  return ip.includes(":") ? ip : `::ffff:${ip}`;
}

/** Everything a kubia app running in `container` of `pod` can reach. */
export function appEnvironment(ctx: SimContext, pod: V1Pod, container: V1Container): AppEnvironment {
  const namespace = pod.metadata?.namespace ?? "default";
  const podName = pod.metadata?.name ?? "";
  return {
    hostname: podHostname(pod),
    file: openDataFile(ctx, locateDataFile(ctx, pod, container)),
    log: (line) => ctx.logs.append(namespace, podName, container.name, line),
    remoteAddress: apiServerAddress(ctx),
    peers: podPeers(ctx, (peer, peerContainer) => appEnvironment(ctx, peer, peerContainer)),
    files: () => openContainer(ctx, pod, container.name, { pruneVolumes: false }).fs,
    now: () => ctx.clock.now(),
  };
}
