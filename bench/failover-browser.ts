/**
 * `npx tsx bench/failover-browser.ts [--runs N] [--url URL]`: the browser failover figure alone
 * (the bench's measureFailover: leader worker terminated -> first successful create through the
 * new leader, wall ms), without the rest of the browser section; with --breakdown, its own loop
 * of the same steps that also notes when a new leader reached broadcast (the rest is the client).
 */
import type { Page } from 'playwright-core';
import { launchChromium } from './lib/chromium.ts';
import { serveStatic } from './lib/static-server.ts';
import { measureFailover, probeRuntime, startAndWaitForQuorum, type BenchHooks } from './browser/playground-harness.ts';
import { buildApp } from './sections/page.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('--runs') ?? 5);
const { outDir } = await buildApp(arg('--root') ?? undefined);
const server = await serveStatic(outDir);
const browser = await launchChromium();
try {
  const ctx = await browser.newContext();
  const page: Page = await ctx.newPage();
  await page.goto(`${server.url}/?bench`);
  const probe = await probeRuntime(page, 10_000);
  if (!probe.runtime) throw new Error('no runtime on the page');
  if (!process.argv.includes('--breakdown')) {
    const fig = await measureFailover(page, runs);
    console.log(JSON.stringify({ value: fig.value, samples: fig.samples, status: fig.status }));
  } else {
    await breakdown(page, runs);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);

/** kill the leader; wall ms until a new leader is in broadcast, and until the first create succeeds */
async function breakdown(page: Page, n: number): Promise<void> {
  let { leader } = await startAndWaitForQuorum(page, 3);
  for (let i = 0; i < n; i++) {
    const r = await page.evaluate(async ({ leader, i }) => {
      type Status = { sid: number; role: string; phase?: string | null };
      type Rt = { kill(s: number): void; restart(s: number): void; subscribe(l: (e: readonly unknown[], s: readonly Status[]) => void): () => void };
      const w = window as unknown as { __benchHooks(): BenchHooks; __benchRuntime(): Rt };
      const rt = w.__benchRuntime();
      const c = await w.__benchHooks().client('127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
      let leaderMs = -1;
      const t0 = performance.now();
      const off = rt.subscribe((_e, st) => {
        if (leaderMs < 0 && st.some((s) => s.sid !== leader && s.role === 'leading' && s.phase === 'broadcast')) leaderMs = performance.now() - t0;
      });
      rt.kill(leader);
      let attempts = 0;
      for (; attempts < 100_000; attempts++) {
        const res = await c.call({ type: 'create', path: `/bd-${i}-${attempts}`, dataBytes: 100 });
        if (res === 'ok') break;
        await new Promise((ok) => setTimeout(ok, 5));
        if (performance.now() - t0 > 60_000) break;
      }
      const writeMs = performance.now() - t0;
      off();
      c.close();
      return { leaderMs: Math.round(leaderMs), writeMs: Math.round(writeMs), failedCalls: attempts };
    }, { leader, i });
    console.log(JSON.stringify(r));
    await page.evaluate((s) => (window as unknown as { __benchRuntime(): { restart(s: number): void } }).__benchRuntime().restart(s), leader);
    await new Promise((ok) => setTimeout(ok, 3000));
    leader = (await startAndWaitForQuorumAgain(page)) ?? leader;
  }
}

/** the leader once all three serve again (the harness's wait after a restart) */
async function startAndWaitForQuorumAgain(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    type Status = { sid: number; role: string; leader: number | null; phase?: string | null };
    const rt = (window as unknown as { __benchRuntime(): { subscribe(l: (e: readonly unknown[], s: readonly Status[]) => void): () => void } }).__benchRuntime();
    return new Promise<number | null>((resolve) => {
      let found: number | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const off = rt.subscribe((_e, st) => {
        const l = st.find((s) => s.role === 'leading');
        if (found === null && l && st.filter((s) => s.leader === l.sid && (s.role === 'leading' || s.role === 'following') && (s.phase === undefined || s.phase === 'broadcast')).length === 3) found = l.sid;
      });
      const poll = setInterval(() => {
        if (found === null) return;
        clearInterval(poll);
        if (timer !== null) clearTimeout(timer);
        off();
        resolve(found);
      }, 20);
      timer = setTimeout(() => {
        clearInterval(poll);
        off();
        resolve(null);
      }, 60_000);
    });
  });
}
