/**
 * A live run shared and opened, as a person would: the app starts live, a console writes, the
 * leader is killed (a new one is elected) and restarted, the console writes again; Share puts
 * the run in the URL; a second page opens that URL and replays it: the header says it replayed
 * exactly (the trace hash of the live run), and the run goes on in lockstep. Screenshots in
 * e2e/screenshots/ (look at them).
 *
 *   npx vite build --outDir e2e/dist && E2E_DIST=e2e/dist npx tsx e2e/ui-live-replay.spec.ts
 */
import assert from 'node:assert/strict';
import { consoleText, launch, leaderSid, shot, startPreview, typeInConsole } from './ui-helpers.ts';

const port = Number(process.env.PORT ?? 4341);

async function main(): Promise<void> {
  const preview = await startPreview(port);
  const browser = await launch();
  const errors: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${preview.url}?lang=en&theme=light`);
    await page.waitForSelector('[data-role="leading"]', { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .prompt')?.textContent?.includes('CONNECTED'), null, { timeout: 30_000 });
    await typeInConsole(page, 'c1', 'create /shared one');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('Created /shared'), null, { timeout: 20_000 });
    const first = await leaderSid(page);
    assert.ok(first !== null);
    await page.click(`[data-testid="kill-${first}"]`);
    await page.waitForFunction((old) => {
      const l = document.querySelector('[data-role="leading"]');
      return l !== null && l.getAttribute('data-testid') !== `server-${old}`;
    }, first, { timeout: 30_000 });
    await page.click(`[data-testid="restart-${first}"]`);
    await page.waitForFunction((sid) => document.querySelector(`[data-testid="server-${sid}"]`)?.getAttribute('data-role') === 'following', first, { timeout: 30_000 });
    await typeInConsole(page, 'c1', 'set /shared two');
    await typeInConsole(page, 'c1', 'get /shared');
    await page.waitForFunction(() => /\ntwo\n/.test(document.querySelector('[data-testid="console-c1"] .screen')?.textContent ?? ''), null, { timeout: 30_000 });
    await shot(page, 'live-replay-1-live-run');

    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => location.hash.startsWith('#run='), null, { timeout: 20_000 });
    const url = page.url();
    assert.equal(await page.locator('[data-testid="export-notice"]').count(), 0, 'the live run is exported exactly');
    console.log(`  share link of ${url.length} characters`);

    const other = await context.newPage();
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(url);
    await other.waitForSelector('[data-testid="replay-check"]', { timeout: 60_000 }).catch(async (e: unknown) => {
      await shot(other, 'live-replay-failed');
      throw e;
    });
    const check = await other.locator('[data-testid="replay-check"]').innerText();
    const title = (await other.locator('[data-testid="replay-check"]').getAttribute('title')) ?? '';
    console.log(`  replay: ${check} — ${title}`);
    assert.match(check, /replayed exactly/);
    // the console the run opened has a pane again, with what was typed and what it printed
    await other.waitForFunction(() => {
      const t = document.querySelector('[data-testid="console-c1"] .screen')?.textContent ?? '';
      return t.includes('create /shared one') && t.includes('Created /shared') && t.includes('set /shared two') && /\ntwo\n/.test(t);
    }, null, { timeout: 20_000 }).catch(async (e: unknown) => {
      await shot(other, 'live-replay-no-console');
      throw e;
    });
    const replayed = await consoleText(other, 'c1');
    assert.equal(replayed.split('Created /shared').length, 2, 'each replayed output once');
    // the replayed run is a lockstep run: it steps on
    await other.click('[data-testid="step"]');
    await shot(other, 'live-replay-2-replayed');
    assert.deepEqual(errors, []);
    console.log('ui-live-replay: passed');
  } finally {
    await browser.close();
    preview.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
