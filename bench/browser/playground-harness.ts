/**
 * Harness hooks for the browser figures that need the playground runtime (issue 6 items 2, 3,
 * 4, 6, 7). Each function takes a Playwright page already at the built app, where
 * `window.__playground` implements PlaygroundRuntime (src/runtime/playground/api.ts), and
 * returns figures. They are switched on by the "browser" section as soon as the page exposes
 * the runtime; until then that section reports each figure as "pending" by name.
 *
 * Pipelined throughput needs a client with many requests outstanding, which zkCli consoles
 * cannot give (zkCli waits for each reply). So the harness also looks for an optional
 * `window.__playground.bench.client(connectString)` (BenchHooks below); figures that need it
 * report "pending (needs __playground.bench.client)" when it is missing. Everything else uses
 * the PlaygroundRuntime contract only.
 *
 * Code inside page.evaluate runs in the browser: it may only use what is passed in as
 * arguments and what the page exposes.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Figure } from '../lib/figure.ts';
import { atLeast, atMost, pending } from '../lib/figure.ts';
import { median, percentile } from '../lib/stats.ts';

const section = 'browser';

/** Every figure the harness reports, by name: the browser section prints these as pending too. */
export const browserFigureNames = {
  createLeader: 'ensemble: pipelined creates/s via leader',
  createFollower: 'ensemble: pipelined creates/s via follower',
  setFollower: 'ensemble: pipelined setData/s via follower',
  readFollower: 'ensemble: reads/s from a follower',
  syncMedian: 'ensemble: sync write latency, median',
  syncP99: 'ensemble: sync write latency, p99',
  syncLeaderMedian: 'ensemble: sync write latency via leader, median',
  syncOffTheRecord: 'ensemble: sync write latency, median (off-the-record context)',
  ceilingFraction: 'ensemble: writes as a fraction of the transport ceiling',
  failover: 'failover: leader killed -> first write OK',
  pageToQuorum: 'page to serving quorum (navigation -> first reply)',
  fpsMessages: 'UI fps: 5 servers exchanging messages, animation on',
  fpsTabs: 'UI fps: saturated, each other tab open (lowest)',
  fpsTree: 'UI fps: scrolling a 100,000-znode tree',
  workerHeap: 'memory: heap of one server worker, 100k znodes of 100 B',
  tabMemory: 'memory: whole tab, 5 servers + UI, live (trend to 1 h)',
} as const;

/** Units and targets of those figures (issue 6). */
export const browserFigureSpecs: Record<keyof typeof browserFigureNames, { unit: string; target?: string }> = {
  createLeader: { unit: 'ops/s', target: '>= 20,000 ops/s' },
  createFollower: { unit: 'ops/s', target: '>= 20,000 ops/s' },
  setFollower: { unit: 'ops/s', target: '>= 20,000 ops/s' },
  readFollower: { unit: 'ops/s', target: '>= 50,000 ops/s' },
  syncMedian: { unit: 'ms', target: '< 1 ms' },
  syncP99: { unit: 'ms' },
  syncLeaderMedian: { unit: 'ms', target: '< 1 ms' },
  syncOffTheRecord: { unit: 'ms' },
  ceilingFraction: { unit: '', target: '>= 0.25' },
  failover: { unit: 'ms', target: '< 600 ms' },
  pageToQuorum: { unit: 'ms', target: '< 1500 ms' },
  fpsMessages: { unit: 'fps', target: '>= 50 fps' },
  fpsTabs: { unit: 'fps', target: '>= 50 fps' },
  fpsTree: { unit: 'fps', target: '>= 50 fps' },
  workerHeap: { unit: 'MB', target: '< 64 MB' },
  tabMemory: { unit: 'MB', target: '< 500 MB' },
};

type FigureKey = keyof typeof browserFigureNames;

export function pendingFigure(key: FigureKey, why: string): Figure {
  return pending(section, browserFigureNames[key], browserFigureSpecs[key].unit, browserFigureSpecs[key].target, why);
}

/** The optional bench extension of the runtime (not part of the UI contract). */
export interface BenchClientCall {
  readonly type: 'create' | 'setData' | 'getData';
  readonly path: string;
  /** 100-byte payload is made in the page; `dataBytes` says how big */
  readonly dataBytes?: number;
}

