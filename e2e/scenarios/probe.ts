import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { DashboardPage } from "../pages/DashboardPage";

/**
 * What a scenario asks of the cluster behind the page: the teacher's terminal beside the dashboard,
 * never the page under test. One implementation per target (e2e/support/probe.ts for the embedded
 * cluster, e2e/real-dashboard/pw/probe.ts for the real control plane), so each scenario is written
 * once and played on both.
 */
export interface ClusterProbe {
  /** The namespace the dashboard shows (the kubectl commands it prints carry `-n <namespace>`). */
  namespace: string;
  /** The pod as the API server has it now; undefined once it is gone. */
  pod(name: string): Promise<V1Pod | undefined>;
  claim(name: string): Promise<V1PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<V1PersistentVolume | undefined>;
  /** The pods run the book's kubia app, so volume contents can be written and read back (the embedded cluster). */
  volumeData: boolean;
  /** The dashboard offers Fail node / Recover node (the embedded cluster); on a real cluster the teacher's terminal does it. */
  nodeButtons: boolean;
  /** The book's failures can be injected from the page (no storage, a missing image, a broken pod network: the embedded cluster). */
  faults: boolean;
  /** Takes the node's kubelet away (through the page's Fail node button where it has one). */
  failNode(dashboard: DashboardPage, node: string): Promise<void>;
  recoverNode(dashboard: DashboardPage, node: string): Promise<void>;
  /**
   * The node controller's taint-based eviction (300 s toleration of `unreachable`) happens within a
   * test: the embedded cluster runs sped up. On a real control plane the scenario deletes the pod itself.
   */
  evictsInTime: boolean;
  /** kubectl in the teacher's terminal, with admin rights; resolves with stdout, rejects with stderr. */
  kubectl(args: string[], input?: string): Promise<string>;
}

/** The claim's bound volume as the API server has it. */
export async function volumeOf(probe: ClusterProbe, claim: string): Promise<string | undefined> {
  return (await probe.claim(claim))?.spec?.volumeName;
}
