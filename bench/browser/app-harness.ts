/**
 * The browser figures measured on the built app itself (index.html, the React UI) rather than
 * on the runtime test page: page to serving quorum, UI frames per second (5 servers exchanging
 * messages with the cluster animation on; scrolling a 100,000-znode tree in the Data view),
 * the heap of one server worker holding 100,000 znodes, and the tab's memory over a bounded
 * live run. The app exposes `window.__playground = { runtime, store }` with `?bench`
 * (src/ui/app/App.tsx, once its first run has started); the bench client is
 * `runtime.bench.client` (src/runtime/playground/bench-client.ts).
 *
 * Heaps are read through CDP on every target of the tab: the page's main thread and each
 * server worker (Runtime.getHeapUsage after HeapProfiler.collectGarbage), reached with
 * Target.setAutoAttach on the page's session.
 *
 * Code inside page.evaluate runs in the browser: only its arguments and what the page exposes.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Figure } from '../lib/figure.ts';
import { atLeast, atMost, failed } from '../lib/figure.ts';
import { median } from '../lib/stats.ts';
import { browserFigureNames, browserFigureSpecs, pendingFigure, probeRuntime, zooCfg } from './playground-harness.ts';
import { launchPersistentChromium } from '../lib/chromium.ts';
import { chromiumRss, rssTag } from '../lib/chromium-rss.ts';
import { memoryDump, rendererAllocators } from '../lib/memory-dump.ts';

const section = 'browser';
const mb = (b: number): number => b / 2 ** 20;

/** CDP on the page and every worker it has (auto-attached, non-flat sessions). */
export class TabTargets {
  private nextId = 1;
  private readonly pending = new Map<number, (r: unknown) => void>();
  readonly workers = new Map<string, string>(); // sessionId -> url

  private constructor(readonly main: CDPSession) {
    main.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
      if (m.id !== undefined) this.pending.get(m.id)?.(m.result ?? null);
      if (m.id !== undefined) this.pending.delete(m.id);
    });
    main.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; url: string } }) => {
      if (e.targetInfo.type === 'worker') this.workers.set(e.sessionId, e.targetInfo.url);
    });
    main.on('Target.detachedFromTarget', (e: { sessionId: string }) => {
      this.workers.delete(e.sessionId);
    });
  }

  static async attach(ctx: BrowserContext, page: Page): Promise<TabTargets> {
    const t = new TabTargets(await ctx.newCDPSession(page));
    await t.main.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return t;
  }

  private toWorker(sessionId: string, method: string, params: object = {}, timeoutMs = 20_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.main.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(null));
    });
  }

  /**
   * JS heap in use (and committed: `*Total`) of the main thread and of every worker, after a
   * forced GC in each, and the ArrayBuffer backing stores each holds outside its JS heap (`backingStorageSize`, 0 where
   * Chromium does not report it).
   */
  async heaps(gc = true): Promise<{ main: number; workers: number[]; mainBacking: number; workersBacking: number[]; mainTotal: number; workersTotal: number[] }> {
    type Usage = { usedSize: number; totalSize: number; backingStorageSize?: number };
    if (gc) await this.main.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const m = (await this.main.send('Runtime.getHeapUsage')) as Usage;
    const workers: number[] = [];
    const workersBacking: number[] = [];
    const workersTotal: number[] = [];
    for (const id of [...this.workers.keys()]) {
      if (gc) await this.toWorker(id, 'HeapProfiler.collectGarbage');
      const r = (await this.toWorker(id, 'Runtime.getHeapUsage')) as Usage | null;
      if (r) {
        workers.push(r.usedSize);
        workersBacking.push(r.backingStorageSize ?? 0);
        workersTotal.push(r.totalSize);
      }
    }
    return { main: m.usedSize, workers, mainBacking: m.backingStorageSize ?? 0, workersBacking, mainTotal: m.totalSize, workersTotal };
  }
}

