/**
 * Per-hop timeline of sequential creates (bench/README.md, fix 23): where a sync write's time
 * goes, thread by thread, via the leader and via a follower.
 *
 *   npx tsx bench/browser/hop-timeline.ts [--ref <git ref>]... [--n 300] [--rounds 2] [--otr] [--json <file>]
 *   npx tsx bench/browser/hop-timeline.ts --dist <probed build>... (probes of one's own: the page's and
 *     the workers' `__hp` records are collected whatever their labels; --json keeps them)
 *
 * Each ref (default: the working tree) is copied to a temporary directory, probed and built
 * there; the product code is never probed. A probe is one line, `__hp('label')`, which records
 * `performance.timeOrigin + performance.now()` in the page or the server worker where it runs
 * (inserted at fixed anchors: the tool stops if one is missing, rather than measure something
 * else). The page runs 30 warm-up creates, then `--n` sequential creates through a follower, then
 * through the leader, in a fresh persistent profile (`--otr`: an off-the-record context), and
 * collects every thread's probes. Refs alternate round by round (ABBA).
 *
 * For each create the tool follows the write along its path (client call -> the server's
 * receipt -> handle() -> PROPOSAL -> the first follower to ACK: its handle(), flush task, OPFS
 * write and flush, ACK -> the leader -> reply -> the page) and prints the median of each step
 * per ref. Times across threads share one clock (Chromium's time origin is per process, the
 * workers run in the page's), at 5 µs resolution (cross-origin isolated).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median } from '../lib/stats.ts';
import { probeRuntime, startAndWaitForQuorum, type BenchHooks } from './playground-harness.ts';

const root = resolve(import.meta.dirname, '../..');
const HP = "(globalThis as unknown as { __hp?: (l: string) => void }).__hp?.(";

/** [file, anchor, replacement, optional] */
const probes: [string, string, string, boolean?][] = [
  ['src/runtime/worker/live-worker.ts', 'clientPort.onmessage = (ev): void => this.onWires(ev.data as WireBatch);', `clientPort.onmessage = (ev): void => { ${HP}'rc'); this.onWires(ev.data as WireBatch); };`],
  ['src/runtime/worker/live-worker.ts', 'port.onmessage = (ev): void => this.onWires(ev.data as WireBatch);', `port.onmessage = (ev): void => { ${HP}'rp' + peer); this.onWires(ev.data as WireBatch); };`],
  ['src/runtime/worker/live-worker.ts', '    const out = h.handle(all, now);\n', `    ${HP}'h0');\n    const out = h.handle(all, now);\n    ${HP}'h1');\n`],
  ['src/runtime/worker/live-worker.ts', '    this.flushQueued = true;\n    this.env.task(() => {\n', `    this.flushQueued = true;\n    this.env.task(() => {\n      ${HP}'f0');\n`],
  ['src/runtime/worker/live-worker.ts', '      const out = this.host.flush(now);\n', `      const out = this.host.flush(now);\n      ${HP}'f1');\n`],
  ['src/runtime/worker/live-worker.ts', '      if (port) postWires(port, envs);', `      if (port) { ${HP}'s' + dest); postWires(port, envs); }`],
  ['src/runtime/worker/live-worker.ts', '    if (replies) postWires(this.clientPort, replies);', `    if (replies) { ${HP}'s-1'); postWires(this.clientPort, replies); }`, true],
  ['src/runtime/worker/live-worker.ts', '    for (const e of out.events) this.trace.add(e);\n', `    for (const e of out.events) this.trace.add(e);\n    ${HP}'q1');\n`],
  ['src/runtime/storage/opfs-disk.ts', '      writeFully(h, buf, op.at, f.phys.name);\n', `      ${HP}'w0');\n      writeFully(h, buf, op.at, f.phys.name);\n      ${HP}'w1');\n`],
  ['src/runtime/storage/opfs-disk.ts', '    h.flush();\n    f.phys.size = size;', `    h.flush();\n    ${HP}'fs1');\n    f.phys.size = size;`],
  ['src/runtime/worker/server.worker.ts', 'let starting = false;\n', `let starting = false;
{
  const hpL: string[] = [];
  const hpT: number[] = [];
  (globalThis as unknown as { __hp?: (l: string) => void }).__hp = (l: string): void => {
    hpL.push(l);
    hpT.push(performance.timeOrigin + performance.now());
  };
  const bc = new BroadcastChannel('hp');
  bc.onmessage = (e: MessageEvent): void => {
    if (e.data === 'reset') { hpL.length = 0; hpT.length = 0; }
    if (e.data === 'dump') bc.postMessage({ who: \`w\${sid}\`, L: hpL, T: hpT });
  };
}
`],
  ['src/runtime/conductor/live.ts', '    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => {\n', `    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => {\n      ${HP}'Mrecv');\n`],
  ['src/runtime/conductor/live.ts', '      if (s) postWires(s.clientPort, envs);', `      ${HP}'Mpost');\n      if (s) postWires(s.clientPort, envs);`],
  ['src/runtime/playground/bench-client.ts', '  const onResult = (id: number, r: CallResult): void => {\n', `  const onResult = (id: number, r: CallResult): void => {\n    ${HP}'Mres');\n`],
  ['src/runtime/playground/bench-client.ts', '        if (queue.length === 0) queueMicrotask(flush);', `        ${HP}'Mcall');\n        if (queue.length === 0) queueMicrotask(flush);`],
];

