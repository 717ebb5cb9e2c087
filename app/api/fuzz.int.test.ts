import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextRequest } from "next/server";
import type { ApiError } from "@/lib/k8s/contract";
import { SESSION_COOKIE, sessionValue } from "@/lib/kube/security";
import { mutableFingerprint, readyKubiaPods, startEmbedded, type EmbeddedHarness } from "@/lib/kube/testing/embedded";
import { proxy } from "@/proxy";
import * as catchAll from "./[...path]/route";
import * as clusterRoute from "./cluster/route";
import * as contextsRoute from "./contexts/route";
import * as demoRoute from "./demo/route";
import * as dnsRoute from "./dns/route";
import * as faultsRoute from "./faults/route";
import * as historyRoute from "./history/route";
import * as failRoute from "./nodes/[name]/fail/route";
import * as recoverRoute from "./nodes/[name]/recover/route";
import * as podRoute from "./pods/[name]/route";
import * as podDataRoute from "./pods/[name]/data/route";
import * as podReadinessRoute from "./pods/[name]/readiness/route";
import * as pvcRoute from "./pvcs/[name]/route";
import * as snapshotRoute from "./snapshot/route";
import * as speedRoute from "./speed/route";
import * as scaleRoute from "./statefulsets/[name]/scale/route";
import * as settingsRoute from "./statefulsets/[name]/settings/route";
import * as streamRoute from "./stream/route";

/**
 * Property-based fuzzing of every route handler and of proxy.ts against the embedded cluster
 * (started once for the file). Every request to a mutating route carries at least one defect —
 * a malformed or smuggling name, a bad body, an unknown or repeated query parameter, a foreign
 * Host, a cross-site Origin / Sec-Fetch-Site, a non-JSON Content-Type — and everything else is
 * random or as dangerous as possible (existing objects, otherwise valid bodies). GET routes get
 * random input. Asserted per request: no exception, no 5xx, mutating routes answer 4xx, every
 * 4xx is an ApiError JSON whose status matches and whose 400s name the field. Asserted for the
 * whole run: the cluster is unchanged (what the dashboard could mutate, read from the store), no
 * event-stream subscriber leaked, Object.prototype is untouched.
 */