/** Waits (in the page) until `servers` servers serve under one leader; resolves with its sid. */
export async function waitForQuorum(page: Page, servers: number, timeoutMs = 60_000): Promise<number> {
  return page.evaluate(async ({ servers, timeoutMs }) => {
    type Status = { sid: number; role: string; leader: number | null; phase?: string | null };
    const rt = (window as unknown as { __playground: { runtime: { subscribe(l: (e: readonly unknown[], s: readonly Status[]) => void): () => void } } }).__playground.runtime;
    return new Promise<number>((resolve, reject) => {
      let off: (() => void) | null = null;
      let done = false;
      const timer = setTimeout(() => reject(new Error(`no ${servers}-server quorum within ${timeoutMs} ms`)), timeoutMs);
      off = rt.subscribe((_e, status) => {
        const leader = status.find((s) => s.role === 'leading');
        if (done || !leader) return;
        const serving = status.filter((s) => (s.role === 'leading' || s.role === 'following') && s.leader === leader.sid && s.phase === 'broadcast').length;
        if (serving < servers) return;
        done = true;
        clearTimeout(timer);
        queueMicrotask(() => off?.());
        resolve(leader.sid);
      });
      if (done) off();
    });
  }, { servers, timeoutMs });
}

export async function openApp(ctx: BrowserContext, url: string): Promise<Page | null> {
  const page = await ctx.newPage();
  await page.goto(`${url}?bench`);
  const probe = await probeRuntime(page, 30_000);
  return probe.runtime ? page : null;
}

/**
 * Built app: navigation -> the app's own first run (3 servers, default zoo.cfg) serving ->
 * a client's first reply (getData /zookeeper through a bench client), median of `runs` fresh loads.
 */
export async function measureAppPageToQuorum(browser: Browser, url: string, runs: number): Promise<Figure> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    try {
      const page = await openApp(ctx, url);
      if (!page) return pendingFigure('pageToQuorum', 'the app exposes no window.__playground with ?bench');
      await waitForQuorum(page, 3);
      const firstReply = (): Promise<number> => page.evaluate(async () => {
        // (a client opened while the app's first run still settles may need a second try)
        const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string }): Promise<string>; close(): void }> } } } }).__playground.runtime;
        const c = await rt.bench.client('127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
        for (let k = 0; k < 1000; k++) {
          if ((await c.call({ type: 'getData', path: '/zookeeper' })) === 'ok') break;
          await new Promise((r) => setTimeout(r, 5));
        }
        const t = performance.now(); // ms since navigation start
        c.close();
        return t;
      });
      // "Resulting promise was garbage collected" was seen once (the first run replaced while
      // the client connected): the time since navigation still counts, so ask again
      samples.push(await firstReply().catch(() => firstReply()));
    } finally {
      await ctx.close();
    }
  }
  const v = median(samples);
  return { section, name: browserFigureNames.pageToQuorum, value: v, unit: 'ms', samples, target: '< 1500 ms', status: atMost(v, 1500), note: `built app (React UI), median of ${runs} fresh loads: navigation -> 3 servers serving -> first reply` };
}

/** window.__benchScroll(): scrolls the Data view's tree 400 px per call, turning at either end (for sampleFps). */
export async function installTreeScroll(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-bench="znode-tree"]') as HTMLElement;
    let dir = 1;
    (window as unknown as Record<string, () => void>).__benchScroll = () => {
      el.scrollTop += dir * 400;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || el.scrollTop <= 0) dir = -dir;
    };
  });
}

