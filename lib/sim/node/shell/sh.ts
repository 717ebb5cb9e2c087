import { FsError, resolvePath } from "./filesystem";
import { type Dialect, Shell } from "./interpreter";
import type { Program } from "./process";

/** Options of `sh`/`bash` as started by exec or by another shell. */
function shellArguments(argv: string[]): { script?: string; file?: string; arg0: string; args: string[]; error?: string; xtrace?: boolean } {
  const [arg0, ...rest] = argv;
  let i = 0;
  let command = false;
  let xtrace = false;
  for (; i < rest.length && rest[i].startsWith("-") && rest[i] !== "-" && rest[i] !== "--"; i++) {
    const opts = rest[i].slice(1);
    if (opts.includes("x")) xtrace = true;
    if (opts.includes("c")) command = true;
    else if (!/^[eixsuvl]+$/.test(opts)) return { arg0, args: [], error: `${arg0}: 0: Illegal option ${rest[i].slice(0, 2)}` };
  }
  if (rest[i] === "--") i++;
  if (command) {
    if (i >= rest.length) return { arg0, args: [], error: `${arg0}: 0: -c requires an argument` };
    return { script: rest[i], arg0: rest[i + 1] ?? arg0, args: rest.slice(i + 2), xtrace };
  }
  if (i < rest.length) return { file: rest[i], arg0: rest[i], args: rest.slice(i + 1), xtrace };
  return { arg0, args: [], xtrace };
}

/** /bin/sh (dash) and /bin/bash as programs. */
export function shellProgram(dialect: Dialect): Program {
  return async (p) => {
    const parsed = shellArguments(p.argv);
    const name = dialect === "bash" ? "bash" : p.argv[0].replace(/^.*\//, "");
    if (parsed.error) {
      p.stderr.write(parsed.error + "\n");
      return 2;
    }
    const interactive = !parsed.script && !parsed.file && !!p.terminal;
    const arg0 = parsed.script !== undefined || parsed.file ? parsed.arg0 : name;
    const shell = new Shell(dialect, p.container, p.env, p.cwd, arg0, parsed.args, p.interrupts, p.terminal, dialect === "bash" && !interactive && parsed.script === undefined);
    shell.xtrace = !!parsed.xtrace;
    if (parsed.file) {
      let script: string;
      try {
        script = p.container.fs.readFile(resolvePath(p.cwd, parsed.file));
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        p.stderr.write(dialect === "sh" ? `${name}: 0: Can't open ${parsed.file}\n` : `${name}: ${parsed.file}: ${e.message}\n`);
        return 127;
      }
      return shell.main(p, false, { script });
    }
    // A trapped signal runs its trap once the command in the foreground is done (runPendingTraps).
    const release = p.signals?.listen((signal) => shell.traps.deliver(signal)) ?? (() => undefined);
    try {
      if (parsed.script !== undefined) return await shell.main(p, false, { script: parsed.script });
      return await shell.main(p, interactive, { stdin: p.stdin });
    } finally {
      release();
    }
  };
}