type Handler = (request: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
type NameRule = "label" | "subdomain";

interface FuzzRoute {
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  handler: Handler;
  path: (name: string) => string;
  /** Names taken from the path, with Kubernetes' rule and the most dangerous real names. */
  name?: { rule: NameRule; existing: string[] };
  /** Query parameters the route accepts, with valid values. */
  query?: Record<string, string[]>;
  /** Valid bodies (JSON text) and the independent oracle that says whether a parsed body is acceptable. */
  body?: { valid: string[]; accepts: (value: unknown) => boolean };
}

const MAX_REPLICAS = 50;
const MAX_BODY_BYTES = 16 * 1024;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IMAGE = /^[a-z0-9]([a-z0-9._\-/:@]*[a-zA-Z0-9_])?$/;

function validName(rule: NameRule, name: string): boolean {
  return rule === "label" ? name.length <= 63 && LABEL.test(name) : name.length <= 253 && SUBDOMAIN.test(name);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const keysWithin = (v: Record<string, unknown>, allowed: string[]) => Object.keys(v).every((k) => allowed.includes(k));
const isIntIn = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

const acceptsEmpty = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 0;
const BODIES = {
  scale: { valid: ['{"replicas":1}', '{"replicas":0}', `{"replicas":${MAX_REPLICAS}}`], accepts: (v: unknown) => isPlainObject(v) && keysWithin(v, ["replicas"]) && isIntIn(v.replicas, 0, MAX_REPLICAS) },
  deletePod: {
    valid: ["", "{}", '{"force":true}', '{"gracePeriodSeconds":0}', '{"force":false,"gracePeriodSeconds":30}'],
    accepts: (v: unknown) =>
      isPlainObject(v) &&
      keysWithin(v, ["force", "gracePeriodSeconds"]) &&
      (v.force === undefined || typeof v.force === "boolean") &&
      (v.gracePeriodSeconds === undefined || isIntIn(v.gracePeriodSeconds, 0, 3600)) &&
      !(v.force === true && typeof v.gracePeriodSeconds === "number" && v.gracePeriodSeconds > 0),
  },
  empty: { valid: ["", "{}", " {} "], accepts: acceptsEmpty },
  demo: {
    valid: ['{"action":"create"}', '{"action":"reset"}', '{"action":"parallel"}'],
    accepts: (v: unknown) => isPlainObject(v) && keysWithin(v, ["action"]) && (v.action === "create" || v.action === "reset" || v.action === "parallel"),
  },
  settings: {
    valid: ['{"image":"luksa/kubia-pet-peers"}', '{"image":"luksa/kubia-pet"}', '{"partition":0}', `{"partition":${MAX_REPLICAS}}`, '{"whenScaled":"Delete"}', '{"whenScaled":"Retain"}', '{"readinessProbe":"file"}', '{"readinessProbe":"none"}'],
    accepts: (v: unknown) =>
      isPlainObject(v) &&
      keysWithin(v, ["image", "partition", "whenScaled", "readinessProbe"]) &&
      Object.keys(v).length === 1 &&
      (v.image === undefined || v.image === "luksa/kubia-pet" || v.image === "luksa/kubia-pet-peers") &&
      (v.partition === undefined || isIntIn(v.partition, 0, MAX_REPLICAS)) &&
      (v.whenScaled === undefined || v.whenScaled === "Retain" || v.whenScaled === "Delete") &&
      (v.readinessProbe === undefined || v.readinessProbe === "file" || v.readinessProbe === "none"),
  },
  podReadiness: { valid: ['{"ready":true}', '{"ready":false}'], accepts: (v: unknown) => isPlainObject(v) && keysWithin(v, ["ready"]) && typeof v.ready === "boolean" },
  podData: { valid: ['{"data":"hello"}', '{"data":""}'], accepts: (v: unknown) => isPlainObject(v) && keysWithin(v, ["data"]) && typeof v.data === "string" && v.data.length <= 8192 },
  // Context names are free text in kubeconfigs; the embedded cluster has one context, so every switch is refused (409).
  useContext: {
    valid: ['{"context":"embedded"}', '{"context":"kind-kind"}', '{"context":"arn:aws:eks:eu-west-1:1:cluster/x"}'],
    accepts: (v: unknown) => isPlainObject(v) && keysWithin(v, ["context"]) && typeof v.context === "string" && v.context.length >= 1 && v.context.length <= 253 && !/[\u0000-\u001f\u007f]/.test(v.context),
  },
  faults: {
    valid: ['{"brokenPodNetwork":true}', '{"storageUnavailable":true}', '{"missingImages":["luksa/kubia-pet"]}', "{}"],
    accepts: (v: unknown) =>
      isPlainObject(v) &&
      keysWithin(v, ["storageUnavailable", "missingImages", "brokenPodNetwork"]) &&
      (v.storageUnavailable === undefined || typeof v.storageUnavailable === "boolean") &&
      (v.brokenPodNetwork === undefined || typeof v.brokenPodNetwork === "boolean") &&
      (v.missingImages === undefined ||
        (Array.isArray(v.missingImages) && v.missingImages.length <= 20 && v.missingImages.every((i) => typeof i === "string" && i.length >= 1 && i.length <= 255 && IMAGE.test(i)))),
  },
  speed: {
    valid: ['{"speed":0.25}', '{"paused":true}', '{"paused":false,"speed":10}', '{"speed":1}'],
    accepts: (v: unknown) =>
      isPlainObject(v) &&
      keysWithin(v, ["speed", "paused"]) &&
      (v.speed !== undefined || v.paused !== undefined) &&
      (v.speed === undefined || (typeof v.speed === "number" && Number.isFinite(v.speed) && v.speed > 0 && v.speed <= 100)) &&
      (v.paused === undefined || typeof v.paused === "boolean"),
  },
};

const NODES = ["k8s-node1", "k8s-node2"];
const ROUTES: FuzzRoute[] = [
  { label: "GET /api/snapshot", method: "GET", handler: snapshotRoute.GET as Handler, path: () => "/api/snapshot" },
  { label: "GET /api/stream", method: "GET", handler: streamRoute.GET as Handler, path: () => "/api/stream", query: { lastEventId: ["0", "1", "99999999999999999999", "-1", "abc"] } },
  { label: "GET /api/cluster", method: "GET", handler: clusterRoute.GET as Handler, path: () => "/api/cluster" },
  { label: "GET /api/faults", method: "GET", handler: faultsRoute.GET as Handler, path: () => "/api/faults" },
  { label: "GET /api/history", method: "GET", handler: historyRoute.GET as Handler, path: () => "/api/history" },
  { label: "GET /api/speed", method: "GET", handler: speedRoute.GET as Handler, path: () => "/api/speed" },
  { label: "GET /api/dns", method: "GET", handler: dnsRoute.GET as Handler, path: () => "/api/dns", query: { statefulset: ["kubia", "missing", "KUBIA", "../x", ""] } },
  { label: "GET /api/pods/[name]/data", method: "GET", handler: podDataRoute.GET as Handler, path: (n) => `/api/pods/${n}/data`, name: { rule: "label", existing: ["kubia-0", "kubia-1"] } },
  { label: "POST /api/statefulsets/[name]/scale", method: "POST", handler: scaleRoute.POST as Handler, path: (n) => `/api/statefulsets/${n}/scale`, name: { rule: "label", existing: ["kubia"] }, body: BODIES.scale },
  { label: "POST /api/statefulsets/[name]/settings", method: "POST", handler: settingsRoute.POST as Handler, path: (n) => `/api/statefulsets/${n}/settings`, name: { rule: "label", existing: ["kubia"] }, body: BODIES.settings },
  { label: "DELETE /api/pods/[name]", method: "DELETE", handler: podRoute.DELETE as Handler, path: (n) => `/api/pods/${n}`, name: { rule: "label", existing: ["kubia-0", "kubia-1"] }, body: BODIES.deletePod },
  { label: "POST /api/pods/[name]/data", method: "POST", handler: podDataRoute.POST as Handler, path: (n) => `/api/pods/${n}/data`, name: { rule: "label", existing: ["kubia-0"] }, body: BODIES.podData },
  { label: "POST /api/pods/[name]/readiness", method: "POST", handler: podReadinessRoute.POST as Handler, path: (n) => `/api/pods/${n}/readiness`, name: { rule: "label", existing: ["kubia-0", "kubia-1"] }, body: BODIES.podReadiness },
  { label: "DELETE /api/pvcs/[name]", method: "DELETE", handler: pvcRoute.DELETE as Handler, path: (n) => `/api/pvcs/${n}`, name: { rule: "subdomain", existing: ["data-kubia-0", "data-kubia-1"] }, body: BODIES.empty },
  { label: "POST /api/demo", method: "POST", handler: demoRoute.POST as Handler, path: () => "/api/demo", body: BODIES.demo },
  { label: "POST /api/nodes/[name]/fail", method: "POST", handler: failRoute.POST as Handler, path: (n) => `/api/nodes/${n}/fail`, name: { rule: "subdomain", existing: NODES }, body: BODIES.empty },
  { label: "POST /api/nodes/[name]/recover", method: "POST", handler: recoverRoute.POST as Handler, path: (n) => `/api/nodes/${n}/recover`, name: { rule: "subdomain", existing: NODES }, body: BODIES.empty },
  { label: "PUT /api/faults", method: "PUT", handler: faultsRoute.PUT as Handler, path: () => "/api/faults", body: BODIES.faults },
  { label: "GET /api/contexts", method: "GET", handler: contextsRoute.GET as Handler, path: () => "/api/contexts" },
  { label: "POST /api/contexts", method: "POST", handler: contextsRoute.POST as Handler, path: () => "/api/contexts", body: BODIES.useContext },
  { label: "PUT /api/speed", method: "PUT", handler: speedRoute.PUT as Handler, path: () => "/api/speed", body: BODIES.speed },
];

// ---------------------------------------------------------------- generators

const SMUGGLING_NAMES = [
  "", ".", "..", "../kube-system", "kube-system/kubia", "kubia/../../kube-system", "kubia%2F..%2Fkube-system", "kubia%2f..%2fkube-system",
  "%2e%2e", "..%2F", "KUBIA", "Kubia-0", "kubia-0 ", " kubia", "kubia-0\n", "kubia\u0000", "kubia-", "-kubia", "kubia_0", "kubia-0?namespace=x",
  "kubia;ns=x", "kubia#x", "ǩubia", "kubia\u200b", "кубия", "kubia-0\r\nX-Injected: 1", "*", "kubia-*", "kubia,kubia-1", "namespaces/kube-system/pods/x",
];

/** Strings of every shape, not just ASCII: graphemes, any code point, URL-encoded, very long. */
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.integer({ min: 64, max: 4000 }).map((n) => "a".repeat(n)),
  fc.constantFrom(...SMUGGLING_NAMES),
);

function badName(rule: NameRule, existing: string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      anyString,
      fc.tuple(fc.constantFrom(...existing), anyString).map(([n, s]) => n + s),
      fc.tuple(fc.constantFrom(...existing), fc.constantFrom("/", "%2F", "/..", "%00", "\u0000", "A", ".", "..", " ")).map(([n, s]) => n + s),
      fc.constantFrom(...existing).map((n) => n.toUpperCase()),
      fc.integer({ min: rule === "label" ? 64 : 254, max: 600 }).map((n) => "k".repeat(n)),
    )
    .filter((n) => !validName(rule, n));
}

