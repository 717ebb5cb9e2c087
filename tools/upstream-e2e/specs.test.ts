import { describe, expect, it } from "vitest";
import { exactFocus, inSet, outcomeOf, specNames, type GinkgoReport, type GinkgoSpecReport } from "./specs";

const basic = "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should provide basic identity";
const slowConformance = "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] Burst scaling should run to completion even with unhealthy pods [Slow] [Conformance]";

function it_(texts: string[], leaf: string, state = "passed", failure?: GinkgoSpecReport["Failure"]): GinkgoSpecReport {
  return { ContainerHierarchyTexts: texts, LeafNodeText: leaf, LeafNodeType: "It", State: state, Failure: failure };
}

const containers = ["[sig-apps] StatefulSet", "Basic StatefulSet functionality [StatefulSetBasic]"];

describe("upstream spec selection", () => {
  it("names specs as Ginkgo's focus sees them and keeps only the StatefulSet ones", () => {
    const report: GinkgoReport = {
      SpecReports: [
        { ContainerHierarchyTexts: null, LeafNodeText: "", LeafNodeType: "SynchronizedBeforeSuite", State: "passed" },
        it_(containers, "should provide basic identity"),
        it_(["[sig-apps] StatefulSetX"], "not this one"),
        it_(["[sig-apps] Deployment"], "deployment reaping should cascade to its replica sets and pods"),
      ],
    };
    expect(specNames([report])).toEqual([basic]);
  });

  it("focuses on exactly one name: brackets, dots and parentheses are literal", () => {
    const focus = new RegExp(exactFocus(slowConformance));
    expect(focus.test(slowConformance)).toBe(true);
    expect(focus.test(`${slowConformance} and more`)).toBe(false);
    expect(focus.test(`Kubernetes e2e suite ${slowConformance}`)).toBe(true);
    expect(focus.test(`x${slowConformance}`)).toBe(false);
    expect(new RegExp(exactFocus("a (WhenDeleted) [x]")).test("a (WhenDeleted) [x]")).toBe(true);
    expect(new RegExp(exactFocus("a.b")).test("axb")).toBe(false);
  });

  it("splits the sets as the upstream jobs do", () => {
    expect(inSet(basic, "main")).toBe(true);
    expect(inSet(slowConformance, "main")).toBe(false);
    expect(inSet(slowConformance, "conformance")).toBe(true);
    expect(inSet(basic, "conformance")).toBe(false);
    expect(inSet(basic, "all") && inSet(slowConformance, "all")).toBe(true);
  });
});

describe("a spec run's outcome", () => {
  const failure = { Message: "\ntimed out waiting for the condition\nmore", Location: { FileName: "/x/k8s.io/kubernetes@v1.36.3/test/e2e/apps/statefulset.go", LineNumber: 160 }, FailureNodeType: "It" };

  it("reads pass, fail with its first message line and upstream location, and Ginkgo's timeout", () => {
    expect(outcomeOf(basic, [{ SpecReports: [it_(containers, "should provide basic identity")] }], 3, false).outcome).toBe("pass");
    const failed = outcomeOf(basic, [{ SpecReports: [it_(containers, "should provide basic identity", "failed", failure)] }], 3, false);
    expect(failed).toMatchObject({ outcome: "fail", cause: "timed out waiting for the condition (test/e2e/apps/statefulset.go:160, It)" });
    expect(outcomeOf(basic, [{ SpecReports: [it_(containers, "should provide basic identity", "timedout", failure)] }], 3, false).outcome).toBe("timeout");
  });

  it("charges a failed suite set-up to the spec, and a killed process without a report is a timeout", () => {
    const setup: GinkgoSpecReport = { ContainerHierarchyTexts: null, LeafNodeText: "", LeafNodeType: "SynchronizedBeforeSuite", State: "failed", Failure: failure };
    const result = outcomeOf(basic, [{ SpecReports: [setup, it_(containers, "should provide basic identity", "skipped")] }], 3, false);
    expect(result.outcome).toBe("fail");
    expect(result.cause).toMatch(/^suite set-up: timed out/);
    expect(outcomeOf(basic, null, 700, true).outcome).toBe("timeout");
    expect(outcomeOf(basic, null, 1, false).outcome).toBe("fail");
  });
});
