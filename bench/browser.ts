/**
 * Browser-side measures of `npm run bench`: headless Chromium (Debian's, as the e2e suite drives
 * it) on the production build.
 * - change → screen: the StatefulSet is scaled on the Kubernetes API server, and each page notes
 *   when its "Desired" figure shows it (requestAnimationFrame polling in the page, so the time is
 *   when the frame with the change is painted); N pages, each in its own browser context;
 * - the same with the baseline: the same page fed by polling GET /api/snapshot every 2 s (as
 *   polling dashboards do), by replacing EventSource in the page;
 * - request rates while idle: the Kubernetes API server's (its /metrics counter) and the
 *   dashboard server's (requests the pages make), and API-server connections;
 * - tabs: 20 pages of one browser (one context) — how many load and follow a change;
 * - first-load JS: the module scripts of the page, gzipped.
 */
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../testing/chromium";
import type { LaunchedPlayground } from "../lib/kube/testing/launcher";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wallNow = () => performance.timeOrigin + performance.now();

/** EventSource replaced by a poll of the snapshot every 2 s: the baseline page. */
const POLLING_FEED = `(() => {
  class PollingEventSource {
    static CONNECTING = 0; static OPEN = 1; static CLOSED = 2;
    constructor() {
      this.readyState = 0; this.listeners = {};
      const tick = async () => {
        try {
          const data = await (await fetch("/api/snapshot")).text();
          if (this.readyState === 0) { this.readyState = 1; this.onopen && this.onopen(); }
          for (const f of this.listeners.snapshot || []) f({ data, lastEventId: "" });
        } catch {}
      };
      tick();
      this.timer = setInterval(tick, 2000);
    }
    addEventListener(name, f) { (this.listeners[name] = this.listeners[name] || []).push(f); }
    close() { clearInterval(this.timer); this.readyState = 2; }
  }
  window.EventSource = PollingEventSource;
})();`;

/**
 * In the page: resolves with the wall time of the first frame whose "Desired" figure is `n`.
 * Source text, not a function: tsx's transform would wrap a named function in a helper the page lacks.
 */
const waitForDesired = (n: number) => `new Promise((resolve) => {
  const check = () => {
    const dt = [...document.querySelectorAll("dt")].find((d) => d.textContent.trim() === "Desired");
    if (dt && dt.nextElementSibling && dt.nextElementSibling.textContent.trim() === "${n}") resolve(performance.timeOrigin + performance.now());
    else requestAnimationFrame(check);
  };
  check();
})`;

async function scaleOnApiServer(app: LaunchedPlayground, replicas: number, name = "kubia"): Promise<void> {
  const res = await fetch(`${app.apiUrl}/apis/apps/v1/namespaces/default/statefulsets/${name}/scale`, {
    method: "PATCH",
    headers: { "content-type": "application/merge-patch+json" },
    body: JSON.stringify({ spec: { replicas } }),
  });
  if (!res.ok) throw new Error(`scale: ${res.status} ${await res.text()}`);
}

export async function apiServerRequests(app: LaunchedPlayground): Promise<number> {
  const text = await (await fetch(`${app.apiUrl}/metrics`)).text();
  return [...text.matchAll(/^apiserver_request_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Established TCP connections to the API server's port (from /proc/net/tcp, Linux). */
export function apiServerConnections(app: LaunchedPlayground): number | null {
  const port = Number(new URL(app.apiUrl).port).toString(16).toUpperCase().padStart(4, "0");
  try {
    const lines = fs.readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1);
    return lines.filter((l) => {
      const f = l.trim().split(/\s+/);
      return f[1]?.endsWith(`:${port}`) && f[3] === "01";
    }).length;
  } catch {
    return null;
  }
}

export async function firstLoadJs(url: string): Promise<{ files: number; gzipBytes: number; rawBytes: number }> {
  const html = await (await fetch(url)).text();
  const srcs = [...html.matchAll(/<script\b([^>]*)>/g)].filter(([, attrs]) => !/\bnomodule\b/i.test(attrs)).flatMap(([, attrs]) => /\bsrc="([^"]+)"/.exec(attrs)?.[1] ?? []);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const src of new Set(srcs)) {
    const body = Buffer.from(await (await fetch(new URL(src.replace(/&amp;/g, "&"), url))).arrayBuffer());
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: new Set(srcs).size, gzipBytes, rawBytes };
}

export interface LatencyResult {
  mode: "stream" | "poll";
  pages: number;
  latenciesMs: number[];
  /** While idle with the pages open, per second. */
  apiServerRequestsPerSecond: number;
  dashboardRequestsPerSecond: number;
  apiServerConnections: number | null;
}

