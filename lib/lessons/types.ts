import type { FaultsState, Snapshot, StatefulSetSettings } from "@/lib/k8s/contract";

/** What a step's **Do it** button does: one of the dashboard's own actions (same routes, same kubectl records). */
export type LessonAction =
  | { kind: "reset" }
  | { kind: "parallel" }
  | { kind: "scale"; replicas: number }
  | { kind: "deletePod"; pod: string; force?: boolean }
  | { kind: "failNodeOf"; pod: string }
  | { kind: "recoverNodes" }
  | { kind: "writeData"; pod: string; text: string }
  | { kind: "readData"; pod: string }
  | { kind: "faults"; patch: Partial<FaultsState> }
  | { kind: "readinessFile"; pod: string; ready: boolean }
  | { kind: "settings"; settings: StatefulSetSettings };

/**
 * What a step may need that a cluster can lack: fault injection and failing a node from the page
 * (the embedded cluster only), and pods that run their containers (not on KWOK's fake nodes, where a
 * pod is Running without any process, so nothing answers through it).
 */
export type StepNeed = "faults" | "nodeFailure" | "containers";

/** Facts remembered when a step becomes current (a pod's uid, the newest action), so its check can compare. */
export type Baseline = Record<string, string>;

export interface LessonStep {
  /** Message keys: Lessons.<lesson>.<id>.do and .why */
  id: string;
  /** The exact kubectl command(s) for a terminal, in the cluster's namespace. */
  command: (namespace: string) => string;
  /** Done in order, one after another (e.g. switch a fault on, then scale). */
  actions?: LessonAction[];
  /** Needs what not every cluster has (lib/lessons/abilities.ts): skipped, with this reason shown, where it is missing. */
  needs?: StepNeed;
  baseline?: (s: Snapshot) => Baseline;
  /** True once the watched state shows the step happened. Never a timer. */
  check: (s: Snapshot, baseline: Baseline) => boolean;
}

export interface Lesson {
  id: string;
  steps: LessonStep[];
}
