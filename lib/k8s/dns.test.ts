import { describe, expect, it } from "vitest";
import { clusterDomain, deriveDnsRecords, digLine, endpointLabel, podDnsName, podDnsNameOf, serviceDnsName } from "./dns";
import { clusterIpService, endpointSlice, headlessService, pod, statefulSet } from "./testing/fixtures";

describe("DNS names", () => {
  it("builds service and pod names under cluster.local", () => {
    expect(clusterDomain).toBe("cluster.local");
    expect(serviceDnsName("kubia", "default")).toBe("kubia.default.svc.cluster.local");
    expect(podDnsName("kubia-0", "kubia", "default")).toBe("kubia-0.kubia.default.svc.cluster.local");
    expect(podDnsName("web-1", "nginx", "prod", "example.org")).toBe("web-1.nginx.prod.svc.example.org");
  });
  it("reads hostname.subdomain from a pod", () => {
    expect(podDnsNameOf(pod("kubia-1"))).toBe("kubia-1.kubia.default.svc.cluster.local");
    const bare = pod("kubia-1");
    delete bare.spec!.subdomain;
    expect(podDnsNameOf(bare)).toBeUndefined();
  });
  it("labels endpoints without a hostname by their dashed IP", () => {
    expect(endpointLabel("10.1.2.3", undefined)).toBe("10-1-2-3");
    expect(endpointLabel("10.1.2.3", "kubia-0")).toBe("kubia-0");
  });
});

describe("deriveDnsRecords (as CoreDNS answers)", () => {
  const services = [headlessService("kubia"), clusterIpService("kubia-public", "10.96.12.34")];

  it("two ready pods: SRV 0 50 8080, the named-port SRV, A records and the ClusterIP service", () => {
    const slices = [endpointSlice("kubia", [{ ip: "10.1.1.7", hostname: "kubia-1" }, { ip: "10.1.0.5", hostname: "kubia-0" }])];
    const dns = deriveDnsRecords({ statefulSet: statefulSet(2), services, endpointSlices: slices });
    expect(dns.source).toBe("derived");
    expect(dns.headlessService).toBe("kubia");
    expect(dns.clusterIpService).toEqual({ name: "kubia-public", clusterIP: "10.96.12.34" });
    expect(dns.records).toEqual([
      { name: "kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-1.kubia.default.svc.cluster.local." },
      { name: "kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-0.kubia.default.svc.cluster.local." },
      { name: "_http._tcp.kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-1.kubia.default.svc.cluster.local." },
      { name: "_http._tcp.kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-0.kubia.default.svc.cluster.local." },
      { name: "kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.1.7" },
      { name: "kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.0.5" },
      { name: "kubia-0.kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.0.5" },
      { name: "kubia-1.kubia.default.svc.cluster.local", type: "A", ttl: 30, data: "10.1.1.7" },
      { name: "kubia-public.default.svc.cluster.local", type: "A", ttl: 30, data: "10.96.12.34" },
    ]);
    expect(dns.dig).toBe("kubectl run -it srvlookup --image=tutum/dnsutils --rm --restart=Never -n default -- dig SRV kubia.default.svc.cluster.local");
  });

  it("leaves out endpoints that are not ready; weights follow the count (100/3 → 33)", () => {
    const slices = [
      endpointSlice("kubia", [
        { ip: "10.1.0.5", hostname: "kubia-0" },
        { ip: "10.1.1.7", hostname: "kubia-1" },
        { ip: "10.1.2.3", hostname: "kubia-2" },
        { ip: "10.1.2.4", hostname: "kubia-3", ready: false },
      ]),
    ];
    const dns = deriveDnsRecords({ statefulSet: statefulSet(4), services, endpointSlices: slices });
    const srv = dns.records.filter((r) => r.type === "SRV" && r.name === "kubia.default.svc.cluster.local");
    expect(srv.map((r) => r.data)).toEqual([
      "0 33 8080 kubia-0.kubia.default.svc.cluster.local.",
      "0 33 8080 kubia-1.kubia.default.svc.cluster.local.",
      "0 33 8080 kubia-2.kubia.default.svc.cluster.local.",
    ]);
    expect(dns.records.some((r) => r.name.startsWith("kubia-3."))).toBe(false);
  });

  it("no ready endpoints: no headless records, still the ClusterIP service", () => {
    const dns = deriveDnsRecords({ statefulSet: statefulSet(2), services, endpointSlices: [endpointSlice("kubia", [{ ip: "10.1.0.5", hostname: "kubia-0", ready: false }])] });
    expect(dns.records).toEqual([{ name: "kubia-public.default.svc.cluster.local", type: "A", ttl: 30, data: "10.96.12.34" }]);
  });

  it("ignores other services' slices and services that do not select the pods", () => {
    const other = clusterIpService("web", "10.96.0.99", { app: "web" });
    const slices = [endpointSlice("web", [{ ip: "10.1.9.9", hostname: "web-0" }])];
    const dns = deriveDnsRecords({ statefulSet: statefulSet(1), services: [headlessService("kubia"), other], endpointSlices: slices });
    expect(dns.records).toEqual([]);
    expect(dns.clusterIpService).toBeUndefined();
  });

  it("SRV targets of endpoints without hostname use the dashed IP", () => {
    const dns = deriveDnsRecords({ statefulSet: statefulSet(1), services, endpointSlices: [endpointSlice("kubia", [{ ip: "10.1.0.5" }])] });
    expect(dns.records[0].data).toBe("0 100 8080 10-1-0-5.kubia.default.svc.cluster.local.");
    expect(dns.records.filter((r) => r.type === "A").map((r) => r.name)).toEqual(["kubia.default.svc.cluster.local", "kubia-public.default.svc.cluster.local"]);
  });

  it("prints a record like dig's ANSWER section", () => {
    expect(digLine({ name: "kubia.default.svc.cluster.local", type: "SRV", ttl: 30, data: "0 50 8080 kubia-0.kubia.default.svc.cluster.local." })).toBe(
      "kubia.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 8080 kubia-0.kubia.default.svc.cluster.local.",
    );
  });
});
