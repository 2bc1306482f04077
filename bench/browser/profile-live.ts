/**
 * Profiles the live ensemble in headless Chromium: CPU profiles (CDP Profiler) of the page's
 * main thread and of every server worker while a bench client runs a workload.
 *
 *   npx tsx bench/browser/profile-live.ts <dist dir> <workload: sync|pipelined|read> [n] [outDir]
 *   npx tsx bench/profile-summary.ts <outDir>/<target>.cpuprofile 30
 *
 * <dist dir>: a `vite build` output (with e2e/runtime.html), e.g. from `npx vite build --outDir /tmp/zk-dist`.
 *
 * --alloc: sampled allocations instead (CDP HeapProfiler.startSampling, objects collected since
 * included): `<target>.heapprofile`, every byte each function allocated over the workload.
 * --leader: the client connects to the leader (default: a follower). The printed line names the
 * leader; the worker profiles are numbered in the order the workers attached, not by server id
 * (the leader's profile is the one with `processAck`).
 *
 * --warm N: N pipelined creates through the same server before the profilers start, so the
 * profile shows the steady state rather than V8 compiling (bench/README.md, fix 22).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { pipelinedCreates, probeRuntime, startAndWaitForQuorum } from './playground-harness.ts';

const alloc = process.argv.includes('--alloc');
const viaLeader = process.argv.includes('--leader');
const warmAt = process.argv.indexOf('--warm');
const warm = warmAt >= 0 ? Number(process.argv[warmAt + 1]) : 0;
const [dist, workload = 'sync', nArg, outDir = '/tmp/zk-live-prof'] = process.argv.slice(2).filter((x, i, all) => x !== '--alloc' && x !== '--leader' && x !== '--warm' && all[i - 1] !== '--warm');
const n = Number(nArg ?? (workload === 'sync' ? 300 : 5000));
mkdirSync(outDir, { recursive: true });
const server = await serveStatic(dist);
const browser = await launchChromium();
const ctx = await browser.newContext();
const page = await ctx.newPage();
/** Worker targets reached through the page's CDP session (Target.sendMessageToTarget, non-flat). */
const workerIds: string[] = [];
await page.goto(`${server.url}/e2e/runtime.html`);
await probeRuntime(page, 10_000);
const { leader } = await startAndWaitForQuorum(page, 3);
const main = await ctx.newCDPSession(page);
let nextId = 1;
const pending = new Map<number, (r: unknown) => void>();
main.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
  const m = JSON.parse(e.message) as { id?: number; result?: unknown };
  if (m.id !== undefined) pending.get(m.id)?.(m.result);
});
main.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
  if (e.targetInfo.type === 'worker') workerIds.push(e.sessionId);
});
await main.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
await new Promise((r) => setTimeout(r, 500));
const toWorker = (sessionId: string, method: string, params: object = {}): Promise<unknown> => {
  const id = nextId++;
  const p = new Promise((resolve) => pending.set(id, resolve));
  void main.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  return p;
};
const sessions: { name: string; send(method: string, params?: object): Promise<unknown> }[] = [
  { name: 'main', send: (m, p) => main.send(m as never, p as never) },
  ...workerIds.map((id, i) => ({ name: `worker-${i + 1}`, send: (m: string, p?: object) => toWorker(id, m, p) })),
];
const follower = viaLeader ? leader : leader === 1 ? 2 : 1;
if (warm > 0) await pipelinedCreates(page, follower, 'warm', warm);
for (const s of sessions) {
  if (alloc) {
    await s.send('HeapProfiler.enable');
    await s.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    continue;
  }
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 200 });
  await s.send('Profiler.start');
}
const r = await page.evaluate(async ({ workload, n, follower }) => {
  const w = window as unknown as { __benchHooks(): { client(cs: string): Promise<{ call(c: { type: string; path: string; dataBytes?: number }): Promise<string>; close(): void }> } };
  const c = await w.__benchHooks().client(`127.0.0.1:${2180 + follower}`);
  const lat: number[] = [];
  const t0 = performance.now();
  if (workload === 'sync') {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await c.call({ type: 'create', path: `/p${i}`, dataBytes: 100 });
      lat.push(performance.now() - t);
    }
  } else {
    await Promise.all(Array.from({ length: n }, (_, i) => c.call({ type: workload === 'read' ? 'getData' : 'create', path: workload === 'read' ? '/zookeeper' : `/p${i}`, dataBytes: 100 })));
  }
  const ms = performance.now() - t0;
  c.close();
  lat.sort((a, b) => a - b);
  return { ms, opsPerSec: (n * 1000) / ms, median: lat[Math.floor(lat.length / 2)] ?? null };
}, { workload, n, follower });
console.log(JSON.stringify({ leader, follower, ...r }));
for (const { name, send } of sessions) {
  const { profile } = await send(alloc ? 'HeapProfiler.stopSampling' : 'Profiler.stop') as { profile: unknown };
  writeFileSync(join(outDir, `${name}.${alloc ? 'heapprofile' : 'cpuprofile'}`), JSON.stringify(profile));
}
console.log(`profiles in ${outDir}: ${sessions.map((x) => x.name).join(', ')}`);
await browser.close();
await server.close();
