import type { V1Job } from "@kubernetes/client-node";
import { modelDocs } from "../openapi/descriptions";
import { formatAge as since, humanDuration } from "../../../k8s/time";
import { formatLabelSelector, labelSelectorString } from "./format";
import { col, type Printer } from "./types";
import { containerCells } from "./workloads";

/** The upstream description of a field, as the printers take it from SwaggerDoc(). */
export const fieldDoc = (model: string, field: string) => modelDocs(model)?.properties.get(field) ?? "";
const TEMPLATE_COLUMNS = [col("Containers", 1, "Names of each container in the template."), col("Images", 1, "Images referenced by each container in the template.")];
const int = (name: string, description: string) => col(name, 0, description, "integer");

/** pkg/printers/internalversion: printDeployment. */
export const deploymentPrinter: Printer<"deployments.apps"> = {
  columns: [
    col("Name"),
    col("Ready", 0, "Number of the pod with ready state"),
    col("Up-to-date", 0, fieldDoc("V1DeploymentStatus", "updatedReplicas")),
    col("Available", 0, fieldDoc("V1DeploymentStatus", "availableReplicas")),
    col("Age"),
    ...TEMPLATE_COLUMNS,
    col("Selector", 1, fieldDoc("V1DeploymentSpec", "selector")),
  ],
  row(d, now) {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    const s = d.status ?? {};
    return { cells: [d.metadata?.name, `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, since(d.metadata?.creationTimestamp, now), names, images, labelSelectorString(d.spec?.selector)] };
  },
};

/** printReplicaSet. */
export const replicaSetPrinter: Printer<"replicasets.apps"> = {
  columns: [
    col("Name"),
    int("Desired", fieldDoc("V1ReplicaSetSpec", "replicas")),
    int("Current", fieldDoc("V1ReplicaSetStatus", "replicas")),
    int("Ready", fieldDoc("V1ReplicaSetStatus", "readyReplicas")),
    col("Age"),
    ...TEMPLATE_COLUMNS,
    col("Selector", 1, fieldDoc("V1ReplicaSetSpec", "selector")),
  ],
  row(rs, now) {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return { cells: [rs.metadata?.name, rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, since(rs.metadata?.creationTimestamp, now), names, images, formatLabelSelector(rs.spec?.selector)] };
  },
};

/** printDaemonSet. */
export const daemonSetPrinter: Printer<"daemonsets.apps"> = {
  columns: [
    col("Name"),
    int("Desired", fieldDoc("V1DaemonSetStatus", "desiredNumberScheduled")),
    int("Current", fieldDoc("V1DaemonSetStatus", "currentNumberScheduled")),
    int("Ready", fieldDoc("V1DaemonSetStatus", "numberReady")),
    int("Up-to-date", fieldDoc("V1DaemonSetStatus", "updatedNumberScheduled")),
    int("Available", fieldDoc("V1DaemonSetStatus", "numberAvailable")),
    col("Node Selector", 0, fieldDoc("V1PodSpec", "nodeSelector")),
    col("Age"),
    ...TEMPLATE_COLUMNS,
    col("Selector", 1, fieldDoc("V1DaemonSetSpec", "selector")),
  ],
  row(ds, now) {
    const s = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    const nodeSelector = Object.entries(ds.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(",") || "<none>";
    const counts = [s?.desiredNumberScheduled ?? 0, s?.currentNumberScheduled ?? 0, s?.numberReady ?? 0, s?.updatedNumberScheduled ?? 0, s?.numberAvailable ?? 0];
    return { cells: [ds.metadata?.name, ...counts, nodeSelector, since(ds.metadata?.creationTimestamp, now), names, images, formatLabelSelector(ds.spec?.selector)] };
  },
};

const JOB_STATUS_BY_CONDITION: [string, string][] = [
  ["Complete", "Complete"],
  ["Failed", "Failed"],
];
const LATER_CONDITIONS: [string, string][] = [
  ["Suspended", "Suspended"],
  ["FailureTarget", "FailureTarget"],
  ["SuccessCriteriaMet", "SuccessCriteriaMet"],
];

/** printJob's STATUS: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet, else Running. */
export function jobStatus(job: V1Job): string {
  const has = (type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
  const first = JOB_STATUS_BY_CONDITION.find(([type]) => has(type));
  if (first) return first[1];
  if (job.metadata?.deletionTimestamp) return "Terminating";
  return LATER_CONDITIONS.find(([type]) => has(type))?.[1] ?? "Running";
}

function jobCompletions(job: V1Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

const ms = (t: unknown) => (t instanceof Date ? t.getTime() : Date.parse(String(t)));

/** printJob. */
export const jobPrinter: Printer<"jobs.batch"> = {
  columns: [
    col("Name"),
    col("Status", 0, "Status of the job."),
    col("Completions", 0, fieldDoc("V1JobStatus", "succeeded")),
    col("Duration", 0, "Time required to complete the job."),
    col("Age"),
    ...TEMPLATE_COLUMNS,
    col("Selector", 1, fieldDoc("V1JobSpec", "selector")),
  ],
  row(job, now) {
    const start = job.status?.startTime;
    const end = job.status?.completionTime;
    const duration = !start ? "" : humanDuration((end ? ms(end) : now) - ms(start));
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return { cells: [job.metadata?.name, jobStatus(job), jobCompletions(job), duration, since(job.metadata?.creationTimestamp, now), names, images, formatLabelSelector(job.spec?.selector)] };
  },
};
