/**
 * Where OPFS file bytes live in Chromium: writes `--mb` MB through a sync access handle in a
 * worker, in a fresh (in-memory) context or a persistent profile (`--persistent`), and prints the
 * resident memory of the browser and renderer processes before and after.
 *
 *   npx tsx bench/browser/opfs-rss-probe.ts [--mb 500] [--persistent]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { serveStatic } from '../lib/static-server.ts';
import { launchChromium, launchPersistentChromium } from '../lib/chromium.ts';
import { chromiumRss, rssTag } from '../lib/chromium-rss.ts';

const mbArg = process.argv.indexOf('--mb');
const mb = mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 500;
const persistent = process.argv.includes('--persistent');
const tag = rssTag();

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opfs-probe-'));
  writeFileSync(join(dir, 'index.html'), '<html><body><script>window.runProbe = (mb) => new Promise((resolve) => { const w = new Worker("w.js"); w.onmessage = (e) => resolve(e.data); w.postMessage(mb); });</script></body></html>');
  writeFileSync(join(dir, 'w.js'), `onmessage = async (e) => {
  const root = await navigator.storage.getDirectory();
  const h = await (await root.getFileHandle('big', { create: true })).createSyncAccessHandle();
  const buf = new Uint8Array(1 << 20);
  for (let i = 0; i < e.data; i++) { buf.fill(i & 255); h.write(buf, { at: i * (1 << 20) }); if (i % 16 === 0) h.flush(); }
  h.flush();
  const est = await navigator.storage.estimate();
  postMessage({ size: h.getSize(), usage: est.usage });
};`);
  const server = await serveStatic(dir);
  let ctx: BrowserContext;
  let close: () => Promise<void>;
  if (persistent) {
    ({ ctx, close } = await launchPersistentChromium([tag]));
  } else {
    const browser = await launchChromium([tag]);
    ctx = await browser.newContext();
    close = () => browser.close();
  }
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/index.html`);
    console.log(`${persistent ? 'persistent profile' : 'fresh context'}: before ${JSON.stringify(chromiumRss(tag))}`);
    const r = await page.evaluate((n) => (window as unknown as { runProbe(n: number): Promise<{ size: number; usage: number }> }).runProbe(n), mb);
    await page.waitForTimeout(1000);
    console.log(`wrote ${(r.size / 2 ** 20).toFixed(0)} MB (usage ${(r.usage / 2 ** 20).toFixed(0)} MB): after ${JSON.stringify(chromiumRss(tag))}`);
  } finally {
    await close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
