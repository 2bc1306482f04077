/**
 * A/B of the live ensemble figures (measureEnsemble: pipelined creates/sets/reads, sync
 * latency) between builds, interleaved round by round so both see the same machine load:
 *
 *   npx tsx bench/browser/ensemble-ab.ts <dist A> <dist B> [rounds] [ops] [syncOps] [--persistent]
 *
 * Each dist is a `vite build` output with e2e/runtime.html. Prints one line per run and the
 * medians per build. Not part of `npm run bench`: a tool for comparing a change.
 *
 * --persistent: each run in a fresh persistent context (a profile directory under /tmp), as a
 * user's regular browser window, instead of playwright's default off-the-record context. OPFS
 * differs between the two: off the record it lives in the browser process's memory and every
 * sync access handle write is a synchronous IPC to it (flush does nothing); in a profile the
 * worker writes the file itself and flush is an fdatasync (bench/README.md, sync latency).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { measureEnsemble } from './playground-harness.ts';

const persistent = process.argv.includes('--persistent');
const [a, b, roundsArg, opsArg, syncArg] = process.argv.slice(2).filter((x) => x !== '--persistent');
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
      const profile = persistent ? mkdtempSync(join(tmpdir(), 'zk-bench-profile-')) : null;
      const ctx = profile !== null
        ? await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs })
        : await browser.newContext();
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
        if (profile !== null) rmSync(profile, { recursive: true, force: true });
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
