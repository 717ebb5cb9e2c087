import type { RbacV1Subject } from "@kubernetes/client-node";
import type { StoredObject } from "../../store/store";
import { fieldDoc } from "./apps";
import { formatAge as since } from "../../../k8s/time";
import { col, type Printer } from "./types";

/** printSecret: TYPE and the number of DATA keys. */
export const secretPrinter: Printer<"secrets"> = {
  columns: [col("Name"), col("Type", 0, fieldDoc("V1Secret", "type")), col("Data", 0, fieldDoc("V1Secret", "data")), col("Age")],
  row(secret, now) {
    return { cells: [secret.metadata?.name, secret.type ?? "", Object.keys(secret.data ?? {}).length, since(secret.metadata?.creationTimestamp, now)] };
  },
};

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts. */
function subjectsStrings(subjects: RbacV1Subject[] | undefined): [string, string, string] {
  const of = (kind: string) => (subjects ?? []).filter((s) => s.kind === kind);
  const accounts = of("ServiceAccount").map((s) => `${s.namespace ?? ""}/${s.name}`);
  return [of("User").map((s) => s.name).join(", "), of("Group").map((s) => s.name).join(", "), accounts.join(", ")];
}

/** printRoleBinding / printClusterRoleBinding: ROLE is `Kind/name` (a ClusterRoleBinding has a RoleBinding's shape). */
function bindingPrinter(scope: "roleBinding" | "clusterRoleBinding", roleRefDoc: string): Printer<"rolebindings.rbac.authorization.k8s.io"> {
  return {
    columns: [
      col("Name"),
      col("Role", 0, roleRefDoc),
      col("Age"),
      col("Users", 1, `Users in the ${scope}`),
      col("Groups", 1, `Groups in the ${scope}`),
      col("ServiceAccounts", 1, `ServiceAccounts in the ${scope}`),
    ],
    row(binding, now) {
      return { cells: [binding.metadata?.name, `${binding.roleRef?.kind}/${binding.roleRef?.name}`, since(binding.metadata?.creationTimestamp, now), ...subjectsStrings(binding.subjects)] };
    },
  };
}

export const roleBindingPrinter = bindingPrinter("roleBinding", fieldDoc("V1RoleBinding", "roleRef"));
export const clusterRoleBindingPrinter = bindingPrinter("clusterRoleBinding", fieldDoc("V1ClusterRoleBinding", "roleRef"));

/**
 * The API server's DefaultTableConvertor, for kinds without a printer (Roles, ClusterRoles):
 * NAME and CREATED AT, the creation time in RFC 3339.
 */
export const createdAtPrinter: Printer = {
  columns: [col("Name"), col("Created At", 0, fieldDoc("V1ObjectMeta", "creationTimestamp"), "date")],
  row(obj: StoredObject) {
    const created = obj.metadata?.creationTimestamp as unknown;
    const text = created instanceof Date ? created.toISOString().replace(/\.\d{3}Z$/, "Z") : String(created ?? "");
    return { cells: [obj.metadata?.name, text] };
  },
};
