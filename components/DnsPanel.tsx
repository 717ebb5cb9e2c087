"use client";
import useSWR from "swr";
import { useTranslations } from "next-intl";
import type { DnsRecord, DnsResponse } from "@/lib/k8s/contract";
import { fetchJson, describeError } from "@/lib/client/api";
import { useThrottledValue } from "@/lib/client/throttle";
import { digLine, serviceDnsName } from "@/lib/k8s/dns";
import { ActionAlert } from "./ActionAlert";
import { CopyButton } from "./CopyButton";
import { PodDnsRecords } from "./PodDnsRecords";
import { richTags } from "./richTags";
import { styles } from "./styles";

const DNS_REFETCH_MS = 500;

/** One answer line as dig prints it; the data (SRV target, A address) stays on one line. */
function DigLine({ record, last }: { record: DnsRecord; last: boolean }) {
  const line = digLine(record);
  const cut = line.lastIndexOf("\t");
  return (
    <>
      {line.slice(0, cut + 1)}
      <span className="whitespace-nowrap">{line.slice(cut + 1)}</span>
      {last ? "" : "\n"}
    </>
  );
}

/**
 * What cluster DNS answers for the StatefulSet: per-pod A records, the headless service's SRV and A
 * records as dig prints them, and the ClusterIP service. `version` changes whenever the pods or
 * endpoint slices change, which refetches (no polling). `recorded`: a replayed moment's answers instead.
 */
export function DnsPanel({ statefulSet, namespace, version, recorded }: { statefulSet: string; namespace: string; version: string; recorded?: DnsResponse }) {
  // A first change refetches at once; a burst (1,000 pods starting) refetches twice a second, not per frame.
  const asked = useThrottledValue(version, DNS_REFETCH_MS);
  // A replayed moment brings its own answers (derived from the recorded objects): the live DNS is not asked.
  const live = useSWR<DnsResponse>(recorded ? null : [`/api/dns?statefulset=${encodeURIComponent(statefulSet)}`, asked], ([url]: [string, string]) => fetchJson<DnsResponse>(url), {
    keepPreviousData: true,
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
  });
  const { error, isLoading } = live;
  const data = recorded ?? live.data;
  const t = useTranslations("Dns");
  const headless = data?.headlessService ? serviceDnsName(data.headlessService, namespace) : undefined;
  const records = data?.records ?? [];
  const podRecords = headless ? records.filter((r) => r.type === "A" && r.name.endsWith(`.${headless}`)) : [];
  const srv = records.filter((r) => r.type === "SRV");
  const serviceA = headless ? records.filter((r) => r.type === "A" && r.name === headless) : [];
  const clusterIpName = data?.clusterIpService ? serviceDnsName(data.clusterIpService.name, namespace) : undefined;
  const clusterIpA = clusterIpName ? records.filter((r) => r.type === "A" && r.name === clusterIpName) : [];

  return (
    <section aria-label={t("title")} className={styles.panel}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className={styles.panelTitle}>{t("title")}</h2>
        {data && <p className="text-sm text-slate-500">{recorded ? t("recorded") : data.source === "dns-server" ? t("fromServer") : t("derived")}</p>}
      </div>
      {error && <ActionAlert error={describeError(error)} />}
      {!data && isLoading && <p className="mt-2 text-slate-500">{t("asking")}</p>}
      {data && (
        <div className="mt-3 space-y-4">
          <div>
            <h3 className="text-base font-semibold text-slate-700">{t("pods")}</h3>
            <PodDnsRecords records={podRecords} />
          </div>
          {headless && (
            <div>
              <h3 className="text-base font-semibold text-slate-700">
                {t.rich("headless", { ...richTags, name: data.headlessService ?? "" })}
              </h3>
              {/*
               * Wrapped, not scrolled: at half the page width the SRV target (the point of the record) was cut off on a
               * projector. A record wraps before its data, never inside it ("kubia-" / "0.kubia…" was unreadable).
               */}
              <pre className={`mt-1 whitespace-pre-wrap rounded-lg px-3 py-2 text-sm leading-relaxed ${styles.terminal}`}>
                {[...srv, ...serviceA].length === 0
                  ? t("noAnswer", { name: headless })
                  : [...srv, ...serviceA].map((r, i) => <DigLine key={`${r.type}|${r.name}|${r.data}`} record={r} last={i === srv.length + serviceA.length - 1} />)}
              </pre>
            </div>
          )}
          {data.clusterIpService && (
            <div>
              <h3 className="text-base font-semibold text-slate-700">{t("clusterIp")}</h3>
              <p className="font-mono text-base">
                {clusterIpName} → <strong>{clusterIpA.map((r: DnsRecord) => r.data).join(", ") || data.clusterIpService.clusterIP}</strong>
              </p>
            </div>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 flex-1 wrap-anywhere rounded-lg bg-slate-100 px-3 py-1.5 font-mono text-sm text-slate-800">{data.dig}</code>
            <CopyButton text={data.dig} />
          </div>
        </div>
      )}
    </section>
  );
}
