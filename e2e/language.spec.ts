import { englishSentences } from "../components/testing/english";
import { LessonsPanel } from "./pages/LessonsPanel";
import { expect, test } from "./support/fixtures";

/**
 * The language: English for a browser that asks for it (or nothing), switchable in the header,
 * remembered across reloads, and then no English sentence on the whole live page except what
 * Kubernetes itself writes.
 */
test("switching to Chinese in the header translates the live page and is remembered", async ({ dashboard, page }) => {
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(new LessonsPanel(page, "en").region).toBeVisible();
  const language = page.getByRole("group", { name: "Language" });
  await language.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const zh = new LessonsPanel(page, "zh-CN");
  await expect(zh.region).toBeVisible();
  await expect(page.getByRole("group", { name: "语言" }).getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "true");

  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("region", { name: "StatefulSet kubia" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Pod kubia-1" })).toBeVisible();
  const html = await page.locator("body").innerHTML();
  expect(englishSentences(html)).toEqual([]);

  await page.getByRole("group", { name: "语言" }).getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(dashboard.picker).toBeEnabled();
});
