"use client";
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { styles } from "./styles";

/** Clipboard API where allowed (secure contexts: https or loopback), else the old selection trick. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through: permission denied or an insecure origin.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

/** "Copy" — says "Copied" for a moment afterwards. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useTranslations("Common");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button type="button" className={styles.smallButton} data-copy-text={text} onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}>
      {state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : (label ?? t("copy"))}
    </button>
  );
}
