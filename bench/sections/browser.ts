/**
 * Section "browser": the playground itself in headless Chromium — the ensemble (pipelined
 * writes/s, sync latency, reads/s, fraction of the transport ceiling), failover, page to
 * serving quorum, UI frames per second and tab memory. It builds the app (`vite build`),
 * serves it with cross-origin isolation and looks for `window.__playground`
 * (PlaygroundRuntime). Until the browser runtime is merged the page has none, and every figure
 * is reported as "pending (needs browser runtime)" by name: never a made-up number.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium, launchPersistentChromium } from '../lib/chromium.ts';
import type { Figure, Section, SectionOptions } from '../lib/figure.ts';
import { serveStatic } from '../lib/static-server.ts';
import {
  browserFigureNames, measureEnsemble, measureFailover, measureSyncOffTheRecord, measurePageToQuorum, measureTabMemory, measureUiFps, pendingFigure, probeRuntime,
} from '../browser/playground-harness.ts';
import { measureAppPageToQuorum, measureAppUi } from '../browser/app-harness.ts';
import { buildApp } from './page.ts';
import { browserTransport, lastChromiumCeiling, params, summarize } from './transport.ts';


/** Every figure of this section, by name, as reported while the runtime is missing. */
export function pendingFigures(why: string): Figure[] {
  return (Object.keys(browserFigureNames) as (keyof typeof browserFigureNames)[]).map((k) => pendingFigure(k, why));
}

async function withPage<T>(browser: Browser, url: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await page.goto(url);
    return await fn(page);
  } finally {
    await ctx.close();
  }
}

/**
 * As withPage, in a Chromium with a profile on disk (a fresh temporary one): OPFS on disk, as
 * in a user's browser window. A fresh context (withPage) is off the record: its OPFS lives in the
 * browser process and every handle write is a call to that process (~0.5-0.7 ms each, h-write's
 * opfs-write.ts), which is not what a user's dataDir costs.
 */
async function withProfilePage<T>(url: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const { ctx, close } = await launchPersistentChromium();
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    return await fn(page);
  } finally {
    await close();
  }
}

export const browserSection: Section = {
  name: 'browser',
  title: 'Playground in Chromium (ensemble, failover, page, UI, tab memory)',
  async run(opts: SectionOptions): Promise<Figure[]> {
    if (!chromiumAvailable()) return pendingFigures(`no Chromium at ${chromiumPath}`);
    const { outDir } = await buildApp();
    const server = await serveStatic(outDir);
    const browser = await launchChromium();
    try {
      // the app itself, or the runtime test page the e2e build adds (e2e/runtime.html)
      const candidates = ['/', ...(existsSync(join(outDir, 'e2e', 'runtime.html')) ? ['/e2e/runtime.html'] : [])];
      let url: string | null = null;
      for (const path of candidates) {
        const probe = await withPage(browser, `${server.url}${path}`, (page) => probeRuntime(page, opts.quick ? 3000 : 8000));
        if (probe.runtime) {
          url = `${server.url}${path}`;
          break;
        }
      }
      if (url === null) return pendingFigures('needs browser runtime');
      const pageUrl = url;
      let ceiling = lastChromiumCeiling;
      ceiling ??= summarize((await browserTransport(params(opts))).samples);
      const runs = opts.quick ? 2 : 5;
      const figs: Figure[] = [];
      // the ensemble and failover in a profile on disk (a user's browser: OPFS on disk, flush an
      // fdatasync); the sync latency off the record as well, as an extra figure (what the bench
      // measured before: OPFS in the browser process's memory, an IPC per handle write)
      figs.push(...(await withProfilePage(pageUrl, (p) => measureEnsemble(p, ceiling.batchedMsgsPerSec, opts.quick ? 2000 : 20_000, opts.quick ? 100 : 1000))));
      figs.push(await withPage(browser, pageUrl, (p) => measureSyncOffTheRecord(p, opts.quick ? 100 : 1000)));
      figs.push(await withProfilePage(pageUrl, (p) => measureFailover(p, runs)));
      // the built app itself (React UI, ?bench exposes its runtime and store): page, fps, memory
      const app = await measureAppPageToQuorum(browser, `${server.url}/`, runs);
      if (app.status !== 'pending') {
        figs.push(app);
        const longRunMin = opts.full ? 60 : opts.quick ? 0.3 : Number(process.env.BENCH_LONG_RUN_MIN ?? 5);
        figs.push(...(await measureAppUi(`${server.url}/`, { fpsMs: opts.quick ? 2000 : 5000, treeNodes: opts.quick ? 10_000 : 100_000, longRunMs: longRunMin * 60_000, sampleEveryMs: opts.quick ? 5000 : 15_000 })));
        return figs;
      }
      // no app hooks: the runtime test page
      figs.push(await measurePageToQuorum(async () => (await browser.newContext()).newPage(), pageUrl, runs));
      figs.push(...(await withPage(browser, pageUrl, (p) => measureUiFps(p, opts.quick ? 2000 : 5000))));
      figs.push(...(await withPage(browser, pageUrl, (p) => measureTabMemory(p, opts.full ? 60 : opts.quick ? 0.2 : 2))));
      return figs;
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
