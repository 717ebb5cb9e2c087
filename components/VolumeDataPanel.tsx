"use client";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import type { PodDataResponse } from "@/lib/k8s/contract";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { ActionAlert } from "./ActionAlert";
import { useActionLock } from "./ClusterContext";
import { styles } from "./styles";

/**
 * Talks to the pod's kubia app through the API server's pod proxy: POST stores a line on the
 * pod's volume, GET answers the pod's name and what the volume holds — so a PVC re-attached after
 * scale-down/up shows the same data, not just the same name. Inside a <details> (the PVC's), it
 * reads the data each time that is opened, so it is there without another click.
 */
export function VolumeDataPanel({ pod }: { pod: string }) {
  const section = useRef<HTMLElement>(null);
  const [text, setText] = useState("");
  const [answer, setAnswer] = useState<PodDataResponse | null>(null);
  const { run, pending, error, clear } = useAction();
  const t = useTranslations("VolumeData");
  // The volume is read and written now, through the live pod: not from a replayed moment.
  const lock = useActionLock();

  const write = async (e: FormEvent) => {
    e.preventDefault();
    if (!text) return;
    const result = await run(() => api.writePodData(pod, text));
    if (result) {
      setAnswer(result);
      setText("");
    }
  };
  const read = useCallback(async () => {
    const result = await run(() => api.readPodData(pod));
    if (result) setAnswer(result);
  }, [run, pod]);
  const { locked } = lock;
  useEffect(() => {
    const details = section.current?.closest("details");
    if (!details) return;
    const onToggle = () => {
      if (details.open && !locked) void read();
    };
    details.addEventListener("toggle", onToggle);
    return () => details.removeEventListener("toggle", onToggle);
  }, [read, locked]);

  return (
    <section ref={section} aria-label={t("label", { pod })} className="mt-2 rounded-xl p-2 ring-1 ring-slate-200">
      <h5 className={styles.factLabel}>{t("title", { pod })}</h5>
      <form onSubmit={write} className="mt-2 flex flex-wrap items-center gap-2">
        <input
          type="text"
          aria-label={t("input", { pod })}
          placeholder={t("placeholder")}
          value={text}
          maxLength={4096}
          onChange={(e) => setText(e.target.value)}
          className={`${styles.input} min-w-0 flex-1 py-1.5 text-base`}
        />
        <button type="submit" className={styles.smallButton} disabled={pending || lock.locked || text === ""} title={lock.reason}>
          {t("write")}
        </button>
        <button type="button" className={styles.smallButton} onClick={read} disabled={pending || lock.locked} title={lock.reason}>
          {t("read")}
        </button>
      </form>
      {answer && (
        <output aria-label={t("answer", { pod })} className="mt-2 block">
          <span className="text-xs text-slate-500">{t("http", { status: answer.status })}</span>
          <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap rounded-lg bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-slate-200">
            {answer.body}
          </pre>
        </output>
      )}
      <ActionAlert error={error} onDismiss={clear} />
    </section>
  );
}
