/**
 * The OPFS quota a fresh browser context gets (what the benches and e2e tests run in):
 *   npx vite build --outDir /tmp/app && npx tsx bench/browser/quota-probe.ts /tmp/app
 */
import { launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';

async function main(): Promise<void> {
  const server = await serveStatic(process.argv[2] ?? 'dist');
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/`);
    const est = await page.evaluate(async () => navigator.storage.estimate());
    console.log(`fresh context: OPFS quota ${((est.quota ?? 0) / 2 ** 20).toFixed(0)} MB, usage ${((est.usage ?? 0) / 2 ** 20).toFixed(1)} MB`);
  } finally {
    await browser.close();
    await server.close();
  }
}

void main();
