/**
 * Child process of the simulator section: runs a sweep of fault-simulator seeds (3 servers,
 * 10 simulated seconds each) and samples heapUsed after a forced GC every `every` seeds.
 * Run with `node --expose-gc --import tsx`; prints one JSON line on stdout.
 */
import { runSeed } from '../../src/runtime/sim/fault-sim.ts';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const seeds = arg('--seeds', 200);
const every = Math.max(1, arg('--every', 20));
const from = arg('--from', 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('sim-sweep needs --expose-gc');
const samples: { seeds: number; heapUsed: number; rss: number }[] = [];
let peakRss = 0;
let violations = 0;
const failedSeeds: { seed: number; violation: string }[] = [];
const sample = (done: number): void => {
  gc();
  gc();
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  samples.push({ seeds: done, heapUsed: m.heapUsed, rss: m.rss });
};
sample(0);
const t0 = performance.now();
for (let i = 0; i < seeds; i++) {
  const r = runSeed({ seed: from + i, durationMs: 10_000, servers: 3 });
  if (r.violations.length > 0) {
    violations++;
    if (failedSeeds.length < 50) failedSeeds.push({ seed: from + i, violation: r.violations[0] });
  }
  if ((i + 1) % every === 0) sample(i + 1);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ seeds, ms, violations, failedSeeds, peakRss, samples }));
