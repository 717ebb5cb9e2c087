/**
 * The embedded cluster's log. What must never pass silently (an unexpected 500 from the API
 * server, a reconcile loop that fails) is logged by default, one line each, and at most once a
 * minute per source, so a loop failing on every retry cannot flood the terminal (the next line
 * says how many were held back). `PLAYGROUND_DEBUG=1` logs every occurrence with its stack (and
 * the API server then logs every request). Quiet under Vitest unless `PLAYGROUND_LOG` is set, as
 * lib/kube's log is.
 */

export const LOG_INTERVAL_MS = 60_000;

export interface SimLogOptions {
  now?: () => number;
  write?: (line: string) => void;
  debug?: boolean;
  quiet?: boolean;
}

export interface SimLog {
  /** `source` is the rate-limit key: "api", a controller's name, … */
  error(source: string, message: string, err?: unknown): void;
}

function describe(err: unknown, debug: boolean): string {
  if (err === undefined) return "";
  if (err instanceof Error) return `: ${debug && err.stack ? err.stack : err.message}`;
  return `: ${String(err)}`;
}

/** One line per source per LOG_INTERVAL_MS; the sources are a fixed, small set (bounded memory). */
export function createSimLog(opts: SimLogOptions = {}): SimLog {
  const now = opts.now ?? Date.now;
  const write = opts.write ?? ((line: string) => console.error(line));
  const last = new Map<string, { at: number; held: number }>();
  return {
    error(source, message, err) {
      const debug = opts.debug ?? !!process.env.PLAYGROUND_DEBUG;
      const quiet = opts.quiet ?? (process.env.VITEST !== undefined && !process.env.PLAYGROUND_LOG && !debug);
      if (quiet) return;
      const t = now();
      const seen = last.get(source);
      if (!debug && seen && t - seen.at < LOG_INTERVAL_MS) {
        seen.held++;
        return;
      }
      const held = seen?.held ? ` (${seen.held} more since the last line)` : "";
      last.set(source, { at: t, held: 0 });
      write(`[cluster] ${source}: ${message}${describe(err, debug).split("\n").join(debug ? "\n" : " ")}${held}`);
    },
  };
}

/** The process-wide log of the embedded cluster. */
export const simLog = createSimLog();
