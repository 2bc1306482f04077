/**
 * Section "transport": the physical ceiling the browser ensemble is compared with. Two workers
 * joined by a MessageChannel, in headless Chromium (Web Workers, bench/transport/index.html)
 * and in Node (worker_threads); the same code (bench/transport/transport-core.js) runs in both.
 *   round trip      A sends a ~120-byte proposal-shaped message, B echoes it; median and p99
 *   one-way single  A posts N messages one per postMessage, B counts them: messages/s
 *   one-way batched the same with 100 messages per postMessage
 * Rows show Chromium; the baseline column is the same figure in Node, measured in this run.
 */
import { Worker } from 'node:worker_threads';
import { MessageChannel } from 'node:worker_threads';
import { join } from 'node:path';
import { chromiumAvailable, chromiumPath, launchChromium } from '../lib/chromium.ts';
import { failed, type Figure, type Section, type SectionOptions } from '../lib/figure.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';

const section = 'transport';
const dir = join(import.meta.dirname, '..', 'transport');

export interface TransportParams {
  rounds: number;
  rttCount: number;
  rttWarmup: number;
  singleCount: number;
  batchedCount: number;
  batch: number;
}

export interface TransportSamples {
  rttMedianUs: number[];
  rttP99Us: number[];
  singleMsgsPerSec: number[];
  batchedMsgsPerSec: number[];
  cloneUs: number[];
}

export interface TransportSummary {
  rttMedianUs: number;
  rttP99Us: number;
  singleMsgsPerSec: number;
  batchedMsgsPerSec: number;
  cloneUs: number;
}

export function params(opts: SectionOptions): TransportParams {
  return opts.quick
    ? { rounds: 3, rttCount: 500, rttWarmup: 100, singleCount: 20_000, batchedCount: 50_000, batch: 100 }
    : { rounds: 5, rttCount: 2000, rttWarmup: 200, singleCount: 50_000, batchedCount: 200_000, batch: 100 };
}

export function summarize(s: TransportSamples): TransportSummary {
  return {
    rttMedianUs: median(s.rttMedianUs),
    rttP99Us: median(s.rttP99Us),
    singleMsgsPerSec: median(s.singleMsgsPerSec),
    batchedMsgsPerSec: median(s.batchedMsgsPerSec),
    cloneUs: median(s.cloneUs),
  };
}

function startNodeWorker(role: 'A' | 'B', port: import('node:worker_threads').MessagePort, p: TransportParams): { w: Worker; done: Promise<TransportSamples | undefined> } {
  const w = new Worker(join(dir, 'node-worker.js'));
  const done = new Promise<TransportSamples | undefined>((resolve, reject) => {
    w.once('message', (m: { ok: boolean; result?: TransportSamples; error?: string }) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
    w.once('error', reject);
  });
  w.postMessage({ role, port, params: p }, [port]);
  return { w, done };
}

export async function nodeTransport(p: TransportParams): Promise<TransportSamples> {
  const ch = new MessageChannel();
  const b = startNodeWorker('B', ch.port2, p);
  await b.done;
  const a = startNodeWorker('A', ch.port1, p);
  const result = await a.done;
  await a.w.terminate();
  await b.w.terminate();
  if (!result) throw new Error('node transport: no result');
  return result;
}

export interface BrowserTransport {
  samples: TransportSamples;
  isolated: boolean;
  version: string;
}

export async function browserTransport(p: TransportParams): Promise<BrowserTransport> {
  const server = await serveStatic(dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __transportReady?: boolean }).__transportReady === true);
    const r = await page.evaluate((pp) => (window as unknown as { __transport: (x: unknown) => Promise<{ result: TransportSamples; isolated: boolean }> }).__transport(pp), p);
    return { samples: r.result, isolated: r.isolated, version: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}

function rows(chrome: TransportSummary | null, node: TransportSummary, p: TransportParams, chromeNote?: string): Figure[] {
  const mk = (name: string, key: keyof TransportSummary, unit: string, note?: string): Figure => ({
    section, name: `${name} (Chromium)`, value: chrome ? chrome[key] : null, unit,
    status: chrome ? 'info' : 'failed',
    baseline: { name: 'Node worker_threads', value: node[key], unit },
    note: chrome ? note : chromeNote,
  });
  return [
    mk('worker<->worker round trip, median', 'rttMedianUs', 'µs', `${p.rttCount} round trips x ${p.rounds} rounds; medians of per-round figures`),
    mk('worker<->worker round trip, p99', 'rttP99Us', 'µs'),
    mk('worker->worker one-way, 1 msg per postMessage', 'singleMsgsPerSec', 'msg/s', `${p.singleCount} messages`),
    mk(`worker->worker one-way, ${p.batch} msgs per postMessage`, 'batchedMsgsPerSec', 'msg/s', `${p.batchedCount} messages`),
    mk('structuredClone of a ~120-byte message', 'cloneUs', 'µs'),
  ];
}

/** The Chromium ceiling of the last run, for the browser-ensemble section's fractions. */
export let lastChromiumCeiling: TransportSummary | null = null;

export const transportSection: Section = {
  name: 'transport',
  title: 'Transport ceiling (MessageChannel worker<->worker, Chromium and Node)',
  async run(opts: SectionOptions): Promise<Figure[]> {
    const p = params(opts);
    const node = summarize(await nodeTransport(p));
    if (!chromiumAvailable()) return rows(null, node, p, `no Chromium at ${chromiumPath}`);
    try {
      const b = await browserTransport(p);
      lastChromiumCeiling = summarize(b.samples);
      const figs = rows(lastChromiumCeiling, node, p);
      return figs.map((f, i) => (i === 0 ? { ...f, extra: { chromium: b.version, crossOriginIsolated: b.isolated } } : f));
    } catch (err) {
      return [...rows(null, node, p, 'see below'), failed(section, 'Chromium transport page', '', err)];
    }
  },
};
