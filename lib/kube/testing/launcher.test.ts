import fs from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./launcher";

const [ephemeralLow] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);

describe("freePort", () => {
  it("chooses loopback ports below the ephemeral range that can be bound", async () => {
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      expect(port).toBeLessThan(ephemeralLow);
      expect(port).toBeGreaterThanOrEqual(1024);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("never hands out a port someone holds", async () => {
    const held: net.Server[] = [];
    try {
      // Hold 200 ports it chose; each further choice must be none of them.
      const taken = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const port = await freePort();
        expect(taken.has(port)).toBe(false);
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
        held.push(server);
        taken.add(port);
      }
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});
