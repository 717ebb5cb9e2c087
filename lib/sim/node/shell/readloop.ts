import { parse, ShellSyntaxError } from "./parser";
import type { Shell, ShellIO } from "./interpreter";
import { Interrupted, LineReader, type Process } from "./process";

/**
 * The shell reading commands from its standard input: a terminal (with the prompt, PS2 for a
 * command not finished yet, Ctrl-C) or a pipe (`kubectl exec -i … -- sh < script`).
 */

export async function readLoop(shell: Shell, p: Process, io: ShellIO, interactive: boolean): Promise<void> {
  const reader = new LineReader(p.stdin);
  let foreground: AbortController | undefined;
  const release = interactive ? p.interrupts.push(() => foreground?.abort()) : () => undefined;
  // Lines of a command not finished yet (`while true; do` …), read on after the PS2 prompt.
  let pending = "";
  let firstLine = 1;
  try {
    for (let line = 1; ; line++) {
      foreground = new AbortController();
      const signal = AbortSignal.any([p.signal, foreground.signal]);
      if (interactive) p.stderr.write(pending ? (shell.vars.get("PS2") ?? "> ") : prompt(shell));
      let text: string | null;
      try {
        text = interactive ? await p.stdin.read(signal) : await reader.readLine(signal);
      } catch (e) {
        if (!(e instanceof Interrupted) || p.signal.aborted) throw e;
        p.stderr.write("\n");
        pending = "";
        continue;
      }
      if (text === null) {
        // End of input inside a command: run it for dash's "end of file unexpected".
        if (pending) await shell.runText(pending, firstLine, io, signal);
        if (interactive) p.stderr.write(shell.dialect === "bash" ? "exit\n" : "\n");
        return;
      }
      if (!pending) firstLine = line;
      const source = pending + (text.endsWith("\n") ? text : text + "\n");
      pending = incomplete(source, firstLine) ? source : "";
      if (pending) continue;
      try {
        await shell.runText(source, firstLine, io, signal);
      } catch (e) {
        if (!(e instanceof Interrupted) || !interactive || p.signal.aborted) throw e;
        shell.status = 130;
        p.stderr.write("\n");
      }
    }
  } finally {
    release();
  }
}

function prompt(shell: Shell): string {
  if (shell.dialect === "sh") return "# ";
  const dir = shell.cwd === (shell.vars.get("HOME") ?? "/root") ? "~" : shell.cwd;
  return `root@${shell.container.hostname}:${dir}# `;
}

/** Whether the text ends inside a command that more lines could finish. */
function incomplete(text: string, firstLine: number): boolean {
  try {
    parse(text, firstLine);
    return false;
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    return e.incomplete;
  }
}
