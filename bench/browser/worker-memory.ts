/**
 * A server worker's memory in the built app (3 servers, live, OPFS dataDirs): JS heap and
 * ArrayBuffer backing stores of each worker after GC (CDP, TabTargets), at quorum, after
 * `--znodes` creates of 100 B under /tree, then after `--writes` setData of 100 B on them.
 *
 *   npx vite build --outDir /tmp/app && npx tsx bench/browser/worker-memory.ts --dist /tmp/app [--znodes 100000] [--writes 50000] [--servers 3]
 *
 * The bench's "browser" section measures the same on 5 servers along with fps (app-harness.ts);
 * this is the short version for storage work.
 */
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { serveStatic } from '../lib/static-server.ts';
import { launchChromium, launchPersistentChromium } from '../lib/chromium.ts';
import { chromiumRss, formatRss, rssTag } from '../lib/chromium-rss.ts';

const tag = rssTag();
import { TabTargets } from './app-harness.ts';
import { probeRuntime, zooCfg } from './playground-harness.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const dist = arg('dist', 'dist');
const znodes = Number(arg('znodes', '100000'));
const writes = Number(arg('writes', '50000'));
const servers = Number(arg('servers', '3'));
/** `--cfg "snapCount=1000000"`: zoo.cfg lines added to the run's (\n between lines) */
const cfgExtra = arg('cfg', '').split('\\n').filter((l) => l !== '').map((l) => `${l}\n`).join('');
const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
type Bench = { call(c: { type: string; path: string; dataBytes?: number }): Promise<string>; close(): void };

/** `--persistent`: a profile on disk (OPFS on disk, as a user's browser has it); default a fresh in-memory context */
const persistent = process.argv.includes('--persistent');

/** `--snapshot <file>`: a V8 heap snapshot of the server worker with the largest heap (DevTools can open it). */
async function heapSnapshot(ctx: BrowserContext, page: Page, file: string): Promise<void> {
  const cdp = await ctx.newCDPSession(page);
  const workers: string[] = [];
  let chunks: string[] = [];
  let id = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
    if (e.targetInfo.type === 'worker') workers.push(e.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; method?: string; params?: { chunk: string }; result?: unknown };
    if (m.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(m.params!.chunk);
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const send = (sessionId: string, method: string, params: object = {}): Promise<unknown> => new Promise((resolve) => {
    const n = id++;
    waiting.set(n, resolve);
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: n, method, params }) });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await page.waitForTimeout(500);
  let best = '';
  let bestSize = -1;
  for (const w of workers) {
    const u = (await send(w, 'Runtime.getHeapUsage')) as { usedSize: number };
    if (u.usedSize > bestSize) {
      best = w;
      bestSize = u.usedSize;
    }
  }
  chunks = [];
  await send(best, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  writeFileSync(file, chunks.join(''));
  console.log(`heap snapshot of the largest worker (${mb(bestSize)} MB) in ${file}`);
}