function anyName(rule: NameRule, existing: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...existing) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/).map((n) => `zz-${n}`) },
    { weight: 2, arbitrary: badName(rule, existing) },
  );
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const INVALID_JSON = ["{", "[", '{"replicas":', "\uFEFF{}", "{'replicas':1}", "NaN", "undefined", '{"a":1,}', "{replicas:1}", '{"replicas":1}}', "//{}", "{\"a\":\"\\x\"}"];
const POLLUTION = [
  '{"__proto__":{"replicas":1}}',
  '{"__proto__":{"namespace":"kube-system"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null}',
  '{"prototype":{}}',
];

/** Body text (or bytes) the route must refuse, judged by the route's own oracle. */
function badBody(route: FuzzRoute): fc.Arbitrary<string | Uint8Array> {
  const valid = route.body!.valid;
  const validObjects = valid.map((t) => (t.trim() === "" ? {} : (JSON.parse(t) as Record<string, unknown>)));
  const withExtra = fc
    .tuple(fc.constantFrom(...validObjects), fc.oneof(fc.constantFrom("namespace", "metadata", "kind", "apiVersion", "__proto__", "constructor", "name", "propagationPolicy"), fc.string({ minLength: 1, maxLength: 12 })), jsonValue)
    .map(([obj, key, value]) => {
      // JSON text, not JSON.stringify of an object: `__proto__` must arrive as an own key.
      const entries = Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      return `{${[...entries, `${JSON.stringify(key)}:${JSON.stringify(value ?? null)}`].join(",")}}`;
    });
  const smuggled = fc
    .tuple(fc.constantFrom(...validObjects), fc.constantFrom("kube-system", "default", "other", "../kube-system"))
    .chain(([obj, ns]) => fc.constantFrom(JSON.stringify({ ...obj, namespace: ns }), JSON.stringify({ ...obj, metadata: { namespace: ns } }), JSON.stringify({ ...obj, namespace: ns, name: "kubia" })));
  const wrongTypes = fc.tuple(fc.constantFrom(...validObjects), jsonValue).chain(([obj, v]) => {
    const keys = Object.keys(obj);
    if (keys.length === 0) return fc.constant(JSON.stringify({ x: v }));
    return fc.constantFrom(...keys).map((k) => JSON.stringify({ ...obj, [k]: v }));
  });
  const nested = fc.integer({ min: 50, max: 8000 }).chain((d) =>
    fc.constantFrom("[".repeat(d) + "]".repeat(d), '{"a":'.repeat(d) + "1" + "}".repeat(d), `{"replicas":${"[".repeat(d)}1${"]".repeat(d)}}`),
  );
  const huge = fc.integer({ min: MAX_BODY_BYTES - 20, max: 200_000 }).chain((n) =>
    fc.constantFrom(JSON.stringify({ ...validObjects[0], data: "x".repeat(n) }), `{"replicas":1${" ".repeat(n)}}`, "x".repeat(n)),
  );
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 300 });
  const invalidUtf8 = fc.constantFrom(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), new Uint8Array([0xc3, 0x28]), new Uint8Array([0xed, 0xa0, 0x80]));
  const numbers = fc.oneof(fc.double(), fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom("1e400", "-0", "1.0", "0x10", "1e1", "50.000001")).map((n) => `{"replicas":${typeof n === "number" ? JSON.stringify(n) : n}}`);
  return fc
    .oneof(
      fc.constantFrom(...INVALID_JSON, ...POLLUTION),
      fc.string({ unit: "binary", maxLength: 60 }),
      jsonValue.map((v) => JSON.stringify(v)),
      withExtra,
      smuggled,
      wrongTypes,
      nested,
      huge,
      bytes,
      invalidUtf8,
      numbers,
    )
    .filter((body) => !bodyAcceptable(route, body));
}

