/**
 * The UI frames-per-second figures of the browser section alone (measureAppFps: the built app,
 * 5 servers, idle / 50 creates in flight / 100 writes/s, animation on), repeated for a median:
 *
 *   npx tsx bench/browser/ui-fps.ts [--runs 3] [--ms 5000] [--tab election] [--root DIR]
 *     [--profile FILE [--profile-phase busy|paced]] [--trace busy|paced] [--shot PREFIX]
 *
 * Faster to iterate with than `npm run bench -- --only browser`, which also measures the
 * ensemble, failover, the tree and memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { buildApp } from '../sections/page.ts';
import { measureAppFps, openApp, waitForQuorum } from './app-harness.ts';
import { zooCfg } from './playground-harness.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const runs = Number(arg('--runs', '3'));
const ms = Number(arg('--ms', '5000'));
const tab = arg('--tab', 'election');
/** --profile FILE: a CPU profile of the page's main thread during the paced phase (bench/profile-summary.ts reads it) */
const profileTo = process.argv.includes('--profile') ? arg('--profile', '/tmp/ui-fps.cpuprofile') : undefined;
/** --profile-phase busy|paced: which phase --profile records (default paced) */
const profilePhase = arg('--profile-phase', 'paced');
/** --trace busy|paced: a Chrome trace of that phase, summarized as the page main thread's self time per trace event */
const traceFor = process.argv.includes('--trace') ? arg('--trace', 'busy') : undefined;
/** --shot PREFIX: a screenshot near the end of each loaded phase (PREFIX-busy.png, PREFIX-paced.png), to look at the views under load */
const shotTo = process.argv.includes('--shot') ? arg('--shot', '/tmp/ui-fps') : undefined;
/** --mutations: count the DOM mutations of the busy phase by where they happen (what re-renders under load) */
const countMutations = process.argv.includes('--mutations');
/** --root DIR: build and measure another checkout (e.g. a `git archive` of main, for a before/after pair) */
const root = process.argv.includes('--root') ? arg('--root', '.') : undefined;

/** a profiled run measures an unminified build (function names readable in the profile) */
const buildUnminified = async (appRoot: string): Promise<{ outDir: string }> => {
  const outDir = mkdtempSync(join(tmpdir(), 'zk-fps-build-'));
  process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
  const { build } = await import('vite');
  await build({ root: appRoot, logLevel: 'silent', build: { outDir, emptyOutDir: true, minify: false } });
  return { outDir };
};
interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string } }
type Cdp = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['newBrowserCDPSession']>>;
let traceEvents: TraceEvent[] = [];
async function startTrace(cdp: Cdp): Promise<void> {
  traceEvents = [];
  cdp.on('Tracing.dataCollected', (e) => void traceEvents.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: process.env.TRACE_CATEGORIES ?? 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink,cc,gpu,toplevel', transferMode: 'ReportEvents' });
}
async function endTrace(cdp: Cdp): Promise<TraceEvent[]> {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  return traceEvents;
}
/** self time per event name on the busiest renderer main thread (complete events, nested by time) */
function summarizeTrace(events: TraceEvent[]): string {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const count = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`)) count.set(`${e.pid}:${e.tid}`, (count.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  const xs = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // self wall time, and self thread (CPU) time where the event has one (tdur: the time the thread
  // ran, which a loaded machine does not stretch: descheduled time is in dur, not in tdur)
  const self = new Map<string, number>();
  const selfCpu = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  let first = Infinity;
  let last = 0;
  for (const e of xs) {
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + e.dur!);
    while (stack.length > 0 && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - Math.min(e.dur!, parent.end - e.ts));
    if (parent) selfCpu.set(parent.name, (selfCpu.get(parent.name) ?? 0) - (e.tdur ?? 0));
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
    selfCpu.set(e.name, (selfCpu.get(e.name) ?? 0) + (e.tdur ?? 0));
    stack.push({ end: e.ts + e.dur!, name: e.name });
  }
  const wall = Math.max(1, last - first);
  const cpuTotal = [...selfCpu.values()].reduce((a, b) => a + b, 0);
  return [
    ...[...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, us]) => `  trace self ${((us / wall) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${n}`),
    `  thread (CPU) time of the main thread's trace events: ${(cpuTotal / 1000).toFixed(0)} ms in ${(wall / 1000).toFixed(0)} ms of wall time; by event, self:`,
    ...[...selfCpu].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, us]) => `  trace cpu  ${((us / Math.max(1, cpuTotal)) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${n}`),
  ].join('\n');
}

