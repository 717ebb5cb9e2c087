import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { SrvData } from "dns-packet";
import type { SimContext } from "../../context";
import { resolve, type ZoneConfig } from "../../dns/kubernetes";
import { type AppEnvironment, appForContainer, type PeerDiscovery } from "./kubia";
import { DialError, dialPod } from "../network";

/** Linux gives up a TCP connect after ~127 s of SYN retries (tcp_syn_retries = 6); node's http.get has no timeout of its own. */
const LINUX_CONNECT_TIMEOUT_MS = 127_000;

/** The cluster DNS as a pod sees it: the same answers the DNS server gives (lib/sim/dns). */
const POD_DNS: ZoneConfig = { clusterDomain: "cluster.local", ttl: 30, serverAddress: "10.96.0.10", serial: () => 0 };

function podWithIP(ctx: SimContext, ip: string): V1Pod | undefined {
  const pods = ctx.store.list("pods").items;
  const holders = pods.filter((p) => p.status?.podIP === ip || p.status?.podIPs?.some((x) => x.ip === ip));
  return holders.find((p) => p.status?.phase === "Running") ?? holders[0];
}

/**
 * What kubia-pet-peers does over the network from inside a pod: `dns.resolveSrv` against the
 * cluster DNS, then `http.get` to each peer, with node's error texts (node 7, the book's image).
 */
export function podPeers(ctx: SimContext, environmentOf: (pod: V1Pod, container: V1Container) => AppEnvironment): PeerDiscovery {
  return {
    async resolveSrv(name) {
      const answer = resolve(ctx.store, name, "SRV", POD_DNS);
      if (answer.rcode === "NXDOMAIN") throw new Error(`querySrv ENOTFOUND ${name}`);
      if (answer.rcode !== "NOERROR") throw new Error(`querySrv ESERVFAIL ${name}`);
      if (answer.answers.length === 0) throw new Error(`querySrv ENODATA ${name}`);
      return answer.answers.filter((a) => a.type === "SRV").map((a) => ({ name: (a.data as SrvData).target, port: (a.data as SrvData).port }));
    },

    async httpGet(host, port, path) {
      const address = resolve(ctx.store, host, "A", POD_DNS).answers.find((a) => a.type === "A");
      if (!address) throw new Error(`getaddrinfo ENOTFOUND ${host} ${host}:${port}`);
      const ip = address.data as string;
      const pod = podWithIP(ctx, ip);
      if (!pod) throw new Error(`connect EHOSTUNREACH ${ip}:${port}`);
      try {
        const { container } = await dialPod(ctx, pod, String(port), { timeoutMs: LINUX_CONNECT_TIMEOUT_MS });
        const response = await appForContainer(container).handle(
          { method: "GET", path, query: "", headers: { host: `${host}:${port}` }, body: Buffer.alloc(0) },
          environmentOf(pod, container),
        );
        return response.body;
      } catch (e) {
        if (e instanceof DialError) throw new Error(`connect ${e.kind === "timeout" ? "ETIMEDOUT" : "ECONNREFUSED"} ${e.address}`);
        throw e;
      }
    },
  };
}
