import { type FileSystem, resolvePath } from "./filesystem";

/** A word after expansion, with which characters may still glob (those not quoted). */
export interface Field {
  text: string;
  globbable: boolean[];
}

const GLOB = /[*?]/;

/** Pathname expansion of `*` and `?` that were not quoted; no match leaves the word as it is. */
export function glob(fs: FileSystem, cwd: string, field: Field): string[] {
  const hasGlob = [...field.text].some((ch, i) => field.globbable[i] && GLOB.test(ch));
  if (!hasGlob) return [field.text];
  const absolute = field.text.startsWith("/");
  const segments = field.text.split("/");
  let offset = 0;
  const patterns = segments.map((segment) => {
    const flags = field.globbable.slice(offset, offset + segment.length);
    offset += segment.length + 1;
    return { segment, flags };
  });
  let matches = [absolute ? "/" : ""];
  for (const { segment, flags } of patterns.slice(absolute ? 1 : 0)) {
    if (segment === "") continue;
    const regex = globRegex(segment, flags);
    const next: string[] = [];
    for (const base of matches) {
      if (!regex) {
        next.push(joinPath(base, segment));
        continue;
      }
      const dir = resolvePath(cwd, base || ".");
      let names: string[];
      try {
        names = fs.list(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) if (regex.test(name) && (!name.startsWith(".") || segment.startsWith("."))) next.push(joinPath(base, name));
    }
    matches = next.filter((m) => regex === undefined || fs.exists(resolvePath(cwd, m)));
  }
  return matches.length ? matches : [field.text];
}

function joinPath(base: string, name: string): string {
  if (base === "") return name;
  return base.endsWith("/") ? base + name : `${base}/${name}`;
}

/** A segment pattern as a regex, or undefined when nothing in it globs. */
export function globRegex(segment: string, flags: boolean[]): RegExp | undefined {
  if (![...segment].some((ch, i) => flags[i] && GLOB.test(ch))) return undefined;
  let source = "";
  [...segment].forEach((ch, i) => {
    if (flags[i] && ch === "*") source += "[^/]*";
    else if (flags[i] && ch === "?") source += "[^/]";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`^${source}$`);
}