export interface BenchHooks {
  /** a client session connected (CONNECTED) to the connect string, on the main thread */
  client(connectString: string): Promise<{
    /** resolves with 'ok' or the KeeperException code name; never rejects */
    call(c: BenchClientCall): Promise<string>;
    close(): void;
  }>;
}

/** zoo.cfg of the measurements: 3 (or 5) servers, ZooKeeper's defaults. */
export function zooCfg(servers: number): string {
  const lines = ['tickTime=2000', 'initLimit=10', 'syncLimit=5', 'dataDir=/data'];
  for (let s = 1; s <= servers; s++) lines.push(`server.${s}=127.0.0.1:${2887 + s}:${3887 + s}`);
  return lines.join('\n') + '\n';
}

/** Messages one write needs on a 3-server ensemble (client -> server -> ... -> reply). */
export const messagesPerWrite = {
  // request, Proposal x2, Ack x2 (the leader's own is local), Commit x2, reply
  viaLeader: 1 + 2 + 2 + 2 + 1,
  // request, REQUEST to the leader, Proposal x2, Ack x2, Commit x2, reply
  viaFollower: 1 + 1 + 2 + 2 + 2 + 1,
  read: 2,
};

export interface RuntimeProbe {
  runtime: boolean;
  benchClient: boolean;
  crossOriginIsolated: boolean;
}

export async function probeRuntime(page: Page, waitMs: number): Promise<RuntimeProbe> {
  // tsx (esbuild keepNames) wraps named functions in `__name(...)`; the functions passed to
  // page.evaluate carry those calls into the page, which has no such helper: define a no-op
  await page.evaluate('globalThis.__name ??= (f) => f');
  // window.__playground is either the PlaygroundRuntime itself or a test page object holding
  // it as `.runtime` (e2e/runtime-page.ts); the bench client may sit on either
  await page.evaluate(`globalThis.__benchRuntime = () => { const p = globalThis.__playground; return p && typeof p.start === 'function' ? p : p && p.runtime; };
    globalThis.__benchHooks = () => { const p = globalThis.__playground; return (p && p.bench) || (p && p.runtime && p.runtime.bench); };`);
  try {
    await page.waitForFunction(() => (window as unknown as { __playground?: unknown }).__playground !== undefined, undefined, { timeout: waitMs });
  } catch {
    return { runtime: false, benchClient: false, crossOriginIsolated: false };
  }
  return page.evaluate(() => {
    const w = window as unknown as { __benchRuntime(): unknown; __benchHooks(): { client?: unknown } | undefined };
    return { runtime: w.__benchRuntime() !== undefined, benchClient: typeof w.__benchHooks()?.client === 'function', crossOriginIsolated: self.crossOriginIsolated };
  });
}

/**
 * In the page: start a run (unless `keep`) and wait until every server of the quorum serves
 * under one leader. Resolves with the leader's sid and the time it took (ms).
 */
