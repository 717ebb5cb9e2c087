import net from "node:net";
import { afterAll, expect, it } from "vitest";
import { freePort, launchPlayground, type LaunchedPlayground } from "./launcher";

/**
 * A port chosen for the playground can be taken before its process binds it (a CI run once failed
 * so: EADDRINUSE from `next start`). The launcher then starts again on other ports.
 */
let app: LaunchedPlayground | undefined;
// It accepts and drops: the launcher polls the port it was given until the child exits.
const holder = net.createServer((socket) => socket.destroy());

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => holder.close(resolve));
});

it("starts again on other ports when the dashboard's port was taken meanwhile", async () => {
  const taken = await freePort();
  await new Promise<void>((resolve) => holder.listen(taken, "127.0.0.1", resolve));
  const picked: number[] = [];
  const pickPort = async () => {
    const port = picked.length === 0 ? taken : await freePort();
    picked.push(port);
    return port;
  };
  app = await launchPlayground({ pickPort });
  expect(picked).toHaveLength(6);
  expect(app.url).toBe(`http://127.0.0.1:${picked[3]}`);
  expect(app.url).not.toContain(`:${taken}`);
  expect((await fetch(`${app.url}/api/cluster`)).status).toBe(200);
});
