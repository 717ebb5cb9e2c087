import fs from "node:fs";
import path from "node:path";
import { startApiServer } from "./api/server";
import { bootstrapCluster, DEFAULT_NODE_COUNT, MAX_NODE_COUNT } from "./bootstrap";
import { isValidSpeed, MAX_SPEED } from "../k8s/speed";
import { type Clock, realClock, ScaledClock } from "./clock";
import type { SimContext } from "./context";
import { startControllers } from "./controllers";
import { startDnsServer } from "./dns/server";
import { createFaults } from "./faults";
import { writeKubeconfig } from "./kubeconfig";
import { createPodLogs } from "./node/logs";
import { createVolumeData } from "./node/volumes";
import { modelOf } from "./api/fields";
import { decodeError } from "./api/decode";
import { attachPersistence } from "./persistence";
import { beginStart, HEALTHY_AFTER_MS, handleInvalidObjects, invalidObjects } from "./persistence/startup";
import { RESOURCES, resourceKey } from "./store/resources";
import type { StoredObject } from "./store/store";
import { Store } from "./store/store";
import { registerStrategies } from "./strategies";

export interface ClusterOptions {
  host?: string;
  /** 0 picks a free port. */
  apiPort?: number;
  dnsPort?: number;
  dataDir?: string;
  /** Initial speed: 1 = the pace of a real cluster, 10 = ten times faster (changed live through the speed resource). */
  speed?: number;
  seedDemo?: boolean;
  /** Worker nodes (k8s-node1 …), each with the real allocatable of 110 pods, 2 CPUs, ~3.7 GiB. */
  nodes?: number;
  /** The wall clock cluster time is scaled from (tests pass a manual one). */
  clock?: Clock;
  /** BOOKMARK interval of watches (tests shorten it). */
  bookmarkIntervalMs?: number;
  /** Changes the store keeps for watches to resume from (default 2000); tests shrink it to force 410 Expired. */
  watchHistory?: number;
  /** Serve the API with every controller paused (PLAYGROUND_PAUSE_CONTROLLERS=1): the way out of a state that crashes them. */
  controllersPaused?: boolean;
  /** Drop saved objects the API server would refuse (PLAYGROUND_DROP_INVALID=1) instead of refusing to start. */
  dropInvalid?: boolean;
}

