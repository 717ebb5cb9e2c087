import type { V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import type { RegistryStrategy } from "../strategies";
import type { RequestCounter, WatchGauge } from "./metrics";

// The pod proxy's request/response shapes are the simulated app's own (lib/sim/kubia/proxy.ts).
import type { ProxyRequest, ProxyResponse } from "../kubia/proxy";

export type { ProxyRequest, ProxyResponse };

/** lib/sim/kubia/proxy.ts's proxyToPod: throws a StatusError when the pod cannot be reached. */
export type ProxyToPod = (
  ctx: SimContext,
  pod: V1Pod,
  port: string | undefined,
  req: ProxyRequest,
  opts?: { scheme?: string; signal?: AbortSignal },
) => Promise<ProxyResponse>;

/** What the embedded-only capabilities endpoint advertises. */
export interface Capabilities {
  nodeFailure: boolean;
  faults: boolean;
  dnsServer: boolean;
  dnsPort: number;
  speed: number;
}

/** Everything the handlers share. Built once per API server. */
export interface ApiDeps {
  ctx: SimContext;
  strategies: Map<string, RegistryStrategy>;
  proxyToPod?: ProxyToPod;
  capabilities(): Capabilities;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (the real server: about a minute). */
  bookmarkIntervalMs: number;
  /** Closers of open streams (watches, followed logs), so stopping the server ends them. */
  streams: Set<() => void>;
  /** Open watches per resource, served at /metrics (see metrics.ts). */
  watchGauge: WatchGauge;
  /** Requests served, by method, at /metrics. */
  requestCounter?: RequestCounter;
  /** host:port the server answers on, for /api's serverAddressByClientCIDRs. */
  address(): string;
}
