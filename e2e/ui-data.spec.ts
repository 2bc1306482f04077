/**
 * The Data view as a person uses it: bulk-create 10,000 znodes from its toolbar (multi requests
 * through the ensemble, with progress), scroll to the end of the tree and see the last znode,
 * read its stat and ACL; the view photographed in light and dark, English and 简体中文; then a
 * lockstep run with one follower partitioned away: a write reaches the others, the follower is
 * marked as differing and the difference is shown. Screenshots go to e2e/screenshots/.
 *
 *   npx vite build && npx tsx e2e/ui-data.spec.ts
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launch, leaderSid, shot, startPreview } from './ui-helpers.ts';

const port = Number(process.env.PORT ?? 4183);
const bulkCount = 10_000;
const lastName = `n${String(bulkCount - 1).padStart(7, '0')}`;

async function bulkCreate(page: Page, count: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => !(document.querySelector('[data-testid="bulk-create"]') as HTMLButtonElement | null)?.disabled, null, { timeout: 30_000 });
  await page.selectOption('[data-testid="bulk-size"]', String(count));
  await page.click('[data-testid="bulk-create"]');
  await page.waitForSelector('[data-testid="bulk-progress"]', { timeout: 10_000 });
  // the job goes on while another view is shown, and its progress is there on return
  await page.click('[data-tab="zab"]');
  await page.click('[data-tab="data"]');
  await page.waitForSelector('[data-testid="bulk-progress"]', { timeout: 10_000 });
  await page.waitForSelector('[data-testid="bulk-progress"][data-done="true"]', { timeout: timeoutMs });
  const text = await page.locator('[data-testid="bulk-progress"]').innerText();
  assert.equal(await page.getAttribute('[data-testid="bulk-progress"]', 'data-created'), String(count), `bulk progress: ${text}`);
}

async function liveBulkAndScroll(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?lang=en&theme=light`);
  await page.waitForSelector('[data-role="leading"]', { timeout: 30_000 });
  const leader = await leaderSid(page);
  assert.ok(leader !== null);
  await page.click('[data-tab="data"]');
  // the tree of a follower: the writes come through Zab to it too
  await page.selectOption('[data-testid="data-server"]', String(leader === 1 ? 2 : 1));
  await bulkCreate(page, bulkCount, 240_000);
  assert.match(await page.locator('[data-testid="bulk-progress"]').innerText(), /10,000 of 10,000/);
  // /bulk opens when the job is done: scroll to the end of the list
  const tree = page.locator('[data-testid="znode-tree"]');
  await page.waitForFunction((n) => (document.querySelector('[data-testid="znode-tree"]')?.scrollHeight ?? 0) > n * 20, bulkCount, { timeout: 30_000 }).catch(async (e: unknown) => {
    const rows = await page.locator('[data-testid="znode-tree"] .row').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-path')} ${el.querySelector('.tw')?.textContent ?? ''}`));
    throw new Error(`/bulk did not open: rows ${JSON.stringify(rows)}; ${await page.locator('.data-top').innerText()}`, { cause: e });
  });
  await tree.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const last = page.locator(`[data-testid="znode-tree"] .row[data-path="/bulk/${lastName}"]`);
  await last.waitFor({ timeout: 10_000 });
  assert.ok(await last.isVisible(), 'the last bulk znode is on screen');
  await last.click();
  await page.waitForFunction((p) => document.querySelector('.detail .mono')?.textContent?.startsWith(p), `/bulk/${lastName}`, { timeout: 10_000 });
  const stat = await page.locator('[data-testid="stat"]').innerText();
  assert.match(stat, /^cZxid = 0x[0-9a-f]+$/m);
  assert.match(stat, /^numChildren = 0$/m);
  const acl = await page.locator('[data-testid="acl"]').innerText();
  assert.equal(acl.trim(), "'world,'anyone\n: cdrwa");
  // and back to the top: the first one
  await tree.evaluate((el) => {
    el.scrollTop = 0;
  });
  await page.locator('[data-testid="znode-tree"] .row[data-path="/bulk/n0000000"]').waitFor({ timeout: 10_000 });
  await tree.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  await page.waitForTimeout(300);
  // every server applied the same txns: none is marked (live, a follower still catching up is not)
  await page.waitForSelector('.okbox', { timeout: 30_000 });
  // ZooKeeper's tree digest of the shown server, in hex as AdHash prints it
  assert.match(await page.locator('[data-testid="tree-digest"]').innerText(), /^digest [0-9a-f]+$/);
  await shot(page, '30-data-bulk-light-en');
  await page.click('header button[aria-label="Theme"]');
  await shot(page, '31-data-bulk-dark-en');
  await page.click('[data-testid="lang"]');
  await page.waitForFunction(() => document.querySelector('[data-tab="data"]')?.textContent !== 'Data');
  await shot(page, '32-data-bulk-dark-zh');
  await page.click('header button[aria-label="主题"]');
  await shot(page, '33-data-bulk-light-zh');
  await page.click('[data-testid="lang"]');

  // a 100,000 job cancelled on the way: the multis in flight finish, nothing more is sent
  await page.selectOption('[data-testid="bulk-size"]', '100000');
  await page.click('[data-testid="bulk-create"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="bulk-progress"]')?.getAttribute('data-created')) >= 3000, null, { timeout: 120_000 });
  await page.click('[data-testid="bulk-cancel"]');
  await page.waitForSelector('[data-testid="bulk-progress"][data-done="true"]', { timeout: 60_000 });
  const created = Number(await page.getAttribute('[data-testid="bulk-progress"]', 'data-created'));
  assert.ok(created >= 3000 && created < 100_000, `cancelled after ${created}`);
  assert.match(await page.locator('[data-testid="bulk-progress"]').innerText(), /cancelled/);
  await page.waitForFunction((n) => document.body.innerText.includes(`${(n + 10_005).toLocaleString('en-US').replace(/,/g, '')} znodes`), created, { timeout: 30_000 });
}

async function laggingFollower(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?lang=en&theme=light&mode=lockstep`);
  await page.waitForSelector('[data-testid="server-3"]', { timeout: 30_000 });
  await page.click('[data-testid="play"]');
  await page.waitForSelector('[data-role="leading"]', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-role="following"]').length === 2, null, { timeout: 120_000 });
  const leader = (await leaderSid(page))!;
  const follower = leader === 3 ? 2 : 3;
  // let the follower finish its sync with the leader (epoch 1) before it is cut off
  await page.waitForFunction((f) => /epoch\s+1\b/.test((document.querySelector(`[data-testid="server-${f}"]`) as HTMLElement | null)?.innerText ?? ''), follower, { timeout: 120_000 });
  // cut one follower off; the other follower and the leader still make a quorum
  await page.click(`[data-testid="server-${follower}"] .top`, { modifiers: ['Shift'] });
  await page.click('[data-testid="partition"]');
  await page.click('[data-tab="data"]');
  await page.selectOption('[data-testid="data-server"]', String(leader));
  await bulkCreate(page, 100, 120_000);
  await page.click('[data-testid="play"]'); // pause
  // the cut-off follower lacks /bulk: it is marked, and the difference is listed
  await page.selectOption('[data-testid="data-server"]', String(follower));
  await page.waitForFunction((f) => document.querySelector('.warnbox')?.textContent?.includes(String(f)), follower, { timeout: 30_000 });
  const option = await page.locator(`[data-testid="data-server"] option[value="${follower}"]`).innerText();
  assert.match(option, /⚠/);
  await page.click('[data-testid="show-diff"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="diff"]')?.textContent?.includes('/bulk/n0000000'), null, { timeout: 30_000 });
  const diff = await page.locator('[data-testid="diff"]').innerText();
  assert.match(diff, /^- \/bulk\b/m, 'the leader has /bulk, the follower does not');
  await shot(page, '34-data-lagging-follower');
}

async function main(): Promise<void> {
  const preview = await startPreview(port);
  const browser = await launch();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await liveBulkAndScroll(page, preview.url);
    await laggingFollower(page, preview.url);
    assert.deepEqual(errors, [], 'no page errors');
    console.log('ui-data: ok');
  } finally {
    await browser.close();
    preview.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
