/**
 * `npx tsx bench/browser/harness-selftest.ts`: runs the browser harness against a stand-in
 * runtime (bench/browser/sim-stub: the simulator on the page's main thread) to check the
 * harness code paths end to end before the real browser runtime exists. The figures it prints
 * are NOT measurements of the playground and are never written to bench/results.
 */
import { join } from 'node:path';
import { launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { formatTable } from '../lib/table.ts';
import type { Figure } from '../lib/figure.ts';
import { buildApp } from '../sections/page.ts';
import { measureEnsemble, measureFailover, measurePageToQuorum, measureUiFps } from './playground-harness.ts';

const { outDir } = await buildApp(join(import.meta.dirname, 'sim-stub'));
const server = await serveStatic(outDir);
const browser = await launchChromium();
const figs: Figure[] = [];
try {
  const url = `${server.url}/`;
  const open = async () => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(url);
    return page;
  };
  figs.push(await measurePageToQuorum(async () => (await browser.newContext()).newPage(), url, 2));
  figs.push(...(await measureEnsemble(await open(), 400_000, 300, 30)));
  figs.push(await measureFailover(await open(), 2));
  figs.push(...(await measureUiFps(await open(), 1000)));
} finally {
  await browser.close();
  await server.close();
}
console.log('SELF-TEST against the simulator stub: checks the harness, NOT a measurement of the playground\n');
console.log(formatTable(figs));
process.exit(0);
