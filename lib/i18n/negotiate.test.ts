import { describe, expect, it } from "vitest";
import { negotiateLocale } from "./negotiate";

describe("negotiateLocale", () => {
  it("is English without a header or cookie", () => {
    expect(negotiateLocale(undefined, undefined)).toBe("en");
    expect(negotiateLocale("", undefined)).toBe("en");
  });
  it("reads Chinese for every Chinese variant and English for others", () => {
    expect(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8", undefined)).toBe("zh-CN");
    expect(negotiateLocale("zh", undefined)).toBe("zh-CN");
    expect(negotiateLocale("zh-Hans-CN", undefined)).toBe("zh-CN");
    expect(negotiateLocale("en-US,en;q=0.9", undefined)).toBe("en");
    expect(negotiateLocale("fr-FR", undefined)).toBe("en");
  });
  it("honours q-values", () => {
    expect(negotiateLocale("en;q=0.5,zh-CN;q=0.9", undefined)).toBe("zh-CN");
  });
  it("prefers the remembered choice and ignores an unknown cookie value", () => {
    expect(negotiateLocale("zh-CN", "en")).toBe("en");
    expect(negotiateLocale("en", "zh-CN")).toBe("zh-CN");
    expect(negotiateLocale("zh-CN", "de")).toBe("zh-CN");
  });
  it("never throws on garbage", () => {
    expect(negotiateLocale("!!!,;q=x,\u0000", undefined)).toBe("en");
    expect(negotiateLocale("x".repeat(10_000), undefined)).toBe("en");
  });
});
