import type { V1Node } from "@kubernetes/client-node";
import type { Kube } from "./kube";
import type { NamespaceRecorder } from "./recorder";
import type { Snapshot } from "./trace";

/** What a step's action and its wait condition can use. */
export interface ScenarioContext {
  kube: Kube;
  namespace: string;
  /** The StatefulSet of the scenario (always `kubia`). */
  setName: string;
  recorder: NamespaceRecorder;
  /** Nodes this scenario marked down, recovered at cleanup whatever happens. */
  downNodes: Set<string>;
  /** Latest node list (refreshed while waiting). */
  nodes: V1Node[];
  /**
   * Per-run values a step's action hands to its wait condition. Steps are shared by the runs on
   * both clusters (which go on at the same time), so they must keep no state of their own.
   */
  scratch: Map<string, unknown>;
}

export interface Step {
  /** Shown in traces and the report: what the user does, e.g. "scale to 3". */
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
  /**
   * Whether the order of pod and PVC operations during the step is part of its semantics
   * (OrderedReady creates and deletes one pod at a time, in ordinal order). Otherwise the ops
   * are compared as a multiset: Parallel acts on several pods concurrently.
   */
  ordered: boolean;
  /**
   * The end state the step leads to, waited for in addition to generic stability: without it a
   * step whose next change is far off (a node's grace period) would look stable too early. A
   * cluster that never gets there makes the step time out, which the trace records.
   */
  until?: (s: Snapshot, ctx: ScenarioContext) => boolean;
  timeoutMs?: number;
  /**
   * The step does what reasons given before it say they wait for (a node Ready again, a finalizer
   * removed), not something new: their predictions are judged over what follows it too, instead of
   * ending "open" at it (why-check.ts).
   */
  awaited?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  steps: Step[];
}
