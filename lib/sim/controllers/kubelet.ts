import type { SimContext } from "../context";
import { NodeKubelet } from "./kubelet/node-kubelet";

export { NodeKubelet } from "./kubelet/node-kubelet";

export interface RunningKubelets {
  name: string;
  /** The kubelet of each node, by node name. */
  kubelets: Map<string, NodeKubelet>;
  stop(): void;
}

/**
 * Starts one simulated kubelet per Node, including nodes added later; a deleted node's kubelet stops.
 */
export function startKubelets(ctx: SimContext): RunningKubelets {
  const kubelets = new Map<string, NodeKubelet>();
  const ensure = (name: string) => {
    if (!kubelets.has(name)) kubelets.set(name, new NodeKubelet(ctx, name));
  };
  for (const node of ctx.store.list("nodes").items) ensure(node.metadata.name!);
  const unwatch = ctx.store.watch("nodes", {}, (type, node) => {
    const name = node.metadata.name!;
    if (type === "DELETED") {
      kubelets.get(name)?.stop();
      kubelets.delete(name);
    } else ensure(name);
  });
  return {
    name: "kubelets",
    kubelets,
    stop() {
      unwatch();
      for (const k of kubelets.values()) k.stop();
      kubelets.clear();
    },
  };
}
