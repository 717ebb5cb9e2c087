import { timeField } from "../../../k8s/time";
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { withTestCluster } from "../testing/cluster";
import { jobStatus } from "../../api/table/apps";
import { startJobController } from "./job";

// The Job controller alone: no kubelet runs the pods, the test reports how each one ended.
const world = withTestCluster({ controllers: startJobController });

const seconds = (s: number) => world.seconds(s);
const job = () => world.ctx.store.get("jobs.batch", "default", "pi");
const pods = () => world.ctx.store.list("pods", { namespace: "default" }).items;
const running = () => pods().filter((p) => !["Succeeded", "Failed"].includes(p.status?.phase ?? ""));
const events = () => world.ctx.store.list("events", { namespace: "default" }).items.filter((e) => e.involvedObject.kind === "Job").map((e) => `${e.reason}: ${e.message}`);

function create(spec: Record<string, unknown>) {
  world.ctx.store.create("jobs.batch", {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "default" },
    spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "busybox" }] } } },
  });
}

/** What the kubelet reports when the container exits (the runtime decides when; here the test does). */
function finish(pod: V1Pod, phase: "Succeeded" | "Failed") {
  const current = world.ctx.store.get("pods", "default", pod.metadata!.name!);
  const terminated = { exitCode: phase === "Succeeded" ? 0 : 1, reason: phase === "Succeeded" ? "Completed" : "Error", finishedAt: timeField(world.ctx.clock.now()) };
  const containerStatuses = [{ name: "pi", image: "busybox", imageID: "", ready: false, restartCount: 0, state: { terminated } }];
  world.ctx.store.update("pods", { ...current, status: { ...(current.status as object), phase, containerStatuses } }, { subresource: "status" });
}

describe("the Job controller", () => {
  it("runs pods until the completions succeed, labels them with the job, then reports SuccessCriteriaMet and Complete", () => {
    create({ completions: 2, parallelism: 1 });
    seconds(5);
    expect(running()).toHaveLength(1);
    const [first] = running();
    expect(first.metadata!.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(first.metadata!.labels).toMatchObject({ "job-name": "pi", "batch.kubernetes.io/job-name": "pi", "batch.kubernetes.io/controller-uid": job().metadata!.uid });
    expect(job().spec!.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": job().metadata!.uid } });
    finish(first, "Succeeded");
    seconds(5);
    expect(running()).toHaveLength(1);
    expect(jobStatus(job())).toBe("Running");
    finish(running()[0], "Succeeded");
    seconds(5);
    expect(job().status!.conditions!.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    expect(job().status).toMatchObject({ succeeded: 2, active: 0 });
    expect(job().status!.completionTime).toBeDefined();
    expect(jobStatus(job())).toBe("Complete");
    expect(events().filter((e) => e.startsWith("Completed"))).toEqual(["Completed: Job completed"]);
  });

  it("replaces failed pods after a back-off and fails the job past backoffLimit", () => {
    create({ backoffLimit: 1 });
    seconds(5);
    finish(running()[0], "Failed");
    seconds(5); // the first retry waits 10 s
    expect(running()).toHaveLength(0);
    seconds(10);
    expect(running()).toHaveLength(1);
    finish(running()[0], "Failed");
    seconds(60);
    expect(running()).toHaveLength(0);
    expect(job().status!.conditions!.map((c) => `${c.type}/${c.reason}`)).toEqual(["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"]);
    expect(jobStatus(job())).toBe("Failed");
  });
});
