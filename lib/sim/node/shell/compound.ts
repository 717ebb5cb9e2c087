import type { Command, ForCommand, GroupCommand, IfCommand, LoopCommand, Script } from "./ast";
import { ExitRequest } from "./builtins";
import type { Shell, ShellIO } from "./interpreter";
import { checkSignal } from "./process";

/** The compound commands of dash (if, while, until, for, { …; }, ( … )) and function definitions. */

/** `break n` / `continue n`: unwinds to the n-th enclosing loop. */
export class LoopControl extends Error {
  constructor(
    readonly kind: "break" | "continue",
    public levels: number,
  ) {
    super(kind);
  }
}

/** `return n` from a function (or a dot script). */
export class ReturnRequest extends Error {
  constructor(readonly code: number) {
    super(`return ${code}`);
  }
}

/**
 * A loop that never waits (`while true; do :; done`) would hold the one Node.js thread the whole
 * embedded cluster runs on; a real shell spins on its own CPU. Every so many iterations the loop
 * gives the event loop a real millisecond, so the cluster keeps serving while it spins.
 */
const ITERATIONS_BETWEEN_YIELDS = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Runs a list and gives its status; `$?` inside it is still the previous command's until a command ends. */
async function status(shell: Shell, script: Script, io: ShellIO, signal: AbortSignal): Promise<number> {
  if (!script.length) return 0;
  await shell.runScript(script, io, signal);
  return shell.status;
}

async function runIf(shell: Shell, command: IfCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
  for (const clause of command.clauses) {
    if ((await status(shell, clause.condition, io, signal)) === 0) return status(shell, clause.body, io, signal);
  }
  return command.otherwise ? status(shell, command.otherwise, io, signal) : 0;
}

/** Runs one pass of a loop body; says whether the loop goes on (false after `break`). */
async function loopBody(shell: Shell, body: Script, io: ShellIO, signal: AbortSignal): Promise<{ go: boolean; code: number }> {
  shell.loopDepth++;
  try {
    return { go: true, code: await status(shell, body, io, signal) };
  } catch (e) {
    if (!(e instanceof LoopControl)) throw e;
    if (e.levels > 1) {
      e.levels--;
      throw e;
    }
    return { go: e.kind === "continue", code: 0 };
  } finally {
    shell.loopDepth--;
  }
}

async function runLoop(shell: Shell, command: LoopCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
  let code = 0;
  for (let iteration = 1; ; iteration++) {
    checkSignal(signal);
    if (iteration % ITERATIONS_BETWEEN_YIELDS === 0) await yieldToEventLoop();
    const test = await status(shell, command.condition, io, signal);
    if ((test === 0) !== (command.kind === "while")) return code;
    const pass = await loopBody(shell, command.body, io, signal);
    code = pass.code;
    if (!pass.go) return code;
  }
}

async function runFor(shell: Shell, command: ForCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
  const values = command.words ? await shell.expandWords(command.words, io, signal) : [...shell.args];
  let code = 0;
  for (const [index, value] of values.entries()) {
    checkSignal(signal);
    if (index % ITERATIONS_BETWEEN_YIELDS === ITERATIONS_BETWEEN_YIELDS - 1) await yieldToEventLoop();
    shell.vars.set(command.name, value);
    const pass = await loopBody(shell, command.body, io, signal);
    code = pass.code;
    if (!pass.go) break;
  }
  return code;
}

async function runGroup(shell: Shell, command: GroupCommand, io: ShellIO, signal: AbortSignal): Promise<number> {
  if (command.kind === "group") return status(shell, command.body, io, signal);
  const child = shell.subshell();
  try {
    return await status(child, command.body, io, signal);
  } catch (e) {
    if (!(e instanceof ExitRequest)) throw e;
    return e.code;
  }
}

/** Runs any command but a simple one, with its own redirections applied around it. */
export async function runCompound(shell: Shell, command: Exclude<Command, { kind: "simple" }>, io: ShellIO, signal: AbortSignal): Promise<number> {
  if (command.kind === "function") {
    shell.functions.set(command.name, command.body);
    return 0;
  }
  const redirected = shell.openRedirects(command.redirects, io);
  if (typeof redirected === "number") return redirected;
  const inner = redirected.io;
  switch (command.kind) {
    case "if":
      return runIf(shell, command, inner, signal);
    case "while":
    case "until":
      return runLoop(shell, command, inner, signal);
    case "for":
      return runFor(shell, command, inner, signal);
    default:
      return runGroup(shell, command, inner, signal);
  }
}
