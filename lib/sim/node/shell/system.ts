import type { ContainerView } from "./container";
import { resolvePath } from "./filesystem";
import { type Program, sleep } from "./process";
import { DAYS, invalidOption, MONTHS, options, pad2 } from "./args";

/** The image's programs about the system and the process: test, hostname, env, date, sleep, uname, id. */

/** test(1) / `[`: the unary file and string tests and the binary comparisons; 0 true, 1 false, 2 error. */
export function testExpression(args: string[], container: ContainerView, cwd: string, error: (message: string) => void): number {
  const stat = (operand: string) => container.fs.tryStat(resolvePath(cwd, operand));
  const unary: Record<string, (operand: string) => boolean> = {
    "-e": (o) => !!stat(o),
    "-f": (o) => stat(o)?.type === "file",
    "-d": (o) => stat(o)?.type === "dir",
    "-L": (o) => container.fs.tryLstat(resolvePath(cwd, o))?.type === "symlink",
    "-h": (o) => container.fs.tryLstat(resolvePath(cwd, o))?.type === "symlink",
    "-s": (o) => {
      const e = stat(o);
      return !!e && (e.type === "dir" || (e.type === "file" && e.content.length > 0));
    },
    "-r": (o) => !!stat(o),
    "-w": (o) => !!stat(o) && !container.fs.readOnly(resolvePath(cwd, o)),
    "-x": (o) => {
      const e = stat(o);
      return !!e && (e.mode & 0o111) !== 0;
    },
    "-z": (o) => o.length === 0,
    "-n": (o) => o.length > 0,
  };
  const integer = (s: string): number | undefined => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : undefined);
  const binary: Record<string, (a: string, b: string) => boolean | undefined> = {
    "=": (a, b) => a === b,
    "!=": (a, b) => a !== b,
    "-eq": (a, b) => numeric(a, b, (x, y) => x === y),
    "-ne": (a, b) => numeric(a, b, (x, y) => x !== y),
    "-lt": (a, b) => numeric(a, b, (x, y) => x < y),
    "-le": (a, b) => numeric(a, b, (x, y) => x <= y),
    "-gt": (a, b) => numeric(a, b, (x, y) => x > y),
    "-ge": (a, b) => numeric(a, b, (x, y) => x >= y),
  };
  function numeric(a: string, b: string, compare: (x: number, y: number) => boolean): boolean | undefined {
    const x = integer(a);
    const y = integer(b);
    if (x === undefined || y === undefined) {
      error(`Illegal number: ${x === undefined ? a : b}`);
      return undefined;
    }
    return compare(x, y);
  }
  const evaluate = (a: string[]): boolean | undefined => {
    if (a.length === 0) return false;
    if (a[0] === "!") {
      const inner = evaluate(a.slice(1));
      return inner === undefined ? undefined : !inner;
    }
    if (a.length === 1) return a[0].length > 0;
    if (a.length === 2 && unary[a[0]]) return unary[a[0]](a[1]);
    if (a.length === 3 && binary[a[1]]) return binary[a[1]](a[0], a[2]);
    error(a.length === 2 ? `${a[0]}: unexpected operator` : `${a[1] ?? a[0]}: unexpected operator`);
    return undefined;
  };
  const result = evaluate(args);
  return result === undefined ? 2 : result ? 0 : 1;
}

