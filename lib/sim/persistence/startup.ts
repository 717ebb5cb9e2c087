import fs from "node:fs";
import path from "node:path";
import type { Store, StoredObject } from "../store/store";

/**
 * Crash safety of a start from saved state. Two ways a saved state can keep the cluster from
 * running, and the way out of each that keeps every volume's contents:
 *  - objects that no longer pass the API server's decoding (saved before it checked int32/int64
 *    ranges, e.g. spec.replicas 1e308): the start stops and names them; PLAYGROUND_DROP_INVALID=1
 *    drops only those objects;
 *  - starts that die soon after starting (never reached "healthy" nor stopped cleanly): after one,
 *    the next start warns; after two in a row, the start stops and says so (one early death is
 *    also what `kill -9` looks like); PLAYGROUND_PAUSE_CONTROLLERS=1 starts the API server with
 *    every controller paused so the object can be fixed with kubectl.
 * Never a silent reset: PLAYGROUND_RESET=1 (discard everything) stays an explicit choice.
 */

export const BOOT_MARKER = "state.boot";
/** A run that lives this long after starting counts as a successful start. */
export const HEALTHY_AFTER_MS = 120_000;

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

export interface InvalidObject {
  resource: string;
  namespace?: string;
  name: string;
  error: string;
}

/** Saved objects that `check` refuses (check returns the decode error, or undefined). */
export function invalidObjects(store: Store, check: (resource: string, obj: StoredObject) => string | undefined): InvalidObject[] {
  const out: InvalidObject[] = [];
  for (const resource of store.resources()) {
    for (const obj of store.list(resource).items) {
      const error = check(resource, obj);
      if (error) out.push({ resource, namespace: obj.metadata.namespace, name: obj.metadata.name ?? "", error });
    }
  }
  return out;
}

const describe = (o: InvalidObject) => `${o.resource} ${o.namespace ? `${o.namespace}/` : ""}${o.name}: ${o.error}`;

/** Refuses the start, or (dropInvalid) removes just the invalid objects and says which. */
export function handleInvalidObjects(store: Store, invalid: InvalidObject[], dropInvalid: boolean, warn: (message: string) => void): void {
  if (!invalid.length) return;
  if (!dropInvalid) {
    throw new StartupError(
      `The saved cluster state holds ${invalid.length} object(s) the API server would not accept:\n` +
        invalid.map((o) => `  ${describe(o)}`).join("\n") +
        `\nStart with PLAYGROUND_DROP_INVALID=1 to drop only these objects (everything else and every volume's contents are kept), ` +
        `or with PLAYGROUND_RESET=1 to discard the whole saved state.`,
    );
  }
  for (const o of invalid) {
    const object = store.tryGet(o.resource, o.namespace, o.name);
    if (object) store.replay({ resource: o.resource, type: "DELETED", object, resourceVersion: store.resourceVersion });
    warn(`dropped invalid saved object ${describe(o)}`);
  }
}

interface BootMarker {
  startedAt: string;
  pid: number;
  /** Consecutive starts before this one that died early. */
  earlyDeaths: number;
}

function wayOut(previous: BootMarker, deaths: number): string {
  return (
    `The embedded cluster started from this saved state at ${previous.startedAt} and stopped unexpectedly within ${HEALTHY_AFTER_MS / 1000} s ` +
    `(${deaths} time(s) in a row: out of memory, a crash or kill -9). The saved objects and volume contents are intact. ` +
    `Start with PLAYGROUND_PAUSE_CONTROLLERS=1 to run the API server with every controller paused and fix the object with kubectl ` +
    `(e.g. kubectl scale sts <name> --replicas=3), then start normally; PLAYGROUND_DROP_INVALID=1 drops objects the API server refuses; ` +
    `PLAYGROUND_RESET=1 discards the whole saved state.`
  );
}

/**
 * Marks a start in progress; a marker left by a previous run means it died before it had run
 * HEALTHY_AFTER_MS and without stopping cleanly. `done()` (call after that time, or on a clean
 * stop) removes the marker.
 */
export function beginStart(dataDir: string, opts: { controllersPaused: boolean; now?: () => number; warn?: (message: string) => void }): { done(): void } {
  const file = path.join(dataDir, BOOT_MARKER);
  let previous: BootMarker | undefined;
  try {
    previous = JSON.parse(fs.readFileSync(file, "utf8")) as BootMarker;
  } catch {
    previous = undefined;
  }
  const earlyDeaths = previous ? (Number(previous.earlyDeaths) || 0) + 1 : 0;
  if (previous && !opts.controllersPaused) {
    if (earlyDeaths >= 2) throw new StartupError(wayOut(previous, earlyDeaths));
    opts.warn?.(wayOut(previous, earlyDeaths));
  }
  const startedAt = new Date((opts.now ?? Date.now)()).toISOString();
  fs.writeFileSync(file, JSON.stringify({ startedAt, pid: process.pid, earlyDeaths } satisfies BootMarker));
  let removed = false;
  return {
    done() {
      if (removed) return;
      removed = true;
      fs.rmSync(file, { force: true });
    },
  };
}
