/**
 * client-go's EventSourceObjectSpamFilter (tools/record/events_cache.go): every event a recorder
 * emits about one object with one type — a new Event or a repeat that only bumps `count` — takes a
 * token from that object's bucket (burst 25, refilled at one per 5 minutes); without a token the
 * event is dropped. So a probe failing every second shows `(x25 over 25s)`, then one more every 5
 * minutes, as `kubectl describe` shows it on a real node. Times are cluster time.
 */
const BURST = 25;
const REFILL_MS = 300_000; // defaultSpamQPS = 1/300
/** lru.New(maxLruCacheEntries). */
const MAX_ENTRIES = 4096;

export class EventSpamFilter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Whether an event under `key` (source, object, type) may be recorded at `now`; takes its token. */
  allow(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: BURST, at: now };
    bucket.tokens = Math.min(BURST, bucket.tokens + (now - bucket.at) / REFILL_MS);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_ENTRIES) this.buckets.delete(this.buckets.keys().next().value!);
    return allowed;
  }
}