const { outDir } = profileTo ? await buildUnminified(root ?? join(import.meta.dirname, '..', '..')) : await buildApp(root);
const server = await serveStatic(outDir);
const browser = await launchChromium();
const byName = new Map<string, number[]>();
try {
  for (let r = 0; r < runs; r++) {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await openApp(ctx, `${server.url}/`);
      if (!page) throw new Error('the app exposes no window.__playground with ?bench');
      await page.evaluate(async ({ cfg, tab }) => {
        const pg = (window as unknown as { __playground: { store: { getState(): { startRun(o: object): Promise<void>; setTab(t: string): void } } } }).__playground;
        await pg.store.getState().startRun({ zooCfg: cfg, seed: 1, mode: 'live', startAll: true, fresh: true });
        pg.store.getState().setTab(tab);
      }, { cfg: zooCfg(5), tab });
      const leader = await waitForQuorum(page, 5);
      // main-thread CPU per phase (CDP Performance metrics): the work the UI does, which a loaded
      // machine stretches less than it stretches frames
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Record<string, number>> => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
      const starts = new Map<string, Record<string, number>>();
      const cpu: string[] = [];
      const threadCpu = new Map<string, number>();
      const { figures, idleBase } = await measureAppFps(page, leader, ms, async (phase, edge) => {
        if (shotTo && phase !== 'idle' && edge === 'end') await page.screenshot({ path: `${shotTo}-${phase}.png` });
        if (countMutations && phase === 'busy' && edge === 'start') {
          await page.evaluate(() => {
            const counts = new Map<string, number>();
            const where = (n: Node): string => {
              const el = n instanceof Element ? n : n.parentElement;
              const t = el?.closest('[data-testid]');
              return `${t?.getAttribute('data-testid') ?? el?.closest('[class]')?.className ?? '?'} <${el?.tagName.toLowerCase() ?? '?'}>`;
            };
            const mo = new MutationObserver((records) => {
              // a childList record also names what it added or removed (the first node of each)
              const what = (r: MutationRecord): string => {
                const n = r.addedNodes[0] ?? r.removedNodes[0];
                if (r.type !== 'childList' || !n) return r.type === 'attributes' ? ` [${r.attributeName}]` : '';
                const tag = n instanceof Element ? `${n.tagName.toLowerCase()}${n.className && typeof n.className === 'string' ? `.${n.className.split(' ')[0]}` : ''}` : n.nodeName;
                return ` ${r.addedNodes.length > 0 ? '+' : '-'}${tag}`;
              };
              for (const r of records) {
                const k = `${r.type} ${where(r.target)}${what(r)}`;
                counts.set(k, (counts.get(k) ?? 0) + 1);
              }
            });
            mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            (window as unknown as { __mutations: () => [string, number][] }).__mutations = () => {
              mo.disconnect();
              return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25);
            };
          });
        }
        if (countMutations && phase === 'busy' && edge === 'end') {
          const top = await page.evaluate(() => (window as unknown as { __mutations: () => [string, number][] }).__mutations());
          for (const [k, n] of top) console.log(`  mutations ${String(n).padStart(6)}  ${k}`);
        }
        if (phase !== 'idle' && edge === 'start') {
          // what the runtime hands the UI in this phase: publishes (about one per worker output) and events
          await page.evaluate(() => {
            const w = window as unknown as { __counts?: { publishes: number; events: number; off(): void }; __playground: { runtime: { subscribe(l: (e: readonly unknown[]) => void): () => void } } };
            w.__counts?.off();
            const c = { publishes: -1, events: 0, off: (): void => undefined };
            c.off = w.__playground.runtime.subscribe((e) => {
              // (the first call hands the whole trace so far: not counted)
              if (c.publishes++ < 0) return;
              c.events += e.length;
            });
            w.__counts = c;
          });
        }
        if (phase !== 'idle' && edge === 'end') {
          const c = await page.evaluate(() => {
            const w = window as unknown as { __counts: { publishes: number; events: number; off(): void } };
            w.__counts.off();
            return { publishes: w.__counts.publishes, events: w.__counts.events };
          });
          console.log(`  ${phase}: the runtime published ${((c.publishes * 1000) / ms).toFixed(0)} times/s, ${((c.events * 1000) / ms).toFixed(0)} events/s`);
        }
        if (traceFor === phase && edge === 'start') await startTrace(cdp);
        if (traceFor === phase && edge === 'end') {
          const evs = await endTrace(cdp);
          console.log(summarizeTrace(evs));
          if (process.env.TRACE_DUMP) writeFileSync(process.env.TRACE_DUMP, JSON.stringify(evs));
        }
        if (profileTo && phase === profilePhase && edge === 'start') {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.start');
        }
        if (profileTo && phase === profilePhase && edge === 'end') {
          const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
          writeFileSync(profileTo, JSON.stringify(profile));
        }
        const m = await metrics();
        if (edge === 'start') {
          starts.set(phase, m);
          return;
        }
        const a = starts.get(phase)!;
        const wall = m.Timestamp - a.Timestamp;
        const d = (k: string): number => (m[k] - a[k]) / wall;
        const busy = d('TaskDuration');
        byName.set(`main-thread busy, ${phase} (s/s)`, [...(byName.get(`main-thread busy, ${phase} (s/s)`) ?? []), busy]);
        byName.set(`script, ${phase} (s/s)`, [...(byName.get(`script, ${phase} (s/s)`) ?? []), d('ScriptDuration')]);
        // ThreadTime is the main thread's CPU time (task times above are wall time, which a
        // loaded machine stretches): the UI's own cost, comparable across loads
        threadCpu.set(phase, d('ThreadTime'));
        byName.set(`main-thread CPU, ${phase} (s/s)`, [...(byName.get(`main-thread CPU, ${phase} (s/s)`) ?? []), d('ThreadTime')]);
        cpu.push(`${phase}: main thread busy ${(busy * 100).toFixed(0)} % (script ${(d('ScriptDuration') * 100).toFixed(0)} %, style+layout ${((d('RecalcStyleDuration') + d('LayoutDuration')) * 100).toFixed(0)} %), main-thread CPU ${(d('ThreadTime') * 100).toFixed(0)} %, renderer process CPU (workers included) ${(d('ProcessTime') * 100).toFixed(0)} %`);
      });
      console.log(`  ${cpu.join('; ')}`);
      const load = loadavg()[0].toFixed(1);
      console.log(`run ${r + 1}: idle ${idleBase.value.toFixed(1)} fps; ${figures.map((f) => `${f.name}: ${(f.value ?? 0).toFixed(1)} fps (${f.note ?? ''})`).join('; ')}; load ${load}`);
      for (const f of [{ name: 'idle', value: idleBase.value }, ...figures]) byName.set(f.name, [...(byName.get(f.name) ?? []), f.value ?? 0]);
      // the main thread's CPU per frame drawn: the UI's cost per frame whatever the machine's load
      const perFrame = (phase: string, fps: number): number => ((threadCpu.get(phase) ?? 0) * 1000) / Math.max(0.1, fps);
      const frameCost = [['idle', idleBase.value], ['busy', figures[0]?.value ?? 0], ['paced', figures[1]?.value ?? 0]] as const;
      for (const [phase, fps] of frameCost) byName.set(`main-thread CPU per frame, ${phase} (ms)`, [...(byName.get(`main-thread CPU per frame, ${phase} (ms)`) ?? []), perFrame(phase, fps)]);
      console.log(`  main-thread CPU per frame: ${frameCost.map(([phase, fps]) => `${phase} ${perFrame(phase, fps).toFixed(1)} ms`).join(', ')}`);
    } finally {
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`medians of ${runs} (tab ${tab}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}):`);
for (const [name, v] of byName) console.log(`  ${name}: ${median(v).toFixed(name.includes('(s/s)') ? 2 : 1)}${name.includes('(s/s)') || name.includes('(ms)') ? '' : ' fps'}  [${v.map((x) => x.toFixed(2)).join(', ')}]`);
