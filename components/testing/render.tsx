import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { ClusterContext } from "../ClusterContext";
import { embeddedCluster } from "@/lib/k8s/testing/fixtures";

export { embeddedCluster };


export const catalogues = { en, "zh-CN": zhCN } as const;

/** Server-renders a component inside the cluster context and a language (English unless told), for markup assertions without a DOM. */
export function render(element: ReactElement, cluster: ClusterInfo = embeddedCluster, locale: Locale = "en"): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={catalogues[locale]} timeZone="UTC">
      <ClusterContext value={{ cluster, recordAction: () => {} }}>{element}</ClusterContext>
    </NextIntlClientProvider>,
  );
}

/** The text of the markup without tags, whitespace collapsed (what a reader sees, roughly). */
export function textOf(html: string): string {
  return html
    .replace(/<\/?(span|strong|em|code|time|a|b|i)\b[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The inner HTML of the first element carrying this attribute value, nested elements included. */
export function elementWith(html: string, attribute: string, value: string): string | undefined {
  const open = html.indexOf(`${attribute}="${value}"`);
  if (open < 0) return undefined;
  const start = html.lastIndexOf("<", open);
  const tag = /^<([a-z0-9]+)/i.exec(html.slice(start))![1];
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, "gi");
  re.lastIndex = start;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  return undefined;
}
