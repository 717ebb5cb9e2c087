import { parse } from "./parser";
import { type Redirect, ShellSyntaxError, type Word, type WordPart } from "./ast";

/** The words, operators and newlines of a script, for the parser (parser.ts). */

export type Token =
  | { type: "word"; word: Word; raw: string; line: number }
  | { type: "op"; op: string; line: number }
  | { type: "io"; fd: number; op: Redirect["op"]; line: number }
  | { type: "newline"; line: number }
  | { type: "eof"; line: number };

const OPERATORS = ["&&", "||", ";;", ">>", ">&", "<&", "<<", ";", "|", "&", ">", "<", "(", ")"];
export const RESERVED = new Set(["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "function", "{", "}", "!"]);
export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMETERS = new Set(["?", "$", "#", "@", "*", "!", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

/** Splits a script into words, operators and newlines, keeping how each part of a word was quoted. */
export class Lexer {
  private i = 0;
  private line = 1;
  readonly tokens: Token[] = [];

  constructor(
    private readonly src: string,
    private readonly firstLine: number,
  ) {
    this.line = firstLine;
  }

  run(): Token[] {
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === " " || c === "\t") this.i++;
      else if (c === "\\" && this.src[this.i + 1] === "\n") this.skipContinuation();
      else if (c === "\n") {
        this.tokens.push({ type: "newline", line: this.line++ });
        this.i++;
      } else if (c === "#") this.skipComment();
      else if (this.operatorAt(this.i)) this.readOperator();
      else this.readWord();
    }
    this.tokens.push({ type: "eof", line: this.line });
    return this.tokens;
  }

  private skipContinuation(): void {
    this.i += 2;
    this.line++;
  }

  private skipComment(): void {
    while (this.i < this.src.length && this.src[this.i] !== "\n") this.i++;
  }

  private operatorAt(at: number): string | undefined {
    return OPERATORS.find((op) => this.src.startsWith(op, at));
  }

  private readOperator(): void {
    const op = this.operatorAt(this.i)!;
    this.i += op.length;
    if (op === ">" || op === ">>" || op === "<" || op === ">&") this.tokens.push({ type: "io", fd: op === "<" ? 0 : 1, op: op as Redirect["op"], line: this.line });
    else this.tokens.push({ type: "op", op, line: this.line });
  }

  private readWord(): void {
    const start = this.i;
    const line = this.line;
    const parts: WordPart[] = [];
    let text = "";
    const flush = () => {
      if (text) parts.push({ kind: "text", text, quoted: false });
      text = "";
    };
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === " " || c === "\t" || c === "\n" || this.operatorAt(this.i)) break;
      if (c === "\\") {
        if (this.src[this.i + 1] === "\n") {
          this.skipContinuation();
          continue;
        }
        flush();
        if (this.i + 1 < this.src.length) parts.push({ kind: "text", text: this.src[this.i + 1], quoted: true });
        this.i += 2;
      } else if (c === "'") {
        flush();
        const end = this.src.indexOf("'", this.i + 1);
        if (end < 0) throw new ShellSyntaxError("Syntax error: Unterminated quoted string", line, true);
        parts.push({ kind: "text", text: this.src.slice(this.i + 1, end), quoted: true });
        this.countLines(this.i, end);
        this.i = end + 1;
      } else if (c === '"') {
        flush();
        this.i++;
        parts.push(...this.readDoubleQuoted(line));
      } else if (c === "$" || c === "`") {
        const plain = this.takeExpansion(false, flush, parts);
        text += plain;
      } else {
        text += c;
        this.i++;
      }
    }
    flush();
    const raw = this.src.slice(start, this.i);
    // `2>` / `2>>` / `2>&1`: a word of digits right before a redirection names the descriptor.
    const next = this.operatorAt(this.i);
    if (/^\d$/.test(raw) && (next === ">" || next === ">>" || next === "<" || next === ">&")) {
      this.i += next.length;
      this.tokens.push({ type: "io", fd: Number(raw), op: next as Redirect["op"], line });
      return;
    }
    this.tokens.push({ type: "word", word: { parts }, raw, line });
  }

  private countLines(from: number, to: number): void {
    for (let k = from; k < to; k++) if (this.src[k] === "\n") this.line++;
  }

  /** The inside of "…": only $, ` and \ (before $ ` " \ or newline) are special. */
  private readDoubleQuoted(line: number): WordPart[] {
    const parts: WordPart[] = [];
    let text = "";
    const flush = () => {
      if (text) parts.push({ kind: "text", text, quoted: true });
      text = "";
    };
    for (;;) {
      if (this.i >= this.src.length) throw new ShellSyntaxError("Syntax error: Unterminated quoted string", line, true);
      const c = this.src[this.i];
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === "\\" && '$`"\\\n'.includes(this.src[this.i + 1] ?? "")) {
        if (this.src[this.i + 1] !== "\n") text += this.src[this.i + 1];
        else this.line++;
        this.i += 2;
      } else if (c === "$" || c === "`") {
        const plain = this.takeExpansion(true, flush, parts);
        text += plain;
      } else {
        if (c === "\n") this.line++;
        text += c;
        this.i++;
      }
    }
    if (text) flush();
    // "" is still a word: one empty quoted part.
    return parts.length ? parts : [{ kind: "text", text: "", quoted: true }];
  }

  /**
   * At `$` or a backquote: pushes the expansion there after the text read so far (`flush`), or,
   * when the `$` is a plain character, consumes it and returns it as text.
   */
  private takeExpansion(quoted: boolean, flush: () => void, parts: WordPart[]): string {
    const part = this.readExpansion(quoted);
    if (!part) return this.src[this.i++];
    flush();
    parts.push(part);
    return "";
  }

  /** $NAME, ${NAME}, $?, $1, $(…) or `…` at the cursor; undefined when the `$` is a plain character. */
  private readExpansion(quoted: boolean): WordPart | undefined {
    const src = this.src;
    if (src[this.i] === "`") {
      const end = src.indexOf("`", this.i + 1);
      if (end < 0) throw new ShellSyntaxError("Syntax error: EOF in backquote substitution", this.line, true);
      const inner = src.slice(this.i + 1, end);
      this.i = end + 1;
      return { kind: "command", script: parse(inner, this.line), quoted };
    }
    const next = src[this.i + 1];
    if (next === "(") {
      if (src[this.i + 2] === "(") throw new ShellSyntaxError("Syntax error: arithmetic expansion $((…)) is not simulated by the playground's shell", this.line);
      const end = matchingParen(src, this.i + 1);
      if (end < 0) throw new ShellSyntaxError('Syntax error: end of file unexpected (expecting ")")', this.line, true);
      const inner = src.slice(this.i + 2, end);
      this.i = end + 1;
      return { kind: "command", script: parse(inner, this.line), quoted };
    }
    if (next === "{") {
      const end = src.indexOf("}", this.i + 2);
      const name = end < 0 ? "" : src.slice(this.i + 2, end);
      if (!NAME.test(name) && !SPECIAL_PARAMETERS.has(name)) throw new ShellSyntaxError("Bad substitution", this.line);
      this.i = end + 1;
      return { kind: "variable", name, quoted };
    }
    if (next !== undefined && SPECIAL_PARAMETERS.has(next)) {
      this.i += 2;
      return { kind: "variable", name: next, quoted };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(this.i + 1))?.[0];
    if (!name) return undefined;
    this.i += 1 + name.length;
    return { kind: "variable", name, quoted };
  }
}

/** Index of the ")" closing the "(" at `open`, skipping quoted text and nested parentheses. */
function matchingParen(src: string, open: number): number {
  let depth = 0;
  for (let k = open; k < src.length; k++) {
    const c = src[k];
    if (c === "\\") k++;
    else if (c === "'") {
      const end = src.indexOf("'", k + 1);
      if (end < 0) return -1;
      k = end;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return k;
  }
  return -1;
}

/** How dash names a token it did not expect. */
export function describe(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of file unexpected";
    case "newline":
      return "newline unexpected";
    case "op":
      return `"${token.op}" unexpected`;
    case "io":
      return `"${token.op === ">&" ? ">&" : token.op}" unexpected`;
    default:
      return `"${token.raw}" unexpected`;
  }
}