/** The oracle: would a correct server accept this body? (size, UTF-8, JSON object, route schema) */
function bodyAcceptable(route: FuzzRoute, body: string | Uint8Array): boolean {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  if (bytes.byteLength > MAX_BODY_BYTES) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
  }
  return route.body!.accepts(value);
}

const LOOPBACK_HOSTS = ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000", "127.0.0.1", "localhost", "app.localhost:3000"];
const FOREIGN_HOSTS = ["evil.example", "evil.example:3000", "192.168.1.10:3000", "0.0.0.0:3000", "127.0.0.1.nip.io:3000", "localhost.evil.com", "localhost.:3000", "127.1:3000", "[::ffff:127.0.0.1]:3000", "10.0.0.1", ""];
const badHost = fc.oneof(fc.constantFrom(...FOREIGN_HOSTS), fc.domain().filter((d) => !/(^|\.)localhost$/i.test(d)));
const anyHost = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...LOOPBACK_HOSTS) }, { weight: 1, arbitrary: badHost });

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 });

/** An Origin that is present and does not name the request's host. */
const badOrigin = (host: string) =>
  fc
    .oneof(fc.constantFrom("null", "http://evil.example", "http://127.0.0.1:3001", "http://localhost:3000.evil.example", "file://", "chrome-extension://abc", "http://[::1]:9999"), fc.webUrl(), printable)
    .filter((o) => originForeign(o, host));