export interface RunningCluster {
  apiUrl: string;
  apiPort: number;
  dnsPort: number;
  kubeconfigPath: string;
  dataDir: string;
  ctx: SimContext;
  stop(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export const DEFAULTS = { host: "127.0.0.1", apiPort: 16443, dnsPort: 10053, dataDir: ".playground", speed: 1, seedDemo: true };

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new Error(`${name} must be a port number (0 picks a free one), got "${raw}"`);
  return Number(raw);
}

/** The PLAYGROUND_* environment of `npm run cluster` and `npm start`, checked, with the defaults. */
export function clusterOptionsFromEnv(env: Env): ClusterOptions {
  const speedRaw = env.PLAYGROUND_SPEED;
  const speed = speedRaw === undefined || speedRaw === "" ? DEFAULTS.speed : Number(speedRaw);
  if (!isValidSpeed(speed)) throw new Error(`PLAYGROUND_SPEED must be a number above 0 and at most ${MAX_SPEED}, got "${speedRaw}"`);
  const seed = env.PLAYGROUND_SEED_DEMO;
  if (seed !== undefined && seed !== "" && !["0", "1", "true", "false"].includes(seed)) throw new Error(`PLAYGROUND_SEED_DEMO must be 1/true or 0/false, got "${seed}"`);
  const nodesRaw = env.PLAYGROUND_NODES;
  const nodes = nodesRaw === undefined || nodesRaw === "" ? DEFAULT_NODE_COUNT : Number(nodesRaw);
  if (!/^\d+$/.test(nodesRaw ?? "3") || nodes < 1 || nodes > MAX_NODE_COUNT) throw new Error(`PLAYGROUND_NODES must be a whole number from 1 to ${MAX_NODE_COUNT}, got "${nodesRaw}"`);
  return {
    host: DEFAULTS.host,
    nodes,
    apiPort: port(env, "PLAYGROUND_API_PORT", DEFAULTS.apiPort),
    dnsPort: port(env, "PLAYGROUND_DNS_PORT", DEFAULTS.dnsPort),
    dataDir: env.PLAYGROUND_DATA_DIR || DEFAULTS.dataDir,
    speed,
    seedDemo: seed === undefined || seed === "" ? DEFAULTS.seedDemo : seed === "1" || seed === "true",
    controllersPaused: env.PLAYGROUND_PAUSE_CONTROLLERS === "1",
    dropInvalid: env.PLAYGROUND_DROP_INVALID === "1",
  };
}

/** A saved object the API server's decoding refuses (e.g. replicas 1e308 saved by an older version). */
function savedObjectError(resource: string, obj: StoredObject): string | undefined {
  const rt = RESOURCES.find((r) => resourceKey(r) === resource);
  return rt ? decodeError(modelOf(rt), obj) : undefined;
}

/**
 * The composition root of the embedded cluster: state (restored from the data directory),
 * strategies, bootstrap objects, controllers, the DNS server and the API server, plus a kubeconfig
 * at `<dataDir>/kubeconfig`. `stop()` closes watches, stops everything and flushes the state.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<RunningCluster> {
  const host = opts.host ?? DEFAULTS.host;
  const dataDir = path.resolve(opts.dataDir ?? DEFAULTS.dataDir);
  const speed = opts.speed ?? DEFAULTS.speed;
  const clock = new ScaledClock(opts.clock ?? realClock, speed);
  fs.mkdirSync(dataDir, { recursive: true });
  const store = new Store(clock, opts.watchHistory);
  const strategies = registerStrategies(store);
  const ctx: SimContext = {
    store,
    clock,
    speed: clock,
    volumes: createVolumeData(),
    logs: createPodLogs({ clock }),
    faults: createFaults(),
  };
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (e) {
        console.error(`playground cluster: stopping failed: ${(e as Error).message}`);
      }
    }
    stops.length = 0;
  };
  try {
    const persistence = await attachPersistence({
      dataDir,
      store,
      volumes: ctx.volumes,
      afterLoad: () => handleInvalidObjects(store, invalidObjects(store, savedObjectError), !!opts.dropInvalid, (m) => console.warn(`playground cluster: ${m}`)),
    });
    stops.push(() => persistence.close());
    const boot = beginStart(dataDir, { controllersPaused: !!opts.controllersPaused, warn: (m) => console.warn(`playground cluster: warning: ${m}`) });
    const healthy = setTimeout(() => boot.done(), HEALTHY_AFTER_MS);
    healthy.unref();
    stops.push(() => {
      clearTimeout(healthy);
      boot.done();
    });
    bootstrapCluster(ctx, { seedDemo: opts.seedDemo ?? DEFAULTS.seedDemo, nodes: opts.nodes });
    if (!opts.controllersPaused) {
      const controllers = startControllers(ctx);
      stops.push(() => controllers.stop());
    }
    const dns = await startDnsServer(store, { host, port: opts.dnsPort ?? DEFAULTS.dnsPort });
    stops.push(() => dns.stop());
    const api = await startApiServer(ctx, {
      host,
      port: opts.apiPort ?? DEFAULTS.apiPort,
      strategies,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      capabilities: () => ({ nodeFailure: true, faults: true, dnsServer: true, dnsPort: dns.port, speed: clock.state().speed }),
    });
    stops.push(() => api.stop());
    const kubeconfigPath = path.join(dataDir, "kubeconfig");
    writeKubeconfig(kubeconfigPath, api.url);
    return { apiUrl: api.url, apiPort: api.port, dnsPort: dns.port, kubeconfigPath, dataDir, ctx, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
