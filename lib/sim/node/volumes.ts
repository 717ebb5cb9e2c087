import type { VolumeData } from "../context";

/**
 * The contents of the embedded cluster's PersistentVolumes, by PV name.
 *
 * Keyed by the PV (not the pod or the PVC) because that is where a real volume's bytes live: they
 * survive pod deletion, rescheduling and PVC reuse, and go away only when the PV is reclaimed.
 * An entry with "" is an existing but empty file, which the kubia app tells apart from "no file"
 * (`names()` lists it), so `erase` and `write(pv, "")` are different things.
 * Listeners run synchronously, before `write`/`erase` return, so persistence can record the change
 * durably before anyone is told it happened.
 */
export function createVolumeData(): VolumeData {
  const contents = new Map<string, string>();
  const listeners = new Set<(pvName: string) => void>();
  const notify = (pvName: string) => {
    for (const listener of [...listeners]) listener(pvName);
  };
  return {
    read: (pvName) => contents.get(pvName) ?? "",
    write: (pvName, content) => {
      contents.set(pvName, content);
      notify(pvName);
    },
    erase: (pvName) => {
      if (!contents.delete(pvName)) return; // nothing to erase: no change to report
      notify(pvName);
    },
    names: () => [...contents.keys()].sort(),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// Files on a PV besides the app's data file (made with `kubectl exec`, lib/sim/node/shell) live in
// the same VolumeData, so they persist and stay with the PV like the data file: `<pv>/<path>`, and
// `<pv>/<path>/` for a directory. PV names are DNS subdomains (no "/"), so keys never collide.

/**
 * Drops the extra files of PVs that no longer exist. The PV provisioner erases only a reclaimed PV's
 * data file; its other files go here, the next time someone looks at a volume.
 */
export function pruneVolumeFiles(volumes: VolumeData, existingPvs: Set<string>): void {
  for (const key of volumes.names()) {
    const slash = key.indexOf("/");
    if (slash > 0 && !existingPvs.has(key.slice(0, slash))) volumes.erase(key);
  }
}
