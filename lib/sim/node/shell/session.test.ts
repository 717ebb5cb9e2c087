import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { openContainer } from "./container";
import { ExecStartError, startExec } from "./session";
import { execIn, kubiaWorld } from "../testing/shell";

function startError(argv: string[]): string {
  const { ctx, pods } = kubiaWorld();
  try {
    startExec(openContainer(ctx, pods["kubia-0"], "kubia"), { argv, tty: false, stdin: false }, { stdout: () => undefined, stderr: () => undefined });
  } catch (e) {
    if (e instanceof ExecStartError) return e.reason;
    throw e;
  }
  return "started";
}

describe("startExec", () => {
  it("finds the program on the container's PATH, or fails like runc", () => {
    expect(startError(["hostname"])).toBe("started");
    expect(startError(["/bin/sh", "-c", "true"])).toBe("started");
    expect(startError(["foo"])).toBe('exec: "foo": executable file not found in $PATH');
    expect(startError(["/bin/foo"])).toBe('exec: "/bin/foo": stat /bin/foo: no such file or directory');
    expect(startError(["/app.js"])).toBe('exec: "/app.js": permission denied');
  });

  it("describes the failure as containerd's CRI does", () => {
    const err = new ExecStartError('exec: "foo": executable file not found in $PATH');
    expect(err.runtimeMessage()).toBe(
      `error executing command in container: failed to exec in container: failed to start exec "${err.execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown`,
    );
  });

  it("gives the process the container's environment, TERM on a TTY and HOME last", async () => {
    const { ctx } = kubiaWorld();
    const plain = (await execIn(ctx, "kubia-0", ["env"])).stdout.trim().split("\n");
    expect(plain.slice(0, 2)).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=kubia-0"]);
    expect(plain.at(-1)).toBe("HOME=/root");
    expect(plain.some((l) => l.startsWith("TERM="))).toBe(false);
    expect((await execIn(ctx, "kubia-0", ["printenv", "TERM"], { tty: true, stdin: "" })).stdout).toBe("xterm\r\n");
  });

  it("reads a script from stdin without a prompt when stdin is not a terminal", async () => {
    const { ctx } = kubiaWorld();
    expect(await execIn(ctx, "kubia-0", ["sh"], { stdin: "hostname\nfoo\nexit 5\necho never\n" })).toEqual({ stdout: "kubia-0\n", stderr: "sh: 2: foo: not found\n", code: 5 });
    expect((await execIn(ctx, "kubia-0", ["sh"], { stdin: "false\n" })).code).toBe(1);
    expect((await execIn(ctx, "kubia-0", ["sh"])).code).toBe(0); // no stdin: end of input at once
  });

  it("runs an interactive sh on a TTY: prompt, Ctrl-C stops the command, Ctrl-D leaves", async () => {
    const { ctx } = kubiaWorld();
    const r = await execIn(ctx, "kubia-0", ["sh"], {
      tty: true,
      stdin: "",
      whileRunning: async (session) => {
        session.input(Buffer.from("sleep 100\r"));
        await vi.waitFor(() => expect(ctx.clock.pending()).toBe(1));
        session.input(Buffer.from("\u0003"));
        await new Promise((resolve) => setTimeout(resolve, 10));
        session.input(Buffer.from("echo $?\r"));
        await new Promise((resolve) => setTimeout(resolve, 10));
        session.input(Buffer.from("\u0004"));
      },
    });
    expect(r.stdout).toBe("# sleep 100\r\n^C\r\n# echo $?\r\n130\r\n# \r\n");
    expect(r.code).toBe(0); // the status of the last command, `echo`
  });

  it("reads a compound command over several lines: from a pipe, and on a TTY after the PS2 prompt", async () => {
    const { ctx } = kubiaWorld();
    const piped = await execIn(ctx, "kubia-0", ["sh"], { stdin: "for x in a b\ndo\n  echo $x\ndone\nif true; then\n" });
    expect(piped).toEqual({ stdout: "a\nb\n", stderr: 'sh: 6: Syntax error: end of file unexpected (expecting "fi")\n', code: 2 });
    const typed = await execIn(ctx, "kubia-0", ["sh"], {
      tty: true,
      stdin: "",
      whileRunning: async (session) => {
        for (const line of ["while true; do\r", "echo 'in\r", "loop'; break\r", "done\r", "\u0004"]) {
          session.input(Buffer.from(line));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
    });
    expect(typed.stdout).toBe("# while true; do\r\n> echo 'in\r\n> loop'; break\r\n> done\r\nin\r\nloop\r\n# \r\n");
  });

  it("ends with 137 when the container is killed", async () => {
    const { ctx, pods } = kubiaWorld();
    const session = startExec(openContainer(ctx, pods["kubia-0"] as V1Pod, "kubia"), { argv: ["sleep", "60"], tty: false, stdin: false }, { stdout: () => undefined, stderr: () => undefined });
    session.kill();
    expect(await session.exited).toBe(137);
  });
});