async function openPages(browser: Browser, url: string, n: number, poll: boolean, onRequest: () => void): Promise<{ contexts: BrowserContext[]; pages: Page[] }> {
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext();
    if (poll) await context.addInitScript(POLLING_FEED);
    context.on("request", onRequest);
    contexts.push(context);
    pages.push(await context.newPage());
  }
  await Promise.all(pages.map((p) => p.goto(url)));
  await Promise.all(pages.map((p) => p.waitForFunction(() => [...document.querySelectorAll("dt")].some((d) => d.textContent?.trim() === "Desired"), undefined, { timeout: 60_000 })));
  return { contexts, pages };
}

export async function measureLatency(browser: Browser, app: LaunchedPlayground, opts: { pages: number; mode: "stream" | "poll"; runs: number; idleMs?: number }): Promise<LatencyResult> {
  let dashboardRequests = 0;
  const { contexts, pages } = await openPages(browser, app.url, opts.pages, opts.mode === "poll", () => dashboardRequests++);
  try {
    await sleep(1_000);
    const idleMs = opts.idleMs ?? 10_000;
    const [apiBefore, dashBefore] = [await apiServerRequests(app), dashboardRequests];
    await sleep(idleMs);
    const [apiAfter, dashAfter] = [await apiServerRequests(app), dashboardRequests];
    const connections = apiServerConnections(app);
    const latenciesMs: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const target = i % 2 === 0 ? 3 : 2;
      const seen = pages.map((p) => p.evaluate<number>(waitForDesired(target)));
      await sleep(50); // the pollers are installed
      const t0 = wallNow();
      await scaleOnApiServer(app, target);
      for (const at of await Promise.all(seen)) latenciesMs.push(at - t0);
      await sleep(opts.mode === "poll" ? 300 : 500);
    }
    return {
      mode: opts.mode,
      pages: opts.pages,
      latenciesMs,
      // The metrics request itself is one of them.
      apiServerRequestsPerSecond: Math.round(((apiAfter - apiBefore - 1) / idleMs) * 1000 * 100) / 100,
      dashboardRequestsPerSecond: Math.round(((dashAfter - dashBefore) / idleMs) * 1000 * 100) / 100,
      apiServerConnections: connections,
    };
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

/** 20 tabs of one browser: how many load, and how many show a change made after they all opened. */
export async function measureTabs(browser: Browser, app: LaunchedPlayground, tabs: number): Promise<{ tabs: number; loaded: number; live: number; streams: number; snapshotLoads: number }> {
  const context = await browser.newContext();
  let streams = 0;
  let snapshotLoads = 0;
  context.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path === "/api/stream") streams++;
    if (path === "/api/snapshot") snapshotLoads++;
  });
  try {
    const pages = await Promise.all(Array.from({ length: tabs }, () => context.newPage()));
    const loaded = await Promise.all(
      pages.map(async (p) => {
        try {
          await p.goto(app.url, { timeout: 30_000 });
          await p.waitForFunction(() => [...document.querySelectorAll("dt")].some((d) => d.textContent?.trim() === "Desired"), undefined, { timeout: 30_000 });
          return true;
        } catch {
          return false;
        }
      }),
    );
    const seen = pages.map((p, i) => (loaded[i] ? Promise.race([p.evaluate<number>(waitForDesired(3)).then(() => true), sleep(15_000).then(() => false)]) : Promise.resolve(false)));
    await scaleOnApiServer(app, 3);
    const live = (await Promise.all(seen)).filter(Boolean).length;
    await scaleOnApiServer(app, 2);
    return { tabs, loaded: loaded.filter(Boolean).length, live, streams, snapshotLoads };
  } finally {
    await context.close();
  }
}

/** Long tasks (> 50 ms, the longest reported) in a page while a StatefulSet of `name` changes. */
export async function measureLongTasks(browser: Browser, app: LaunchedPlayground, name: string, during: () => Promise<void>): Promise<{ count: number; longestMs: number; over100: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${app.url}/?statefulset=${name}`);
    await page.waitForFunction(() => [...document.querySelectorAll("dt")].some((d) => d.textContent?.trim() === "Desired"), undefined, { timeout: 60_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: "longtask", buffered: false });
    });
    await during();
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    return { count: tasks.length, longestMs: Math.round(Math.max(0, ...tasks)), over100: tasks.filter((t) => t > 100).length };
  } finally {
    await context.close();
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), headless: true });
}

export { scaleOnApiServer };
