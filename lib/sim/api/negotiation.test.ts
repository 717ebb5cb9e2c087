import { describe, expect, it } from "vitest";
import { negotiateOutput } from "./negotiation";

const PB = "application/vnd.kubernetes.protobuf";

describe("Accept negotiation (the first clause the server can serve)", () => {
  it("serves protobuf to typed clients and JSON to everything else", () => {
    expect(negotiateOutput(`${PB},application/json`)).toEqual({ kind: "protobuf" });
    expect(negotiateOutput(`application/json,${PB}`)).toEqual({ kind: "json" });
    expect(negotiateOutput(`${PB};stream=watch`)).toEqual({ kind: "protobuf" });
    expect(negotiateOutput("*/*")).toEqual({ kind: "json" });
    expect(negotiateOutput(undefined)).toEqual({ kind: "json" });
  });

  it("orders clauses as goautoneg does: higher q first, then concrete types before wildcards", () => {
    expect(negotiateOutput(`application/json;q=0.5,${PB}`)).toEqual({ kind: "protobuf" });
    expect(negotiateOutput(`*/*,${PB}`)).toEqual({ kind: "protobuf" });
    expect(negotiateOutput(`application/*,application/yaml`)).toEqual({ kind: "yaml" });
    expect(negotiateOutput(`${PB};q=0.9,application/json;q=0.95`)).toEqual({ kind: "json" });
    expect(negotiateOutput(`text,${PB}`)).toEqual({ kind: "protobuf" }); // a clause without a subtype is ignored
  });

  it("never converts to a protobuf Table, and skips clauses with another stream or an unknown conversion", () => {
    expect(negotiateOutput(`${PB};as=Table;g=meta.k8s.io;v=v1,application/json`)).toEqual({ kind: "json" });
    expect(negotiateOutput(`${PB};stream=other,application/yaml`)).toEqual({ kind: "yaml" });
    expect(negotiateOutput(`${PB};as=Scale;g=autoscaling;v=v1,${PB}`)).toEqual({ kind: "protobuf" });
  });

  it("answers PartialObjectMetadata in protobuf, meta.k8s.io/v1 and v1beta1", () => {
    expect(negotiateOutput(`${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`)).toEqual({ kind: "partial", groupVersion: "meta.k8s.io/v1", protobuf: true });
    expect(negotiateOutput(`${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1,application/json`)).toEqual({ kind: "partial", groupVersion: "meta.k8s.io/v1beta1", protobuf: true });
  });

  it("refuses what it cannot produce with the API server's 406s (go-restful's, or the handler's for a conversion)", () => {
    expect(() => negotiateOutput("text/html")).toThrow(/^406: Not Acceptable\n\nAvailable representations: application\/json, /);
    expect(() => negotiateOutput(`${PB};as=Table;g=meta.k8s.io;v=v1`)).toThrow("only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
  });
});
