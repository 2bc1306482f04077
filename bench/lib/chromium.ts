/** Headless Debian Chromium through playwright-core, with the flags from reference/stack.md. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath);
}

export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] });
}

/**
 * A Chromium with a profile on disk (a fresh temporary one, removed on close): its OPFS lives on
 * disk as in a user's browser. A fresh context of `launchChromium` keeps OPFS in the browser
 * process's memory, with room for ~1.5 GB (then writes fail with FILE_ERROR_NO_SPACE).
 */
export async function launchPersistentChromium(extraArgs: readonly string[] = [], viewport?: { width: number; height: number }): Promise<{ ctx: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'zkp-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: [...chromiumArgs, ...extraArgs], ...(viewport ? { viewport } : {}) });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
