/**
 * The Data view with many znodes, measured on the built app as a person uses it: the time to
 * create N znodes (the Data view's bulk create, i.e. runtime.bulkCreate: multis of 1000 through
 * Zab; a build without it gets them from a pipelining bench client), the time to expand the
 * directory, and frames per second while scrolling it (rAF sampling, 400 px per frame, as
 * app-harness.ts measureAppUi does). Not part of `npm run bench`; run on its own:
 *
 *   npx vite build --outDir e2e/dist && E2E_DIST=e2e/dist PORT=4334 npx tsx bench/browser/data-view-measure.ts [N]
 */
import { launch, startPreview } from '../../e2e/ui-helpers.ts';
import { installTreeScroll, sampleFps } from './app-harness.ts';

const port = Number(process.env.PORT ?? 4334);
const n = Number(process.argv[2] ?? 100_000);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a CDP CPU profile, one line each. */
function topSelfTime(p: CpuProfile, n = 15): string {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
}

async function main(): Promise<void> {
  const preview = await startPreview(port);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${preview.url}?bench&lang=en&theme=light`);
    await page.evaluate('globalThis.__name ??= (f) => f');
    await page.waitForFunction(() => (window as unknown as { __playground?: unknown }).__playground !== undefined, undefined, { timeout: 60_000 });
    await page.waitForSelector('[data-role="leading"]', { timeout: 60_000 });
    await page.click('[data-tab="data"]');
    const hasBulk = await page.locator('[data-testid="bulk-create"]').count() > 0;
    const t0 = Date.now();
    if (hasBulk) {
      await page.waitForFunction(() => !(document.querySelector('[data-testid="bulk-create"]') as HTMLButtonElement).disabled, undefined, { timeout: 60_000 });
      await page.selectOption('[data-testid="bulk-size"]', String(n));
      await page.click('[data-testid="bulk-create"]');
      await page.waitForSelector('[data-testid="bulk-progress"][data-done="true"]', { timeout: 600_000 });
    } else {
      await page.evaluate(async (count) => {
        const rt = (window as unknown as { __playground: { runtime: { bench: { client(cs: string): Promise<{ call(c: { type: string; path: string }): Promise<string>; close(): void }> } } } }).__playground.runtime;
        const c = await rt.bench.client('127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
        await c.call({ type: 'create', path: '/bulk' });
        for (let from = 0; from < count; from += 5000) {
          await Promise.all(Array.from({ length: Math.min(5000, count - from) }, (_, k) => c.call({ type: 'create', path: `/bulk/n${String(from + k).padStart(7, '0')}` })));
        }
        c.close();
      }, n);
    }
    const createMs = Date.now() - t0;
    const progressText = hasBulk ? await page.locator('[data-testid="bulk-progress"]').innerText() : '(bench client)';
    // expand /bulk by its toggle (the bulk create expands it when done: collapse it first)
    const toggle = page.locator('[data-bench="znode-tree"] .row[data-path="/bulk"] .tw');
    await toggle.waitFor({ timeout: 60_000 });
    if ((await toggle.innerText()) === '▾') {
      await toggle.click();
      await page.waitForFunction(() => (document.querySelector('[data-bench="znode-tree"]')?.scrollHeight ?? 0) < 2000, undefined, { timeout: 60_000 });
    }
    await page.waitForTimeout(500);
    const t1 = Date.now();
    await toggle.click();
    await page.waitForFunction((count) => {
      const el = document.querySelector('[data-bench="znode-tree"]');
      return el !== null && el.scrollHeight > count * 10;
    }, n, { timeout: 120_000 });
    const expandMs = Date.now() - t1;
    await page.waitForTimeout(1000);
    const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await installTreeScroll(page);
    const fps = await sampleFps(page, 5000, '__benchScroll');
    if (cdp) console.log(topSelfTime((await cdp.send('Profiler.stop')).profile as CpuProfile));
    // idle frames of the same page, for comparison
    const idle = (await sampleFps(page, 2000, '__none')).fps;
    // the end of the list shows the last znode
    await page.evaluate(() => {
      const el = document.querySelector('[data-bench="znode-tree"]') as HTMLElement;
      el.scrollTop = el.scrollHeight;
    });
    const last = `/bulk/n${String(n - 1).padStart(7, '0')}`;
    await page.waitForSelector(`[data-bench="znode-tree"] .row[data-path="${last}"]`, { timeout: 10_000 });
    console.log(JSON.stringify({ n, bulkCreate: hasBulk, createMs, progressText, expandMs, scrollFps: Number(fps.fps.toFixed(1)), worstFrameMs: Math.round(fps.worstMs), idleFps: Number(idle.toFixed(1)), lastRowSeen: last }));
  } finally {
    await browser.close();
    preview.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