export async function startAndWaitForQuorum(page: Page, servers: number, seed = 1, timeoutMs = 30_000): Promise<{ leader: number; ms: number }> {
  return page.evaluate(async ({ cfg, seed, servers, timeoutMs }) => {
    type Status = { sid: number; role: string; leader: number | null; phase?: string | null };
    const rt = (window as unknown as { __benchRuntime(): {
      start(c: { zooCfg: string; seed: number; mode: 'live' }): Promise<void>;
      subscribe(l: (e: readonly unknown[], s: readonly Status[]) => void): () => void;
    } }).__benchRuntime();
    const t0 = performance.now();
    await rt.start({ zooCfg: cfg, seed, mode: 'live' });
    return new Promise<{ leader: number; ms: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no quorum within ${timeoutMs} ms`)), timeoutMs);
      const off = rt.subscribe((_e, status) => {
        const leader = status.find((s) => s.role === 'leading');
        if (!leader) return;
        // serving: following this leader and past sync (phase 'broadcast' where reported)
        const serving = status.filter((s) => (s.role === 'leading' || s.role === 'following') && s.leader === leader.sid && (s.phase === undefined || s.phase === 'broadcast')).length;
        if (serving < servers) return;
        clearTimeout(timer);
        off();
        resolve({ leader: leader.sid, ms: performance.now() - t0 });
      });
    });
  }, { cfg: zooCfg(servers), seed, servers, timeoutMs });
}

/**
 * The runtime test page (`/e2e/runtime.html` of a build served at `url`) in a new page of `ctx`,
 * 3 servers started and serving: the page, the leader and a follower (the lowest sid that does
 * not lead). The bench's tools all start this way.
 */
export async function openEnsemble(ctx: BrowserContext, url: string): Promise<{ page: Page; leader: number; follower: number }> {
  const page = await ctx.newPage();
  await page.goto(`${url}/e2e/runtime.html`);
  await probeRuntime(page, 10_000);
  const { leader } = await startAndWaitForQuorum(page, 3);
  return { page, leader, follower: leader === 1 ? 2 : 1 };
}

/**
 * Page ready to a serving quorum: navigation start -> 3-server quorum -> a client's first
 * successful request (median of `runs` fresh page loads). Target < 1.5 s.
 */
export async function measurePageToQuorum(newPage: () => Promise<Page>, url: string, runs = 5): Promise<Figure> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await newPage();
    await page.goto(url);
    const probe = await probeRuntime(page, 10_000);
    if (!probe.runtime) return pendingFigure('pageToQuorum', 'needs browser runtime');
    await startAndWaitForQuorum(page, 3);
    const ms = await page.evaluate(async () => {
      const rt = (window as unknown as { __benchRuntime(): { openConsole(n: string, cs: string): { submit(l: string): void; onOutput(l: (t: string) => void): () => void; close(): void } } }).__benchRuntime();
      const c = rt.openConsole('bench', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
      // `ls /` until it answers [zookeeper] (a ConnectionLoss while the quorum syncs: again)
      let out = '';
      const off = c.onOutput((t) => {
        out += t;
      });
      const t0 = performance.now();
      while (!out.includes('[zookeeper')) {
        if (performance.now() - t0 > 30_000) throw new Error(`no answer to ls / within 30 s: ${out.slice(-200)}`);
        c.submit('ls /');
        for (let i = 0; i < 400 && !out.includes('[zookeeper') && !out.includes('KeeperErrorCode'); i++) await new Promise((r) => setTimeout(r, 5));
        if (!out.includes('[zookeeper')) {
          out = '';
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      off();
      c.close();
      return performance.now(); // ms since navigation start
    });
    samples.push(ms);
    await page.close();
  }
  const v = median(samples);
  return { section, name: browserFigureNames.pageToQuorum, value: v, unit: 'ms', samples, target: '< 1500 ms', status: atMost(v, 1500), note: `median of ${runs} loads` };
}

/** `n` creates of 100 bytes one at a time through server `sid`: each call's latency in ms. */
async function sequentialCreates(page: Page, sid: number, prefix: string, n: number): Promise<number[]> {
  return page.evaluate(async ({ sid, prefix, n }) => {
    const hooks = (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks();
    const c = await hooks.client(`127.0.0.1:${2180 + sid}`);
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const res = await c.call({ type: 'create', path: `/${prefix}${i}`, dataBytes: 100 });
      if (res !== 'ok') throw new Error(`sync create ${i}: ${res}`);
      ms.push(performance.now() - t);
    }
    c.close();
    return ms;
  }, { sid, prefix, n });
}

/** `n` creates of 100 bytes through server `sid`, all outstanding at once (paths `/<prefix><i>`): ms from the first call to the last reply. */
export async function pipelinedCreates(page: Page, sid: number, prefix: string, n: number): Promise<number> {
  return page.evaluate(async ({ sid, prefix, n }) => {
    const hooks = (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks();
    const c = await hooks.client(`127.0.0.1:${2180 + sid}`);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => c.call({ type: 'create', path: `/${prefix}${i}`, dataBytes: 100 })));
    const ms = performance.now() - t0;
    c.close();
    return ms;
  }, { sid, prefix, n });
}

interface ThroughputSamples {
  createLeader: number;
  createFollower: number;
  setFollower: number;
  readFollower: number;
  syncLatencyMs: number[];
  syncLeaderMs: number[];
  /** the same four phases in the round before, right after the page loaded (JIT compiling) */
  cold: { createLeader: number; createFollower: number; setFollower: number; readFollower: number };
}

/**
 * Ensemble in the browser (3 servers, live, speed 1x, default zoo.cfg): pipelined creates
 * and sets of 100-byte data via the leader and via a follower, synchronous create latency, and
 * reads/s from a follower; each also as a fraction of the transport ceiling.
 */
export async function measureEnsemble(page: Page, ceilingMsgsPerSec: number | null, ops = 20_000, syncOps = 1000): Promise<Figure[]> {
  const probe = await probeRuntime(page, 10_000);
  const keys: FigureKey[] = ['createLeader', 'createFollower', 'setFollower', 'readFollower', 'syncMedian', 'syncP99', 'syncLeaderMedian', 'ceilingFraction'];
  if (!probe.runtime) return keys.map((k) => pendingFigure(k, 'needs browser runtime'));
  if (!probe.benchClient) return keys.map((k) => pendingFigure(k, 'needs __playground.bench.client'));
  const names = browserFigureNames;
  const { leader } = await startAndWaitForQuorum(page, 3);
  const follower = leader === 1 ? 2 : 1;
  const piped = await page.evaluate(async ({ leader, follower, ops }) => {
    const hooks = (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks();
    const addr = (sid: number): string => `127.0.0.1:${2180 + sid}`;
    const pipelined = async (cs: string, make: (i: number) => BenchClientCall): Promise<number> => {
      const c = await hooks.client(cs);
      const t = performance.now();
      const results = await Promise.all(Array.from({ length: ops }, (_, i) => c.call(make(i))));
      const ms = performance.now() - t;
      c.close();
      const bad = results.filter((x) => x !== 'ok').length;
      if (bad > 0) throw new Error(`${bad} of ${ops} calls failed`);
      return (ops * 1000) / ms;
    };
    // Two rounds of the four pipelined phases on the same ensemble: the first right after the page
    // loaded, while V8 still compiles the engine (Maglev, then Turbofan, on the renderer's thread
    // pool: about as much CPU as the writes themselves in the first 20,000), reported as "cold";
    // the second is the steady state, the figure (bench/README.md, fix 22).
    const round = async (tag: string): Promise<{ createLeader: number; createFollower: number; setFollower: number; readFollower: number }> => {
      const createLeader = await pipelined(addr(leader), (i) => ({ type: 'create', path: `/bl${tag}${i}`, dataBytes: 100 }));
      const createFollower = await pipelined(addr(follower), (i) => ({ type: 'create', path: `/bf${tag}${i}`, dataBytes: 100 }));
      const setFollower = await pipelined(addr(follower), (i) => ({ type: 'setData', path: `/bf${tag}${i % ops}`, dataBytes: 100 }));
      const readFollower = await pipelined(addr(follower), (i) => ({ type: 'getData', path: `/bf${tag}${i % ops}` }));
      return { createLeader, createFollower, setFollower, readFollower };
    };
    const cold = await round('c');
    const { createLeader, createFollower, setFollower, readFollower } = await round('');
    return { createLeader, createFollower, setFollower, readFollower, cold };
  }, { leader, follower, ops }) as Omit<ThroughputSamples, 'syncLatencyMs' | 'syncLeaderMs'>;
  // one create at a time: via a follower (REQUEST to the leader, COMMIT back: 6 thread hops),
  // and via the leader (4 hops), as golden/PERF.md measures ZooKeeper both ways
  const r: ThroughputSamples = { ...piped, syncLatencyMs: await sequentialCreates(page, follower, 'bs', syncOps), syncLeaderMs: await sequentialCreates(page, leader, 'bsl', syncOps) };
  const frac = (v: number, msgs: number): string =>
    ceilingMsgsPerSec === null ? 'no transport ceiling in this run' : `${((v * msgs) / ceilingMsgsPerSec).toFixed(3)} of the batched transport ceiling (${msgs} messages per op)`;
  const coldNote = (v: number): string => `; steady state (the second of two rounds); cold, the first round after the page loaded: ${Math.round(v).toLocaleString('en-US')} ops/s`;
  const w = (name: string, v: number, msgs: number, cold: number): Figure => ({
    section, name, value: v, unit: 'ops/s', target: '>= 20,000 ops/s',
    status: atLeast(v, 20_000), note: frac(v, msgs) + coldNote(cold), extra: { cold },
    baseline: ceilingMsgsPerSec === null ? undefined : { name: 'transport ceiling / messages per write', value: ceilingMsgsPerSec / msgs, unit: 'ops/s' },
  });
  const figs: Figure[] = [
    w(names.createLeader, r.createLeader, messagesPerWrite.viaLeader, r.cold.createLeader),
    w(names.createFollower, r.createFollower, messagesPerWrite.viaFollower, r.cold.createFollower),
    w(names.setFollower, r.setFollower, messagesPerWrite.viaFollower, r.cold.setFollower),
    { section, name: names.readFollower, value: r.readFollower, unit: 'ops/s', target: '>= 50,000 ops/s', status: atLeast(r.readFollower, 50_000), note: frac(r.readFollower, messagesPerWrite.read) + coldNote(r.cold.readFollower), extra: { cold: r.cold.readFollower } },
    { section, name: names.syncMedian, value: median(r.syncLatencyMs), unit: 'ms', target: '< 1 ms', status: atMost(median(r.syncLatencyMs), 1), note: `${syncOps} sequential creates via a follower` },
    { section, name: names.syncP99, value: percentile(r.syncLatencyMs, 99), unit: 'ms', status: 'info' },
    { section, name: names.syncLeaderMedian, value: median(r.syncLeaderMs), unit: 'ms', target: '< 1 ms', status: atMost(median(r.syncLeaderMs), 1), note: `${syncOps} sequential creates via the leader; p99 ${percentile(r.syncLeaderMs, 99).toFixed(2)} ms (ZooKeeper 3.8.0, Java client: 2.3 ms median via the leader, 4.9 ms via a follower)` },
  ];
  if (ceilingMsgsPerSec === null) {
    figs.push(pendingFigure('ceilingFraction', 'no Chromium transport ceiling in this run'));
  } else {
    // the weakest of the three write figures, as a share of what the transport allows
    const fraction = Math.min(
      (r.createLeader * messagesPerWrite.viaLeader) / ceilingMsgsPerSec,
      (r.createFollower * messagesPerWrite.viaFollower) / ceilingMsgsPerSec,
      (r.setFollower * messagesPerWrite.viaFollower) / ceilingMsgsPerSec,
    );
    figs.push({ section, name: names.ceilingFraction, value: fraction, unit: '', target: '>= 0.25', status: atLeast(fraction, 0.25), note: 'min over the three pipelined write figures; ceiling = Chromium one-way msg/s, 100 per postMessage' });
  }
  return figs;
}

/**
 * Sync write latency in whatever context `page` is in, alone (no pipelined phase before it):
 * `syncOps` sequential creates via a follower, then via the leader. The browser section runs it
 * in an off-the-record context (playwright's `browser.newContext()`), where OPFS lives in the
 * browser process's memory and every sync access handle write is a synchronous IPC to it: an
 * extra figure next to the ensemble's (measured in a profile on disk, as a user's browser).
 */
export async function measureSyncOffTheRecord(page: Page, syncOps = 500): Promise<Figure> {
  const probe = await probeRuntime(page, 10_000);
  if (!probe.runtime) return pendingFigure('syncOffTheRecord', 'needs browser runtime');
  if (!probe.benchClient) return pendingFigure('syncOffTheRecord', 'needs __playground.bench.client');
  const { leader } = await startAndWaitForQuorum(page, 3);
  const follower = leader === 1 ? 2 : 1;
  const r = { follower: await sequentialCreates(page, follower, 'otr', syncOps), leader: await sequentialCreates(page, leader, 'otrl', syncOps) };
  const v = median(r.follower);
  return {
    section, name: browserFigureNames.syncOffTheRecord, value: v, unit: 'ms', status: 'info',
    extra: { p99Ms: percentile(r.follower, 99), viaLeaderMedianMs: median(r.leader) },
    note: `${syncOps} sequential creates via a follower (p99 ${percentile(r.follower, 99).toFixed(2)} ms), via the leader ${median(r.leader).toFixed(2)} ms; an off-the-record window: every OPFS write is an IPC to the browser process, flush does nothing`,
  };
}

/**
 * Failover: the leader's worker is terminated (runtime.kill) -> first successful write through
 * the new leader, ms of wall time, median of `runs`. tickTime 2000 and FLE's own timings.
 */
export async function measureFailover(page: Page, runs = 5): Promise<Figure> {
  const name = browserFigureNames.failover;
  const probe = await probeRuntime(page, 10_000);
  if (!probe.runtime) return pendingFigure('failover', 'needs browser runtime');
  if (!probe.benchClient) return pendingFigure('failover', 'needs __playground.bench.client');
  let { leader } = await startAndWaitForQuorum(page, 3);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = await page.evaluate(async ({ leader, i }) => {
      const w = window as unknown as { __benchHooks(): BenchHooks; __benchRuntime(): { kill(s: number): void } };
      const pg = { bench: w.__benchHooks(), kill: (s: number) => w.__benchRuntime().kill(s) };
      const c = await pg.bench.client('127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
      const t0 = performance.now();
      pg.kill(leader);
      for (let attempt = 0; attempt < 100_000; attempt++) {
        const r = await c.call({ type: 'create', path: `/failover-${i}-${attempt}`, dataBytes: 100 });
        if (r === 'ok') break;
        await new Promise((res) => setTimeout(res, 5));
        if (performance.now() - t0 > 60_000) throw new Error('no write within 60 s of the kill');
      }
      const ms = performance.now() - t0;
      c.close();
      return ms;
    }, { leader, i });
    samples.push(ms);
    const killed = leader;
    await page.evaluate((s) => (window as unknown as { __benchRuntime(): { restart(s: number): void } }).__benchRuntime().restart(s), killed);
    leader = await page.evaluate(async () => {
      type Status = { sid: number; role: string; leader: number | null; phase?: string | null };
      const rt = (window as unknown as { __benchRuntime(): { subscribe(l: (e: readonly unknown[], s: readonly Status[]) => void): () => void } }).__benchRuntime();
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no 3-server quorum within 60 s of the restart')), 60_000);
        const off = rt.subscribe((_e, st) => {
          const l = st.find((s) => s.role === 'leading');
          if (l && st.filter((s) => s.leader === l.sid && (s.role === 'leading' || s.role === 'following') && (s.phase === undefined || s.phase === 'broadcast')).length === 3) {
            clearTimeout(timer);
            off();
            resolve(l.sid);
          }
        });
      });
    });
  }
  const v = median(samples);
  return { section, name, value: v, unit: 'ms', samples, target: '< 600 ms', status: atMost(v, 600), baseline: { name: 'ZooKeeper 3.8.0 here (PERF.md)', value: 820, unit: 'ms' }, note: `median of ${runs}` };
}

/** Frames per second from requestAnimationFrame over `ms`, while `during` runs in the page. */
async function sampleFps(page: Page, ms: number, during: string): Promise<number> {
  return page.evaluate(async ({ ms, during }) => {
    const act = (window as unknown as Record<string, (() => void) | undefined>)[during];
    let frames = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const step = (): void => {
        frames++;
        act?.();
        if (performance.now() - t0 < ms) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    return (frames * 1000) / (performance.now() - t0);
  }, { ms, during });
}

/**
 * UI frames per second: 5 servers exchanging messages with animation on (a bench client keeps
 * writing), and scrolling a 100,000-znode tree (the element marked data-bench="znode-tree").
 */
export async function measureUiFps(page: Page, ms = 5000): Promise<Figure[]> {
  const n1 = browserFigureNames.fpsMessages;
  const n2 = browserFigureNames.fpsTree;
  const probe = await probeRuntime(page, 10_000);
  if (!probe.runtime) return [pendingFigure('fpsMessages', 'needs browser runtime'), pendingFigure('fpsTree', 'needs browser runtime')];
  if (!probe.benchClient) return [pendingFigure('fpsMessages', 'needs __playground.bench.client'), pendingFigure('fpsTree', 'needs __playground.bench.client')];
  await startAndWaitForQuorum(page, 5);
  const idle = await sampleFps(page, 1000, '__none');
  await page.evaluate(async () => {
    const pg = { bench: (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks() };
    const c = await pg.bench.client('127.0.0.1:2181');
    let i = 0;
    let inFlight = 0;
    (window as unknown as Record<string, () => void>).__benchLoad = () => {
      for (; inFlight < 50; inFlight++) void c.call({ type: 'create', path: `/fps${i++}`, dataBytes: 100 }).then(() => inFlight--);
    };
  });
  const busy = await sampleFps(page, ms, '__benchLoad');
  const figs: Figure[] = [{ section, name: n1, value: busy, unit: 'fps', target: '>= 50 fps', status: atLeast(busy, 50), baseline: { name: 'idle page, same run', value: idle, unit: 'fps' } }];
  const hasTree = await page.evaluate(() => document.querySelector('[data-bench="znode-tree"]') !== null);
  if (!hasTree) {
    figs.push(pendingFigure('fpsTree', 'needs an element data-bench="znode-tree"'));
    return figs;
  }
  await page.evaluate(async () => {
    const pg = { bench: (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks() };
    const c = await pg.bench.client('127.0.0.1:2181');
    await c.call({ type: 'create', path: '/tree' });
    for (let from = 0; from < 100_000; from += 5000) {
      await Promise.all(Array.from({ length: 5000 }, (_, k) => c.call({ type: 'create', path: `/tree/n${from + k}`, dataBytes: 100 })));
    }
    const el = document.querySelector('[data-bench="znode-tree"]') as HTMLElement;
    let dir = 1;
    (window as unknown as Record<string, () => void>).__benchScroll = () => {
      el.scrollTop += dir * 400;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight || el.scrollTop <= 0) dir = -dir;
    };
  });
  const scroll = await sampleFps(page, ms, '__benchScroll');
  figs.push({ section, name: n2, value: scroll, unit: 'fps', target: '>= 50 fps', status: atLeast(scroll, 50), baseline: { name: 'idle page, same run', value: idle, unit: 'fps' } });
  return figs;
}

/**
 * Memory: the heaviest server worker with 100,000 znodes of 100 bytes, and the whole tab after
 * `minutes` of live running with 5 servers and the UI (performance.measureUserAgentSpecificMemory,
 * which needs cross-origin isolation). The hour-long figure is extrapolated from the trend.
 */
export async function measureTabMemory(page: Page, minutes = 2): Promise<Figure[]> {
  const n1 = browserFigureNames.workerHeap;
  const n2 = browserFigureNames.tabMemory;
  const probe = await probeRuntime(page, 10_000);
  if (!probe.runtime) return [pendingFigure('workerHeap', 'needs browser runtime'), pendingFigure('tabMemory', 'needs browser runtime')];
  if (!probe.crossOriginIsolated || !probe.benchClient) {
    const why = !probe.crossOriginIsolated ? 'page not cross-origin isolated' : 'needs __playground.bench.client';
    return [pendingFigure('workerHeap', why), pendingFigure('tabMemory', why)];
  }
  await startAndWaitForQuorum(page, 5);
  const r = await page.evaluate(async (minutes) => {
    type Breakdown = { bytes: number; attribution: { url: string; scope: string }[] }[];
    const measure = async (): Promise<{ bytes: number; breakdown: Breakdown }> =>
      (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: Breakdown }> }).measureUserAgentSpecificMemory();
    const pg = { bench: (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks() };
    const c = await pg.bench.client('127.0.0.1:2181');
    await c.call({ type: 'create', path: '/mem' });
    for (let from = 0; from < 100_000; from += 5000) {
      await Promise.all(Array.from({ length: 5000 }, (_, k) => c.call({ type: 'create', path: `/mem/n${from + k}`, dataBytes: 100 })));
    }
    const m = await measure();
    const workers = m.breakdown.filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'));
    const serverWorkerMax = Math.max(0, ...workers.map((b) => b.bytes));
    const samples: { t: number; bytes: number }[] = [];
    const t0 = performance.now();
    let i = 0;
    while (performance.now() - t0 < minutes * 60_000) {
      await Promise.all(Array.from({ length: 50 }, () => c.call({ type: 'setData', path: `/mem/n${i++ % 100_000}`, dataBytes: 100 })));
      if (samples.length === 0 || performance.now() - samples[samples.length - 1].t > 10_000) samples.push({ t: performance.now() - t0, bytes: (await measure()).bytes });
    }
    c.close();
    return { serverWorkerMax, samples };
  }, minutes);
  const mb = (b: number): number => b / 2 ** 20;
  const last = r.samples[r.samples.length - 1];
  const first = r.samples[0];
  const perMs = r.samples.length > 1 ? (last.bytes - first.bytes) / Math.max(1, last.t - first.t) : 0;
  const hour = last.bytes + perMs * Math.max(0, 3_600_000 - last.t);
  return [
    { section, name: n1, value: mb(r.serverWorkerMax), unit: 'MB', target: '< 64 MB', status: atMost(mb(r.serverWorkerMax), 64), note: 'largest DedicatedWorkerGlobalScope in measureUserAgentSpecificMemory' },
    { section, name: n2, value: mb(last.bytes), unit: 'MB', target: '< 500 MB', status: atMost(mb(hour), 500), note: `after ${minutes} min; extrapolated to 1 h: ${mb(hour).toFixed(0)} MB (${(perMs * 60_000 / 2 ** 20).toFixed(2)} MB/min)`, samples: r.samples.map((s) => mb(s.bytes)) },
  ];
}
