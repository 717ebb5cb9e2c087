import { resolvePath } from "./filesystem";
import { type Input, type Process } from "./process";

/** What the GNU coreutils programs of the image share: option parsing, operands, their messages. */

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
export const pad2 = (n: number) => String(n).padStart(2, "0");

/** Byte order, as `sort`/`ls` compare in the C locale. */
export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Splits `-abc` style options from operands; `--` ends options. Unknown letters are reported. */
export function options(args: string[], known: string, withValue = ""): { flags: Set<string>; values: Map<string, string>; operands: string[]; bad?: string } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k];
      if (withValue.includes(letter)) {
        const value = arg.slice(k + 1) || args[++i];
        if (value === undefined) return { flags, values, operands, bad: letter };
        values.set(letter, value);
        break;
      }
      if (!known.includes(letter)) return { flags, values, operands, bad: letter };
      flags.add(letter);
    }
  }
  return { flags, values, operands };
}

export function invalidOption(p: Process, name: string, letter: string): number {
  p.stderr.write(`${name}: invalid option -- '${letter}'\nTry '${name} --help' for more information.\n`);
  return name === "ls" ? 2 : 1;
}

export const path = (p: Process, operand: string) => resolvePath(p.cwd, operand);

/** Reads standard input chunk by chunk, writing each through `onChunk` (cat streams what is typed). */
export async function eachChunk(input: Input, signal: AbortSignal, onChunk: (text: string) => void): Promise<void> {
  for (;;) {
    const chunk = await input.read(signal);
    if (chunk === null) return;
    onChunk(chunk);
  }
}

export async function readOperand(p: Process, operand: string): Promise<string> {
  if (operand === "-") {
    let text = "";
    await eachChunk(p.stdin, p.signal, (c) => (text += c));
    return text;
  }
  return p.container.fs.readFile(path(p, operand));
}

