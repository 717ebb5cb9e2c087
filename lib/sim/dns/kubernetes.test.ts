import { describe, expect, it } from "vitest";
import type { RecordType, SrvData } from "dns-packet";
import { type DnsRecord, resolve, type ZoneConfig } from "./kubernetes";
import { addService, addSlice, bookStore, emptyStore } from "./testing/fixtures";
import type { Store } from "../store/store";

const config: ZoneConfig = { clusterDomain: "cluster.local", ttl: 30, serverAddress: "127.0.0.1", serial: () => 1700000000 };
const ask = (store: Store, name: string, type: RecordType) => resolve(store, name, type, config);
const data = (records: DnsRecord[]) => records.map((r) => r.data);

describe("CoreDNS kubernetes plugin semantics", () => {
  it("answers the headless service's SRV query as in the book: one record per ready pod, weight 100/n, A records as additionals", () => {
    const r = ask(bookStore(), "kubia.default.svc.cluster.local", "SRV");
    expect(r.rcode).toBe("NOERROR");
    expect(r.authoritative).toBe(true);
    expect(r.answers.map((a) => [a.name, a.ttl, a.type])).toEqual([
      ["kubia.default.svc.cluster.local", 30, "SRV"],
      ["kubia.default.svc.cluster.local", 30, "SRV"],
    ]);
    expect(data(r.answers)).toEqual([
      { priority: 0, weight: 50, port: 8080, target: "kubia-0.kubia.default.svc.cluster.local" },
      { priority: 0, weight: 50, port: 8080, target: "kubia-1.kubia.default.svc.cluster.local" },
    ]);
    expect(r.additionals.map((a) => [a.name, a.type, "data" in a && a.data])).toEqual([
      ["kubia-0.kubia.default.svc.cluster.local", "A", "10.1.107.193"],
      ["kubia-1.kubia.default.svc.cluster.local", "A", "10.1.169.130"],
    ]);
  });

  it("uses the endpoint port (the targetPort) in SRV, so the book's service without targetPort shows 80", () => {
    const store = emptyStore();
    addService(store, "kubia", { clusterIP: "None", ports: [{ name: "http", port: 80 }] });
    addSlice(store, "kubia", [{ ip: "10.1.0.5", hostname: "kubia-0" }], [{ name: "http", port: 80, protocol: "TCP" }]);
    const [srv] = ask(store, "kubia.default.svc.cluster.local", "SRV").answers;
    expect(srv.data).toEqual({ priority: 0, weight: 100, port: 80, target: "kubia-0.kubia.default.svc.cluster.local" });
  });

  it("weights three records 33 each (floor of 100/3)", () => {
    const store = emptyStore();
    addService(store, "web", { clusterIP: "None", ports: [{ name: "http", port: 80 }] });
    addSlice(store, "web", [1, 2, 3].map((i) => ({ ip: `10.1.0.${i}`, hostname: `web-${i}` })));
    expect(ask(store, "web.default.svc.cluster.local", "SRV").answers.map((a) => (a.data as SrvData).weight)).toEqual([33, 33, 33]);
  });

  it("gives the headless service A records for every ready endpoint, and none for the not-ready one", () => {
    const r = ask(bookStore(), "kubia.default.svc.cluster.local", "A");
    expect(data(r.answers)).toEqual(["10.1.107.193", "10.1.169.130"]);
    expect(r.answers.every((a) => a.name === "kubia.default.svc.cluster.local" && a.ttl === 30)).toBe(true);
  });

  it("answers per-pod names from the endpoint hostname", () => {
    expect(data(ask(bookStore(), "kubia-1.kubia.default.svc.cluster.local", "A").answers)).toEqual(["10.1.169.130"]);
    // Not ready: the name does not exist (yet) for CoreDNS.
    expect(ask(bookStore(), "kubia-2.kubia.default.svc.cluster.local", "A").rcode).toBe("NXDOMAIN");
  });

  it("names endpoints without a hostname by their dashed IP", () => {
    const r = ask(bookStore(), "kubia-public.default.svc.cluster.local", "SRV");
    expect(data(r.answers)).toEqual([{ priority: 0, weight: 100, port: 80, target: "kubia-public.default.svc.cluster.local" }]);
    expect(data(ask(bookStore(), "10-1-169-130.kubia-public.default.svc.cluster.local", "A").answers)).toEqual(["10.1.169.130"]);
  });

  it("answers a ClusterIP service with its cluster IP, and its SRV with the service port", () => {
    const a = ask(bookStore(), "kubia-public.default.svc.cluster.local", "A");
    expect(data(a.answers)).toEqual(["10.96.12.34"]);
    const srv = ask(bookStore(), "kubia-public.default.svc.cluster.local", "SRV");
    expect(data(srv.additionals)).toEqual(["10.96.12.34"]);
  });

  it("answers named-port SRV queries and refuses unknown port names with NXDOMAIN", () => {
    const named = ask(bookStore(), "_http._tcp.kubia.default.svc.cluster.local", "SRV");
    expect(named.answers).toHaveLength(2);
    expect(named.answers[0].name).toBe("_http._tcp.kubia.default.svc.cluster.local");
    expect(ask(bookStore(), "_http._udp.kubia.default.svc.cluster.local", "SRV").rcode).toBe("NXDOMAIN");
    expect(ask(bookStore(), "_grpc._tcp.kubia-public.default.svc.cluster.local", "SRV").rcode).toBe("NXDOMAIN");
    expect(ask(bookStore(), "_HTTP._TCP.kubia-public.default.svc.cluster.local", "SRV").answers).toHaveLength(1);
  });

  it("is NXDOMAIN with the zone's SOA for unknown names, services, namespaces and malformed names", () => {
    for (const name of [
      "nope.default.svc.cluster.local",
      "kubia.nowhere.svc.cluster.local",
      "kubia.default.svc.cluster.local.default.svc.cluster.local",
      "something.cluster.local",
      "a.b.kubia.default.svc.cluster.local",
    ]) {
      const r = ask(bookStore(), name, "A");
      expect(r.rcode, name).toBe("NXDOMAIN");
      expect(r.authorities[0]).toMatchObject({
        name: "cluster.local",
        type: "SOA",
        ttl: 30,
        data: { mname: "ns.dns.cluster.local", rname: "hostmaster.cluster.local", serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 },
      });
    }
  });

  it("is NXDOMAIN for a headless service whose endpoints are all gone, as CoreDNS", () => {
    const store = emptyStore();
    addService(store, "kubia", { clusterIP: "None", ports: [{ name: "http", port: 80 }] });
    expect(ask(store, "kubia.default.svc.cluster.local", "SRV").rcode).toBe("NXDOMAIN");
    addSlice(store, "kubia", [{ ip: "10.1.0.9", hostname: "kubia-0", ready: false }]);
    expect(ask(store, "kubia.default.svc.cluster.local", "A").rcode).toBe("NXDOMAIN");
  });

  it("is NOERROR without answers (NODATA) for existing names asked for another type", () => {
    for (const [name, type] of [
      ["kubia.default.svc.cluster.local", "AAAA"],
      ["kubia-0.kubia.default.svc.cluster.local", "MX"],
      ["kubia-public.default.svc.cluster.local", "TXT"],
      ["default.svc.cluster.local", "A"],
      ["svc.cluster.local", "A"],
      ["cluster.local", "A"],
    ] as const) {
      const r = ask(bookStore(), name, type);
      expect([name, r.rcode, r.answers.length, r.authorities[0]?.type]).toEqual([name, "NOERROR", 0, "SOA"]);
    }
  });

  it("refuses names outside its zones instead of forwarding them", () => {
    for (const name of ["example.com", "kubia.default.svc.cluster.locals", "local"]) {
      const r = ask(bookStore(), name, "A");
      expect(r).toMatchObject({ rcode: "REFUSED", authoritative: false, answers: [], authorities: [] });
    }
  });

  it("matches names case-insensitively and answers with the case that was asked", () => {
    const r = ask(bookStore(), "KUBIA-0.Kubia.Default.SVC.Cluster.Local", "A");
    expect(r.answers[0]).toMatchObject({ name: "KUBIA-0.Kubia.Default.SVC.Cluster.Local", data: "10.1.107.193" });
  });

  it("answers pod A records from the name (pods insecure), in existing namespaces only", () => {
    expect(data(ask(bookStore(), "10-1-2-3.default.pod.cluster.local", "A").answers)).toEqual(["10.1.2.3"]);
    expect(ask(bookStore(), "10-1-2-3.nowhere.pod.cluster.local", "A").rcode).toBe("NXDOMAIN");
    expect(ask(bookStore(), "not-an-ip.default.pod.cluster.local", "A").rcode).toBe("NXDOMAIN");
  });

  it("answers PTR for cluster IPs and endpoint IPs, and refuses other reverse names", () => {
    expect(data(ask(bookStore(), "34.12.96.10.in-addr.arpa", "PTR").answers)).toEqual(["kubia-public.default.svc.cluster.local"]);
    // One PTR per service selecting the pod (slice order is the store's, by generated name).
    expect(data(ask(bookStore(), "193.107.1.10.in-addr.arpa", "PTR").answers).sort()).toEqual([
      "10-1-107-193.kubia-public.default.svc.cluster.local",
      "kubia-0.kubia.default.svc.cluster.local",
    ]);
    expect(ask(bookStore(), "9.9.9.9.in-addr.arpa", "PTR").rcode).toBe("REFUSED");
  });

  it("serves dns-version TXT, the zone SOA and NS", () => {
    expect(ask(bookStore(), "dns-version.cluster.local", "TXT").answers[0]).toMatchObject({ ttl: 28800, data: "1.1.0" });
    expect(ask(bookStore(), "cluster.local", "SOA").answers[0]).toMatchObject({ name: "cluster.local", type: "SOA" });
    const ns = ask(bookStore(), "cluster.local", "NS");
    expect(data(ns.answers)).toEqual(["ns.dns.cluster.local"]);
    expect(ns.additionals[0]).toMatchObject({ name: "ns.dns.cluster.local", data: "127.0.0.1" });
  });

  it("names the kube-dns Service as the name server when there is one", () => {
    const store = bookStore();
    addService(store, "kube-dns", { clusterIP: "10.96.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }] }, "kube-system");
    const ns = ask(store, "cluster.local", "NS");
    expect(data(ns.answers)).toEqual(["kube-dns.kube-system.svc.cluster.local"]);
    expect(data(ns.additionals)).toEqual(["10.96.0.10"]);
  });

  it("answers an ExternalName service with a CNAME", () => {
    const store = bookStore();
    addService(store, "ext", { type: "ExternalName", externalName: "example.com" });
    expect(ask(store, "ext.default.svc.cluster.local", "CNAME").answers[0]).toMatchObject({ type: "CNAME", data: "example.com" });
    expect(ask(store, "ext.default.svc.cluster.local", "A").answers[0]).toMatchObject({ type: "CNAME", data: "example.com" });
    expect(ask(store, "ext.default.svc.cluster.local", "SRV")).toMatchObject({ rcode: "NOERROR", answers: [] });
  });

  it("reads the store on every query: a pod that becomes ready appears at once", () => {
    const store = bookStore();
    expect(ask(store, "kubia.default.svc.cluster.local", "SRV").answers).toHaveLength(2);
    const slice = store.list("endpointslices.discovery.k8s.io", { labelSelector: "kubernetes.io/service-name=kubia" }).items[0];
    (slice.endpoints as { conditions: { ready: boolean } }[])[2].conditions.ready = true;
    store.update("endpointslices.discovery.k8s.io", slice);
    expect(ask(store, "kubia.default.svc.cluster.local", "SRV").answers.map((a) => (a.data as SrvData).weight)).toEqual([33, 33, 33]);
    expect(data(ask(store, "kubia-2.kubia.default.svc.cluster.local", "A").answers)).toEqual(["10.1.200.7"]);
  });
});