function originForeign(origin: string, host: string): boolean {
  if (origin === "null") return true;
  try {
    return new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}

const badFetchSite = fc.oneof(fc.constantFrom("cross-site", "same-site", "CROSS-SITE", "unknown", ""), printable).filter((s) => !["same-origin", "none"].includes(s.trim().toLowerCase()) || s !== s.trim());
const badContentType = fc
  .oneof(fc.constantFrom("", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/merge-patch+json", "application/json-patch+json", "json", "text/json", "application/javascript"), printable)
  .filter((t) => t.split(";")[0].trim().toLowerCase() !== "application/json");
const goodContentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", " application/json ;x=y");

/** Query strings with at least one parameter the route does not accept, or one given twice. */
function badQuery(route: FuzzRoute): fc.Arbitrary<string> {
  const allowed = Object.keys(route.query ?? {});
  const unknownKey = fc.oneof(fc.constantFrom("namespace", "ns", "fieldSelector", "labelSelector", "watch", "resourceVersion", "path", "__proto__", "token"), fc.string({ minLength: 1, maxLength: 12 })).filter((k) => !allowed.includes(k));
  const unknown = fc.tuple(unknownKey, printable).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  const repeated = allowed.length > 0 ? fc.constantFrom(...allowed).map((k) => `${k}=a&${k}=b`) : unknown;
  return fc.tuple(fc.oneof(unknown, repeated), validQuery(route)).map(([bad, good]) => [good, bad].filter(Boolean).join("&"));
}

function validQuery(route: FuzzRoute): fc.Arbitrary<string> {
  const entries = Object.entries(route.query ?? {});
  if (entries.length === 0) return fc.constant("");
  return fc.oneof(fc.constant(""), fc.constantFrom(...entries.flatMap(([k, vs]) => vs.map((v) => `${k}=${encodeURIComponent(v)}`))));
}

/** Headers that are always random noise: credentials, cookies, resume ids, lying lengths. */
const noiseHeaders = fc.record(
  {
    authorization: fc.oneof(printable, printable.map((s) => `Bearer ${s}`), fc.constant("Basic YWRtaW46YWRtaW4=")),
    cookie: fc.oneof(printable, printable.map((s) => `${SESSION_COOKIE}=${s}`), fc.constant(`${SESSION_COOKIE}=${"a".repeat(64)}; other=1`)),
    "last-event-id": fc.oneof(printable, fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String)),
    "x-forwarded-host": badHost,
    "x-forwarded-for": fc.constantFrom("10.0.0.1", "127.0.0.1"),
  },
  { requiredKeys: [] },
);

type Defect = "name" | "body" | "query" | "host" | "origin" | "fetchSite" | "contentType";

interface FuzzInput {
  defect?: Defect;
  name: string;
  query: string;
  host: string;
  origin?: string;
  fetchSite?: string;
  contentType?: string;
  contentLength?: string;
  body?: string | Uint8Array;
  noise: Record<string, string>;
}

function inputs(route: FuzzRoute): fc.Arbitrary<FuzzInput> {
  const mutating = route.method !== "GET";
  const defects: Defect[] = ["query", "host", "origin", "fetchSite"];
  if (route.name) defects.push("name");
  if (mutating) defects.push("body", "contentType");
  const defectArb: fc.Arbitrary<Defect | undefined> = mutating ? fc.constantFrom(...defects) : fc.option(fc.constantFrom(...defects), { nil: undefined });
  return defectArb.chain((defect) =>
    fc.record({ host: defect === "host" ? badHost : anyHost }).chain(({ host }) =>
      fc.record({
        defect: fc.constant(defect),
        host: fc.constant(host),
        name: route.name ? (defect === "name" ? badName(route.name.rule, route.name.existing) : anyName(route.name.rule, route.name.existing)) : fc.constant(""),
        query: defect === "query" ? badQuery(route) : fc.oneof({ weight: 4, arbitrary: validQuery(route) }, { weight: 1, arbitrary: badQuery(route) }),
        origin: defect === "origin" ? badOrigin(host) : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constant(`http://${host}`) }, { weight: 1, arbitrary: badOrigin(host) }),
        fetchSite: defect === "fetchSite" ? badFetchSite : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom("same-origin", "none") }, { weight: 1, arbitrary: badFetchSite }),
        contentType: !mutating ? fc.option(printable, { nil: undefined }) : defect === "contentType" ? badContentType : fc.oneof({ weight: 4, arbitrary: goodContentType }, { weight: 1, arbitrary: badContentType }),
        contentLength: fc.option(fc.oneof(fc.nat().map(String), fc.constantFrom("-1", "abc", "99999999999", "1e9")), { nil: undefined, freq: 4 }),
        body: !mutating
          ? fc.constant(undefined)
          : defect === "body"
            ? badBody(route)
            : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...route.body!.valid) }, { weight: 1, arbitrary: badBody(route) }),
        noise: noiseHeaders,
      }),
    ),
  );
}

