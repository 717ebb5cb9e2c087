import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from "./locales";

/**
 * The page's language: the one remembered in the cookie, else the best match of the browser's
 * Accept-Language (zh, zh-Hans, zh-TW all read Simplified Chinese rather than English), else English.
 * negotiator parses the header's q-values; intl-localematcher does BCP 47 best-fit matching.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined, cookie: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const requested = new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages().filter((l) => l !== "*");
  try {
    const found = match(requested, [...LOCALES], DEFAULT_LOCALE);
    return isLocale(found) ? found : DEFAULT_LOCALE;
  } catch {
    // A malformed tag (RangeError from Intl): the default, never a crash.
    return DEFAULT_LOCALE;
  }
}
