"use client";
import { useTranslations } from "next-intl";
import { Modal } from "../Modal";
import { styles } from "../styles";

/** Restarting a lesson offers to reset the demo too (the lesson's first step expects the fresh demo). */
export function RestartLessonDialog({ title, onRestart, onClose }: { title: string; onRestart: (resetDemo: boolean) => void; onClose: () => void }) {
  const ui = useTranslations("LessonsUi");
  const common = useTranslations("Common");
  return (
    <Modal title={ui("restartTitle", { lesson: title })} onClose={onClose}>
      <p>{ui("restartBody")}</p>
      <div className="flex flex-wrap justify-end gap-3 pt-2">
        <button type="button" className={styles.secondaryButton} onClick={onClose} autoFocus>
          {common("cancel")}
        </button>
        <button type="button" className={styles.secondaryButton} onClick={() => onRestart(false)}>
          {ui("restartOnly")}
        </button>
        <button type="button" className={styles.dangerButton} onClick={() => onRestart(true)}>
          {ui("restartAndReset")}
        </button>
      </div>
    </Modal>
  );
}