/** requestAnimationFrame frames/s over `ms` while window[during]() runs once per frame. */
export async function sampleFps(page: Page, ms: number, during: string): Promise<{ fps: number; worstMs: number }> {
  return page.evaluate(async ({ ms, during }) => {
    const act = (window as unknown as Record<string, (() => void) | undefined>)[during];
    let frames = 0;
    let worst = 0;
    const t0 = performance.now();
    let last = t0;
    await new Promise<void>((resolve) => {
      const step = (): void => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
        frames++;
        act?.();
        if (now - t0 < ms) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    return { fps: (frames * 1000) / (performance.now() - t0), worstMs: worst };
  }, { ms, during });
}

/**
 * The fps part of measureAppUi, on an app page whose 5-server run serves under `leader`: idle,
 * saturating (50 creates in flight through a follower's client), paced 100 writes/s. Also run
 * alone by `bench/browser/ui-fps.ts`.
 */
export async function measureAppFps(page: Page, leader: number, fpsMs: number, probe: (phase: 'idle' | 'busy' | 'paced', edge: 'start' | 'end') => Promise<void> = async () => undefined): Promise<{ figures: Figure[]; idleBase: { name: string; value: number; unit: string } }> {
  const names = browserFigureNames;
  const o = { fpsMs };
  const figures: Figure[] = [];
    await page.waitForTimeout(500);
    await probe('idle', 'start');
    const idle = await sampleFps(page, Math.min(2000, o.fpsMs), '__none');
    await probe('idle', 'end');
    await page.evaluate(async (leader) => {
      const w = window as unknown as Record<string, unknown> & { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string> }> } } } };
      const follower = leader === 1 ? 2 : 1;
      const c = await w.__playground.runtime.bench.client(`127.0.0.1:${2180 + follower}`);
      await c.call({ type: 'create', path: '/fps' }); // under a directory: / keeps few rows for the tree view
      let i = 0;
      let inFlight = 0;
      let done = 0;
      w.__benchLoad = (): void => {
        for (; inFlight < 50; inFlight++) {
          void c.call({ type: 'create', path: `/fps/n${i++}`, dataBytes: 100 }).then(() => {
            inFlight--;
            done++;
          });
        }
      };
      w.__benchLoaded = (): number => done;
      w.__benchOne = (): void => void c.call({ type: 'create', path: `/fps/n${i++}`, dataBytes: 100 });
    }, leader);
    await probe('busy', 'start');
    const busy = await sampleFps(page, o.fpsMs, '__benchLoad');
    await probe('busy', 'end');
    const done = await page.evaluate(() => (window as unknown as { __benchLoaded(): number }).__benchLoaded());
    const idleBase = { name: 'idle app, same page', value: idle.fps, unit: 'fps' };
    figures.push({ section, name: names.fpsMessages, value: busy.fps, unit: 'fps', target: '>= 50 fps', status: atLeast(busy.fps, 50), baseline: idleBase, note: `5 servers saturated: a follower's client keeping 50 creates in flight (${Math.round((done * 1000) / o.fpsMs)} writes/s, workers take both cores); longest frame ${busy.worstMs.toFixed(0)} ms` });
    // the same at a pace a person can follow (100 writes/s: ~1,500 messages/s animating)
    await page.waitForTimeout(1000);
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const t0 = performance.now();
      let issued = 0;
      const load = w.__benchOne as () => void;
      w.__benchPaced = (): void => {
        for (const due = Math.floor(((performance.now() - t0) * 100) / 1000); issued < due; issued++) load();
      };
    });
    await probe('paced', 'start');
    const paced = await sampleFps(page, o.fpsMs, '__benchPaced');
    await probe('paced', 'end');
    figures.push({ section, name: 'UI fps: 5 servers, 100 writes/s, animation on', value: paced.fps, unit: 'fps', target: '>= 50 fps', status: atLeast(paced.fps, 50), baseline: idleBase, note: `paced creates via a follower; longest frame ${paced.worstMs.toFixed(0)} ms` });

    // the same saturating load with each other tab open (a user watching the Zab table or the
    // timeline under load): the lowest is the figure, every tab in its note (bench/README.md, fix 27)
    const setTab = (tab: string): Promise<void> => page.evaluate((tab) => (window as unknown as { __playground: { store: { getState(): { setTab(t: string): void } } } }).__playground.store.getState().setTab(tab), tab);
    const shownTab = await page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { tab: string } } } }).__playground.store.getState().tab);
    const byTab: [string, number][] = [];
    for (const tab of ['zab', 'timeline', 'data', 'watches', 'log']) {
      await setTab(tab);
      await page.waitForTimeout(300);
      byTab.push([tab, (await sampleFps(page, Math.min(3000, o.fpsMs), '__benchLoad')).fps]);
    }
    await setTab(shownTab);
    const lowest = byTab.reduce((a, b) => (b[1] < a[1] ? b : a));
    figures.push({
      section, name: names.fpsTabs, value: lowest[1], unit: 'fps', target: '>= 50 fps', status: atLeast(lowest[1], 50), baseline: idleBase,
      note: `the saturating load with each tab open, lowest ${lowest[0]}: ${byTab.map(([t, f]) => `${t} ${f.toFixed(1)}`).join(', ')}`, extra: Object.fromEntries(byTab),
    });

    return { figures, idleBase };
}

