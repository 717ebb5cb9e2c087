import { describe, expect, it } from "vitest";
import { execIn, kubiaWorld } from "../testing/shell";
import { siSize } from "./dd";

describe("dd", () => {
  it("writes one zero byte from /dev/zero to the volume, as the e2e framework resumes a paused pod", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "dd if=/dev/zero of=/var/data/statefulset-continue bs=1 count=1 conv=fsync && test -f /var/data/statefulset-continue");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("1+0 records in\n1+0 records out\n1 byte (1 B) copied, 0 s, Infinity B/s\n");
    expect(world.ctx.volumes.read("pvc-0/statefulset-continue")).toBe("\0");
  });

  it("copies its standard input to of= in blocks of 512 bytes by default", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "echo $(hostname) | dd of=/var/data/hostname conv=fsync; cat /var/data/hostname");
    expect(r.stdout).toBe("kubia-0\n");
    expect(r.stderr).toBe("0+1 records in\n0+1 records out\n8 bytes (8 B) copied, 0 s, Infinity B/s\n");
  });

  it("status=none prints nothing; count limits what is copied; a file goes to stdout without of=", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", "dd if=/etc/hostname bs=2 count=2 status=none");
    expect(r).toEqual({ stdout: "kubi", stderr: "", code: 0 });
  });

  it("refuses unknown operands and conversions as coreutils does, and says what it does not simulate", async () => {
    const world = kubiaWorld();
    expect(await execIn(world.ctx, "kubia-0", "dd foo=1")).toEqual({ stdout: "", stderr: "dd: unrecognized operand 'foo=1'\nTry 'dd --help' for more information.\n", code: 1 });
    expect((await execIn(world.ctx, "kubia-0", "dd conv=bogus")).stderr).toBe("dd: invalid conversion: 'bogus'\nTry 'dd --help' for more information.\n");
    expect((await execIn(world.ctx, "kubia-0", "dd if=/dev/zero of=/var/data/x")).code).toBe(126);
    expect((await execIn(world.ctx, "kubia-0", "dd if=/nope")).stderr).toBe("dd: failed to open '/nope': No such file or directory\n");
  });

  it("prints sizes with SI units as human_readable does", () => {
    expect(siSize(1)).toBe("1 B");
    expect(siSize(512)).toBe("512 B");
    expect(siSize(1048576)).toBe("1.1 MB");
    expect(siSize(10_000_000)).toBe("10 MB");
  });
});
