import { describe, expect, it } from "vitest";
import { execIn, kubiaWorld } from "../testing/shell";

async function sh(script: string) {
  return execIn(kubiaWorld().ctx, "kubia-0", script);
}

describe("compound commands", () => {
  it("if/elif/else runs the first clause whose condition succeeds; exit in it ends the shell (the e2e identity check)", async () => {
    expect(await sh('if [ "$(cat /etc/hostname)" = "$(hostname)" ]; then exit 0; else exit 1; fi')).toEqual({ stdout: "", stderr: "", code: 0 });
    expect((await sh('if [ "$(hostname)" = other ]; then exit 0; else exit 1; fi')).code).toBe(1);
    expect((await sh("if false; then echo a; elif true; then echo b; else echo c; fi; if false; then :; fi; echo $?")).stdout).toBe("b\n0\n");
    expect((await sh("false; if [ $? = 1 ]; then echo previous status; fi")).stdout).toBe("previous status\n");
  });

  it("while and until loop on their condition; break and continue leave or skip", async () => {
    const r = await sh("while true; do echo once; break; done; until true; do echo never; done; for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done");
    expect(r.stdout).toBe("once\n1\n3\n");
    expect((await sh("while true; do while true; do break 2; done; echo inner; done; echo out")).stdout).toBe("out\n");
    expect((await sh("f() { break; }; for i in 1 2; do f; echo $i; done")).stdout).toBe("1\n2\n");
  });

  it("for runs over its words after expansion, and over the positional parameters without in", async () => {
    expect((await sh('for w in a "b c" $(echo d e); do echo "[$w]"; done')).stdout).toBe("[a]\n[b c]\n[d]\n[e]\n");
    expect((await execIn(kubiaWorld().ctx, "kubia-0", ["sh", "-c", "for a; do echo $a; done", "sh", "x", "y"])).stdout).toBe("x\ny\n");
  });

  it("functions take arguments and return a status; the caller's parameters come back", async () => {
    const r = await execIn(kubiaWorld().ctx, "kubia-0", ["sh", "-c", 'greet() { echo "hi $1"; return 3; }; greet you; echo $? $1', "sh", "outer"]);
    expect(r.stdout).toBe("hi you\n3 outer\n");
  });

  it("{ } runs in the shell, ( ) in a subshell; both take redirections", async () => {
    const r = await sh("X=1; { X=2; echo in; } > /tmp/group; (X=3; echo sub; exit 4); echo $? $X; cat /tmp/group");
    expect(r.stdout).toBe("sub\n4 2\nin\n");
  });

  it("trap keeps actions by signal name, lists them as dash does and resets them", async () => {
    const r = await sh("trap 'echo bye' SIGTERM; trap 'x' 15 INT; trap; trap - INT; trap; trap y NOPE");
    expect(r.stdout).toBe("trap -- 'x' INT\ntrap -- 'x' TERM\ntrap -- 'x' TERM\n");
    expect(r.stderr).toBe("sh: 1: trap: NOPE: bad trap\n");
    expect(r.code).toBe(1);
  });
});

describe("sh -x", () => {
  it("traces each simple command, expanded, to stderr as the e2e framework's RunHostCmd (/bin/sh -x -c) shows it", async () => {
    const r = await execIn(kubiaWorld().ctx, "kubia-0", ["/bin/sh", "-x", "-c", "X=1; printf $(hostname) > /dev/null; if true; then echo ok; fi"]);
    expect(r.stdout).toBe("ok\n");
    expect(r.stderr).toBe("+ X=1\n+ hostname\n+ printf kubia-0\n+ true\n+ echo ok\n");
  });
});

describe("trap … EXIT", () => {
  it("runs as the shell ends, after exit too, keeping the shell's status", async () => {
    expect(await sh("trap 'echo bye' EXIT; echo hi; exit 3")).toEqual({ stdout: "hi\nbye\n", stderr: "", code: 3 });
    expect(await sh("trap 'echo bye; exit 4' 0; true")).toEqual({ stdout: "bye\n", stderr: "", code: 4 });
  });
});
