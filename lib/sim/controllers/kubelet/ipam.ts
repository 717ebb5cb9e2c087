/**
 * Pod IPs from the node's podCIDR, handed out like the host-local IPAM plugin: sequentially after
 * the last one allocated, wrapping around, skipping the network address, the gateway (.1) and the
 * broadcast address, and never an address still in use. A freed address is therefore not reused
 * at once, as on a real node.
 */
export class IpAllocator {
  private last = 1;

  constructor(private readonly cidr: string | undefined) {}

  private range(): { base: number; size: number } | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(this.cidr ?? "");
    if (!m) return undefined;
    const prefix = Number(m[5]);
    if (prefix > 30) return undefined;
    const base = [1, 2, 3, 4].reduce((n, i) => n * 256 + Number(m[i]), 0);
    const size = 2 ** (32 - prefix);
    return { base: base - (base % size), size };
  }

  allocate(inUse: Set<string>): string | undefined {
    const r = this.range();
    if (!r) return undefined;
    const first = 2;
    const count = r.size - 3; // .0 network, .1 gateway, last broadcast
    for (let i = 1; i <= count; i++) {
      const offset = ((this.last - first + i) % count + count) % count + first;
      const ip = toIp(r.base + offset);
      if (!inUse.has(ip)) {
        this.last = offset;
        return ip;
      }
    }
    return undefined;
  }

  /** Remembers an address found in use (a pod adopted after a restart) so allocation continues after it. */
  note(ip: string): void {
    const r = this.range();
    const n = ip.split(".").reduce((acc, p) => acc * 256 + Number(p), 0);
    if (r && n >= r.base && n < r.base + r.size) this.last = Math.max(this.last, n - r.base);
  }
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}
