/**
 * The shell's traps (`trap ACTION SIGNAL…`): what it runs when a signal arrives, and the signals
 * that arrived and wait for the command in the foreground to finish, as dash runs a trap only
 * between commands.
 */

/** Signal names and numbers on Linux x86-64, as `trap` and `kill -l` know them. */
const SIGNALS: Record<string, number> = { EXIT: 0, HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20 };

/** `TERM`, `SIGTERM` or `15` → `TERM`; undefined for what is no signal. */
export function signalName(text: string): string | undefined {
  const name = text.toUpperCase().replace(/^SIG/, "");
  if (name in SIGNALS) return name;
  return Object.keys(SIGNALS).find((k) => String(SIGNALS[k]) === text);
}

export class Traps {
  /** Signal → the action's text; "" ignores the signal. */
  private readonly actions = new Map<string, string>();
  private readonly pending: string[] = [];

  set(signal: string, action: string | undefined): void {
    if (action === undefined) this.actions.delete(signal);
    else this.actions.set(signal, action);
  }

  action(signal: string): string | undefined {
    return this.actions.get(signal);
  }

  /** `trap` with no operands: every trap set, in signal order, as dash prints them. */
  list(): string {
    return [...this.actions]
      .sort(([a], [b]) => SIGNALS[a] - SIGNALS[b])
      .map(([signal, action]) => `trap -- '${action.replace(/'/g, `'"'"'`)}' ${signal}\n`).join("");
  }

  /**
   * A signal arrives. Returns false when no trap handles it (the default action applies); a trapped
   * signal waits for `next()`, an ignored one is dropped.
   */
  deliver(signal: string): boolean {
    const action = this.actions.get(signal);
    if (action === undefined) return false;
    if (action !== "") this.pending.push(signal);
    return true;
  }

  /** The next signal whose trap is due, if any. */
  next(): string | undefined {
    return this.pending.shift();
  }
}
