/**
 * The command language of the simulated container's `sh` (Debian's dash in the book's node:7 image,
 * busybox ash in busybox): words with '…', "…" and \ quoting, $VAR / ${VAR} / $? / $1 / $(…)
 * expansion, `>`, `>>`, `<`, `2>&1` redirections, `|` pipelines, `&&` / `||` lists, `;` / newline
 * sequencing, and the compound commands if, while, until, for, { …; }, ( … ) and function
 * definitions. case, here-documents, arithmetic and background jobs are not simulated: they are
 * refused with a message that says so rather than misread.
 */

export type WordPart =
  | { kind: "text"; text: string; quoted: boolean }
  | { kind: "variable"; name: string; quoted: boolean }
  | { kind: "command"; script: Script; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number;
  op: ">" | ">>" | "<" | ">&";
  /** A file name, or for `>&` the descriptor number as a word ("1" in `2>&1`). */
  target: Word;
}

export interface SimpleCommand {
  kind: "simple";
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

/** if / elif / else: the first clause whose condition succeeds runs its body. */
export interface IfCommand {
  kind: "if";
  clauses: { condition: Script; body: Script }[];
  otherwise?: Script;
  redirects: Redirect[];
}

export interface LoopCommand {
  kind: "while" | "until";
  condition: Script;
  body: Script;
  redirects: Redirect[];
}

export interface ForCommand {
  kind: "for";
  name: string;
  /** Undefined without `in`: the loop runs over "$@". */
  words?: Word[];
  body: Script;
  redirects: Redirect[];
}

/** `{ …; }` runs in this shell, `( … )` in a subshell. */
export interface GroupCommand {
  kind: "group" | "subshell";
  body: Script;
  redirects: Redirect[];
}

/** `name() compound-command`: defines a function; running it later runs the body with new positional parameters. */
export interface FunctionDefinition {
  kind: "function";
  name: string;
  body: Command;
}

export type Command = SimpleCommand | IfCommand | LoopCommand | ForCommand | GroupCommand | FunctionDefinition;

export interface Pipeline {
  commands: Command[];
  negated: boolean;
}

export interface AndOrList {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
  /** The script line the list starts on (dash prefixes its errors with it). */
  line: number;
}

export type Script = AndOrList[];

/** A script the shell cannot run; `message` is what follows `sh: <line>: ` in dash's error. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** The input ended inside a command (an open quote, `if` without `fi`): more lines may complete it. */
    readonly incomplete = false,
  ) {
    super(message);
  }
}
