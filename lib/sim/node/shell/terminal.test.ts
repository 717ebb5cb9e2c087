import { describe, expect, it } from "vitest";
import { Interrupted } from "./process";
import { Terminal } from "./terminal";

function terminal(escapes: "echo" | "drop" = "echo") {
  const out: string[] = [];
  let interrupts = 0;
  const t = new Terminal((d) => out.push(d), () => interrupts++, escapes);
  return { t, echoed: () => out.join(""), interrupts: () => interrupts };
}

describe("Terminal (canonical mode)", () => {
  it("echoes, turns Enter into a line, and writes NL as CR NL", async () => {
    const { t, echoed } = terminal();
    t.input("ls -l\r");
    expect(await t.read()).toBe("ls -l\n");
    t.write("a\nb\n");
    expect(echoed()).toBe("ls -l\r\na\r\nb\r\n");
  });

  it("erases with backspace, Ctrl-U and Ctrl-W", async () => {
    const { t, echoed } = terminal();
    t.input("cat /etc/hostx\u007f\u007fts\r");
    expect(await t.read()).toBe("cat /etc/hosts\n");
    t.input("rm -rf /\u0015echo one two\u0017three\r");
    expect(await t.read()).toBe("echo one three\n");
    expect(echoed()).toContain("hostx\b \b\b \bts\r\n");
  });

  it("Ctrl-C flushes the line and interrupts; Ctrl-D ends input on an empty line", async () => {
    const { t, echoed, interrupts } = terminal();
    t.input("half a line\u0003");
    expect(interrupts()).toBe(1);
    expect(echoed()).toBe("half a line^C");
    t.input("partial\u0004");
    expect(await t.read()).toBe("partial");
    t.input("\u0004");
    expect(await t.read()).toBeNull();
  });

  it("echoes control characters as ^X (dash has no line editing); bash mode drops cursor keys", async () => {
    const dash = terminal();
    dash.t.input("\u001b[A\r");
    expect(dash.echoed()).toBe("^[[A\r\n");
    expect(await dash.t.read()).toBe("\u001b[A\n");
    const bash = terminal("drop");
    bash.t.input("\u001b[Aok\r");
    expect(bash.echoed()).toBe("ok\r\n");
    expect(await bash.t.read()).toBe("ok\n");
  });

  it("stops waiting for a line when its reader is interrupted", async () => {
    const { t } = terminal();
    const controller = new AbortController();
    const pending = t.read(controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(Interrupted);
    t.input("next\r");
    expect(await t.read()).toBe("next\n");
  });
});