async function main(): Promise<void> {
  const server = await serveStatic(dist);
  let browser: Browser | null = null;
  let ctx: BrowserContext;
  let closePersistent: (() => Promise<void>) | null = null;
  if (persistent) {
    const p = await launchPersistentChromium([tag]);
    ctx = p.ctx;
    closePersistent = p.close;
  } else {
    browser = await launchChromium([tag]);
    ctx = await browser.newContext();
  }
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/?bench`);
    if (!(await probeRuntime(page, 30_000)).runtime) throw new Error('no window.__playground with ?bench');
    const targets = await TabTargets.attach(ctx, page);
    page.on('console', (m) => {
      if (m.text().startsWith('setData ') || m.type() === 'error') console.log(`  [page] ${m.text().slice(0, 300)}`);
      if (m.text().startsWith('setData ')) console.log(`    chromium RSS MB: ${formatRss(chromiumRss(tag))}`);
    });
    page.on('pageerror', (e) => console.log(`  [pageerror] ${e.message.slice(0, 300)}`));
    ctx.on('weberror', (e) => console.log(`  [weberror] ${e.error().message.slice(0, 300)}`));
    await page.evaluate(async (cfg) => {
      const pg = (window as unknown as { __playground: { store: { getState(): { startRun(o: object): Promise<void> } } } }).__playground;
      await pg.store.getState().startRun({ zooCfg: cfg, seed: 1, mode: 'live', startAll: true, fresh: true });
    }, zooCfg(servers) + cfgExtra);
    const leader = await page.waitForFunction(() => {
      const rt = (window as unknown as { __playground: { runtime: { status(): { sid: number; role: string; phase: string | null }[] } } }).__playground.runtime;
      const st = rt.status();
      const l = st.find((s) => s.role === 'leading' && s.phase === 'broadcast');
      return l && st.every((s) => s.phase === 'broadcast') ? l.sid : null;
    }, null, { timeout: 60_000, polling: 100 }).then((h) => h.jsonValue() as Promise<number>);
    await page.waitForTimeout(1000);
    const report = async (what: string): Promise<void> => {
      await page.waitForTimeout(2000);
      const h = await targets.heaps();
      const rows = h.workers.map((w, i) => `${mb(w)} + ${mb(h.workersBacking[i])}`);
      const roles = await page.evaluate(() => (window as unknown as { __playground: { runtime: { status(): { sid: number; role: string; phase: string | null }[] } } }).__playground.runtime.status().map((s) => `${s.sid}:${s.role}/${s.phase ?? '-'}`).join(' '));
      console.log(`${what}: workers JS heap + ArrayBuffer stores (MB): ${rows.join(' | ')}; main ${mb(h.main)} + ${mb(h.mainBacking)}; servers ${roles}`);
    };
    await report('at quorum');
    const t0 = Date.now();
    await page.evaluate(async ({ n, leader }) => {
      const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<Bench> } } } }).__playground.runtime;
      const c = await rt.bench.client(`127.0.0.1:${2180 + leader}`);
      await c.call({ type: 'create', path: '/tree' });
      for (let from = 0; from < n; from += 5000) {
        await Promise.all(Array.from({ length: Math.min(5000, n - from) }, (_, k) => c.call({ type: 'create', path: `/tree/n${String(from + k).padStart(6, '0')}`, dataBytes: 100 })));
      }
      c.close();
    }, { n: znodes, leader });
    console.log(`created ${znodes} znodes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await report(`${znodes} znodes`);
    const snapFile = arg('snapshot', '');
    if (snapFile !== '') await heapSnapshot(ctx, page, snapFile);
    // every 30 s from here: heaps in use / committed, stores, and the processes' resident memory
    const monitor = setInterval(() => {
      void targets.heaps(false).then((h) => {
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        console.log(`  [${((Date.now() - t1) / 1000).toFixed(0)} s] heaps used/committed MB: main ${mb(h.main)}/${mb(h.mainTotal)}, workers ${mb(sum(h.workers))}/${mb(sum(h.workersTotal))}; stores ${mb(h.mainBacking + sum(h.workersBacking))}; RSS MB: ${formatRss(chromiumRss(tag))}; private MB: ${formatRss(chromiumRss(tag, 'private'))}`);
      }).catch(() => undefined);
    }, 30_000);
    const t1 = Date.now();
    await page.evaluate(async ({ n, writes, leader }) => {
      const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<Bench> } } } }).__playground.runtime;
      const c = await rt.bench.client(`127.0.0.1:${2180 + (leader === 1 ? 2 : 1)}`);
      let i = 0;
      const failed = new Map<string, number>();
      for (let done = 0; done < writes; done += 50) {
        const batch = Promise.all(Array.from({ length: 50 }, () => c.call({ type: 'setData', path: `/tree/n${String(i++ % n).padStart(6, '0')}`, dataBytes: 100 })));
        const stalled = await Promise.race([batch.then(() => false), new Promise<boolean>((res) => setTimeout(() => res(true), 15_000))]);
        if (stalled) {
          // a write path that stops answering: say where the servers are and what they last did
          const r2 = rt as unknown as { status(): { sid: number; role: string; phase: string | null; lastZxid: bigint }[]; events(): readonly { type: string; sid?: number; text?: string }[] };
          console.error(`stalled after ${done} setData: ${r2.status().map((s) => `${s.sid}:${s.role}/${s.phase ?? '-'} ${String(s.lastZxid)}`).join(' ')}`);
          for (const ev of r2.events().filter((e) => e.type === 'log' || e.type === 'roleChanged' || e.type === 'fault' || (e.type === 'persisted' && (e as { what?: string }).what !== 'txns')).slice(-40)) console.error(`  ${ev.type} ${ev.sid ?? ''} ${(ev.text ?? '').slice(0, 200)}`);
          throw new Error('stalled');
        }
        const rs = await batch;
        for (const r of rs) if (r !== 'ok') failed.set(r, (failed.get(r) ?? 0) + 1);
        if (done % 10_000 === 0) {
          const est = await navigator.storage.estimate();
          const crashed = (rt as unknown as { events(): readonly { type: string; text?: string }[] }).events().filter((e) => e.type === 'log' && (e.text ?? '').includes('crashed')).map((e) => e.text!.slice(0, 200));
          console.log(`setData ${done}${failed.size > 0 ? ` failed so far: ${[...failed].map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}; OPFS usage ${(est.usage! / 2 ** 20).toFixed(0)} MB of ${(est.quota! / 2 ** 20).toFixed(0)} MB${crashed.length > 0 ? `; crashes: ${crashed.join(' / ')}` : ''}`);
        }
      }
      c.close();
    }, { n: znodes, writes, leader });
    clearInterval(monitor);
    console.log(`${writes} setData in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    await report(`after ${writes} setData`);
  } finally {
    if (closePersistent) await closePersistent();
    else await browser?.close();
    await server.close();
  }
}

void main();
