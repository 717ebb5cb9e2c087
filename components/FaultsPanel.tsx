"use client";
import type { ReactNode } from "react";
import useSWR from "swr";
import { useTranslations } from "next-intl";
import type { FaultsState } from "@/lib/k8s/contract";
import { api, describeError, fetchJson } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { ActionAlert } from "./ActionAlert";
import { ActionLockNote } from "./ActionLockNote";
import { useActionLock } from "./ClusterContext";
import { richTags } from "./richTags";
import { styles } from "./styles";

function Toggle({ label, hint, checked, disabled, onChange }: { label: string; hint: ReactNode; checked: boolean; disabled: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-lg px-2 py-1.5 hover:bg-slate-50">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} className="mt-1 h-5 w-5 accent-rose-700" />
      <span>
        <span className="block text-base font-medium text-slate-900">{label}</span>
        <span className="block text-sm text-slate-600">{hint}</span>
      </span>
    </label>
  );
}

/** The failures the book's chapter walks through, on demand (embedded cluster only): no storage, a missing image, a broken pod network. */
export function FaultsPanel({ images }: { images: string[] }) {
  const { data, error, mutate } = useSWR<FaultsState>("/api/faults", fetchJson, { revalidateOnFocus: false, revalidateOnReconnect: false });
  const { run, pending, error: actionError, clear } = useAction();
  const t = useTranslations("Faults");
  const lock = useActionLock();
  // Optimistic: the checkbox flips at once (and flips back if the server refuses).
  const set = (patch: Partial<FaultsState>) =>
    run(() => mutate(api.setFaults(patch), { optimisticData: (current) => ({ ...(current as FaultsState), ...patch }), rollbackOnError: true, revalidate: false }));
  const missing = new Set(data?.missingImages ?? []);
  const allImages = [...new Set([...images, ...missing])].sort();
  return (
    <section aria-label={t("title")} className={styles.panel}>
      <h2 className={styles.panelTitle}>{t("title")}</h2>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <ActionLockNote className="mt-1" />
      {error && <ActionAlert error={describeError(error)} />}
      {data && (
        <div className="mt-2 space-y-1">
          <Toggle
            label={t("storage")}
            hint={t.rich("storageHint", richTags)}
            checked={data.storageUnavailable}
            disabled={pending || lock.locked}
            onChange={(on) => set({ storageUnavailable: on })}
          />
          {allImages.map((image) => (
            <Toggle
              key={image}
              label={t("image", { image })}
              hint={t("imageHint")}
              checked={missing.has(image)}
              disabled={pending || lock.locked}
              onChange={(on) => set({ missingImages: on ? [...missing, image] : [...missing].filter((i) => i !== image) })}
            />
          ))}
          <Toggle
            label={t("network")}
            hint={t("networkHint")}
            checked={data.brokenPodNetwork}
            disabled={pending || lock.locked}
            onChange={(on) => set({ brokenPodNetwork: on })}
          />
        </div>
      )}
      <ActionAlert error={actionError} onDismiss={clear} />
    </section>
  );
}
