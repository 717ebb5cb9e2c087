/**
 * Child process of persistence.int.test.ts: attaches persistence to a data directory and writes a
 * never-ending burst of object and volume changes, announcing each write before it starts
 * (`WILL`) and acknowledging it once the call returned (`ACK`), until the parent kills it with -9.
 * Usage: node --import tsx testing/crashChild.ts <dataDir> <name prefix>
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createVolumeData } from "../../node/volumes";
import { Store } from "../../store/store";
import { attachPersistence } from "../index";

/**
 * Synchronous, so an ACK is never lost in a buffer. The pipe to the parent may be non-blocking (it is
 * on Node.js 24): a full pipe answers EAGAIN and a write may be partial, so write until every byte is out.
 */
function say(line: string): void {
  const bytes = Buffer.from(line + "\n");
  for (let written = 0; written < bytes.length; ) {
    try {
      written += fs.writeSync(1, bytes, written);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    }
  }
}

async function main() {
  const store = new Store();
  const volumes = createVolumeData();
  await attachPersistence({ dataDir: process.argv[2], store, volumes, compactAfter: 97 });
  say("READY");
  const prefix = process.argv[3] ?? "r";
  let i = 0;
  const burst = () => {
    for (let n = 0; n < 20; n++, i++) {
      const op = i % 6;
      if (op <= 2) {
        const name = `${prefix}-cm-${i}`;
        say(`WILL obj ${name}`);
        const created = store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { v: randomBytes(24).toString("base64") } });
        say(`ACK obj ${name} ${JSON.stringify(created)}`);
      } else if (op === 3 && i > 12) {
        const name = `${prefix}-cm-${i - 12 - ((i - 12) % 6)}`; // an earlier create (op 0), updated again and again
        say(`WILL obj ${name}`);
        const current = store.tryGet("configmaps", "default", name);
        if (!current) {
          say(`ACK obj ${name} null`);
          continue;
        }
        current.data = { v: randomBytes(8).toString("hex"), i: String(i) } as never;
        say(`ACK obj ${name} ${JSON.stringify(store.update("configmaps", current))}`);
      } else if (op === 4 && i > 30) {
        const name = `${prefix}-cm-${i - 30 - ((i - 30) % 6) + 1}`; // an earlier create (op 1), deleted once
        say(`WILL obj ${name}`);
        if (store.tryGet("configmaps", "default", name)) store.delete("configmaps", "default", name);
        say(`ACK obj ${name} null`);
      } else {
        const pv = `pvc-${i % 7}`;
        say(`WILL vol ${pv}`);
        if (i % 35 === 5) {
          volumes.erase(pv);
          say(`ACK vol ${pv} null`);
        } else {
          const content = `${i}: ${randomBytes(48).toString("base64")}\nline two ✓`;
          volumes.write(pv, content);
          say(`ACK vol ${pv} ${JSON.stringify(content)}`);
        }
      }
    }
    setImmediate(burst);
  };
  burst();
}

main().catch((e) => {
  say(`ERROR ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
