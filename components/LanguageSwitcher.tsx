"use client";
import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { rememberLocale } from "@/lib/client/locale";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n/locales";

/**
 * The page's language, switchable in the header: the choice is remembered in a cookie (read by
 * i18n/request.ts on the server) and the page re-renders in place — the URL, the watched state
 * and any open stream stay as they are.
 */
export function LanguageSwitcher() {
  const t = useTranslations("Language");
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const choose = (locale: Locale) => {
    rememberLocale(locale);
    startTransition(() => router.refresh());
  };
  return (
    <div role="group" aria-label={t("label")} className="flex overflow-hidden rounded-lg border border-slate-300">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          aria-pressed={current === locale}
          disabled={pending}
          onClick={() => choose(locale)}
          className={`px-3 py-1.5 text-base font-semibold focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600 ${current === locale ? "bg-slate-900 text-white" : "bg-white text-slate-800 hover:bg-slate-100"}`}
        >
          {LOCALE_NAMES[locale]}
        </button>
      ))}
    </div>
  );
}
