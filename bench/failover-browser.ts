/**
 * `npx tsx bench/failover-browser.ts [--runs N] [--url URL]`: the browser failover figure alone
 * (the bench's measureFailover: leader worker terminated -> first successful create through the
 * new leader, wall ms), without the rest of the browser section. Builds the app unless --url
 * points at a served build.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from './lib/chromium.ts';
import { serveStatic } from './lib/static-server.ts';
import { measureFailover, probeRuntime } from './browser/playground-harness.ts';
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
  const fig = await measureFailover(page, runs);
  console.log(JSON.stringify({ value: fig.value, samples: fig.samples, status: fig.status }));
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
