import { COMMANDS, notSimulated } from "./commands";
import type { ContainerView } from "./container";
import { resolvePath } from "./filesystem";
import { EXECUTABLES } from "./image";
import { dd } from "./dd";
import { find } from "./find";
import { DNS_TOOLS } from "./dig";
import { NETWORK_COMMANDS } from "./network";
import { PING_WGET } from "./ping-wget";
import { tar } from "./tar";
import type { Program } from "./process";
import { shellProgram } from "./sh";

/** All programs a name can run, by the name in EXECUTABLES. */
function programTable(): Record<string, Program> {
  return { ...COMMANDS, ...NETWORK_COMMANDS, ...DNS_TOOLS, ...PING_WGET, tar, dd, find, sh: shellProgram("sh"), bash: shellProgram("bash") };
}

/** Where `name` is on PATH (or the path itself when it has a slash), and what it runs. */
export function findExecutable(container: ContainerView, name: string, pathVar: string, cwd = "/"): { path: string; program?: Program; error?: "notFound" | "denied" } {
  const table = programTable();
  if (name.includes("/")) {
    const path = resolvePath(cwd, name);
    const entry = container.fs.tryStat(path);
    if (!entry) return { path, error: "notFound" };
    const programName = EXECUTABLES[path];
    if (entry.type !== "file" || !programName) return { path, error: "denied" };
    return { path, program: table[programName] ?? notSimulated };
  }
  for (const dir of pathVar.split(":")) {
    const path = resolvePath("/", `${dir || "."}/${name}`);
    const programName = EXECUTABLES[path];
    if (programName && container.fs.tryStat(path)?.type === "file") return { path, program: table[programName] ?? notSimulated };
  }
  return { path: name, error: "notFound" };
}