export interface AppRunOptions {
  readonly fpsMs: number;
  readonly treeNodes: number;
  readonly longRunMs: number;
  readonly sampleEveryMs: number;
  /** the long run's writer: at most this many setData/s (absent: 50 in flight, saturating) */
  readonly writesPerSec?: number;
  /** called with each tab-memory sample as it is taken (long runs print progress) */
  readonly onSample?: (sample: Readonly<Record<string, number>>) => void;
  /** each sample also takes Chromium's memory-infra dump of the renderer (V8 committed, malloc, ...) */
  readonly allocators?: boolean;
}

/**
 * One app page, 5 servers: fps with messages animating, then `treeNodes` znodes under /tree
 * (bench client), the heap of every server worker, fps scrolling the tree in the Data view,
 * and the tab's heaps over a live run of `longRunMs` with a writer keeping 50 requests in flight.
 */
export async function measureAppUi(url: string, o: AppRunOptions): Promise<Figure[]> {
  const names = browserFigureNames;
  // a profile on disk: OPFS on disk as in a user's browser (a fresh context keeps it in the
  // browser process's memory and fails writes past ~1.5 GB: an hour of writes needs more)
  const tag = rssTag();
  const { ctx, close } = await launchPersistentChromium([tag], { width: 1400, height: 900 });
  const figs: Figure[] = [];
  try {
    const page = await openApp(ctx, url);
    if (!page) return (['fpsMessages', 'fpsTabs', 'fpsTree', 'workerHeap', 'tabMemory'] as const).map((k) => pendingFigure(k, 'the app exposes no window.__playground with ?bench'));
    const targets = await TabTargets.attach(ctx, page);
    await page.evaluate(async (cfg) => {
      const pg = (window as unknown as { __playground: { store: { getState(): { startRun(o: object): Promise<void> } } } }).__playground;
      await pg.store.getState().startRun({ zooCfg: cfg, seed: 1, mode: 'live', startAll: true, fresh: true });
    }, zooCfg(5));
    const leader = await waitForQuorum(page, 5);
    const fps = await measureAppFps(page, leader, o.fpsMs);
    const idleBase = fps.idleBase;
    figs.push(...fps.figures);

    // 100,000 znodes under /tree
    const bulk = await page.evaluate(async ({ n, leader }) => {
      const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string>; close(): void }> } } } }).__playground.runtime;
      const c = await rt.bench.client(`127.0.0.1:${2180 + leader}`);
      const t = performance.now();
      await c.call({ type: 'create', path: '/tree' });
      let bad = 0;
      for (let from = 0; from < n; from += 5000) {
        const r = await Promise.all(Array.from({ length: Math.min(5000, n - from) }, (_, k) => c.call({ type: 'create', path: `/tree/n${String(from + k).padStart(6, '0')}`, dataBytes: 100 })));
        bad += r.filter((x) => x !== 'ok').length;
      }
      c.close();
      return { ms: performance.now() - t, bad };
    }, { n: o.treeNodes, leader });
    await page.waitForTimeout(2000);
    const h = await targets.heaps();
    const workerMax = Math.max(0, ...h.workers);
    const backingMax = Math.max(0, ...h.workersBacking);
    figs.push({ section, name: names.workerHeap, value: mb(workerMax), unit: 'MB', target: browserFigureSpecs.workerHeap.target, status: atMost(mb(workerMax), 64), note: `JS heap of the largest of ${h.workers.length} server workers after GC (CDP Runtime.getHeapUsage), 5 servers each holding ${o.treeNodes.toLocaleString()} znodes of 100 B under /tree (+ the fps phase's); ArrayBuffer backing stores outside the heap: ${mb(backingMax).toFixed(0)} MB; created in ${(bulk.ms / 1000).toFixed(1)} s via the leader${bulk.bad ? `, ${bulk.bad} failed` : ''}`, extra: { workersMB: h.workers.map(mb), workersBackingMB: h.workersBacking.map(mb), mainMB: mb(h.main) } });

    // the Data view: expand /tree, scroll it
    await page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { setTab(t: string): void } } } }).__playground.store.getState().setTab('data'));
    const row = page.locator('[data-bench="znode-tree"] .row[data-path="/tree"] .tw');
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-bench="znode-tree"]');
      return el !== null && el.scrollHeight > n * 10;
    }, o.treeNodes, { timeout: 60_000 });
    await page.waitForTimeout(1000);
    await installTreeScroll(page);
    const scroll = await sampleFps(page, o.fpsMs, '__benchScroll');
    const rows = await page.evaluate(() => document.querySelector('[data-bench="znode-tree"]')!.scrollHeight);
    figs.push({ section, name: names.fpsTree, value: scroll.fps, unit: 'fps', target: '>= 50 fps', status: atLeast(scroll.fps, 50), baseline: idleBase, note: `Data view, /tree expanded (${rows.toLocaleString()} px of rows), 400 px per frame; longest frame ${scroll.worstMs.toFixed(0)} ms` });

    // bounded long run: 5 servers, the UI on the Zab tab (cluster view animating), a writer
    await page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { setTab(t: string): void } } } }).__playground.store.getState().setTab('zab'));
    await page.evaluate(async ({ leader, pace }) => {
      const w = window as unknown as Record<string, unknown> & { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string> }> } } } };
      const c = await w.__playground.runtime.bench.client(`127.0.0.1:${2180 + (leader === 1 ? 2 : 1)}`);
      let i = 0;
      w.__benchStop = false;
      w.__benchWrites = 0;
      const t0 = performance.now();
      void (async () => {
        while (w.__benchStop !== true) {
          await Promise.all(Array.from({ length: 50 }, () => c.call({ type: 'setData', path: `/tree/n${String(i++ % 100_000).padStart(6, '0')}`, dataBytes: 100 })));
          w.__benchWrites = (w.__benchWrites as number) + 50;
          // paced: no faster than writesPerSec on average
          const ahead = pace > 0 ? ((w.__benchWrites as number) / pace) * 1000 - (performance.now() - t0) : 0;
          if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
        }
      })();
    }, { leader, pace: o.writesPerSec ?? 0 });
    const samples: { t: number; mainMB: number; workersMB: number; backingMB: number; totalMB: number; rendererMB: number; rendererPrivateMB: number; browserMB: number; opfsMB: number; events: number; writes: number; v8MainMB?: number; v8WorkersMB?: number; mallocMB?: number; sharedMB?: number; ccMB?: number }[] = [];
    const t0 = Date.now();
    let memCdp: CDPSession | undefined;
    for (;;) {
      const t = Date.now() - t0;
      const hh = await targets.heaps();
      const st = await page.evaluate(async () => {
        const w = window as unknown as { __benchWrites: number; __playground: { runtime: { events(): readonly unknown[] } } };
        const est = await navigator.storage.estimate();
        return { events: w.__playground.runtime.events().length, writes: w.__benchWrites, opfsMB: (est.usage ?? 0) / 2 ** 20 };
      });
      const rss = chromiumRss(tag);
      const own = chromiumRss(tag, 'private');
      const alloc = o.allocators ? rendererAllocators(await memoryDump(memCdp ??= await ctx.newCDPSession(page))) : {};
      const workersMB = mb(hh.workers.reduce((a, b) => a + b, 0));
      const backingMB = mb(hh.mainBacking + hh.workersBacking.reduce((a, b) => a + b, 0));
      samples.push({ t, mainMB: mb(hh.main), workersMB, backingMB, totalMB: mb(hh.main) + workersMB + backingMB, rendererMB: rss.renderer ?? NaN, rendererPrivateMB: own.renderer ?? NaN, browserMB: rss.browser ?? NaN, ...st, ...alloc });
      o.onSample?.(samples[samples.length - 1]);
      if (t >= o.longRunMs) break;
      await page.waitForTimeout(o.sampleEveryMs);
    }
    await page.evaluate(() => {
      (window as unknown as Record<string, unknown>).__benchStop = true;
    });
    const last = samples[samples.length - 1];
    // trend over the second half of the run (after the trace ring and caches filled)
    const half = samples.filter((s) => s.t >= last.t / 2);
    // the tab = the renderer process's private memory (page and its workers: about what Chrome's
    // task manager shows as its memory footprint); the JS heaps after GC where it is not known
    const tab = (x: (typeof samples)[number]): number => (Number.isFinite(x.rendererPrivateMB) ? x.rendererPrivateMB : x.totalMB);
    const slope = half.length > 1 ? (tab(half[half.length - 1]) - tab(half[0])) / Math.max(1, half[half.length - 1].t - half[0].t) : 0;
    const hourMB = tab(last) + Math.max(0, slope) * Math.max(0, 3_600_000 - last.t);
    const maxEvents = Math.max(...samples.map((s) => s.events));
    figs.push({
      section, name: names.tabMemory, value: tab(last), unit: 'MB', target: '< 500 MB', status: atMost(Math.max(hourMB, ...samples.map(tab)), 500),
      note: `the renderer process (page and its workers): ${last.rendererPrivateMB.toFixed(0)} MB private after GC (max ${Math.max(...samples.map((x) => x.rendererPrivateMB)).toFixed(0)}), ${last.rendererMB.toFixed(0)} MB resident; of it JS heaps + ArrayBuffer stores after GC (CDP) ${last.totalMB.toFixed(0)} MB: main ${last.mainMB.toFixed(0)} MB + ${h.workers.length} workers ${last.workersMB.toFixed(0)} MB + stores ${last.backingMB.toFixed(0)} MB; the browser process ${last.browserMB.toFixed(0)} MB, OPFS ${last.opfsMB.toFixed(0)} MB on disk, after ${(last.t / 60_000).toFixed(1)} min of live running (5 servers, ${o.treeNodes.toLocaleString()} znodes each, ${last.writes.toLocaleString()} setData); second-half trend ${(slope * 60_000).toFixed(2)} MB/min -> ${hourMB.toFixed(0)} MB at 1 h; runtime trace ${maxEvents.toLocaleString()} events max (ring: liveEventsMax 400k, liveEventBytesMax 64 MiB)`,
      samples: samples.map(tab), extra: { samples },
    });
    return figs;
  } catch (e) {
    const done = new Set(figs.map((f) => f.name));
    for (const k of ['fpsMessages', 'fpsTabs', 'fpsTree', 'workerHeap', 'tabMemory'] as const) if (!done.has(names[k])) figs.push(failed(section, names[k], browserFigureSpecs[k].unit, e));
    return figs;
  } finally {
    await close();
  }
}
