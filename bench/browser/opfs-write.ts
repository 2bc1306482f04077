/**
 * What one group commit's storage costs in a server worker, by browser context: a dedicated
 * worker appends `n` records of `bytes` to an OPFS file through a sync access handle, each
 * followed by `flush()` (the playground's fsync), and reports the median and mean of each call.
 *
 *   npx tsx bench/browser/opfs-write.ts [n] [bytes]
 *
 * Runs once in playwright's default (off-the-record) context, which `npm run bench` uses, and
 * once in a persistent context (a profile directory under /tmp, as a user's regular window).
 * Off the record OPFS lives in the browser process's memory: every handle write is a
 * synchronous IPC there and flush does nothing; in a profile the worker writes the file itself
 * and flush is an fdatasync (bench/README.md, fix 15). Not part of `npm run bench`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath, launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';

const n = Number(process.argv[2] ?? 1000);
const bytes = Number(process.argv[3] ?? 150);

/** The worker, as a string (a blob URL worker has the page's origin, so OPFS). */
const workerSource = `
onmessage = async (e) => {
  const { n, bytes } = e.data;
  const root = await navigator.storage.getDirectory();
  try { await root.removeEntry('opfs-write-bench'); } catch {}
  const h = await (await root.getFileHandle('opfs-write-bench', { create: true })).createSyncAccessHandle();
  const rec = new Uint8Array(bytes).fill(7);
  const w = [], f = [];
  for (let i = 0, at = 0; i < n; i++, at += bytes) {
    const a = performance.now();
    h.write(rec, { at });
    const b = performance.now();
    h.flush();
    w.push(b - a);
    f.push(performance.now() - b);
  }
  h.close();
  await root.removeEntry('opfs-write-bench');
  const stat = (x) => { const s = [...x].sort((p, q) => p - q); return { median: s[Math.floor(s.length / 2)], mean: x.reduce((p, q) => p + q, 0) / x.length }; };
  postMessage({ write: stat(w), flush: stat(f) });
};`;

async function measure(ctx: BrowserContext, url: string): Promise<string> {
  const tab = await ctx.newPage();
  await tab.goto(url);
  const r = await tab.evaluate(({ src, n, bytes }) => new Promise<{ write: { median: number; mean: number }; flush: { median: number; mean: number } }>((resolve) => {
    const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    w.onmessage = (e: MessageEvent): void => {
      resolve(e.data as never);
      w.terminate();
    };
    w.postMessage({ n, bytes });
  }), { src: workerSource, n, bytes });
  const ms = (x: { median: number; mean: number }): string => `median ${x.median.toFixed(3)} mean ${x.mean.toFixed(3)} ms`;
  return `write ${ms(r.write)}, flush ${ms(r.flush)}`;
}

const page = mkdtempSync(join(tmpdir(), 'zk-opfs-page-'));
writeFileSync(join(page, 'index.html'), '<!doctype html><title>opfs-write</title>');
const server = await serveStatic(page);
const url = `${server.url}/`;
const browser = await launchChromium();
const profile = mkdtempSync(join(tmpdir(), 'zk-opfs-profile-'));
try {
  console.log(`${n} appends of ${bytes} B, each flushed`);
  console.log(`off-the-record context: ${await measure(await browser.newContext(), url)}`);
  const persistent = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs });
  try {
    console.log(`persistent context:     ${await measure(persistent, url)}`);
  } finally {
    await persistent.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(page, { recursive: true, force: true });
}
