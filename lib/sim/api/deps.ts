import type { SimContext } from "../context";
import type { RegistryStrategy } from "../strategies";
import type { InflightGate } from "./limits";
import type { RequestCounter, WatchGauge } from "./metrics";

// The API server reaches the nodes through one interface (lib/sim/node/runtime.ts).
import type { NodeRuntime, ProxyRequest } from "../node/runtime";

export type { NodeRuntime, ProxyRequest };

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
  /** The nodes' kubelets and container runtime: pod proxy, exec, logs. */
  node: NodeRuntime;
  capabilities(): Capabilities;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (the real server: about a minute). */
  bookmarkIntervalMs: number;
  /** Closers of open streams (watches, followed logs), so stopping the server ends them. */
  streams: Set<() => void>;
  /** Open watches per resource, served at /metrics (see metrics.ts). */
  watchGauge: WatchGauge;
  /** In-flight and per-client watch bounds (limits.ts). */
  gate: InflightGate;
  /** Requests served, by method, at /metrics. */
  requestCounter?: RequestCounter;
  /** host:port the server answers on, for /api's serverAddressByClientCIDRs. */
  address(): string;
}
