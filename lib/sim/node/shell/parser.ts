import { type AndOrList, type Command, type ForCommand, type FunctionDefinition, type IfCommand, type LoopCommand, type Pipeline, type Redirect, type Script, type SimpleCommand, ShellSyntaxError, type Word, type WordPart } from "./ast";
import { describe, Lexer, NAME, RESERVED, type Token } from "./lexer";

export * from "./ast";

/** Words that end a compound command's list; `(expecting "…")` names the one awaited. */
type Terminators = readonly string[];

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private take(): Token {
    return this.tokens[this.i++];
  }

  private unexpected(token: Token, expecting?: string): never {
    throw new ShellSyntaxError(`Syntax error: ${describe(token)}${expecting ? ` (expecting "${expecting}")` : ""}`, token.line, token.type === "eof");
  }

  private unsupported(what: string, line: number): never {
    throw new ShellSyntaxError(`${what} are not simulated by the playground's shell`, line);
  }

  /** A reserved word where a command starts: an unquoted word that is exactly `word`. */
  private atWord(...words: string[]): boolean {
    const token = this.peek();
    return token.type === "word" && words.includes(token.raw);
  }

  private atOp(op: string): boolean {
    const token = this.peek();
    return token.type === "op" && token.op === op;
  }

  private expectWord(word: string): void {
    if (!this.atWord(word)) this.unexpected(this.peek(), word);
    this.take();
  }

  private skipNewlines(): void {
    while (this.peek().type === "newline") this.take();
  }

  script(): Script {
    const lists = this.list([], false);
    if (this.peek().type !== "eof") this.unexpected(this.peek());
    return lists;
  }

  /**
   * And-or lists separated by `;` or newlines, up to one of `terminators` in command position (or
   * `)` closing a subshell). A compound command's list may not be empty: dash reports the word
   * that came too early.
   */
  private list(terminators: Terminators, nonEmpty: boolean, closingParen = false): Script {
    const lists: Script = [];
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (token.type === "op" && (token.op === ";" || token.op === ";;")) this.unexpected(token);
      if (token.type === "eof" || (token.type === "word" && terminators.includes(token.raw)) || (closingParen && this.atOp(")"))) break;
      lists.push(this.andOr());
      const after = this.peek();
      if (after.type === "op" && after.op === "&") this.unsupported("background jobs (&)", after.line);
      if (after.type === "op" && after.op === ";") this.take();
      else if (after.type !== "newline" && after.type !== "eof" && !(closingParen && this.atOp(")"))) this.unexpected(after);
    }
    if (nonEmpty && !lists.length) this.unexpected(this.peek(), this.peek().type === "eof" ? terminators[0] : undefined);
    return lists;
  }

  private andOr(): AndOrList {
    const line = this.peek().line;
    const first = this.pipeline();
    const rest: AndOrList["rest"] = [];
    for (;;) {
      const token = this.peek();
      if (token.type !== "op" || (token.op !== "&&" && token.op !== "||")) break;
      this.take();
      this.skipNewlines();
      rest.push({ op: token.op, pipeline: this.pipeline() });
    }
    return { first, rest, line };
  }

  private pipeline(): Pipeline {
    let negated = false;
    if (this.atWord("!")) {
      this.take();
      negated = true;
    }
    const commands = [this.command()];
    while (this.atOp("|")) {
      this.take();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { commands, negated };
  }

  private command(): Command {
    const token = this.peek();
    if (this.atOp("(")) {
      this.take();
      const body = this.list([], true, true);
      if (!this.atOp(")")) this.unexpected(this.peek(), ")");
      this.take();
      return { kind: "subshell", body, redirects: this.redirects() };
    }
    if (token.type === "word") {
      switch (token.raw) {
        case "if":
          return this.ifCommand();
        case "while":
        case "until":
          return this.loop(token.raw);
        case "for":
          return this.forCommand();
        case "{": {
          this.take();
          const body = this.list(["}"], true);
          this.expectWord("}");
          return { kind: "group", body, redirects: this.redirects() };
        }
        case "case":
        case "function":
          this.unsupported(`compound commands ("${token.raw}")`, token.line);
      }
      const next = this.tokens[this.i + 1];
      if (next?.type === "op" && next.op === "(") return this.functionDefinition();
    }
    return this.simpleCommand();
  }

  private ifCommand(): IfCommand {
    const clauses: IfCommand["clauses"] = [];
    let otherwise: Script | undefined;
    this.take();
    for (;;) {
      const condition = this.list(["then"], true);
      this.expectWord("then");
      clauses.push({ condition, body: this.list(["fi", "elif", "else"], true) });
      if (this.atWord("elif")) {
        this.take();
        continue;
      }
      if (this.atWord("else")) {
        this.take();
        otherwise = this.list(["fi"], true);
      }
      this.expectWord("fi");
      return { kind: "if", clauses, otherwise, redirects: this.redirects() };
    }
  }

  private doGroup(): Script {
    this.expectWord("do");
    const body = this.list(["done"], true);
    this.expectWord("done");
    return body;
  }

  private loop(kind: "while" | "until"): LoopCommand {
    this.take();
    const condition = this.list(["do"], true);
    return { kind, condition, body: this.doGroup(), redirects: this.redirects() };
  }

  private forCommand(): ForCommand {
    this.take();
    const name = this.take();
    if (name.type !== "word" || !NAME.test(name.raw)) throw new ShellSyntaxError("Syntax error: Bad for loop variable", name.line);
    this.skipNewlines();
    let words: Word[] | undefined;
    if (this.atWord("in")) {
      this.take();
      words = [];
      for (let t = this.peek(); t.type === "word"; t = this.peek()) words.push((this.take() as Extract<Token, { type: "word" }>).word);
      if (this.atOp(";")) this.take();
      else if (this.peek().type !== "newline") this.unexpected(this.peek());
    } else if (this.atOp(";")) this.take();
    this.skipNewlines();
    return { kind: "for", name: name.raw, words, body: this.doGroup(), redirects: this.redirects() };
  }

  private functionDefinition(): FunctionDefinition {
    const name = this.take() as Extract<Token, { type: "word" }>;
    this.take();
    if (!this.atOp(")")) this.unexpected(this.peek(), ")");
    this.take();
    if (!NAME.test(name.raw)) throw new ShellSyntaxError("Syntax error: Bad function name", name.line);
    this.skipNewlines();
    return { kind: "function", name: name.raw, body: this.command() };
  }

  /** Redirections after a compound command (`done > file`). */
  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let token = this.peek(); token.type === "io"; token = this.peek()) out.push(this.redirect(token));
    return out;
  }

  private redirect(token: Extract<Token, { type: "io" }>): Redirect {
    this.take();
    const target = this.take();
    if (target.type !== "word") this.unexpected(target);
    return { fd: token.fd, op: token.op, target: target.word };
  }

  private simpleCommand(): SimpleCommand {
    const command: SimpleCommand = { kind: "simple", assignments: [], words: [], redirects: [] };
    for (;;) {
      const token = this.peek();
      if (token.type === "io") command.redirects.push(this.redirect(token));
      else if (token.type === "word") {
        // then, fi, do, done, }… where a command should start: dash names the word.
        if (command.words.length === 0 && RESERVED.has(token.raw) && token.raw !== "!") this.unexpected(token);
        this.take();
        const assignment = command.words.length === 0 ? asAssignment(token.word) : undefined;
        if (assignment) command.assignments.push(assignment);
        else command.words.push(token.word);
      } else if (token.type === "op" && (token.op === "<<" || token.op === "<&")) {
        this.unsupported(`"${token.op}" redirections`, token.line);
      } else break;
    }
    if (!command.words.length && !command.assignments.length && !command.redirects.length) this.unexpected(this.peek());
    return command;
  }
}

/** `NAME=value` before the command name: the unquoted `NAME=` prefix makes it an assignment. */
function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== "text" || first.quoted) return undefined;
  const eq = first.text.indexOf("=");
  if (eq <= 0 || !NAME.test(first.text.slice(0, eq))) return undefined;
  const rest = first.text.slice(eq + 1);
  const parts: WordPart[] = rest ? [{ kind: "text", text: rest, quoted: false }, ...word.parts.slice(1)] : word.parts.slice(1);
  return { name: first.text.slice(0, eq), value: { parts } };
}

/** Parses a whole script (a `sh -c` argument or one line typed at the prompt); `firstLine` numbers errors. */
export function parse(source: string, firstLine = 1): Script {
  const tokens = new Lexer(source, firstLine).run();
  return new Parser(tokens).script();
}