/** A probed build of `ref` ('' = the working tree) in a temporary directory. */
function probedBuild(ref: string): { dist: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'zk-hop-src-'));
  // the working tree: every file git tracks or would (its .gitignore left out), as it is now
  const source = ref === '' ? 'git ls-files -co --exclude-standard -z | tar --null -T - -cf -' : `git archive ${JSON.stringify(ref)}`;
  execFileSync('sh', ['-c', `${source} | tar -x -C ${JSON.stringify(dir)}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const [file, anchor, repl, optional] of probes) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(anchor)) {
      if (optional === true) continue;
      throw new Error(`hop-timeline: anchor not found in ${file} (${ref || 'working tree'}): ${JSON.stringify(anchor.slice(0, 80))}`);
    }
    writeFileSync(path, text.replace(anchor, repl));
  }
  const dist = join(dir, 'dist-probed');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return { dist, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface ThreadLog { who: string; L: string[]; T: number[] }
interface RunLog { leader: number; follower: number; out: Record<'follower' | 'leader', ThreadLog[]> }

async function run(dist: string, n: number, otr: boolean): Promise<RunLog> {
  const server = await serveStatic(dist);
  const profile = otr ? null : mkdtempSync(join(tmpdir(), 'zk-hop-profile-'));
  const browser = otr ? await launchChromium() : null;
  const ctx = profile !== null ? await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs }) : await browser!.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/e2e/runtime.html`);
    await probeRuntime(page, 10_000);
    const { leader } = await startAndWaitForQuorum(page, 3);
    const follower = leader === 1 ? 2 : 1;
    const out = await page.evaluate(async ({ leader, follower, n }) => {
      const g = globalThis as unknown as { __hp?: (l: string) => void };
      const L: string[] = [];
      const T: number[] = [];
      g.__hp = (l: string): void => {
        L.push(l);
        T.push(performance.timeOrigin + performance.now());
      };
      const bc = new BroadcastChannel('hp');
      const hooks = (window as unknown as { __benchHooks(): BenchHooks }).__benchHooks();
      const dump = async (): Promise<ThreadLog[]> => {
        const got: ThreadLog[] = [{ who: 'm', L: L.slice(), T: T.slice() }];
        await new Promise<void>((res) => {
          bc.onmessage = (e: MessageEvent): void => {
            got.push(e.data as ThreadLog);
            if (got.length === 4) res();
          };
          bc.postMessage('dump');
        });
        return got;
      };
      const res: Record<string, ThreadLog[]> = {};
      for (const [name, sid] of [['follower', follower], ['leader', leader]] as const) {
        const c = await hooks.client(`127.0.0.1:${2180 + sid}`);
        for (let i = 0; i < 30; i++) await c.call({ type: 'create', path: `/hw${name}${i}`, dataBytes: 100 });
        L.length = 0;
        T.length = 0;
        bc.postMessage('reset');
        await new Promise((r) => setTimeout(r, 50));
        for (let i = 0; i < n; i++) {
          const r = await c.call({ type: 'create', path: `/hs${name}${i}`, dataBytes: 100 });
          g.__hp!('Mdone');
          if (r !== 'ok') throw new Error(`create ${i}: ${r}`);
        }
        res[name] = await dump();
        c.close();
      }
      return res as Record<'follower' | 'leader', ThreadLog[]>;
    }, { leader, follower, n });
    return { leader, follower, out };
  } finally {
    await ctx.close();
    if (profile !== null) rmSync(profile, { recursive: true, force: true });
    await browser?.close();
    await server.close();
  }
}

