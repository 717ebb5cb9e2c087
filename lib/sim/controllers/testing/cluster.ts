import { afterEach, beforeEach } from "vitest";
import { bootstrapCluster } from "../../bootstrap";
import { createTestContext } from "../../testing/context";
import { startControllers } from "../index";
import type { SimContext } from "../../context";

/**
 * A whole embedded cluster on a manual clock for each test of the file: bootstrap (nodes, the
 * default StorageClass, optionally the kubia demo) and every controller (or only those `controllers`
 * starts), stopped after the test. `world.ctx` is the current test's context; `seconds` advances its clock.
 */
export function withTestCluster(opts: { seedDemo?: boolean; controllers?: (ctx: SimContext) => { stop(): void } } = {}) {
  const world = {} as { ctx: ReturnType<typeof createTestContext>; seconds: (s: number) => void };
  let controllers: { stop(): void } | undefined;
  beforeEach(() => {
    const ctx = createTestContext();
    bootstrapCluster(ctx, { seedDemo: opts.seedDemo ?? false });
    controllers = (opts.controllers ?? startControllers)(ctx);
    world.ctx = ctx;
    world.seconds = (s: number) => ctx.clock.advance(s * 1000);
  });
  afterEach(() => controllers?.stop());
  return world;
}