export const testProgram: Program = async (p) => {
  const bracket = p.argv[0].endsWith("[");
  let args = p.argv.slice(1);
  if (bracket) {
    if (args[args.length - 1] !== "]") {
      p.stderr.write("[: missing ']'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  return testExpression(args, p.container, p.cwd, (m) => p.stderr.write(`${bracket ? "[" : "test"}: ${m}\n`));
};

export const hostname: Program = async (p) => {
  const opts = options(p.argv.slice(1), "fisdAIy");
  if (opts.bad) return invalidOption(p, "hostname", opts.bad);
  const c = p.container;
  if (opts.operands.length) {
    p.stderr.write("hostname: you must be root to change the host name\n");
    return 1;
  }
  const short = c.hostname.split(".")[0];
  if (opts.flags.has("i")) p.stdout.write(`${c.podIP}\n`);
  else if (opts.flags.has("I")) p.stdout.write(`${c.podIP} \n`);
  else if (opts.flags.has("f") || opts.flags.has("A")) p.stdout.write(`${c.fqdn}\n`);
  else if (opts.flags.has("d")) p.stdout.write(`${c.fqdn.slice(short.length + 1)}\n`);
  else p.stdout.write(`${opts.flags.has("s") ? short : c.hostname}\n`);
  return 0;
};

export const env: Program = async (p) => {
  const vars = new Map(p.env);
  for (const arg of p.argv.slice(1)) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      p.stderr.write(`env: running a command (${arg}) is not simulated by the playground; use the shell: NAME=value ${arg}\n`);
      return 126;
    }
    vars.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  for (const [k, v] of vars) p.stdout.write(`${k}=${v}\n`);
  return 0;
};

export const printenv: Program = async (p) => {
  const names = p.argv.slice(1);
  if (!names.length) return env({ ...p, argv: ["env"] });
  let status = 0;
  for (const name of names) {
    const value = p.env.get(name);
    if (value === undefined) status = 1;
    else p.stdout.write(value + "\n");
  }
  return status;
};

/** strftime in UTC (the container's TZ is unset): the conversions people type. */
export function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  const conversions: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()],
    A: () => ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    d: () => pad2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    H: () => pad2(d.getUTCHours()),
    M: () => pad2(d.getUTCMinutes()),
    S: () => pad2(d.getUTCSeconds()),
    m: () => pad2(d.getUTCMonth() + 1),
    Y: () => String(d.getUTCFullYear()),
    y: () => pad2(d.getUTCFullYear() % 100),
    s: () => String(Math.floor(ms / 1000)),
    N: () => String((ms % 1000) * 1_000_000).padStart(9, "0"),
    Z: () => "UTC",
    z: () => "+0000",
    F: () => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    T: () => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
    n: () => "\n",
    t: () => "\t",
    "%": () => "%",
  };
  return format.replace(/%(.)/g, (m, c: string) => conversions[c]?.() ?? m);
}

export const date: Program = async (p) => {
  const args = p.argv.slice(1).filter((a) => a !== "-u" && a !== "--utc");
  const format = args.find((a) => a.startsWith("+"));
  const other = args.find((a) => !a.startsWith("+"));
  if (other) {
    p.stderr.write(`date: invalid date '${other}'\n`);
    return 1;
  }
  p.stdout.write(formatDate(p.container.ctx.clock.now(), format ? format.slice(1) : "%a %b %e %H:%M:%S %Z %Y") + "\n");
  return 0;
};

export const pwd: Program = async (p) => {
  p.stdout.write(p.cwd + "\n");
  return 0;
};


export const sleepProgram: Program = async (p) => {
  const operands = p.argv.slice(1);
  if (!operands.length) {
    p.stderr.write("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let total = 0;
  for (const operand of operands) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(operand);
    if (!m) {
      p.stderr.write(`sleep: invalid time interval '${operand}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    total += Number(m[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]!;
  }
  await sleep(p.container, total * 1000, p.signal);
  return 0;
};


export const uname: Program = async (p) => {
  const opts = options(p.argv.slice(1), "asnrvmpio");
  if (opts.bad) return invalidOption(p, "uname", opts.bad);
  const node = p.container.ctx.store.tryGet("nodes", undefined, p.container.pod.spec?.nodeName ?? "") as { status?: { nodeInfo?: { kernelVersion?: string } } } | undefined;
  const fields: [string, string][] = [
    ["s", "Linux"],
    ["n", p.container.hostname],
    ["r", node?.status?.nodeInfo?.kernelVersion ?? "6.1.0-28-amd64"],
    ["v", "#1 SMP"],
    ["m", "x86_64"],
    ["o", "GNU/Linux"],
  ];
  const all = opts.flags.has("a");
  const picked = fields.filter(([f]) => all || opts.flags.has(f));
  p.stdout.write((picked.length ? picked : fields.slice(0, 1)).map(([, v]) => v).join(" ") + "\n");
  return 0;
};

export const whoami: Program = async (p) => {
  p.stdout.write("root\n");
  return 0;
};

export const id: Program = async (p) => {
  p.stdout.write("uid=0(root) gid=0(root) groups=0(root)\n");
  return 0;
};

