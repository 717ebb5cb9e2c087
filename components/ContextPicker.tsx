"use client";
import { useId, useState } from "react";
import useSWR from "swr";
import { useTranslations } from "next-intl";
import type { ClusterInfo, ContextList } from "@/lib/k8s/contract";
import { api, fetchJson } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { ActionAlert } from "./ActionAlert";
import { LabelledSelect } from "./LabelledSelect";

/**
 * The kubeconfig's contexts, on a real cluster whose kubeconfig has several: choosing one in the
 * list changes nothing until "Use context" is pressed (never a silent switch). The server then
 * watches the chosen context — in the same namespace — and the page's stream reconnects to it.
 */
export function ContextPicker({ cluster }: { cluster: ClusterInfo }) {
  const t = useTranslations("ContextPicker");
  const id = useId();
  // Keyed by the context in use: a switch (from any viewer) refreshes the list.
  const { data } = useSWR<ContextList>(cluster.mode === "real" ? ["/api/contexts", cluster.context] : null, ([path]: [string]) => fetchJson<ContextList>(path));
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const { run, pending, error, clear } = useAction();
  if (!data?.switchable || data.contexts.length < 2) return null;
  const selected = chosen !== undefined && data.contexts.includes(chosen) ? chosen : cluster.context;
  const use = () => run(() => api.useContext(selected)).then((done) => done && setChosen(undefined));
  return (
    <div>
      <div className="flex items-center gap-3">
        <LabelledSelect
          id={id}
          label={t("label")}
          names={data.contexts}
          value={selected}
          onChange={setChosen}
          describedBy={`${id}-note`}
          disabled={pending}
          width="max-w-[24rem]"
        />
        <button
          type="button"
          onClick={use}
          disabled={pending || selected === cluster.context}
          className="rounded-lg bg-slate-900 px-4 py-2 text-lg font-semibold text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:bg-slate-400 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600"
        >
          {t("use")}
        </button>
      </div>
      <p id={`${id}-note`} className="mt-1 text-sm text-slate-600">
        {t("namespaceNote", { namespace: data.namespace })}
      </p>
      <ActionAlert error={error} onDismiss={clear} />
    </div>
  );
}
