/**
 * Helpers for the UI's Playwright specs: Debian Chromium through playwright-core with the
 * flags from ../shared/reference/stack.md, and a `vite preview` of the built app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const screenshotDir = 'e2e/screenshots';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
}

/** Starts `vite preview` of dist/ on a port and resolves once it answers. */
export async function startPreview(port: number): Promise<{ url: string; stop(): void }> {
  // vite itself, not through npx: killing npx would leave the preview server running
  const vite = new URL('../node_modules/vite/bin/vite.js', import.meta.url).pathname;
  // E2E_DIST: the build to serve (npm run test:e2e builds into e2e/dist, apart from `dist`)
  const outDir = process.env.E2E_DIST ?? 'dist';
  const child: ChildProcess = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort', '--outDir', outDir], { stdio: 'ignore' });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) {
        return {
          url,
          stop: () => {
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 1000).unref();
          },
        };
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not answer on ${url}`);
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = `${screenshotDir}/${name}.png`;
  await page.screenshot({ path });
  return path;
}

/** Types a line into the named console as a person would, and presses Enter. */
export async function typeInConsole(page: Page, name: string, line: string): Promise<void> {
  const input = page.locator(`[data-testid="console-${name}"] input`);
  await input.click();
  await input.fill(line);
  await input.press('Enter');
}

export async function consoleText(page: Page, name: string): Promise<string> {
  return page.locator(`[data-testid="console-${name}"] .screen`).innerText();
}

export async function leaderSid(page: Page): Promise<number | null> {
  const el = page.locator('[data-role="leading"]');
  if ((await el.count()) === 0) return null;
  const id = await el.first().getAttribute('data-testid');
  return id ? Number(id.replace('server-', '')) : null;
}
