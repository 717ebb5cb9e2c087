import { expect, type Locator, type Page } from "@playwright/test";

/**
 * The dashboard as a person sees it, found by role and accessible name only (the same contract
 * as e2e/pages/DashboardPage.ts of the embedded suite; kept separate so the two suites can evolve
 * independently).
 */
export class RealDashboard {
  readonly picker: Locator;
  readonly replicas: Locator;
  readonly scaleUpButton: Locator;
  readonly scaleDownButton: Locator;
  readonly dialog: Locator;
  readonly nodes: Locator;

  constructor(readonly page: Page) {
    this.picker = page.getByRole("combobox", { name: "StatefulSet" });
    this.replicas = page.getByRole("spinbutton", { name: "Replicas" });
    this.scaleUpButton = page.getByRole("button", { name: "Scale up" });
    this.scaleDownButton = page.getByRole("button", { name: "Scale down" });
    this.dialog = page.getByRole("dialog");
    this.nodes = page.getByRole("region", { name: "Nodes" });
  }

  async goto(statefulSet?: string): Promise<void> {
    await this.page.goto(statefulSet ? `/?statefulset=${encodeURIComponent(statefulSet)}` : "/");
    await expect(this.picker).toBeEnabled();
    if (statefulSet) await expect(this.picker).toHaveValue(statefulSet);
  }

  header(statefulSet: string): Locator {
    return this.page.getByRole("region", { name: `StatefulSet ${statefulSet}` });
  }

  slot(ordinal: number): Locator {
    return this.page.getByRole("listitem", { name: `Ordinal ${ordinal}` });
  }

  pod(name: string): Locator {
    return this.page.getByRole("article", { name: `Pod ${name}` });
  }

  pvc(name: string): Locator {
    return this.page.getByRole("article", { name: `PVC ${name}` });
  }

  node(name: string): Locator {
    return this.page.getByRole("article", { name: `Node ${name}` });
  }

  /** A value of a card's description list (`Node`, `UID`, `Volume`, `Status`, …). */
  field(card: Locator, term: string): Locator {
    return card.locator(`xpath=.//dt[normalize-space(.)="${term}"]/following-sibling::dd[1]`);
  }

  /** The status word of a card (its badge): `Running`, `Terminating`, `Retained`, `Reused`, `Ready`, … */
  status(card: Locator, word: string): Locator {
    return card.getByText(word, { exact: true }).first();
  }

  async expectPodRunningReady(name: string, timeout = 60_000): Promise<void> {
    const pod = this.pod(name);
    await expect(this.status(pod, "Running")).toBeVisible({ timeout });
    await expect(this.field(pod, "Ready")).toHaveText("1/1", { timeout });
  }

  /** Waits until the PVC card says Bound to a volume; returns the volume's name. */
  async expectPvcBound(name: string, timeout = 60_000): Promise<string> {
    const pvc = this.pvc(name);
    await expect(this.field(pvc, "Status")).toHaveText("Bound", { timeout });
    const volume = this.field(pvc, "Volume");
    await expect(volume).toHaveText(/^pvc-/, { timeout });
    return (await volume.innerText()).trim();
  }

  async scaleTo(replicas: number): Promise<void> {
    await this.replicas.fill(String(replicas));
    await this.replicas.press("Enter");
  }

  async expectDesired(statefulSet: string, replicas: number): Promise<void> {
    await expect(this.replicas).toHaveValue(String(replicas));
    await expect(this.field(this.header(statefulSet), "Desired")).toHaveText(String(replicas));
  }

  /** Clicks the pod's Force delete and returns the confirmation dialog. */
  async openForceDelete(pod: string): Promise<Locator> {
    await this.pod(pod).getByRole("button", { name: "Force delete" }).click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }
}
