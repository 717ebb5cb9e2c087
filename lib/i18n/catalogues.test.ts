import { describe, expect, it } from "vitest";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";

type Catalogue = { [key: string]: string | Catalogue };

/** Every leaf key as a dotted path, with its message. */
function leaves(catalogue: Catalogue, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** The arguments and rich tags a message uses: a translation must use the same ones. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) names.add(`{${e.value}}`);
      if (e.type === TYPE.tag) {
        names.add(`<${e.value}>`);
        walk(e.children);
      }
      if (e.type === TYPE.plural || e.type === TYPE.select) {
        names.add(`{${e.value}}`);
        for (const option of Object.values(e.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...names].sort();
}

const english = leaves(en);
const chinese = leaves(zhCN);

describe("message catalogues", () => {
  it("have the same keys", () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    expect(english.size).toBeGreaterThan(100);
  });

  it("use the same arguments and tags in both languages, and parse as ICU messages", () => {
    for (const [key, message] of english) expect(placeholders(chinese.get(key) ?? ""), key).toEqual(placeholders(message));
  });

  it("translate every sentence: a Chinese message that equals the English one is only names and symbols", () => {
    for (const [key, message] of chinese) {
      if (/\p{Script=Han}/u.test(message)) continue;
      // Untranslated on purpose: Kubernetes words and the app's name written as Kubernetes writes them, no sentence.
      expect(message.split(/\s+/).filter((w) => /^[a-z]{3,}$/.test(w)), key).toEqual([]);
    }
  });
});
