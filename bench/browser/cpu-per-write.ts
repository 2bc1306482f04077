/**
 * CPU time per write of the live ensemble, all threads together, for a before/after pair:
 *
 *   npx tsx bench/browser/cpu-per-write.ts <distA> [distB] [rounds] [n] [--persistent]
 *
 * Each round runs n pipelined creates via a follower (3 servers, live, 1x: profile-live.ts's
 * `pipelined`) in each build in turn, and reads the CPU time (utime + stime, /proc) of every
 * process of the browser this script launched (the page and its server workers share the
 * renderer) over the workload. On a loaded machine wall-clock figures (writes/s, a profile's
 * busy share) stretch with the time a thread waits for a core; CPU time does much less.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { probeRuntime, startAndWaitForQuorum } from './playground-harness.ts';

const persistent = process.argv.includes('--persistent');
const [a, b, roundsArg, nArg] = process.argv.slice(2).filter((x) => x !== '--persistent');
const dists = [a, b].filter((d): d is string => d !== undefined && d !== '-');
const rounds = Number(roundsArg ?? 3);
const n = Number(nArg ?? 20_000);
const ticks = 100; // USER_HZ

/** This script's browser processes (its descendants) and their CPU ms (user + system). */
function descendants(): Map<number, number> {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stats) if (!mine.has(pid) && mine.has(s.ppid)) {
      mine.add(pid);
      grew = true;
    }
  }
  const out = new Map<number, number>();
  for (const pid of mine) if (pid !== process.pid) out.set(pid, (stats.get(pid)!.cpu * 1000) / ticks);
  return out;
}

function descendantsCpuMs(): number {
  let cpu = 0;
  for (const x of descendants().values()) cpu += x;
  return cpu;
}

/** CPU ms of every thread of this script's browser processes, by "pid/thread name/tid". */
function threadsCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of descendants().keys()) {
    let type = 'browser';
    try {
      type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${d}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    } catch {
      continue;
    }
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${d}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const s = readFileSync(`/proc/${d}/task/${t}/stat`, 'utf8');
        const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        out.set(`${d}/${type}:${name}/${t}`, ((Number(f[11]) + Number(f[12])) * 1000) / ticks);
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

const results = new Map<string, { cpuUs: number[]; perSec: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const dist of dists) {
    const server = await serveStatic(dist);
    const profile = mkdtempSync(join(tmpdir(), 'zk-cpu-profile-'));
    let ctx: BrowserContext | null = null;
    let browser: Browser | null = null;
    try {
      if (persistent) ctx = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs });
      else {
        browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
        ctx = await browser.newContext();
      }
      const page = await ctx.newPage();
      await page.goto(`${server.url}/e2e/runtime.html`);
      await probeRuntime(page, 10_000);
      const { leader } = await startAndWaitForQuorum(page, 3);
      const follower = leader === 1 ? 2 : 1;
      const load = loadavg()[0];
      const cpu0 = descendantsCpuMs();
      const threads0 = threadsCpuMs();
      const res = await page.evaluate(async ({ n, follower }) => {
        const w = window as unknown as { __benchHooks(): { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string>; close(): void }> } };
        const c = await w.__benchHooks().client(`127.0.0.1:${2180 + follower}`);
        const t0 = performance.now();
        const rs = await Promise.all(Array.from({ length: n }, (_, i) => c.call({ type: 'create', path: `/p${i}`, dataBytes: 100 })));
        const ms = performance.now() - t0;
        c.close();
        return { ms, ok: rs.filter((x) => x === 'ok').length };
      }, { n, follower });
      const cpu = descendantsCpuMs() - cpu0;
      // the threads that worked most (the page's main thread, the three server workers, ...)
      const threads = [...threadsCpuMs()].map(([k, v]) => [k, v - (threads0.get(k) ?? 0)] as const);
      const busiest = threads.filter(([, v]) => v > 0.05 * cpu).sort((x, y) => y[1] - x[1]).slice(0, 6);
      const byName = new Map<string, number>();
      for (const [k, v] of threads) byName.set(k.split('/')[1], (byName.get(k.split('/')[1]) ?? 0) + v);
      for (const [name, v] of byName) {
        const x = results.get(`${dist} ${name}`) ?? { cpuUs: [], perSec: [] };
        results.set(`${dist} ${name}`, x);
        x.cpuUs.push((v * 1000) / n);
      }
      const byDist = results.get(dist) ?? { cpuUs: [], perSec: [] };
      results.set(dist, byDist);
      byDist.cpuUs.push((cpu * 1000) / n);
      byDist.perSec.push((n * 1000) / res.ms);
      console.log(`round ${r + 1} ${dist}: ${((cpu * 1000) / n).toFixed(0)} µs CPU per write (all browser processes), ${((n * 1000) / res.ms).toFixed(0)} creates/s, ${res.ok}/${n} ok, load ${load.toFixed(1)}`);
      console.log(`  busiest threads, µs CPU per write: ${busiest.map(([k, v]) => `${k.split('/')[1]} ${((v * 1000) / n).toFixed(0)}`).join(', ')}`);
    } finally {
      await ctx?.close();
      await browser?.close();
      rmSync(profile, { recursive: true, force: true });
      await server.close();
    }
  }
}
for (const [dist, x] of results) {
  if (x.perSec.length > 0) console.log(`median ${dist}: ${median(x.cpuUs).toFixed(0)} µs CPU per write, ${median(x.perSec).toFixed(0)} creates/s`);
  else if (median(x.cpuUs) >= 5) console.log(`  median ${dist} (threads of this name, summed): ${median(x.cpuUs).toFixed(0)} µs`);
}
