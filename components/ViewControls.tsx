"use client";
import { useTranslations } from "next-intl";
import { styles } from "./styles";

/** Theme and presenter toggles (pressed = on), and the shortcut help. */
export function ViewControls({ dark, presenter, onToggleDark, onTogglePresenter, onHelp }: { dark: boolean; presenter: boolean; onToggleDark: () => void; onTogglePresenter: () => void; onHelp: () => void }) {
  const t = useTranslations("View");
  const toggle = `${styles.smallButton} aria-pressed:bg-slate-900 aria-pressed:text-white`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={toggle} aria-pressed={dark} onClick={onToggleDark}>
        {t("dark")}
      </button>
      <button type="button" className={toggle} aria-pressed={presenter} onClick={onTogglePresenter}>
        {t("presenter")}
      </button>
      <button type="button" className={styles.smallButton} onClick={onHelp} aria-keyshortcuts="?">
        <span aria-hidden="true">?</span>
        <span className="sr-only">{t("help")}</span>
      </button>
    </div>
  );
}
