/** The page's languages; English is the default (a browser that states no preference gets it). */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The cookie that remembers a language chosen in the header (next-intl's conventional name). */
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** Each language named in itself, so a reader who cannot read the current one still finds theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "中文" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
