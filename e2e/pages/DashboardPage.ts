import { expect, type Locator, type Page } from "@playwright/test";

/**
 * The dashboard as a person sees it: everything is found by role and accessible name (every control
 * has one), never by CSS class or test id, so a test breaks only when what people see breaks.
 */
export class DashboardPage {
  readonly picker: Locator;
  readonly replicas: Locator;
  readonly scaleUpButton: Locator;
  readonly scaleDownButton: Locator;
  readonly dns: Locator;
  readonly console: Locator;
  readonly dialog: Locator;
  readonly nodes: Locator;

  constructor(readonly page: Page) {
    this.picker = page.getByRole("combobox", { name: "StatefulSet" });
    this.replicas = page.getByRole("spinbutton", { name: "Replicas" });
    this.scaleUpButton = page.getByRole("button", { name: "Scale up" });
    this.scaleDownButton = page.getByRole("button", { name: "Scale down" });
    this.dns = page.getByRole("region", { name: "DNS records" });
    this.console = page.getByRole("region", { name: "kubectl" });
    this.dialog = page.getByRole("dialog");
    this.nodes = page.getByRole("region", { name: "Nodes" });
  }

  /** Opens the dashboard (optionally on one StatefulSet) and waits for the live view of it. */
  async goto(statefulSet?: string): Promise<void> {
    await this.page.goto(statefulSet ? `/?statefulset=${encodeURIComponent(statefulSet)}` : "/");
    await expect(this.picker).toBeEnabled();
    if (statefulSet) await expect(this.picker).toHaveValue(statefulSet);
  }

  header(statefulSet: string): Locator {
    return this.page.getByRole("region", { name: `StatefulSet ${statefulSet}` });
  }

  /** An ordinal's slot of the lane: its pod (or placeholder) above its claims. */
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

  /** A value of a card's description list (`Node`, `Pod IP`, `UID`, `Volume`, `Status`, …). */
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

  async expectPvcBound(name: string, timeout = 60_000): Promise<string> {
    const pvc = this.pvc(name);
    await expect(this.field(pvc, "Status")).toHaveText("Bound", { timeout });
    const volume = this.field(pvc, "Volume");
    await expect(volume).not.toHaveText(/^\s*(—\s*)?$/, { timeout });
    return (await volume.innerText()).trim();
  }

  /** The newest command of the kubectl console strip (the first line is the standing `get pods -w`). */
  newestCommand(): Locator {
    return this.console.getByRole("listitem").nth(1);
  }

  async scaleUp(): Promise<void> {
    await this.scaleUpButton.click();
  }

  async scaleDown(): Promise<void> {
    await this.scaleDownButton.click();
  }

  /** Types a replica count into the spinbutton and submits it with Enter, as a person would. */
  async scaleTo(replicas: number | string): Promise<void> {
    await this.replicas.fill(String(replicas));
    await this.replicas.press("Enter");
  }

  /** Waits until the header's Desired count is what was asked for (the scale went through). */
  async expectDesired(statefulSet: string, replicas: number): Promise<void> {
    await expect(this.replicas).toHaveValue(String(replicas));
    await expect(this.field(this.header(statefulSet), "Desired")).toHaveText(String(replicas));
  }

  volumeData(pod: string): Locator {
    return this.page.getByRole("region", { name: `Volume data of ${pod}` });
  }

  /**
   * Opens the Details of the PVC whose volume data is read through this pod (where the data panel
   * lives, with the claim's other secondary facts); opening it reads the data. Returns the panel.
   */
  async openVolumeData(pod: string): Promise<Locator> {
    // CSS, not a role: a closed <details> hides its content from the accessibility tree.
    const details = this.page.locator("details", { has: this.page.locator(`section[aria-label="Volume data of ${pod}"]`) });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
    const panel = this.volumeData(pod);
    await expect(panel).toBeVisible();
    return panel;
  }

  /** Stores a line on the pod's volume through the kubia app (POST via the pod proxy) and waits for its answer. */
  async writeData(pod: string, line: string): Promise<void> {
    const panel = await this.openVolumeData(pod);
    await panel.getByRole("textbox", { name: `Data for ${pod}` }).fill(line);
    await panel.getByRole("button", { name: "Write" }).click();
    await expect(this.dataAnswer(pod)).toContainText(`Data stored on pod ${pod}`);
  }

  /** Asks the kubia app what its volume holds (GET via the pod proxy); returns the answer's locator. */
  async readData(pod: string): Promise<Locator> {
    await (await this.openVolumeData(pod)).getByRole("button", { name: "Read" }).click();
    return this.dataAnswer(pod);
  }

  dataAnswer(pod: string): Locator {
    return this.page.getByRole("status", { name: `Answer from ${pod}` });
  }

  /** Opens the force-delete confirmation of a pod; returns the dialog. */
  async openForceDelete(pod: string): Promise<Locator> {
    await this.pod(pod).getByRole("button", { name: "Force delete" }).click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }
}