// ---------------------------------------------------------------- running requests

interface Tally {
  tried: number;
  skipped: number;
  byStatus: Map<number, number>;
}
const tally: Tally = { tried: 0, skipped: 0, byStatus: new Map() };
const perRoute = new Map<string, number>();

function count(label: string, status: number): void {
  tally.tried++;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  perRoute.set(label, (perRoute.get(label) ?? 0) + 1);
}

function safePathSegment(name: string): string {
  try {
    return encodeURIComponent(name);
  } catch {
    return "x"; // a lone surrogate cannot be percent-encoded; the handler still gets the raw name
  }
}

function buildRequest(route: FuzzRoute, input: FuzzInput): Request | undefined {
  const headers = new Headers();
  try {
    for (const [k, v] of Object.entries(input.noise)) headers.set(k, v);
    if (input.host) headers.set("host", input.host);
    if (input.origin !== undefined) headers.set("origin", input.origin);
    if (input.fetchSite !== undefined) headers.set("sec-fetch-site", input.fetchSite);
    if (input.contentType !== undefined) headers.set("content-type", input.contentType);
    if (input.contentLength !== undefined) headers.set("content-length", input.contentLength);
    const url = `http://127.0.0.1:3000${route.path(safePathSegment(input.name))}${input.query ? `?${input.query}` : ""}`;
    return new Request(url, { method: route.method, headers, body: input.body as BodyInit | undefined });
  } catch {
    // A header value no HTTP client could send (e.g. outside Latin-1): not an input the server can receive.
    return undefined;
  }
}

/** Reads the answer; an event stream is cancelled right away (its first frames are not the point here). */
async function readAnswer(res: Response): Promise<string> {
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return "";
  }
  return res.text();
}

function checkErrorBody(status: number, contentType: string | null, text: string): string | undefined {
  if (!contentType?.startsWith("application/json")) return `content-type ${contentType}`;
  let body: ApiError;
  try {
    body = JSON.parse(text) as ApiError;
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  const e = body?.error;
  if (!e || e.status !== status) return `error.status ${e?.status} ≠ ${status}`;
  if (typeof e.reason !== "string" || e.reason === "") return "no reason";
  if (typeof e.message !== "string" || e.message.trim() === "") return "no message";
  if (status === 400 && (typeof e.field !== "string" || e.field === "")) return `400 without a field: ${e.message}`;
  return undefined;
}

function describeInput(route: FuzzRoute, input: FuzzInput): string {
  const body = input.body instanceof Uint8Array ? `bytes[${input.body.length}]` : typeof input.body === "string" ? JSON.stringify(input.body.slice(0, 120)) : "none";
  return `${route.label} defect=${input.defect} name=${JSON.stringify(input.name.slice(0, 80))} query=${JSON.stringify(input.query.slice(0, 80))} host=${input.host} origin=${input.origin} site=${input.fetchSite} type=${input.contentType} body=${body}`;
}

async function fuzzOnce(route: FuzzRoute, input: FuzzInput): Promise<void> {
  const request = buildRequest(route, input);
  if (!request) {
    tally.skipped++;
    return;
  }
  let res: Response;
  try {
    res = await route.handler(request, { params: Promise.resolve({ name: input.name }) });
  } catch (err) {
    throw new Error(`threw ${(err as Error)?.stack ?? err}\n  for ${describeInput(route, input)}`);
  }
  const text = await readAnswer(res);
  count(route.label, res.status);
  const where = `${res.status} ${text.slice(0, 200)}\n  for ${describeInput(route, input)}`;
  if (res.status >= 500) throw new Error(`5xx: ${where}`);
  if (route.method !== "GET" && (res.status < 400 || res.status >= 500)) throw new Error(`a defective mutating request was not refused: ${where}`);
  if (input.defect && input.defect !== "name" && (res.status < 400 || res.status >= 500)) throw new Error(`a defective request was not refused: ${where}`);
  // A malformed name is the dashboard's to refuse (400 naming the field), never the cluster's (404).
  if (input.defect === "name" && res.status === 404) throw new Error(`a malformed name reached the cluster: ${where}`);
  if (res.status >= 400) {
    const problem = checkErrorBody(res.status, res.headers.get("content-type"), text);
    if (problem) throw new Error(`malformed error (${problem}): ${where}`);
  }
}

// ---------------------------------------------------------------- the tests

let h: EmbeddedHarness;
let before: string;
let requestsBefore = 0;
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 400);

