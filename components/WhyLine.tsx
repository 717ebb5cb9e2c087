"use client";
import { useTranslations } from "next-intl";
import { richTags } from "./richTags";
import { useWhy } from "./WhyContext";

/** "Why is nothing happening?" for one ordinal: the controller's reason in one sentence, in the reader's language. */
export function WhyLine({ ordinal }: { ordinal: number }) {
  const why = useWhy(ordinal);
  const t = useTranslations("Why");
  if (!why) return null;
  return (
    <p data-why={why.key} className="rounded-xl bg-indigo-50 px-2 py-1 text-sm leading-snug text-indigo-950 ring-1 ring-indigo-200">
      <span aria-hidden="true" className="mr-1.5 font-bold">
        ?
      </span>
      {t.rich(why.key, { ...richTags, ...why.values })}
    </p>
  );
}
