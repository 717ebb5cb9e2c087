import { redact } from "./redact";

/** Server log lines of lib/kube: one prefix, credentials scrubbed, silent under test unless asked for. */
const quiet = () => process.env.VITEST !== undefined && !process.env.PLAYGROUND_LOG;

export function logInfo(message: string): void {
  if (!quiet()) console.log(`[playground] ${redact(message)}`);
}

export function logWarn(message: string): void {
  if (!quiet()) console.warn(`[playground] ${redact(message)}`);
}