type Thread = 'M' | 'L' | 'F' | 'O';
interface Ev { t: number; th: Thread; l: string }

/** Each create's path, as (step name, µs since the previous step); null where it could not be followed. */
function paths(r: RunLog, mode: 'follower' | 'leader'): Map<string, number>[] {
  const other = 6 - r.leader - r.follower;
  const sidOf: Record<Thread, number> = { M: -1, L: r.leader, F: r.follower, O: other };
  const thOf = (who: string): Thread => (who === 'm' ? 'M' : Number(who.slice(1)) === r.leader ? 'L' : Number(who.slice(1)) === r.follower ? 'F' : 'O');
  const all: (Ev & { i: number })[] = [];
  for (const log of r.out[mode]) log.L.forEach((l, i) => all.push({ t: log.T[i], th: thOf(log.who), l, i }));
  all.sort((a, b) => a.t - b.t || (a.th === b.th ? a.i - b.i : 0));
  const calls = all.flatMap((e, i) => (e.th === 'M' && e.l === 'Mcall' ? [i] : []));
  const result: Map<string, number>[] = [];
  for (let c = 0; c + 1 < calls.length; c++) {
    const w = all.slice(calls[c], calls[c + 1] + 1).filter((e, k, arr) => k < arr.length - 1 || e.l !== 'Mcall');
    const next = (th: Thread, l: string, after: number): number | null => {
      for (const e of w) if (e.t >= after && e.th === th && e.l === l) return e.t;
      return null;
    };
    const steps: [string, number][] = [];
    let t = w[0].t;
    const go = (name: string, th: Thread, l: string, after = t): boolean => {
      const x = next(th, l, after);
      if (x === null) return false;
      steps.push([name, x]);
      t = x;
      return true;
    };
    const entry: Thread = mode === 'leader' ? 'L' : 'F';
    const lead = `s${sidOf.L}`;
    let ok = go('main: call', 'M', 'Mcall') && go('main: client session, pump, post', 'M', 'Mpost')
      && go(`-> ${entry} (transport)`, entry, 'rc', w[0].t) && go(`${entry}: decode`, entry, 'h0') && go(`${entry}: handle() request`, entry, 'h1');
    if (ok && mode === 'follower') ok = go('F: REQUEST posted', 'F', lead) && go('-> L (transport)', 'L', `rp${sidOf.F}`) && go('L: decode', 'L', 'h0') && go('L: handle() request', 'L', 'h1');
    if (!ok) continue;
    // the follower whose ACK leaves first
    let best: [string, number][] | null = null;
    for (const x of ['F', 'O'] as const) {
      const seq: [string, number][] = [];
      let cur = t;
      const chain: [string, Thread, string][] = [
        ['L: PROPOSAL posted', 'L', `s${sidOf[x]}`], ['-> X (transport)', x, `rp${sidOf.L}`], ['X: decode', x, 'h0'], ['X: handle() PROPOSAL (append)', x, 'h1'],
        ['X: trace encoded', x, 'q1'], ['X: flush task starts (task hop)', x, 'f0'], ['X: to the OPFS write', x, 'w0'], ['X: OPFS write', x, 'w1'],
        ['X: OPFS flush (fdatasync)', x, 'fs1'], ['X: flush() rest', x, 'f1'], ['X: ACK posted', x, lead],
      ];
      let good = true;
      for (const [name, th, l] of chain) {
        const y = next(th, l, cur);
        if (y === null) {
          good = false;
          break;
        }
        seq.push([name, y]);
        cur = y;
      }
      if (good && (best === null || cur < best[best.length - 1][1])) {
        best = seq;
        (best as unknown as { x: Thread }).x = x;
      }
    }
    if (best === null) continue;
    const acker = (best as unknown as { x: Thread }).x;
    for (const s of best) steps.push(s);
    t = best[best.length - 1][1];
    ok = go('-> L (transport)', 'L', `rp${sidOf[acker]}`) && go('L: decode', 'L', 'h0') && go('L: handle() ACK (commit, apply)', 'L', 'h1');
    if (ok && mode === 'follower') ok = go('L: COMMIT to F posted', 'L', `s${sidOf.F}`) && go('-> F (transport)', 'F', `rp${sidOf.L}`) && go('F: decode', 'F', 'h0') && go('F: handle() COMMIT (apply)', 'F', 'h1');
    ok &&= go(`${entry}: reply posted`, entry, 's-1') && go('-> main (transport, queue)', 'M', 'Mrecv') && go('main: client session, result', 'M', 'Mres') && go('main: the caller resumes', 'M', 'Mdone');
    if (!ok) continue;
    const m = new Map<string, number>();
    let prev = steps[0][1];
    const seen = new Map<string, number>();
    for (const [name, x] of steps.slice(1)) {
      const k = (seen.get(name) ?? 0) + 1;
      seen.set(name, k);
      m.set(k > 1 ? `${name} #${k}` : name, (x - prev) * 1000);
      prev = x;
    }
    m.set('call -> caller resumes', (steps[steps.length - 1][1] - steps[0][1]) * 1000);
    result.push(m);
  }
  return result;
}

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const refs = args.flatMap((a, i) => (args[i - 1] === '--ref' ? [a] : []));
if (refs.length === 0) refs.push('');
const n = Number(opt('--n') ?? 300);
const rounds = Number(opt('--rounds') ?? 2);
const otr = args.includes('--otr');
// --dist <dir>: a build probed already (by hand, with probes of one's own), run as it is
const dists = args.flatMap((a, i) => (args[i - 1] === '--dist' ? [a] : []));
const builds = dists.length > 0 ? dists.map((d) => ({ ref: d, dist: d, cleanup: () => undefined })) : refs.map((ref) => ({ ref, ...probedBuild(ref) }));
const logs = new Map<string, RunLog[]>();
try {
  for (let r = 0; r < rounds; r++) {
    // ABBA: a load that rises or falls through the run does not favour the ref that runs first
    for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
      const load = (await import('node:os')).loadavg()[0].toFixed(1);
      const log = await run(b.dist, n, otr);
      logs.set(b.ref, [...(logs.get(b.ref) ?? []), log]);
      console.log(`round ${r + 1} ${b.ref || 'working tree'}: done (load ${load})`);
    }
  }
} finally {
  for (const b of builds) b.cleanup();
}
const jsonOut = opt('--json');
if (jsonOut !== undefined) writeFileSync(jsonOut, JSON.stringify(Object.fromEntries(logs)));
for (const mode of ['leader', 'follower'] as const) {
  const cols = builds.map((b) => {
    const ps = (logs.get(b.ref) ?? []).flatMap((l) => paths(l, mode));
    const keys: string[] = [];
    for (const p of ps) for (const k of p.keys()) if (!keys.includes(k)) keys.push(k);
    return { ref: b.ref || 'working tree', count: ps.length, keys, med: (k: string) => median(ps.flatMap((p) => (p.has(k) ? [p.get(k)!] : []))) };
  });
  const keys = cols.reduce<string[]>((acc, c) => [...acc, ...c.keys.filter((k) => !acc.includes(k))], []);
  console.log(`\nvia the ${mode}: median µs per step (${cols.map((c) => `${c.ref}: ${c.count} creates followed`).join(', ')})`);
  console.log(`| step | ${cols.map((c) => c.ref).join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---').join('|')}|`);
  for (const k of keys) console.log(`| ${k} | ${cols.map((c) => (c.keys.includes(k) ? c.med(k).toFixed(0) : '-')).join(' | ')} |`);
}
