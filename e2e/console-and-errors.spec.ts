import { expect, test } from "./support/fixtures";
import { jsonpath } from "./support/kubectl";

/** The console strip: every click, as the kubectl command a teacher would type. */
test("every action shows its kubectl equivalent in the console strip", async ({ dashboard }) => {
  test.setTimeout(180_000);
  const newest = dashboard.newestCommand();
  // The standing watch command is always there.
  await expect(dashboard.console.getByRole("listitem").first()).toContainText("kubectl get pods -l app=kubia -o wide -w -n default");

  await dashboard.scaleUp();
  await expect(newest).toContainText("kubectl scale statefulset kubia --replicas=3 -n default");
  await dashboard.expectPodRunningReady("kubia-2");

  await dashboard.scaleTo(2);
  await expect(newest).toContainText("kubectl scale statefulset kubia --replicas=2 -n default");

  await dashboard.writeData("kubia-0", "hello from the console test");
  await expect(newest).toContainText(
    "printf '%s' 'hello from the console test' | kubectl create --raw /api/v1/namespaces/default/pods/kubia-0/proxy/ -f -",
  );

  await dashboard.pod("kubia-1").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(newest).toContainText("kubectl delete pod kubia-1 -n default");
  await dashboard.expectPodRunningReady("kubia-1");

  // Each command can be copied.
  await expect(newest.getByRole("button", { name: /copy/i })).toBeVisible();
});

test("an invalid replica count shows the validation message and scales nothing", async ({ dashboard }) => {
  const alert = dashboard.header("kubia").getByRole("alert");
  for (const [value, message] of [
    ["51", "must be at most 50"],
    ["-1", "must be at least 0"],
    ["1.5", "must be an integer"],
  ] as const) {
    await dashboard.scaleTo(value);
    await expect(alert).toContainText("BadRequest");
    await expect(alert).toContainText("replicas");
    await expect(alert).toContainText(message);
  }
  // Nothing happened to the StatefulSet.
  expect(await jsonpath("statefulset", "kubia", ".spec.replicas")).toBe("2");
  await expect(dashboard.field(dashboard.header("kubia"), "Desired")).toHaveText("2");

  // A valid count clears the message.
  await dashboard.scaleTo(2);
  await expect(alert).toHaveCount(0);
});

test("an API server error reaches the user with its Kubernetes reason and message", async ({ dashboard, page }) => {
  // Pods stay Ready, but the API server's pod proxy cannot reach them (the embedded cluster's fault switch).
  const faults = page.getByRole("region", { name: "Faults" });
  const broken = faults.getByRole("checkbox", { name: /Broken pod network/ });
  await broken.check();
  await expect(dashboard.newestCommand()).toContainText(`printf '%s' '{"brokenPodNetwork":true}' | kubectl replace --raw /apis/playground.k8s.io/v1/faults -f -`);

  await dashboard.readData("kubia-0");
  const alert = dashboard.volumeData("kubia-0").getByRole("alert");
  await expect(alert).toContainText("ServiceUnavailable", { timeout: 20_000 });
  await expect(alert).toContainText(/error trying to reach service: dial tcp [\d.]+:8080: i\/o timeout/);

  // Mended, the same button reads the pod again and the alert goes away.
  await broken.uncheck();
  await expect(await dashboard.readData("kubia-0")).toContainText("You've hit kubia-0");
  await expect(alert).toHaveCount(0);
});
