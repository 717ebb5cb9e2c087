import { isIP } from "node:net";
import type { SrvData } from "dns-packet";
import { type Program, sleep } from "./process";
import { lookup, networkDown, NSLOOKUP_TIMEOUT_MS, reverseName } from "./resolver";

/** The DNS tools of the images: nslookup (and dig and host where the image has them), asking the cluster DNS. */

export const nslookup: Program = async (p) => {
  let type: "A" | "SRV" | "PTR" = "A";
  const operands: string[] = [];
  for (const arg of p.argv.slice(1)) {
    const option = /^-(?:type|query|q|querytype)=(\w+)$/i.exec(arg);
    if (option) {
      const wanted = option[1].toUpperCase();
      if (wanted !== "A" && wanted !== "SRV" && wanted !== "PTR") {
        p.stderr.write(`nslookup: querying ${wanted} records is not simulated by the playground (A, SRV and PTR are)\n`);
        return 1;
      }
      type = wanted;
    } else if (arg.startsWith("-")) {
      p.stderr.write(`nslookup: option ${arg} is not simulated by the playground\n`);
      return 1;
    } else operands.push(arg);
  }
  const [name, server] = operands;
  if (!name) {
    p.stderr.write("nslookup: interactive mode is not simulated by the playground; give a name: nslookup kubia-0.kubia\n");
    return 1;
  }
  const c = p.container;
  const serverIP = server ?? c.nameserver;
  if (networkDown(c) || serverIP !== c.nameserver) {
    await sleep(c, NSLOOKUP_TIMEOUT_MS, p.signal);
    p.stdout.write(";; connection timed out; no servers could be reached\n\n");
    return 1;
  }
  const reverse = isIP(name) === 4;
  const result = lookup(c, reverse ? reverseName(name) : name, reverse ? "PTR" : type);
  let out = `Server:\t\t${serverIP}\nAddress:\t${serverIP}#53\n\n`;
  if ("error" in result) {
    out += result.error === "NODATA" ? `*** Can't find ${name}: No answer\n\n` : `** server can't find ${reverse ? reverseName(name) + "." : name}: ${result.error}\n\n`;
    p.stdout.write(out);
    return 1;
  }
  for (const r of result.records) {
    if (r.type === "A" || r.type === "AAAA") out += `Name:\t${r.name}\nAddress: ${r.data}\n`;
    else if (r.type === "CNAME") out += `${r.name}\tcanonical name = ${r.data}.\n`;
    else if (r.type === "SRV") {
      const srv = r.data as SrvData;
      out += `${r.name}\tservice = ${srv.priority ?? 0} ${srv.weight ?? 0} ${srv.port} ${srv.target}.\n`;
    } else if (r.type === "PTR") out += `${r.name}\tname = ${r.data}.\n`;
  }
  p.stdout.write(out + "\n");
  return 0;
};
