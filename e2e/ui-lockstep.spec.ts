/**
 * Lockstep and faults as a person drives them: a lockstep run stepped message by message, a
 * message in flight clicked and delivered, then a live run partitioned by selecting a server
 * and healed. Screenshots go to e2e/screenshots/ (look at them).
 *
 *   npx vite build && npx tsx e2e/ui-lockstep.spec.ts
 */
import assert from 'node:assert/strict';
import { launch, shot, startPreview } from './ui-helpers.ts';

const port = Number(process.env.PORT ?? 4182);

async function main(): Promise<void> {
  const preview = await startPreview(port);
  const browser = await launch();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => errors.push(e.message));

    // lockstep: nothing moves until we step
    await page.goto(`${preview.url}?lang=en&theme=light&mode=lockstep`);
    await page.waitForSelector('[data-testid="server-3"]', { timeout: 20_000 });
    for (let i = 0; i < 6; i++) await page.click('[data-testid="step"]');
    await page.waitForSelector('[data-testid="inflight"]', { timeout: 10_000 });
    await page.click('[data-tab="timeline"]');
    await shot(page, '20-lockstep-stepped');
    // a held message: hovering shows its text, a click opens deliver/drop/delay, deliver takes it
    // off its link (held dots sit above the server cards, so each can be clicked)
    const dot = page.locator('[data-testid="inflight"]').first();
    const id = await dot.getAttribute('data-msg-id');
    assert.ok(id !== null);
    await dot.hover();
    await page.waitForSelector('[data-testid="msg-hover"]', { timeout: 5000 });
    const hoverText = await page.locator('[data-testid="msg-hover"]').innerText();
    assert.match(hoverText, /\n\d+→\d+: \S+/);
    assert.ok(!hoverText.includes(id), `the hover shows no engine message id: ${hoverText}`);
    await dot.click();
    await page.waitForSelector('.msgpop');
    assert.equal(await page.locator('.msgpop').getAttribute('data-msg-id'), id);
    // its title says what the message is and where it goes, not the engine's id
    assert.match(await page.locator('[data-testid="msgpop-title"]').innerText(), /^Message \(\S+\): Server \d+ → Server \d+$/);
    await shot(page, '21-lockstep-message');
    await page.click('.msgpop button:first-child');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="inflight"][data-msg-id="${id}"]`) === null, id, { timeout: 10_000 });
    // scrub the timeline: clicking near its top rewinds the run (the conductor replays)
    for (let i = 0; i < 20; i++) await page.click('[data-testid="step"]');
    await page.click('[data-tab="timeline"]');
    const arrows = async (): Promise<number> => Number(await page.locator('[data-testid="timeline"]').getAttribute('data-arrows'));
    const longer = await arrows();
    const box = await page.locator('[data-testid="timeline"]').boundingBox();
    await page.mouse.click(box!.x + 200, box!.y + 60);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-arrows')) < n, longer, { timeout: 20_000 });
    await shot(page, '26-rewound');
    // play the conductor until a leader is elected
    await page.click('[data-testid="play"]');
    await page.waitForSelector('[data-role="leading"]', { timeout: 60_000 });
    await page.click('[data-testid="play"]');
    await page.click('[data-tab="election"]');
    await shot(page, '22-lockstep-elected');

    // live: partition the leader away from the others, then heal
    await page.goto(`${preview.url}?lang=en&theme=dark`);
    await page.waitForSelector('[data-role="leading"]', { timeout: 20_000 });
    const leader = Number((await page.locator('[data-role="leading"]').getAttribute('data-testid'))!.replace('server-', ''));
    await page.click(`[data-testid="server-${leader}"] .top`, { modifiers: ['Shift'] });
    await page.click('[data-testid="partition"]');
    await page.waitForFunction((old) => {
      const l = document.querySelector('[data-role="leading"]');
      return l !== null && l.getAttribute('data-testid') !== `server-${old}`;
    }, leader, { timeout: 60_000 });
    await shot(page, '23-partitioned');
    await page.click('[data-testid="heal"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-role="following"]').length === 2, null, { timeout: 60_000 });
    await shot(page, '24-healed');

    // the first lesson: five servers started in order, server 3 leads
    await page.click('[data-tab="lessons"]');
    await page.click('[data-lesson="01-five-servers"]');
    for (let i = 0; i < 4; i++) {
      await page.waitForSelector('[data-testid="lesson-next"]:not([disabled]), .okbox', { timeout: 120_000 });
      if ((await page.locator('[data-testid="lesson-next"]').count()) === 0) break;
      await page.click('[data-testid="lesson-next"]');
      await page.waitForFunction(() => !document.querySelector('[data-testid="lesson-step"]')?.textContent?.includes('Running'), null, { timeout: 120_000 });
    }
    await shot(page, '25-lesson-five-servers');
    await page.waitForSelector('[data-testid="server-5"][data-role="following"]', { timeout: 60_000 });
    assert.equal(await page.locator('[data-role="leading"]').getAttribute('data-testid'), 'server-3');
    await shot(page, '25-lesson-five-servers');

    assert.deepEqual(errors, [], 'no page errors');
    console.log('ui-lockstep: ok');
  } finally {
    await browser.close();
    preview.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
