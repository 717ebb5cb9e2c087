import { isIP } from "node:net";
import { CurlError, type CurlOptions, curlRequest, isLoopback, isNodeDown, podWithIP } from "./network";
import { Interrupted, type Process, type Program, sleep } from "./process";
import { FsError, resolvePath } from "./filesystem";
import { getaddrinfo, networkDown } from "./resolver";

/**
 * ping (iputils) and wget (GNU wget) of the image over the simulated pod network. ICMP reaches a
 * running pod's IP (and the container itself); a Service's cluster IP never answers a ping
 * (kube-proxy only forwards its TCP/UDP ports), and nothing answers under the broken-network fault.
 */

/** Whether an echo request to `ip` gets a reply. */
function answersPing(p: Process, ip: string): boolean {
  if (isLoopback(p, ip)) return true;
  if (networkDown(p.container)) return false;
  const pod = podWithIP(p, ip);
  return !!pod && pod.status?.phase === "Running" && !isNodeDown(p, pod);
}

function pingArgs(args: string[]): { count?: number; host?: string; error?: string } {
  let count: number | undefined;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-c" || /^-c\d+$/.test(arg)) {
      const value = arg === "-c" ? args[++i] : arg.slice(2);
      count = Number(value);
      if (!Number.isInteger(count) || count <= 0) return { error: `ping: bad number of packets to transmit.` };
    } else if (arg.startsWith("-")) return { error: `ping: option ${arg} is not simulated by the playground (-c is)` };
    else host = arg;
  }
  return { count, host };
}

const ping: Program = async (p) => {
  const args = pingArgs(p.argv.slice(1));
  if (args.error || !args.host) {
    p.stderr.write((args.error ?? "Usage: ping [-c count] destination") + "\n");
    return 2;
  }
  const c = p.container;
  const ip = isIP(args.host) ? args.host : await getaddrinfo(p, args.host, p.signal);
  if (!ip) {
    p.stderr.write(`ping: unknown host ${args.host}\n`);
    return 2;
  }
  p.stdout.write(`PING ${args.host} (${ip}) 56(84) bytes of data.\n`);
  const started = c.ctx.clock.now();
  let sent = 0;
  let received = 0;
  try {
    while (args.count === undefined || sent < args.count) {
      if (sent > 0) await sleep(c, 1000, p.signal);
      sent++;
      if (answersPing(p, ip)) {
        received++;
        p.stdout.write(`64 bytes from ${ip}: icmp_seq=${sent} ttl=${isLoopback(p, ip) ? 64 : 63} time=0.0${50 + ((sent * 7) % 40)} ms\n`);
      }
    }
  } catch (e) {
    if (!(e instanceof Interrupted) || p.signal.aborted === false) throw e;
    // Ctrl-C: ping prints its statistics and exits.
  }
  const loss = sent ? Math.round(((sent - received) / sent) * 100) : 0;
  p.stdout.write(`\n--- ${args.host} ping statistics ---\n${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.max(0, c.ctx.clock.now() - started)}ms\n`);
  if (received) p.stdout.write("rtt min/avg/max/mdev = 0.050/0.070/0.089/0.012 ms\n");
  return received ? 0 : 1;
};

/** wget's exit codes: 1 generic, 4 network failure. */
const WGET_NETWORK_FAILURE = 4;

const wget: Program = async (p) => {
  let quiet = false;
  let output: string | undefined;
  let url: string | undefined;
  const args = p.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-q" || arg === "--quiet") quiet = true;
    else if (arg === "-O") output = args[++i];
    else if (/^-q?O./.test(arg)) {
      quiet ||= arg.startsWith("-q");
      output = arg.slice(arg.indexOf("O") + 1);
    } else if (arg === "-qO") {
      quiet = true;
      output = args[++i];
    }
    else if (arg.startsWith("--output-document=")) output = arg.slice(18);
    else if (arg.startsWith("-")) {
      p.stderr.write(`wget: option ${arg} is not simulated by the playground (-q, -O are)\n`);
      return 2;
    } else url = arg;
  }
  if (!url) {
    p.stderr.write("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
    return 1;
  }
  const options: CurlOptions = { url, headers: [], silent: true, showError: false, include: false, head: false, fail: false };
  const host = url.replace(/^[a-z]+:\/\//i, "").split(/[/:]/)[0];
  if (!quiet) p.stderr.write(`--${new Date(p.container.ctx.clock.now()).toISOString().replace("T", " ").slice(0, 19)}--  ${/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`}\n`);
  try {
    const { body } = await curlRequest(p, options, () => undefined);
    const target = output ?? "index.html";
    if (target === "-") p.stdout.write(body);
    else p.container.fs.writeFile(resolvePath(p.cwd, target), body);
    if (!quiet) p.stderr.write(`HTTP request sent, awaiting response... 200 OK\nSaving to: '${target === "-" ? "STDOUT" : target}'\n\n`);
    return 0;
  } catch (e) {
    if (e instanceof FsError) {
      p.stderr.write(`${output}: ${e.message}\n`);
      return 3;
    }
    if (!(e instanceof CurlError)) throw e;
    if (e.code === 6) p.stderr.write(`wget: unable to resolve host address '${host}'\n`);
    else p.stderr.write(`failed: ${e.message.replace(/^Failed to connect to .*?: /, "")}.\n`);
    return WGET_NETWORK_FAILURE;
  }
};

export const PING_WGET: Record<string, Program> = { ping, wget };
