"use client";
import { useTranslations } from "next-intl";
import { Modal } from "./Modal";
import { styles } from "./styles";

/** The keys and what they do, in the order a lesson uses them. */
export const SHORTCUT_KEYS = [
  ["+", "scaleUp"],
  ["-", "scaleDown"],
  ["s", "select"],
  ["d", "delete"],
  ["f", "forceDelete"],
  ["n", "lessonDoIt"],
  ["Space", "pause"],
  ["←", "back"],
  ["→", "forward"],
  ["l", "live"],
  ["p", "presenter"],
  ["t", "theme"],
  ["?", "help"],
] as const;

/** The `?` overlay: every keyboard shortcut of the page. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const t = useTranslations("Shortcuts");
  const tv = useTranslations("View");
  return (
    <Modal title={t("title")} onClose={onClose}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
        {SHORTCUT_KEYS.map(([key, label]) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="inline-block min-w-10 rounded-md border border-slate-400 bg-slate-50 px-2 py-0.5 text-center font-mono font-semibold">{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <div className="flex justify-end pt-2">
        <button type="button" className={styles.primaryButton} onClick={onClose} autoFocus>
          {tv("close")}
        </button>
      </div>
    </Modal>
  );
}
