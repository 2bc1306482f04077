/**
 * CPU time per thread of the live ensemble under a workload, from /proc (utime + stime of every
 * thread of the Chromium processes this script launched), A/B between builds round by round.
 * Unlike a CPU profile's busy share or a throughput figure, a thread's CPU time does not grow
 * when the machine is loaded and the thread waits for a core (bench/README.md, "Wire batches").
 *
 *   npx tsx bench/browser/thread-cpu.ts <dist A> [dist B] [rounds] [n] [--leader]
 *
 * Workload: n pipelined creates (100-byte data) through a follower (--leader: through the
 * leader), 3 servers, persistent profile. Prints, per run, writes/s and CPU ms per thread
 * group (the renderer's main thread, each server worker busiest first, the renderer's thread
 * pool (GC helpers, OPFS), the rest of Chromium), then the medians of µs per write.
 * THREAD_CPU_DUMP=1 lists every thread.
 *
 * --sync: n sequential creates instead (one call at a time, as the bench's sync latency): the CPU
 * every thread spends per sync write next to its wall time (on 2 cores, more than ~2 threads
 * running at once make a woken thread wait for a core: bench/README.md fix 29).
 *
 * --trace: also a Chrome trace of the workload (categories toplevel, v8, V8's GC and compiler),
 * summarized per thread group as self time per trace event: what the renderer's thread pool
 * does (GC marking, sweeping, scavenging, compiling) and where GC lands on each thread. The
 * trace costs CPU itself, so its run's per-write figures are not comparable with others.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { browserPid, descendants, groupCpu, threads } from '../lib/proc-cpu.ts';
import { openEnsemble, pipelinedCreates } from './playground-harness.ts';

const viaLeader = process.argv.includes('--leader');
const withTrace = process.argv.includes('--trace');
const sync = process.argv.includes('--sync');
const warmAt = process.argv.indexOf('--warm');
/** --warm N: N pipelined creates (not measured) before the workload, so the JIT has settled */
const warm = warmAt >= 0 ? Number(process.argv[warmAt + 1]) : 0;
/** --same-session: the warm-up and the workload through one session (no session closed or opened in between) */
const sameSession = process.argv.includes('--same-session');
const args = process.argv.slice(2).filter((x, i, all) => !['--trace', '--leader', '--sync', '--warm', '--same-session'].includes(x) && all[i - 1] !== '--warm');
const dists = args.filter((x) => !/^\d+$/.test(x));
const [roundsArg, nArg] = args.filter((x) => /^\d+$/.test(x));
const rounds = Number(roundsArg ?? 3);
const n = Number(nArg ?? 20_000);
/** THREAD_CPU_ONLY=user or sys: count that part of each thread's CPU time only */
const only = process.env.THREAD_CPU_ONLY;

