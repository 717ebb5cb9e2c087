/**
 * The apimachinery types whose JSON form is not their protobuf message's structure (each has its own
 * MarshalJSON/Marshal in Go): metav1.Time/MicroTime (RFC 3339 ↔ seconds/nanos), metav1.Duration
 * (Go duration string ↔ nanoseconds), intstr.IntOrString, resource.Quantity, runtime.RawExtension
 * and metav1.FieldsV1 (raw JSON bytes), metav1.Verbs (a bare array).
 */

/** What a special type's protobuf message holds: plain field values as protobufjs encodes/decodes them. */
type Fields = Record<string, unknown>;

export interface WellKnown {
  /** JSON value (never null or undefined) → message fields. */
  toMessage(json: unknown): Fields;
  /** Message fields (possibly empty: Go's zero value) → JSON value. */
  fromMessage(msg: Fields): unknown;
  /** Whether the decoded Go value is its type's zero value (for `omitzero`). */
  isZero(msg: Fields): boolean;
}

export function toNumber(v: unknown): number {
  if (v === undefined || v === null) return 0;
  // int64 fields decode as Long objects (protobufjs with long.js); their decimal string is exact.
  return typeof v === "number" ? v : Number(String(v));
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

function parseTime(s: unknown): { seconds: number; nanos: number } {
  const m = typeof s === "string" ? RFC3339.exec(s) : null;
  if (!m) throw new TypeError(`invalid time ${JSON.stringify(s)}: not RFC 3339`);
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) throw new TypeError(`invalid time ${JSON.stringify(s)}`);
  return { seconds: Math.floor(ms / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

/** Time.MarshalJSON: RFC 3339 in UTC, seconds (Time) or microseconds (MicroTime). */
function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z` : `${base}Z`;
}

function timeType(micro: boolean): WellKnown {
  return {
    toMessage: (json) => {
      const { seconds, nanos } = parseTime(json);
      return { seconds, nanos: micro ? nanos - (nanos % 1000) : nanos };
    },
    fromMessage: (msg) => {
      const seconds = toNumber(msg.seconds);
      const nanos = toNumber(msg.nanos);
      // Time.Unmarshal: an empty message, or 0/0, is the zero time, which marshals to JSON null.
      return seconds === 0 && nanos === 0 ? null : formatTime(seconds, nanos, micro);
    },
    isZero: (msg) => toNumber(msg.seconds) === 0 && toNumber(msg.nanos) === 0,
  };
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** time.ParseDuration. */
export function parseGoDuration(s: string): bigint {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (s === "0" || s === "+0" || s === "-0") return 0n;
  if (!m) throw new TypeError(`time: invalid duration "${s}"`);
  let total = 0n;
  for (const part of s.matchAll(/(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g)) {
    const unit = UNITS[part[3]];
    const frac = part[2] ?? "";
    total += BigInt(part[1] || "0") * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
  }
  return m[1] === "-" ? -total : total;
}

/** time.Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  let u = ns < 0n ? -ns : ns;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1000n ? ["ns", 1n] : u < 1_000_000n ? ["µs", 1000n] : ["ms", 1_000_000n];
    return sign + fraction(u, div) + unit;
  }
  const h = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const min = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  return sign + (h ? `${h}h${min}m` : min ? `${min}m` : "") + fraction(u, 1_000_000_000n) + "s";
}

function fraction(value: bigint, div: bigint): string {
  const whole = value / div;
  const rest = value % div;
  if (!rest) return String(whole);
  return `${whole}.${String(rest).padStart(String(div).length - 1, "0").replace(/0+$/, "")}`;
}

const encoder = new TextEncoder();

/** Raw bytes that hold a JSON document (RawExtension.Raw, FieldsV1.Raw): kept verbatim. */
function rawJson(field: string): WellKnown {
  return {
    toMessage: (json) => ({ [field]: encoder.encode(JSON.stringify(json)) }),
    fromMessage: (msg) => {
      const raw = msg[field] as Uint8Array | undefined;
      if (!raw || raw.length === 0) return null;
      return JSON.parse(Buffer.from(raw).toString("utf8"));
    },
    isZero: (msg) => !(msg[field] as Uint8Array | undefined)?.length,
  };
}

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

export const WELL_KNOWN: Record<string, WellKnown> = {
  [`${META}.Time`]: timeType(false),
  [`${META}.MicroTime`]: timeType(true),
  [`${META}.Duration`]: {
    toMessage: (json) => ({ duration: String(parseGoDuration(String(json))) }),
    fromMessage: (msg) => formatGoDuration(BigInt(String(msg.duration ?? 0))),
    isZero: (msg) => toNumber(msg.duration) === 0,
  },
  [`${META}.FieldsV1`]: rawJson("Raw"),
  [`${META}.Verbs`]: {
    toMessage: (json) => ({ items: Array.isArray(json) ? json.map(String) : [] }),
    fromMessage: (msg) => ((msg.items as string[] | undefined)?.length ? msg.items : null),
    isZero: (msg) => !(msg.items as string[] | undefined)?.length,
  },
  "k8s.io.apimachinery.pkg.runtime.RawExtension": rawJson("raw"),
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
    // IntOrString.Marshal writes all three fields; type 0 is Int, 1 is String.
    toMessage: (json) => (typeof json === "number" ? { type: 0, intVal: json, strVal: "" } : { type: 1, intVal: 0, strVal: String(json) }),
    fromMessage: (msg) => (toNumber(msg.type) === 1 ? String(msg.strVal ?? "") : toNumber(msg.intVal)),
    isZero: (msg) => toNumber(msg.type) === 0 && toNumber(msg.intVal) === 0 && !msg.strVal,
  },
  "k8s.io.apimachinery.pkg.api.resource.Quantity": {
    toMessage: (json) => ({ string: String(json) }),
    // The zero Quantity marshals as "0".
    fromMessage: (msg) => (msg.string ? String(msg.string) : "0"),
    isZero: (msg) => !msg.string || msg.string === "0",
  },
};
