import { describe, expect, it } from "vitest";
import { parse, ShellSyntaxError, type Word } from "./parser";

const text = (w: Word) => w.parts.map((p) => (p.kind === "text" ? p.text : p.kind === "variable" ? `$${p.name}` : "$(…)")).join("");
const words = (src: string) => parse(src)[0].first.commands[0].words.map(text);

function syntaxError(src: string): string {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return `${e.line}: ${e.message}`;
    throw e;
  }
  throw new Error(`parsed: ${src}`);
}

describe("parse", () => {
  it("splits words and keeps how each part was quoted", () => {
    expect(words(`echo  a 'b c' "d $HOME" e\\ f`)).toEqual(["echo", "a", "b c", "d $HOME", "e f"]);
    const [cmd] = parse(`echo "$X"'$Y'$Z`)[0].first.commands;
    expect(cmd.words[1].parts).toEqual([
      { kind: "variable", name: "X", quoted: true },
      { kind: "text", text: "$Y", quoted: true },
      { kind: "variable", name: "Z", quoted: false },
    ]);
    expect(words(`echo \${HOSTNAME} $? $1 $ "$"`)).toEqual(["echo", "$HOSTNAME", "$?", "$1", "$", "$"]);
  });

  it("reads command substitution, nested in quotes too", () => {
    const part = parse(`echo "$(hostname -f)"`)[0].first.commands[0].words[1].parts[0];
    expect(part.kind).toBe("command");
    if (part.kind === "command") expect(part.script[0].first.commands[0].words.map(text)).toEqual(["hostname", "-f"]);
    expect(parse("echo `date`")[0].first.commands[0].words[1].parts[0].kind).toBe("command");
  });

  it("reads redirections with descriptor numbers, and assignments before the command", () => {
    const [cmd] = parse(`X=1 Y="a b" cmd >out 2>>err <in 2>&1`)[0].first.commands;
    expect(cmd.assignments.map((a) => [a.name, text(a.value)])).toEqual([
      ["X", "1"],
      ["Y", "a b"],
    ]);
    expect(cmd.words.map(text)).toEqual(["cmd"]);
    expect(cmd.redirects.map((r) => [r.fd, r.op, text(r.target)])).toEqual([
      [1, ">", "out"],
      [2, ">>", "err"],
      [0, "<", "in"],
      [2, ">&", "1"],
    ]);
    expect(words("echo 2 > x")).toEqual(["echo", "2"]);
  });

  it("builds lists: ; and newlines separate, && and || chain, | pipes, # comments", () => {
    const script = parse("a; b && c || d\ne | f # comment\n\n! g");
    expect(script).toHaveLength(4);
    expect(script[1].rest.map((r) => r.op)).toEqual(["&&", "||"]);
    expect(script[2].first.commands.map((c) => text(c.words[0]))).toEqual(["e", "f"]);
    expect(script[2].line).toBe(2);
    expect(script[3].first.negated).toBe(true);
    expect(parse("a &&\n b")[0].rest).toHaveLength(1);
  });

  it("reports syntax errors in dash's words, with the line", () => {
    expect(syntaxError(`echo "abc`)).toBe("1: Syntax error: Unterminated quoted string");
    expect(syntaxError("echo ok\n&& ls")).toBe('2: Syntax error: "&&" unexpected');
    expect(syntaxError("ls |")).toBe("1: Syntax error: end of file unexpected");
    expect(syntaxError("ls >\n")).toBe("1: Syntax error: newline unexpected");
    expect(syntaxError(";")).toBe('1: Syntax error: ";" unexpected');
  });

  it("refuses what the playground does not simulate, saying so", () => {
    expect(syntaxError("if true; then echo; fi")).toBe('1: compound commands ("if") are not simulated by the playground\'s shell');
    expect(syntaxError("sleep 1 &")).toBe("1: background jobs (&) are not simulated by the playground's shell");
    expect(syntaxError("(cd /)")).toBe("1: subshells ( … ) are not simulated by the playground's shell");
    expect(syntaxError("cat <<EOF")).toBe('1: "<<" redirections are not simulated by the playground\'s shell');
  });
});
