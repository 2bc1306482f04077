/**
 * The playground used as a person would, in Debian Chromium against `vite build` + `vite
 * preview`: the ensemble starts and elects, a console writes and sets a watch, the leader is
 * killed and a new one appears, the watch fires, a lesson runs, and each main view is
 * photographed into e2e/screenshots/ (look at them).
 *
 *   npx vite build && npx tsx e2e/ui-app.spec.ts
 */
import assert from 'node:assert/strict';
import { consoleText, launch, leaderSid, shot, startPreview, typeInConsole } from './ui-helpers.ts';

const port = Number(process.env.PORT ?? 4181);

async function main(): Promise<void> {
  const preview = await startPreview(port);
  const browser = await launch();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${preview.url}?lang=en&theme=light`);

    // 1. the ensemble elects a leader on its own
    await page.waitForSelector('[data-role="leading"]', { timeout: 20_000 });
    // live workers start at slightly different wall times, so which server leads may vary
    const first = await leaderSid(page);
    assert.ok(first !== null);
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .prompt')?.textContent?.includes('CONNECTED'), null, { timeout: 20_000 });
    await shot(page, '01-cluster-election');
    // messages travel the links (pings at least); pointing at one shows its describe text. The
    // dots move (drawn on a canvas), so the pointer sweeps every link between two cards, a few
    // px a step, until it meets one
    await page.waitForSelector('[data-testid="msg-dots"]', { state: 'attached', timeout: 20_000 });
    await page.waitForFunction(() => {
      const layer = document.querySelector('[data-testid="msg-dots"]');
      if (!layer || document.querySelector('[data-testid="msg-hover"]') !== null) return document.querySelector('[data-testid="msg-hover"]') !== null;
      const centers = [...document.querySelectorAll('.react-flow__node-server')].map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      for (const a of centers) {
        for (const b of centers) {
          if (a === b) continue;
          const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 4);
          for (let k = 0; k <= steps; k++) layer.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: a.x + ((b.x - a.x) * k) / steps, clientY: a.y + ((b.y - a.y) * k) / steps }));
        }
      }
      return document.querySelector('[data-testid="msg-hover"]') !== null;
    }, null, { timeout: 20_000, polling: 100 });
    // the message's kind, then its describe text (whichever message the pointer met: "PING ...", "close (connection ...)")
    assert.match(await page.locator('[data-testid="msg-hover"]').innerText(), /^● [a-z]+\n\S.*/);

    // 2. type in a console: write, read with a watch
    await typeInConsole(page, 'c1', 'create /demo hello');
    await typeInConsole(page, 'c1', 'get -w /demo');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('Created /demo'));
    assert.match(await consoleText(page, 'c1'), /hello/);
    // Tab completion of a path
    const input = page.locator('[data-testid="console-c1"] input');
    await input.fill('ls /de');
    await input.press('Tab');
    await page.waitForFunction(() => (document.querySelector('[data-testid="console-c1"] input') as HTMLInputElement | null)?.value === 'ls /demo', null, { timeout: 10_000 });
    await input.fill('');
    await page.click('[data-tab="zab"]');
    await shot(page, '02-zab');

    // 3. a second console changes the node: the watch fires in c1
    await page.click('[data-testid="new-console"]');
    await page.waitForSelector('[data-testid="console-c2"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c2"] .prompt')?.textContent?.includes('CONNECTED'), null, { timeout: 20_000 });
    await typeInConsole(page, 'c2', 'set /demo world');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('NodeDataChanged'), null, { timeout: 10_000 });
    assert.match(await consoleText(page, 'c1'), /WATCHER::\s+WatchedEvent state:SyncConnected type:NodeDataChanged path:\/demo/);
    await page.click('[data-tab="watches"]');
    await page.waitForSelector('[data-testid="watch-table"] tr[data-state="fired"]');
    await shot(page, '03-watch-fired');
    // a watch that leaves the server unfired: registered -> removed, with why
    await typeInConsole(page, 'c1', 'ls -w /demo');
    await typeInConsole(page, 'c1', 'removewatches /demo -c');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('ChildWatchRemoved'), null, { timeout: 10_000 });
    await page.waitForSelector('[data-testid="watch-table"] tr[data-state="removed"]');
    assert.match(await page.locator('[data-testid="watch-table"] tr[data-state="removed"]').first().innerText(), /child watch on \/demo removed: removeWatches by session 0x/);
    await shot(page, '03b-watch-removed');

    // 4. the data view of a follower
    await page.click('[data-tab="data"]');
    await page.selectOption('[data-testid="data-server"]', '1');
    await page.click('[data-path="/demo"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="stat"]')?.textContent?.includes('dataVersion = 1'));
    await shot(page, '04-data');

    // 5. kill the leader: a new leader appears
    await page.click(`[data-testid="kill-${first}"]`);
    await page.waitForFunction((old) => {
      const l = document.querySelector('[data-role="leading"]');
      return l !== null && l.getAttribute('data-testid') !== `server-${old}`;
    }, first, { timeout: 30_000 });
    const second = await leaderSid(page);
    assert.ok(second !== null && second !== first, `new leader ${second}`);
    await page.click('[data-tab="election"]');
    await shot(page, '05-new-leader');
    await page.click('[data-tab="timeline"]');
    await shot(page, '06-timeline');
    // the timeline scrolls under its server headers, which stay in view; an arrow's text on hover
    const pane = page.locator('.pane');
    await page.waitForFunction(() => {
      const p = document.querySelector('.pane');
      return p !== null && p.scrollHeight > p.clientHeight + 300;
    }, null, { timeout: 20_000 });
    await pane.evaluate((p) => {
      p.scrollTop = Math.floor((p.scrollHeight - p.clientHeight) / 2);
    });
    await page.waitForTimeout(200);
    const paneBox = (await pane.boundingBox())!;
    const headBox = (await page.locator('[data-testid="timeline-head"]').boundingBox())!;
    const svgBox = (await page.locator('[data-testid="timeline"]').boundingBox())!;
    assert.ok(svgBox.y < paneBox.y - 100, `the diagram scrolled (${svgBox.y} vs ${paneBox.y})`);
    assert.ok(Math.abs(headBox.y - paneBox.y) <= 2, `headers at the top of the view (${headBox.y} vs ${paneBox.y})`);
    assert.match(await page.locator('[data-testid="timeline-head"]').innerText(), /Server 1[\s\S]*Server 2[\s\S]*Server 3/);
    // point at an arrow in view (below the headers): at its label, which sits on its middle
    const hit = await page.evaluate((top) => {
      for (const l of document.querySelectorAll('[data-testid="timeline"] text.label')) {
        const r = l.getBoundingClientRect();
        if (r.top > top + 60 && r.bottom < innerHeight - 20 && r.width > 10) return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      return null;
    }, headBox.y + headBox.height);
    assert.ok(hit !== null, 'an arrow in view');
    await page.mouse.move(hit.x, hit.y);
    await page.waitForSelector('[data-testid="timeline-hover"]', { timeout: 5000 });
    assert.match(await page.locator('[data-testid="timeline-hover"]').innerText(), /Server \d → Server \d\s+\S+/);
    await shot(page, '06-timeline-scrolled');

    // 6. a lesson, step by step
    await page.click('[data-tab="lessons"]');
    await page.click('[data-lesson="02-kill-leader"]');
    await page.waitForSelector('[data-testid="lesson-next"]:not([disabled])', { timeout: 30_000 });
    for (let i = 0; i < 3; i++) {
      await page.click('[data-testid="lesson-next"]');
      await page.waitForFunction(() => !document.querySelector('[data-testid="lesson-step"]')?.textContent?.includes('Running'), null, { timeout: 60_000 });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('v1'), null, { timeout: 10_000 });
    await shot(page, '07-lesson');

    // 7. Chinese, dark theme, help overlay
    await page.click('[data-testid="lang"]');
    await page.keyboard.press('t');
    await page.click('[data-tab="election"]');
    await shot(page, '08-zh-dark');
    await page.keyboard.press('?');
    await shot(page, '09-help');
    await page.keyboard.press('Escape');

    // 8. the scenario editor (monaco, loaded lazily)
    await page.click('[data-tab="scenario"]');
    await page.waitForSelector('.monaco-editor', { timeout: 45_000 });
    await shot(page, '10-scenario-editor');
    // run the sample scenario: the watch set before the leader dies fires after failover
    await page.click('[data-testid="scenario-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-c1"] .screen')?.textContent?.includes('type:NodeDataChanged path:/app'), null, { timeout: 120_000 });
    await shot(page, '12-scenario-run');
    await page.waitForTimeout(2000); // the scenario's last `run 200`
    await page.click('[data-tab="config"]');
    await page.waitForSelector('[data-testid="cfg-apply"]', { timeout: 45_000 }).catch(async (e: unknown) => {
      await shot(page, 'failed-cfg');
      throw e;
    });
    await page.waitForSelector('.monaco-editor', { timeout: 45_000 });
    await shot(page, '11-zoo-cfg');
    // add an observer and rebuild the ensemble from the edited zoo.cfg
    await page.locator('.monaco-editor .view-line').last().click();
    await page.keyboard.press('Control+End');
    // Escape closes monaco's suggestion widget, which would otherwise take the Enter
    await page.keyboard.press('Enter');
    await page.keyboard.type('server.4=127.0.0.1:2891:3891:observer');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('.monaco-editor')?.textContent?.includes('observer'), null, { timeout: 10_000 }).catch(async (e: unknown) => {
      await shot(page, 'failed-cfg-typing');
      throw e;
    });
    await page.click('[data-testid="cfg-apply"]');
    // the run is in lockstep now (the scenario switched to it): play it
    await page.waitForSelector('[data-testid="server-4"]', { timeout: 30_000 });
    await page.click('[data-testid="play"]');
    await page.waitForSelector('[data-testid="server-4"][data-role="observing"]', { timeout: 60_000 });
    await shot(page, '13-zoo-cfg-observer');

    assert.deepEqual(errors, [], 'no page errors');
    console.log('ui-app: ok');
  } finally {
    await browser.close();
    preview.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
