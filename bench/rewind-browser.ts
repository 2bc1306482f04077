/**
 * `E2E_DIST=e2e/dist E2E_PORT=4332 npx tsx bench/rewind-browser.ts [--steps 5000]`: bench/rewind.ts
 * in Chromium, servers in Web Workers over OPFS (build first: `npx vite build --outDir e2e/dist`).
 * The same long run with checkpoints (every 100 actions) and without, then a rewind to 10% and
 * to 90% of it in each. Not a test: nothing asserts a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const port = Number(process.env.E2E_PORT ?? 4332);
const base = `http://127.0.0.1:${port}`;
const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function startPreview(): Promise<ChildProcess> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', process.env.E2E_DIST ?? 'e2e/dist'], { cwd: root, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: is port ${port} taken?`);
    try {
      if ((await fetch(`${base}/e2e/runtime.html`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

async function main(): Promise<void> {
  const steps = arg('steps', 5000);
  const preview = await startPreview();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    for (const every of [0, 100]) {
      await page.goto(`${base}/e2e/runtime.html`);
      await page.waitForFunction(() => (window as unknown as { __playground?: unknown }).__playground !== undefined);
      const r = await page.evaluate(async ({ cfg, steps, every }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const rt = (window as any).__playground.runtime;
        rt.options.checkpointEvery = every; // the page's BrowserPlayground was built with default options
        const t0 = performance.now();
        await rt.start({ zooCfg: cfg, seed: 21, mode: 'lockstep' });
        await rt.runUntil(() => rt.leader() !== null, 20000);
        const c = rt.openConsole('a', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
        let killed = null;
        for (let i = 0; i < steps; i++) {
          if (i % 250 === 0) c.submit(`create /n${i} ${'x'.repeat(100)}`);
          if (i === Math.floor(steps / 3)) {
            killed = rt.leader();
            if (killed !== null) rt.kill(killed);
          }
          if (i === Math.floor(steps / 2) && killed !== null) rt.restart(killed);
          await rt.step();
        }
        await c.idle();
        const runMs = performance.now() - t0;
        const all = rt.events().length;
        const actions = rt.exportRun().actions.length;
        const out: { at: number; ms: number; stats: unknown }[] = [];
        const run = rt.exportRun();
        for (const at of [0.9, 0.1]) {
          if (at === 0.1) await rt.replay(run); // back to the whole run (the late rewind cut it)
          const t = performance.now();
          await rt.rewind(Math.floor(all * at));
          out.push({ at, ms: Math.round(performance.now() - t), stats: rt.lastRewind });
        }
        return { runMs: Math.round(runMs), all, actions, out };
      }, { cfg: zooCfg, steps, every });
      console.log(`checkpointEvery ${every}: run of ${steps} steps (${r.actions} actions, ${r.all} events) ${r.runMs} ms; ${r.out.map((x) => `rewind to ${x.at * 100}%: ${x.ms} ms ${JSON.stringify(x.stats)}`).join('; ')}`);
    }
  } finally {
    await browser.close();
    preview.kill();
  }
}

void main();
