/**
 * A/B of the live ensemble figures (measureEnsemble: pipelined creates/sets/reads, sync
 * latency) between builds, interleaved round by round so both see the same machine load:
 *
 *   npx tsx bench/browser/ensemble-ab.ts <dist A> <dist B> [rounds] [ops] [syncOps]
 *
 * Each dist is a `vite build` output with e2e/runtime.html. Prints one line per run and the
 * medians per build. Not part of `npm run bench`: a tool for comparing a change.
 */
import { launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { measureEnsemble } from './playground-harness.ts';

const [a, b, roundsArg, opsArg, syncArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 2);
const ops = Number(opsArg ?? 20_000);
const syncOps = Number(syncArg ?? 500);
const dists = [a, b].filter((d): d is string => d !== undefined);
const results = new Map<string, Map<string, number[]>>();
const browser = await launchChromium();
try {
  for (let r = 0; r < rounds; r++) {
    for (const dist of dists) {
      const server = await serveStatic(dist);
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      try {
        await page.goto(`${server.url}/e2e/runtime.html`);
        const figs = await measureEnsemble(page, null, ops, syncOps);
        const byName = results.get(dist) ?? new Map<string, number[]>();
        results.set(dist, byName);
        const line: string[] = [];
        for (const f of figs) {
          if (typeof f.value !== 'number') continue;
          byName.set(f.name, [...(byName.get(f.name) ?? []), f.value]);
          line.push(`${f.name.replace('ensemble: ', '')} ${f.value.toFixed(f.unit === 'ms' ? 2 : 0)}`);
        }
        console.log(`round ${r + 1} ${dist}: ${line.join(' | ')}`);
      } finally {
        await ctx.close();
        await server.close();
      }
    }
  }
} finally {
  await browser.close();
}
for (const [dist, byName] of results) {
  console.log(`median ${dist}: ${[...byName].map(([n, v]) => `${n.replace('ensemble: ', '')} ${median(v).toFixed(v[0] < 100 ? 2 : 0)}`).join(' | ')}`);
}
