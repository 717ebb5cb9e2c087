import { type Entry, FsError } from "./filesystem";
import { globRegex } from "./glob";
import { checkSignal, type Process, type Program } from "./process";
import { path } from "./args";

/**
 * GNU findutils `find` (4.4.2 in Debian jessie): starting points, then the tests -name, -type
 * (f d l c), -maxdepth and -mindepth, and -print. Symbolic links are not followed (-P). Other
 * expressions (-exec, -o, parentheses…) are said to be not simulated rather than misread.
 */

interface Expression {
  name?: RegExp;
  type?: string;
  maxDepth: number;
  minDepth: number;
}

const TYPE_LETTER: Record<Entry["type"], string> = { file: "f", dir: "d", symlink: "l", device: "c" };

function parseExpression(p: Process, args: string[]): Expression | number {
  const expr: Expression = { maxDepth: Infinity, minDepth: 0 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-print") continue;
    const value = args[i + 1];
    if (!["-name", "-type", "-maxdepth", "-mindepth"].includes(arg)) {
      p.stderr.write(arg.startsWith("-") ? `find: the expression '${arg}' is in the real find but not simulated by the playground\n` : `find: paths must precede expression: ${arg}\n`);
      return arg.startsWith("-") ? 126 : 1;
    }
    if (value === undefined) {
      p.stderr.write(`find: missing argument to \`${arg}'\n`);
      return 1;
    }
    i++;
    if (arg === "-name") expr.name = globRegex(value, [...value].map(() => true)) ?? new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    else if (arg === "-type") {
      if (!/^[fdlc]$/.test(value)) {
        p.stderr.write(`find: Unknown argument to -type: ${value}\n`);
        return 1;
      }
      expr.type = value;
    } else {
      const n = Number(value);
      if (!/^\d+$/.test(value)) {
        p.stderr.write(`find: Expected a positive decimal integer argument to ${arg}, but got \`${value}'\n`);
        return 1;
      }
      if (arg === "-maxdepth") expr.maxDepth = n;
      else expr.minDepth = n;
    }
  }
  return expr;
}

function matches(expr: Expression, shown: string, entry: Entry, depth: number): boolean {
  if (depth < expr.minDepth) return false;
  if (expr.type && TYPE_LETTER[entry.type] !== expr.type) return false;
  return !expr.name || expr.name.test(shown.replace(/\/+$/, "").split("/").pop() || "/");
}

export const find: Program = async (p) => {
  const args = p.argv.slice(1);
  const firstExpression = args.findIndex((a) => a.startsWith("-") || a === "!" || a === "(");
  const starts = firstExpression < 0 ? args : args.slice(0, firstExpression);
  const expr = parseExpression(p, firstExpression < 0 ? [] : args.slice(firstExpression));
  if (typeof expr === "number") return expr;
  let status = 0;
  const visit = (shown: string, file: string, entry: Entry, depth: number) => {
    checkSignal(p.signal);
    if (matches(expr, shown, entry, depth)) p.stdout.write(shown + "\n");
    if (entry.type !== "dir" || depth >= expr.maxDepth) return;
    for (const name of p.container.fs.list(file)) {
      const child = file === "/" ? `/${name}` : `${file}/${name}`;
      visit(shown.endsWith("/") ? shown + name : `${shown}/${name}`, child, p.container.fs.lstat(child), depth + 1);
    }
  };
  for (const start of starts.length ? starts : ["."]) {
    try {
      visit(start, path(p, start), p.container.fs.lstat(path(p, start)), 0);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      p.stderr.write(`find: '${start}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};
