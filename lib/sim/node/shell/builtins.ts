import { echoArguments, printfFormat, testExpression } from "./commands";
import { resolvePath } from "./filesystem";
import { LoopControl, ReturnRequest } from "./compound";
import type { Shell, ShellIO } from "./interpreter";
import { signalName } from "./traps";

/** `exit`: unwinds to the shell program, which ends with the code. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export type Builtin = (argv: string[], io: ShellIO, signal: AbortSignal) => Promise<number>;

/** The commands dash and bash run themselves (they change the shell, or are faster than a program). */
export function shellBuiltins(shell: Shell): Record<string, Builtin> {
  return {
    ":": async () => 0,
    true: async () => 0,
    false: async () => 1,
    cd: async (argv, io) => cd(shell, argv, io),
    pwd: async (_argv, io) => {
      io.stdout.write(shell.cwd + "\n");
      return 0;
    },
    echo: async (argv, io) => {
      io.stdout.write(echoArguments(argv.slice(1), shell.dialect === "sh" ? "dash" : "bash"));
      return 0;
    },
    printf: async (argv, io) => {
      if (argv.length < 2) {
        io.stderr.write(`${shell.prefix()}printf: usage: printf format [arguments]\n`);
        return 2;
      }
      io.stdout.write(printfFormat(argv[1], argv.slice(2)));
      return 0;
    },
    exit: async (argv, io) => {
      const code = argv[1] === undefined ? shell.status : Number(argv[1]);
      if (!Number.isInteger(code)) {
        io.stderr.write(`${shell.prefix()}exit: Illegal number: ${argv[1]}\n`);
        throw new ExitRequest(2);
      }
      throw new ExitRequest(((code % 256) + 256) % 256);
    },
    export: async (argv) => {
      for (const arg of argv.slice(1)) {
        const eq = arg.indexOf("=");
        const name = eq < 0 ? arg : arg.slice(0, eq);
        if (eq >= 0) shell.vars.set(name, arg.slice(eq + 1));
        shell.exported.add(name);
      }
      return 0;
    },
    unset: async (argv) => {
      for (const name of argv.slice(1)) {
        shell.vars.delete(name);
        shell.exported.delete(name);
      }
      return 0;
    },
    test: async (argv, io) => testExpression(argv.slice(1), shell.container, shell.cwd, (m) => io.stderr.write(`${shell.prefix()}test: ${m}\n`)),
    "[": async (argv, io) => {
      if (argv[argv.length - 1] !== "]") {
        io.stderr.write(`${shell.prefix()}[: missing ]\n`);
        return 2;
      }
      return testExpression(argv.slice(1, -1), shell.container, shell.cwd, (m) => io.stderr.write(`${shell.prefix()}[: ${m}\n`));
    },
    break: async (argv, io) => loopControl(shell, "break", argv, io),
    continue: async (argv, io) => loopControl(shell, "continue", argv, io),
    return: async (argv) => {
      throw new ReturnRequest(argv[1] === undefined ? shell.status : ((Number(argv[1]) % 256) + 256) % 256);
    },
    trap: async (argv, io) => trap(shell, argv, io),
    exec: async (argv, io, signal) => {
      if (argv.length < 2) return 0;
      throw new ExitRequest(await shell.execute(argv.slice(1), [], io, signal));
    },
  };
}

function cd(shell: Shell, argv: string[], io: ShellIO): number {
  const target = argv[1] ?? shell.vars.get("HOME") ?? "/";
  const path = resolvePath(shell.cwd, target === "-" ? (shell.vars.get("OLDPWD") ?? shell.cwd) : target);
  const entry = shell.container.fs.tryStat(path);
  if (!entry || entry.type !== "dir") {
    io.stderr.write(shell.dialect === "sh" ? `${shell.prefix()}cd: can't cd to ${target}\n` : `${shell.prefix()}cd: ${target}: ${entry ? "Not a directory" : "No such file or directory"}\n`);
    return shell.dialect === "sh" ? 2 : 1;
  }
  shell.vars.set("OLDPWD", shell.cwd);
  shell.cwd = path;
  shell.vars.set("PWD", path);
  if (target === "-") io.stdout.write(path + "\n");
  return 0;
}

/** `break [n]` / `continue [n]`: outside a loop dash does nothing. */
function loopControl(shell: Shell, kind: "break" | "continue", argv: string[], io: ShellIO): number {
  const levels = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(levels) || levels < 1) {
    io.stderr.write(`${shell.prefix()}${kind}: Illegal number: ${argv[1]}\n`);
    throw new ExitRequest(2);
  }
  if (shell.loopDepth === 0) return 0;
  throw new LoopControl(kind, Math.min(levels, shell.loopDepth));
}

/** `trap`, `trap ACTION SIGNAL…`, `trap - SIGNAL…` (reset), `trap '' SIGNAL…` (ignore). */
function trap(shell: Shell, argv: string[], io: ShellIO): number {
  const args = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
  if (!args.length) {
    io.stdout.write(shell.traps.list());
    return 0;
  }
  // One operand that is a signal resets it (dash); otherwise the first operand is the action.
  const reset = args[0] === "-" || (args.length === 1 && signalName(args[0]) !== undefined);
  const action = reset ? undefined : args[0];
  let status = 0;
  for (const operand of args[0] === "-" || !reset ? args.slice(1) : args) {
    const name = signalName(operand);
    if (name === undefined) {
      io.stderr.write(`${shell.prefix()}trap: ${operand}: bad trap\n`);
      status = 1;
      continue;
    }
    shell.traps.set(name, action);
  }
  return status;
}
