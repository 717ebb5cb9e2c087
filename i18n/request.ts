import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import { negotiateLocale } from "@/lib/i18n/negotiate";

/**
 * next-intl without locale routing: the URL stays `/`, the language comes from the cookie set by
 * the header's switch, else from Accept-Language.
 */
export default getRequestConfig(async () => {
  const locale = negotiateLocale((await headers()).get("accept-language"), (await cookies()).get(LOCALE_COOKIE)?.value);
  // timeZone: nothing is formatted as a date through next-intl (ages are relative); set so it never warns.
  return { locale, timeZone: "UTC", messages: (await import(`../messages/${locale}.json`)).default };
});
