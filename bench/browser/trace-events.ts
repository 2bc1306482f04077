/**
 * Trace events per pipelined create, by type (bench/README.md, fix 32): the runtime test page's
 * 3-server ensemble, `warm` creates through a follower, then `n` more while counting what the
 * runtime publishes (`subscribe`).
 *
 *   npx tsx bench/browser/trace-events.ts <dist> [n=10000] [warm=2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { openEnsemble, type BenchHooks } from './playground-harness.ts';

const [dist, nArg, warmArg] = process.argv.slice(2);
if (dist === undefined) throw new Error('usage: trace-events.ts <dist> [n] [warm]');
const n = Number(nArg ?? 10_000);
const warm = Number(warmArg ?? 2000);
const server = await serveStatic(dist);
const profile = mkdtempSync(join(tmpdir(), 'zk-trace-events-'));
const ctx = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
try {
  const { page, follower } = await openEnsemble(ctx, server.url);
  const counts = await page.evaluate(async ({ follower, n, warm }) => {
    interface Runtime { subscribe(l: (events: readonly { type: string }[]) => void): () => void }
    const w = window as unknown as { __benchRuntime(): Runtime; __benchHooks(): BenchHooks };
    const c = await w.__benchHooks().client(`127.0.0.1:${2180 + follower}`);
    const creates = (prefix: string, count: number): Promise<string[]> =>
      Promise.all(Array.from({ length: count }, (_, i) => c.call({ type: 'create', path: `/${prefix}${i}`, dataBytes: 100 })));
    await creates('warm', warm);
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 500));
    await settle();
    const byType: Record<string, number> = {};
    const off = w.__benchRuntime().subscribe((events) => {
      for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    });
    await settle(); // what subscribe replays of the warm-up
    for (const k of Object.keys(byType)) delete byType[k];
    await creates('x', n);
    await settle();
    off();
    c.close();
    return byType;
  }, { follower, n, warm });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const per = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / n).toFixed(2)}`);
  console.log(`${(total / n).toFixed(2)} events per create via a follower (${n} pipelined, after ${warm}): ${per.join(', ')}`);
} finally {
  await ctx.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
