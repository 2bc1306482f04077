/**
 * Where the tab's memory is: Chromium's own memory-infra dump of the renderer process (the page
 * and its server workers) after a live run, by allocator (v8 per isolate, malloc, partition_alloc,
 * blink_gc, cc, ...), next to the process's private memory. The tab figure of issue 6 is that
 * private memory; the JS heaps (CDP) are only part of it, and this says what the rest is.
 *
 *   npx vite build --outDir /tmp/app && npx tsx bench/browser/memory-breakdown.ts --dist /tmp/app [--znodes 100000] [--minutes 3] [--snapshot]
 *
 * --snapshot: also a heap snapshot of the page's main thread, its self sizes summed by
 * constructor (what the main thread's JS heap holds).
 */
import type { CDPSession } from 'playwright-core';
import { launchPersistentChromium } from '../lib/chromium.ts';
import { chromiumRss, rssTag } from '../lib/chromium-rss.ts';
import { memoryDump } from '../lib/memory-dump.ts';
import { serveStatic } from '../lib/static-server.ts';
import { openApp, TabTargets, waitForQuorum } from './app-harness.ts';
import { zooCfg } from './playground-harness.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

/** A heap snapshot of the session's isolate: self size summed by node type and constructor name. */
async function heapSummary(cdp: CDPSession, top: number): Promise<string[]> {
  let json = '';
  const onChunk = (e: { chunk: string }): void => {
    json += e.chunk;
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false } as never);
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const by = new Map<string, { bytes: number; count: number }>();
  /** strings by the shape of their start (digits as #): which texts the heap holds */
  const strs = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += f.length) {
    const type = types[snap.nodes[i + iType]];
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + iName]] : `(${type})`;
    const size = snap.nodes[i + iSize];
    total += size;
    if (type === 'string') {
      const k = snap.strings[snap.nodes[i + iName]].slice(0, 14).replace(/[0-9]/g, '#');
      const e = strs.get(k) ?? { bytes: 0, count: 0 };
      e.bytes += size;
      e.count++;
      strs.set(k, e);
    }
    const e = by.get(name) ?? { bytes: 0, count: 0 };
    e.bytes += size;
    e.count++;
    by.set(name, e);
  }
  return [`heap snapshot: ${(total / 2 ** 20).toFixed(1)} MB of self sizes`, ...[...by].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)
    .map(([k, v]) => `  ${(v.bytes / 2 ** 20).toFixed(1).padStart(8)} MB ${String(v.count).padStart(9)}  ${k.slice(0, 80)}`),
  'strings by their start:', ...[...strs].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)
    .map(([k, v]) => `  ${(v.bytes / 2 ** 20).toFixed(1).padStart(8)} MB ${String(v.count).padStart(9)}  ${JSON.stringify(k)}`)];
}

async function main(): Promise<void> {
  const server = await serveStatic(arg('dist', 'dist'));
  const tag = rssTag();
  const { ctx, close } = await launchPersistentChromium([tag], { width: 1400, height: 900 });
  try {
    const page = await openApp(ctx, `${server.url}/`);
    if (!page) throw new Error('no window.__playground');
    const targets = await TabTargets.attach(ctx, page);
    await page.evaluate(async (cfg) => {
      const pg = (window as unknown as { __playground: { store: { getState(): { startRun(o: object): Promise<void>; setTab(t: string): void } } } }).__playground;
      await pg.store.getState().startRun({ zooCfg: cfg, seed: 1, mode: 'live', startAll: true, fresh: true });
      pg.store.getState().setTab('zab');
    }, zooCfg(5));
    const leader = await waitForQuorum(page, 5);
    const n = Number(arg('znodes', '100000'));
    const minutes = Number(arg('minutes', '3'));
    const writes = await page.evaluate(async ({ n, leader, ms }) => {
      const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string>; close(): void }> } } } }).__playground.runtime;
      const c = await rt.bench.client(`127.0.0.1:${2180 + leader}`);
      await c.call({ type: 'create', path: '/tree' });
      for (let from = 0; from < n; from += 5000) {
        await Promise.all(Array.from({ length: Math.min(5000, n - from) }, (_, k) => c.call({ type: 'create', path: `/tree/n${String(from + k).padStart(6, '0')}`, dataBytes: 100 })));
      }
      const end = performance.now() + ms;
      let i = 0;
      while (performance.now() < end) {
        await Promise.all(Array.from({ length: 50 }, () => c.call({ type: 'setData', path: `/tree/n${String(i++ % n).padStart(6, '0')}`, dataBytes: 100 })));
      }
      c.close();
      return i;
    }, { n, leader, ms: minutes * 60_000 });
    const heaps = await targets.heaps();
    const cdp = await ctx.newCDPSession(page);
    const dump = await memoryDump(cdp);
    if (process.argv.includes('--snapshot')) console.log((await heapSummary(cdp, 30)).join('\n'));
    const own = chromiumRss(tag, 'private');
    const rss = chromiumRss(tag);
    console.log(`${writes.toLocaleString()} setData after ${n.toLocaleString()} creates; renderer private ${own.renderer?.toFixed(0)} MB, resident ${rss.renderer?.toFixed(0)} MB; JS heaps after GC: main ${(heaps.main / 2 ** 20).toFixed(0)} MB, workers ${heaps.workers.map((w) => (w / 2 ** 20).toFixed(0)).join(' ')} MB`);
    for (const [pid, m] of dump) {
      const top = [...m].filter(([k]) => !k.includes('/')).sort((a, b) => b[1] - a[1]);
      const total = top.reduce((s, [, v]) => s + v, 0);
      if (total < 50 * 2 ** 20) continue;
      console.log(`pid ${pid}: ${(total / 2 ** 20).toFixed(0)} MB in allocators`);
      for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
        if (v >= 2 ** 20) console.log(`  ${(v / 2 ** 20).toFixed(1).padStart(8)} MB  ${k}`);
      }
    }
  } finally {
    await close();
    await server.close();
  }
}

void main();