beforeAll(async () => {
  // Through a proxy that records every request the dashboard sends to the API server.
  h = await startEmbedded({ speed: 50, viaProxy: true });
  await readyKubiaPods(h.runtime, 2);
  // Let the controllers settle (PVs bound, endpoints written) before taking the reference picture.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  before = mutableFingerprint(h.cluster);
  requestsBefore = h.proxy!.requests.length;
});

afterAll(async () => {
  const lines = [...perRoute].map(([label, n]) => `  ${label}: ${n}`);
  const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
  console.log(`[fuzz] ${tally.tried} malformed/hostile inputs tried (${tally.skipped} unsendable skipped); statuses: ${statuses}\n${lines.join("\n")}`);
  delete process.env.PLAYGROUND_TOKEN;
  await h?.close();
});

describe("fuzzing every route handler against the embedded cluster", () => {
  it.each(ROUTES.map((r) => [r.label, r] as const))("%s: no 5xx, no exception, defective requests refused with an ApiError", async (_, route) => {
    await fc.assert(
      fc.asyncProperty(inputs(route), (input) => fuzzOnce(route, input)),
      { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
  });

  it("unknown /api paths (any method, any segments): a JSON 404 or a refusal, never a pass-through", async () => {
    const segment = fc.oneof(anyString, fc.constantFrom("v1", "namespaces", "kube-system", "secrets", "pods", "proxy", "..", "%2e%2e", "apis", "exec", "api"));
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
    const handlers = catchAll as unknown as Record<(typeof methods)[number], Handler>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.array(segment, { minLength: 1, maxLength: 8 }), anyHost, fc.option(badContentType, { nil: undefined }), async (method, segments, host, contentType) => {
        const path = `/api/${segments.map(safePathSegment).join("/")}`;
        if (["/api/snapshot", "/api/stream", "/api/cluster", "/api/faults", "/api/dns", "/api/demo"].includes(path)) return;
        const headers: Record<string, string> = { host, "content-type": contentType ?? "application/json" };
        const request = new Request(`http://127.0.0.1:3000${path}`, { method, headers, body: method === "GET" ? undefined : "{}" });
        const res = await handlers[method](request, { params: Promise.resolve({ path: segments }) });
        const text = await res.text();
        count("catch-all /api/[...path]", res.status);
        expect([400, 403, 404, 415], `${method} ${path} → ${res.status} ${text}`).toContain(res.status);
        expect(checkErrorBody(res.status, res.headers.get("content-type"), text), text).toBeUndefined();
      }),
      { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
  });

  it("with PLAYGROUND_TOKEN set, no route answers without the token, whatever else is sent", async () => {
    const token = "h-sec-fuzz-token-0123456789abcdef";
    process.env.PLAYGROUND_TOKEN = token;
    try {
      const noCredential = fc.record({
        authorization: fc.option(fc.oneof(printable, printable.map((s) => `Bearer ${s}`), fc.constant(`Bearer ${token.slice(0, -1)}`), fc.constant(`Bearer ${token}x`), fc.constant(`Basic ${Buffer.from(`x:${token}`).toString("base64")}`)), { nil: undefined }),
        cookie: fc.option(fc.oneof(printable.map((s) => `${SESSION_COOKIE}=${s}`), fc.constant(`${SESSION_COOKIE}=${token}`), fc.constant(`${SESSION_COOKIE}=${sessionValue(token).toUpperCase()}`), fc.constant(`x${SESSION_COOKIE}=${sessionValue(token)}`)), { nil: undefined }),
      });
      const routeArb = fc.constantFrom(...ROUTES);
      await fc.assert(
        fc.asyncProperty(routeArb.chain((route) => fc.tuple(fc.constant(route), inputs(route), noCredential)), async ([route, input, credential]) => {
          const noise: Record<string, string> = { ...input.noise };
          delete noise.authorization;
          delete noise.cookie;
          if (credential.authorization !== undefined) noise.authorization = credential.authorization;
          if (credential.cookie !== undefined) noise.cookie = credential.cookie;
          const request = buildRequest(route, { ...input, noise });
          if (!request) return;
          const res = await route.handler(request, { params: Promise.resolve({ name: input.name }) });
          const text = await readAnswer(res);
          count(`token mode: ${route.label}`, res.status);
          expect(res.status, `${describeInput(route, input)} auth=${credential.authorization} cookie=${credential.cookie}`).toBe(401);
          expect(checkErrorBody(401, res.headers.get("content-type"), text)).toBeUndefined();
        }),
        { numRuns: RUNS_PER_ROUTE * 2, endOnFailure: true },
      );
    } finally {
      delete process.env.PLAYGROUND_TOKEN;
    }
  });

  it("proxy.ts: never throws, never 5xx, sets the session cookie only for the exact token", async () => {
    const token = "h-sec-proxy-token-fedcba9876543210";
    const pathArb = fc.oneof(
      fc.constantFrom("/", "/api", "/api/", "/api/snapshot", "/api/stream", "/_next/data/x.json", "/favicon.ico", "/index.html", "//evil.example/", "/%2e%2e/%2e%2e/etc/passwd", "/api/../api/snapshot"),
      fc.array(anyString, { maxLength: 5 }).map((segs) => `/${segs.map(safePathSegment).join("/")}`),
    );
    const tokenQuery = fc.oneof(fc.constant(undefined), fc.constant(token), fc.constant(`${token} `), fc.constant(token.toUpperCase()), printable, fc.constant(""));
    await fc.assert(
      fc.asyncProperty(pathArb, tokenQuery, fc.boolean(), anyHost, noiseHeaders, fc.option(badOrigin("127.0.0.1:3000"), { nil: undefined }), async (path, tokenParam, tokenMode, host, noise, origin) => {
        if (tokenMode) process.env.PLAYGROUND_TOKEN = token;
        else delete process.env.PLAYGROUND_TOKEN;
        const query = tokenParam === undefined ? "" : `?token=${encodeURIComponent(tokenParam)}`;
        let request: NextRequest;
        try {
          const headers = new Headers(noise);
          headers.set("host", host);
          if (origin) headers.set("origin", origin);
          request = new NextRequest(`http://127.0.0.1:3000${path}${query}`, { headers });
        } catch {
          tally.skipped++;
          return;
        }
        const res = proxy(request);
        count("proxy.ts", res.status);
        const where = `${path}${query} host=${host} tokenMode=${tokenMode} → ${res.status}`;
        expect(res.status, where).toBeLessThan(500);
        const isApi = request.nextUrl.pathname === "/api" || request.nextUrl.pathname.startsWith("/api/");
        const setCookie = res.headers.get("set-cookie");
        if (setCookie) {
          expect(tokenMode && tokenParam === token && !isApi, `cookie set for ${where}`).toBe(true);
          expect(setCookie).toContain(sessionValue(token));
          expect(setCookie).not.toContain(token);
          expect(setCookie).toMatch(/HttpOnly/);
          expect(setCookie).toMatch(/SameSite=Strict/);
        }
        if (tokenMode && tokenParam !== undefined && tokenParam !== token && !isApi) expect(res.status, where).toBe(401);
        if (res.status >= 400 && isApi) {
          const problem = checkErrorBody(res.status, res.headers.get("content-type"), await res.text());
          expect(problem, where).toBeUndefined();
        }
        if (!tokenMode && !/^(127\.0\.0\.1|localhost|\[::1\]|LOCALHOST|app\.localhost)(:\d+)?$/.test(host)) expect(res.status, where).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS_PER_ROUTE * 3, endOnFailure: true },
    );
    delete process.env.PLAYGROUND_TOKEN;
  });

  it("the cluster is exactly as before: no object the dashboard can mutate changed, no write request ever reached it", async () => {
    // Let any (wrongly) accepted action reach the store before comparing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mutableFingerprint(h.cluster)).toBe(before);
    const sent = h.proxy!.requests.slice(requestsBefore);
    const writes = sent.filter((r) => r.method !== "GET");
    expect(writes, "write requests the dashboard sent to the API server").toEqual([]);
    // Reads stayed in the namespace, or are the cluster-scoped kinds it watches, or its health check.
    const outside = sent.map((r) => new URL(r.path, "http://x").pathname).filter((p) => !/^\/(api\/v1|apis\/[^/]+\/v1)\/namespaces\/default\//.test(p) && !["/readyz", "/api/v1/nodes", "/api/v1/persistentvolumes", "/apis/playground.k8s.io/v1/faults", "/apis/playground.k8s.io/v1/capabilities", "/apis/playground.k8s.io/v1/speed"].includes(p));
    expect(outside, "reads outside the namespace").toEqual([]);
    console.log(`[fuzz] the dashboard sent ${sent.length} requests to the API server during the fuzz, none of them a write`);
  });

  it("no event-stream subscriber leaked and nothing polluted Object.prototype", async () => {
    await h.runtime.hub.waitFor(() => h.runtime.hub.subscriberCount === 0, 2_000);
    expect(h.runtime.hub.subscriberCount).toBe(0);
    for (const key of ["replicas", "namespace", "polluted", "isAdmin", "x"]) expect(({} as Record<string, unknown>)[key], key).toBeUndefined();
    expect(tally.tried).toBeGreaterThanOrEqual(RUNS_PER_ROUTE * ROUTES.length);
  });
});
