import { describe, expect, it } from "vitest";
import { type Command, parse, ShellSyntaxError, type SimpleCommand, type Word } from "./parser";

const text = (w: Word) => w.parts.map((p) => (p.kind === "text" ? p.text : p.kind === "variable" ? `$${p.name}` : "$(…)")).join("");
function simple(command: Command): SimpleCommand {
  if (command.kind !== "simple") throw new Error(`a ${command.kind} command`);
  return command;
}
const first = (src: string) => simple(parse(src)[0].first.commands[0]);
const words = (src: string) => first(src).words.map(text);

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
    const cmd = first(`echo "$X"'$Y'$Z`);
    expect(cmd.words[1].parts).toEqual([
      { kind: "variable", name: "X", quoted: true },
      { kind: "text", text: "$Y", quoted: true },
      { kind: "variable", name: "Z", quoted: false },
    ]);
    expect(words(`echo \${HOSTNAME} $? $1 $ "$"`)).toEqual(["echo", "$HOSTNAME", "$?", "$1", "$", "$"]);
  });

  it("reads command substitution, nested in quotes too", () => {
    const part = first(`echo "$(hostname -f)"`).words[1].parts[0];
    expect(part.kind).toBe("command");
    if (part.kind === "command") expect(simple(part.script[0].first.commands[0]).words.map(text)).toEqual(["hostname", "-f"]);
    expect(first("echo `date`").words[1].parts[0].kind).toBe("command");
  });

  it("reads redirections with descriptor numbers, and assignments before the command", () => {
    const cmd = first(`X=1 Y="a b" cmd >out 2>>err <in 2>&1`);
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
    expect(script[2].first.commands.map((c) => text(simple(c).words[0]))).toEqual(["e", "f"]);
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
    expect(syntaxError("case x in x) ;; esac")).toBe('1: compound commands ("case") are not simulated by the playground\'s shell');
    expect(syntaxError("sleep 1 &")).toBe("1: background jobs (&) are not simulated by the playground's shell");
    expect(syntaxError("cat <<EOF")).toBe('1: "<<" redirections are not simulated by the playground\'s shell');
  });

  it("reads compound commands: if/elif/else, while, until, for, { }, ( ) and function definitions", () => {
    const [ifList] = parse('if [ "$A" = x ]; then exit 0; elif false; then :; else exit 1; fi > out');
    const ifCommand = ifList.first.commands[0];
    expect(ifCommand.kind).toBe("if");
    if (ifCommand.kind === "if") {
      expect(ifCommand.clauses).toHaveLength(2);
      expect(ifCommand.otherwise).toHaveLength(1);
      expect(ifCommand.redirects.map((r) => text(r.target))).toEqual(["out"]);
    }
    const script = parse(`
      _term(){
        echo "Received SIGTERM signal"
      }
      trap _term SIGTERM
      while true; do
        sleep 1
      done
      for x in a "b c"; do echo $x; done
      until false; do break; done
      { echo a; echo b; } | (cat)
    `);
    expect(script.map((l) => l.first.commands[0].kind)).toEqual(["function", "simple", "while", "for", "until", "group"]);
    expect(script[5].first.commands[1].kind).toBe("subshell");
    const fn = script[0].first.commands[0];
    if (fn.kind === "function") expect([fn.name, fn.body.kind]).toEqual(["_term", "group"]);
    expect(script[0].line).toBe(2);
    expect(script[2].line).toBe(6);
  });

  it("reports unfinished and misplaced reserved words as dash does", () => {
    expect(syntaxError("if true; then echo")).toBe('1: Syntax error: end of file unexpected (expecting "fi")');
    expect(syntaxError("if true; echo")).toBe('1: Syntax error: end of file unexpected (expecting "then")');
    expect(syntaxError("while true; do sleep 1")).toBe('1: Syntax error: end of file unexpected (expecting "done")');
    expect(syntaxError("if true; then fi")).toBe('1: Syntax error: "fi" unexpected');
    expect(syntaxError("echo a; fi")).toBe('1: Syntax error: "fi" unexpected');
    expect(syntaxError("{ echo a }")).toBe('1: Syntax error: end of file unexpected (expecting "}")');
    expect(syntaxError("for 1x in a; do :; done")).toBe("1: Syntax error: Bad for loop variable");
    expect(words("echo if then fi }")).toEqual(["echo", "if", "then", "fi", "}"]);
  });
});