interface TraceEvent { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }
type Cdp = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launchPersistentContext>>['newCDPSession']>>;
let traceEvents: TraceEvent[] = [];
async function startTrace(cdp: Cdp): Promise<void> {
  traceEvents = [];
  cdp.on('Tracing.dataCollected', (e) => void traceEvents.push(...(e.value as unknown as TraceEvent[])));
  // --sync: the page's frames too (layout, paint: what the main thread does between replies)
  await cdp.send('Tracing.start', { categories: `toplevel,v8,disabled-by-default-v8.gc,disabled-by-default-v8.compile,blink${sync ? ',devtools.timeline' : ''}`, transferMode: 'ReportEvents' });
}
async function endTrace(cdp: Cdp): Promise<TraceEvent[]> {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  return traceEvents;
}
/** Self time per trace event name, per thread group of the renderer (by thread name), in µs per write. */
function summarizeTrace(events: TraceEvent[], n: number): string {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    const list = byThread.get(k) ?? [];
    list.push(e);
    byThread.set(k, list);
  }
  const self = new Map<string, Map<string, number>>();
  for (const [k, xs] of byThread) {
    const name = names.get(k) ?? 'unnamed';
    const group = /^ThreadPool/.test(name) ? 'pool' : /DedicatedWorker/.test(name) ? 'workers' : name;
    const m = self.get(group) ?? new Map<string, number>();
    self.set(group, m);
    xs.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: { end: number; name: string }[] = [];
    for (const e of xs) {
      while (stack.length > 0 && stack[stack.length - 1].end <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) m.set(parent.name, (m.get(parent.name) ?? 0) - Math.min(e.dur!, parent.end - e.ts));
      m.set(e.name, (m.get(e.name) ?? 0) + e.dur!);
      stack.push({ end: e.ts + e.dur!, name: e.name });
    }
  }
  const lines: string[] = [];
  for (const [group, m] of [...self].sort((a, b) => sum(b[1]) - sum(a[1]))) {
    if (!['pool', 'workers', 'CrRendererMain'].includes(group)) continue;
    lines.push(`  trace ${group}: ${(sum(m) / n).toFixed(1)} µs/write in trace events`);
    for (const [ev, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`    ${(us / n).toFixed(1).padStart(6)} µs/write  ${ev}`);
  }
  return lines.join('\n');
}
/** n creates one at a time (30 first, not measured): the wall ms of the n */
async function sequentialCreates(page: import('playwright-core').Page, sid: number, n: number): Promise<number> {
  return page.evaluate(async ({ sid, n }) => {
    const hooks = (window as unknown as { __benchHooks(): import('./playground-harness.ts').BenchHooks }).__benchHooks();
    const c = await hooks.client(`127.0.0.1:${2180 + sid}`);
    for (let i = 0; i < 30; i++) await c.call({ type: 'create', path: `/sw${i}`, dataBytes: 100 });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await c.call({ type: 'create', path: `/s${i}`, dataBytes: 100 });
    const ms = performance.now() - t0;
    c.close();
    return ms;
  }, { sid, n });
}
/** THREAD_CPU_ARGS: extra Chromium flags separated by ';', e.g. '--js-flags=--trace-opt --trace-deopt' (its output: DEBUG=pw:browser) */
const extraArgs = (process.env.THREAD_CPU_ARGS ?? '').split(';').filter((x) => x !== '');
/** n pipelined creates through the page's one kept session (--same-session), opened on first use */
async function keptSessionCreates(page: import('playwright-core').Page, sid: number, prefix: string, n: number): Promise<number> {
  return page.evaluate(async ({ sid, prefix, n }) => {
    const w = window as unknown as { __benchHooks(): import('./playground-harness.ts').BenchHooks; __kept?: Awaited<ReturnType<import('./playground-harness.ts').BenchHooks['client']>> };
    w.__kept ??= await w.__benchHooks().client(`127.0.0.1:${2180 + sid}`);
    const c = w.__kept;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => c.call({ type: 'create', path: `/${prefix}${i}`, dataBytes: 100 })));
    return performance.now() - t0;
  }, { sid, prefix, n });
}
const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

const perWrite = new Map<string, Map<string, number[]>>();
for (let r = 0; r < rounds; r++) {
  for (const dist of dists) {
    const server = await serveStatic(dist);
    const profile = mkdtempSync(join(tmpdir(), 'zk-thread-cpu-'));
    const ctx = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: [...chromiumArgs, ...extraArgs] });
    try {
      const opened = await openEnsemble(ctx, server.url);
      const page = opened.page;
      const follower = viaLeader ? opened.leader : opened.follower;
      const root = browserPid(profile);
      const creates = sameSession ? keptSessionCreates : pipelinedCreates;
      if (warm > 0) await creates(page, follower, 'warm', warm);
      const before = threads(descendants(root), only);
      const cdp = withTrace ? await ctx.newCDPSession(page) : null;
      if (cdp) await startTrace(cdp);
      const res = { ms: sync ? await sequentialCreates(page, follower, n) : await creates(page, follower, 'p', n) };
      const after = threads(descendants(root), only);
      if (cdp) console.log(summarizeTrace(await endTrace(cdp), n));
      const groups = groupCpu(before, after);
      if (process.env.THREAD_CPU_DUMP) {
        const was = new Map(before.map((t) => [t.tid, t.cpuMs]));
        console.log(after.map((t) => ({ ...t, d: t.cpuMs - (was.get(t.tid) ?? 0) })).filter((t) => t.d > 0).sort((a, b) => b.d - a.d).map((t) => `${t.pid}/${t.tid} ${t.comm} ${t.d}`).join('\n'));
      }
      const total = [...groups.values()].reduce((a, b) => a + b, 0);
      groups.set('total', total);
      const byName = perWrite.get(dist) ?? new Map<string, number[]>();
      perWrite.set(dist, byName);
      for (const [g, ms] of groups) byName.set(g, [...(byName.get(g) ?? []), (ms * 1000) / n]);
      byName.set('writes/s', [...(byName.get('writes/s') ?? []), (n * 1000) / res.ms]);
      console.log(`round ${r + 1} ${dist}: ${((n * 1000) / res.ms).toFixed(0)} writes/s, CPU ms ${[...groups].map(([g, ms]) => `${g} ${ms.toFixed(0)}`).join(' | ')}`);
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
      await server.close();
    }
  }
}
for (const [dist, byName] of perWrite) {
  console.log(`median ${dist}: ${[...byName].map(([g, xs]) => `${g} ${median(xs).toFixed(0)}${g === 'writes/s' ? '' : ' µs/write'}`).join(' | ')}`);
}
