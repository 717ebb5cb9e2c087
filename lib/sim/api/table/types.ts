import type { Stored } from "../../store/types";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** One resource's printer (`R`: its store key): the columns `kubectl get` shows and how to fill them (wide ones have priority 1). */
export interface Printer<R extends string = string> {
  columns: ColumnDefinition[];
  row(obj: Stored<R>, now: number): PrintedRow;
}

const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** Column shorthand: `col("Ready")`, `col("IP", 1, "...")`; "Name" and "Age" get the ObjectMeta descriptions. */
export function col(name: string, priority = 0, description = "", type = "string"): ColumnDefinition {
  const isName = name === "Name";
  return {
    name,
    type,
    format: isName ? "name" : "",
    description: description || (isName ? NAME_DESCRIPTION : name === "Age" ? AGE_DESCRIPTION : ""),
    priority,
  };
}
