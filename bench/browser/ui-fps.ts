/**
 * The UI frames-per-second figures of the browser section alone (measureAppFps: the built app,
 * 5 servers, idle / 50 creates in flight / 100 writes/s, animation on), repeated for a median:
 *
 *   npx tsx bench/browser/ui-fps.ts [--runs 3] [--ms 5000] [--tab election] [--root DIR]
 *     [--profile FILE [--profile-phase busy|paced]]
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
      const { figures, idleBase } = await measureAppFps(page, leader, ms, async (phase, edge) => {
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
        cpu.push(`${phase}: main thread busy ${(busy * 100).toFixed(0)} % (script ${(d('ScriptDuration') * 100).toFixed(0)} %, style+layout ${((d('RecalcStyleDuration') + d('LayoutDuration')) * 100).toFixed(0)} %)`);
      });
      console.log(`  ${cpu.join('; ')}`);
      const load = loadavg()[0].toFixed(1);
      console.log(`run ${r + 1}: idle ${idleBase.value.toFixed(1)} fps; ${figures.map((f) => `${f.name}: ${(f.value ?? 0).toFixed(1)} fps (${f.note ?? ''})`).join('; ')}; load ${load}`);
      for (const f of [{ name: 'idle', value: idleBase.value }, ...figures]) byName.set(f.name, [...(byName.get(f.name) ?? []), f.value ?? 0]);
    } finally {
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`medians of ${runs} (tab ${tab}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}):`);
for (const [name, v] of byName) console.log(`  ${name}: ${median(v).toFixed(name.includes('(s/s)') ? 2 : 1)}${name.includes('(s/s)') ? '' : ' fps'}  [${v.map((x) => x.toFixed(2)).join(', ')}]`);
