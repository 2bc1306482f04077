/**
 * CPU per thread group, phase by phase, of the bench's own sequence (measureEnsemble's round:
 * pipelined creates via the leader, creates via a follower, setData and getData via the
 * follower, each through a session of its own), run `rounds` times on one ensemble:
 *
 *   npx tsx bench/browser/phase-cpu.ts <dist> [ops=20000] [rounds=3] [--deopt]
 *
 * The bench reports the second round (index 1). Per phase: ops/s and µs per op of the page's
 * main thread, the server workers together, the renderer's thread pool (GC, the compiler) and
 * the rest, from /proc (bench/lib/proc-cpu.ts). Where the snapshot lands (fix 30) and what a
 * session change costs the JIT (fix 31) show as a phase's workers or pool above its neighbours.
 *
 * --deopt: Chromium with `--js-flags=--trace-deopt` and line-buffered stdout (libstdbuf), run
 * it with DEBUG=pw:browser: the deoptimizations arrive on stderr between this script's
 * `phase start` / `phase end` lines, so they can be counted per phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { browserPid, descendants, groupCpu, threads } from '../lib/proc-cpu.ts';
import { serveStatic } from '../lib/static-server.ts';
import { openEnsemble, type BenchHooks } from './playground-harness.ts';

const deopt = process.argv.includes('--deopt');
const [dist, opsArg, roundsArg] = process.argv.slice(2).filter((x) => x !== '--deopt');
const ops = Number(opsArg ?? 20_000);
const rounds = Number(roundsArg ?? 3);
if (dist === undefined) throw new Error('usage: phase-cpu.ts <dist> [ops] [rounds] [--deopt]');
const stdbuf = '/usr/libexec/coreutils/libstdbuf.so';

type Op = 'create' | 'setData' | 'getData';
interface Phase { readonly name: string; readonly opsPerSec: number; readonly cpu: Map<string, number> }

const server = await serveStatic(dist);
const profile = mkdtempSync(join(tmpdir(), 'zk-phase-cpu-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath, headless: true,
  args: [...chromiumArgs, ...(deopt ? ['--js-flags=--trace-deopt'] : [])],
  env: deopt ? { ...process.env, LD_PRELOAD: stdbuf, _STDBUF_O: 'L' } : process.env,
});
try {
  const { page, leader, follower } = await openEnsemble(ctx, server.url);
  const root = browserPid(profile);

  const phase = async (name: string, sid: number, op: Op, prefix: string): Promise<Phase> => {
    const before = threads(descendants(root));
    console.error(`phase start ${name}`);
    const ms = await page.evaluate(async ({ sid, op, prefix, ops }) => {
      const hooks = (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks();
      const c = await hooks.client(`127.0.0.1:${2180 + sid}`);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: ops }, (_, i) => c.call(op === 'getData' ? { type: op, path: `/${prefix}${i}` } : { type: op, path: `/${prefix}${i}`, dataBytes: 100 })));
      const spent = performance.now() - t0;
      c.close();
      return spent;
    }, { sid, op, prefix, ops });
    const after = threads(descendants(root));
    console.error(`phase end ${name}`);
    const groups = groupCpu(before, after);
    const cpu = new Map<string, number>([['main', 0], ['workers', 0], ['renderer pool', 0], ['other', 0]]);
    for (const [g, v] of groups) {
      const k = g.startsWith('worker ') ? 'workers' : g;
      cpu.set(k, (cpu.get(k) ?? 0) + v);
    }
    return { name, opsPerSec: (ops * 1000) / ms, cpu };
  };

  for (let r = 0; r < rounds; r++) {
    const phases = [
      await phase(`round ${r} creates via the leader`, leader, 'create', `bl${r}_`),
      await phase(`round ${r} creates via a follower`, follower, 'create', `bf${r}_`),
      await phase(`round ${r} setData via a follower`, follower, 'setData', `bf${r}_`),
      await phase(`round ${r} getData via a follower`, follower, 'getData', `bf${r}_`),
    ];
    for (const p of phases) {
      const us = (ms: number): string => ((ms * 1000) / ops).toFixed(0);
      const total = [...p.cpu.values()].reduce((a, b) => a + b, 0);
      console.log(`${p.name.padEnd(34)} ${p.opsPerSec.toFixed(0).padStart(7)} ops/s  µs per op: ${[...p.cpu].map(([g, ms]) => `${g} ${us(ms)}`).join(' | ')} | total ${us(total)}`);
    }
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
