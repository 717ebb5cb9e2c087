/**
 * A minimal Chrome DevTools Protocol client for a Node process started with `--inspect` on
 * loopback: force a full GC, read the V8 heap, evaluate an expression. Uses the global WebSocket
 * (Node ≥ 22, or Node 20 with `--experimental-websocket`, which the soak project passes).
 */
export interface Inspector {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Full GC (twice: weak references and finalizers), then the used heap in bytes. */
  heapUsedAfterGc(): Promise<number>;
  /** Evaluates a JavaScript expression in the process; returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  close(): void;
}

type WebSocketLike = {
  send(data: string): void;
  close(): void;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
};

export async function connectInspector(wsUrl: string): Promise<Inspector> {
  const WS = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!WS) throw new Error("no global WebSocket: run with node --experimental-websocket (Node 20) or Node ≥ 22");
  const socket = new WS(wsUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error(`cannot connect to the inspector at ${wsUrl}`)));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("HeapProfiler.enable");
  return {
    send,
    async heapUsedAfterGc() {
      await send("HeapProfiler.collectGarbage");
      await send("HeapProfiler.collectGarbage");
      const usage = await send<{ usedSize: number }>("Runtime.getHeapUsage");
      return usage.usedSize;
    },
    async evaluate<T>(expression: string) {
      const result = await send<{ result: { value?: T }; exceptionDetails?: { text: string } }>("Runtime.evaluate", { expression, returnByValue: true });
      if (result.exceptionDetails) throw new Error(`evaluate failed: ${result.exceptionDetails.text}`);
      return result.result.value as T;
    },
    close() {
      socket.close();
    },
  };
}
