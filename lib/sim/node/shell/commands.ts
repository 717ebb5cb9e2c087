import { basename } from "./filesystem";
import type { Program } from "./process";

import { ln, mkdir, mv, rm, rmdir, touch } from "./files";
import { ls } from "./ls";
import { date, env, hostname, id, printenv, pwd, sleepProgram, testProgram, uname, whoami } from "./system";
import { cat, echo, grep, headOrTail, sort, wc } from "./text";

/**
 * The GNU coreutils (8.23, Debian jessie) programs of the book's image, with their messages in the
 * C locale (the image sets no LANG): `cat: x: No such file or directory`, `ls: cannot access x: …`.
 */

export { echoArguments, printfFormat } from "./text";
export { formatDate, testExpression } from "./system";

/** Programs the real image has that the playground does not imitate: said plainly, never faked. */
export const notSimulated: Program = async (p) => {
  p.stderr.write(`${basename(p.argv[0])}: this program is in the real image but not simulated by the playground\n`);
  return 126;
};

const exitWith = (code: number): Program => async () => code;

export const COMMANDS: Record<string, Program> = {
  cat,
  ls,
  ln,
  echo,
  hostname,
  env,
  printenv,
  date,
  pwd,
  mkdir,
  touch,
  rm,
  mv,
  rmdir,
  head: headOrTail("head"),
  tail: headOrTail("tail"),
  wc,
  sleep: sleepProgram,
  true: exitWith(0),
  false: exitWith(1),
  test: testProgram,
  "[": testProgram,
  grep,
  sort,
  uname,
  whoami,
  id,
};
