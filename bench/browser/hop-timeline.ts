/**
 * Per-hop timeline of sequential creates (bench/README.md, fix 23): where a sync write's time
 * goes, thread by thread, via the leader and via a follower.
 *
 *   npx tsx bench/browser/hop-timeline.ts [--ref <git ref>]... [--n 300] [--rounds 2] [--otr] [--no-frames] [--json <file>] [--load <file>]
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
 * write and flush, ACK -> the leader -> reply -> the page) and prints the median / p75 / p90 of
 * each step per ref. Times across threads share one clock (Chromium's time origin is per process,
 * the workers run in the page's), at 5 µs resolution (cross-origin isolated).
 *
 * Every task of every thread is probed at its begin and end too (fix 29: peer wires, client
 * requests, the flush task, the trace post, timers; on the page the workers' messages, the
 * client timer, the frame), so for each thread hop (a post -> the receiver's onmessage) the tool
 * prints what the receiver ran in between, its idle time between those tasks, and the rest (idle
 * -> running: the message's delivery and the thread's wake-up, or work no probe sees: the page's
 * layout and paint, GC), with the other threads on a CPU meanwhile; and how often the followers'
 * ACKs came while the leader was inside its own flush (ZooKeeper's leader counts them while it
 * fsyncs). `--no-frames`: the test page stops rendering (its requestAnimationFrame never comes
 * back), so its layout, paint and raster leave the cores to the write.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, launchChromium } from '../lib/chromium.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median, percentile } from '../lib/stats.ts';
import { openEnsemble, type BenchHooks } from './playground-harness.ts';

const root = resolve(import.meta.dirname, '../..');
const HP = "(globalThis as unknown as { __hp?: (l: string) => void }).__hp?.(";

/** [file, anchor, replacement, optional] */
const probes: [string, string, string, boolean?][] = [
  // a task's begin (rc, rp<peer>, Mrecv, B:<kind>) and end (E) on each thread: what a receiver ran between two messages
  ['src/runtime/worker/live-worker.ts', 'clientPort.onmessage = (ev): void => this.onWires(ev.data as WireBatch);', `clientPort.onmessage = (ev): void => { ${HP}'rc'); this.onWires(ev.data as WireBatch); ${HP}'E'); };`],
  ['src/runtime/worker/live-worker.ts', 'port.onmessage = (ev): void => this.onWires(ev.data as WireBatch);', `port.onmessage = (ev): void => { ${HP}'rp' + peer); this.onWires(ev.data as WireBatch); ${HP}'E'); };`],
  ['src/runtime/worker/live-worker.ts', '    const out = h.handle(all, now);\n', `    ${HP}'h0');\n    const out = h.handle(all, now);\n    ${HP}'h1');\n`],
  ['src/runtime/worker/live-worker.ts', '    this.flushQueued = true;\n    this.env.task(() => {\n', `    this.flushQueued = true;\n    this.env.task(() => {\n      ${HP}'f0');\n`],
  ['src/runtime/worker/live-worker.ts', '      const out = this.host.flush(now);\n', `      const out = this.host.flush(now);\n      ${HP}'f1');\n`],
  ['src/runtime/worker/live-worker.ts', '      if (port) postWires(port, envs);', `      if (port) { ${HP}'s' + dest); postWires(port, envs); }`],
  ['src/runtime/worker/live-worker.ts', '    if (replies) postWires(this.clientPort, replies);', `    if (replies) { ${HP}'s-1'); postWires(this.clientPort, replies); }`, true],
  ['src/runtime/worker/live-worker.ts', '    for (const e of out.events) this.trace.add(e);\n', `    for (const e of out.events) this.trace.add(e);\n    ${HP}'q1');\n`],
  ['src/runtime/worker/live-worker.ts', '  private postOutput(final: boolean): void {\n', `  private postOutput(final: boolean): void {\n    ${HP}'po');\n`, true],
  ['src/runtime/worker/live-worker.ts', '  ch.port1.onmessage = (): void => {\n    const fn = queue.shift();\n    fn?.();\n  };', `  ch.port1.onmessage = (): void => {\n    ${HP}'B:task');\n    const fn = queue.shift();\n    fn?.();\n    ${HP}'E');\n  };`, true],
  ['src/runtime/worker/live-worker.ts', "    this.timer = setTimeout(() => {\n      this.timer = null;\n      this.liveHandle([{ type: 'tick' }]);\n", `    this.timer = setTimeout(() => {\n      ${HP}'B:timer');\n      this.timer = null;\n      this.liveHandle([{ type: 'tick' }]);\n      ${HP}'E');\n`, true],
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
  // the main thread: the workers' output (trace intake), the client timer, the page's frame; E after the task's microtasks
  ['src/runtime/worker/spawn.ts', 'this.worker.onmessage = (e: MessageEvent<FromWorker>): void => this.onMessage(e.data);', `this.worker.onmessage = (e: MessageEvent<FromWorker>): void => { ${HP}'B:wout'); this.onMessage(e.data); queueMicrotask(() => ${HP}'E')); };`, true],
  // the trace post's timer (fix 29), where the tree has one
  ['src/runtime/worker/server.worker.ts', 'later: (fn, ms) => void setTimeout(fn, ms)', `later: (fn, ms) => void setTimeout(() => { ${HP}'B:later'); fn(); ${HP}'E'); }, ms)`, true],
  ['src/runtime/conductor/live.ts', '    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => {\n', `    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => {\n      ${HP}'Mrecv');\n      queueMicrotask(() => queueMicrotask(() => ${HP}'E')));\n`],
  ['src/runtime/conductor/live.ts', '      this.clients.timer(t);\n      this.pumpClients(t);\n    }', `      this.clients.timer(t);\n      this.pumpClients(t);\n      ${HP}'E');\n    }`, true],
  ['src/runtime/conductor/live.ts', '    this.clientTimer = setTimeout(() => {\n', `    this.clientTimer = setTimeout(() => {\n      ${HP}'B:mtimer');\n`, true],
  ['e2e/runtime-page.ts', '    requestAnimationFrame(() => {\n      renderQueued = false;\n      render(latest);\n', `    requestAnimationFrame(() => {\n      ${HP}'B:frame');\n      renderQueued = false;\n      render(latest);\n      ${HP}'E');\n`, true],
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
    const { page, leader, follower } = await openEnsemble(ctx, server.url);
    // --no-frames: the page stops rendering (its next requestAnimationFrame never comes), so
    // its layout, paint and raster do not compete with the threads of a write (fix 29)
    if (noFrames) await page.evaluate(() => void (window.requestAnimationFrame = (): number => 0));
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

/** A task a thread ran (begin and end probes), what it was, and its fdatasyncs (waits off the CPU). */
interface Slice { b: number; e: number; kind: string; io: [number, number][] }

const isBegin = (l: string): boolean => l === 'rc' || l === 'Mrecv' || l.startsWith('rp') || l.startsWith('B:');

/** Each thread's tasks, in time order, from its begin/end probes (a task without its end ends where the next begins). */
function slicesOf(all: readonly Ev[], letter: (sid: number) => string): Map<Thread, Slice[]> {
  const out = new Map<Thread, Slice[]>();
  const cur = new Map<Thread, Slice>();
  const ioFrom = new Map<Thread, number>();
  const close = (th: Thread, t: number): void => {
    const c = cur.get(th);
    if (c === undefined) return;
    c.e = t;
    out.set(th, [...(out.get(th) ?? []), c]);
    cur.delete(th);
  };
  for (const ev of all) {
    const { th, l, t } = ev;
    if (isBegin(l)) {
      close(th, t);
      const kind = l === 'rc' ? 'client requests' : l === 'Mrecv' ? 'client replies' : l.startsWith('rp') ? `wires from ${letter(Number(l.slice(2)))}` : l.slice(2);
      cur.set(th, { b: t, e: Number.NaN, kind, io: [] });
    } else if (l === 'E') close(th, t);
    else {
      const c = cur.get(th);
      if (c === undefined) continue;
      if (l === 'f0') c.kind = 'flush task';
      else if (l === 'po' && (c.kind === 'task' || c.kind === 'later')) c.kind = 'trace post';
      else if (l === 'w1') ioFrom.set(th, t);
      else if (l === 'fs1' && ioFrom.has(th)) c.io.push([ioFrom.get(th)!, t]);
    }
  }
  return out;
}

/**
 * One thread hop of a create (post at s -> the receiver's onmessage at rx): the receiver's other
 * tasks in between (busy), its idle time before the last of them ended (gaps), and from then (or
 * from s) to rx (wake: the message's delivery and the thread's wake-up, or work no probe sees).
 */
interface Hop { name: string; total: number; busy: number; gaps: number; wake: number; atPost: string | null; kinds: Map<string, number>; others: number }

/** Each create's path, as (step name, µs since the previous step), and its hops; creates that could not be followed are left out. */
/** The leader's own flush against the followers' ACKs (ms): when it ended, when each ACK was posted (first, second; NaN if not seen). */
interface LeadFlush { end: number; acks: [number, number] }

function paths(r: RunLog, mode: 'follower' | 'leader'): { steps: Map<string, number>; hops: Hop[]; lead: LeadFlush | null }[] {
  const other = 6 - r.leader - r.follower;
  const sidOf: Record<Thread, number> = { M: -1, L: r.leader, F: r.follower, O: other };
  const thOf = (who: string): Thread => (who === 'm' ? 'M' : Number(who.slice(1)) === r.leader ? 'L' : Number(who.slice(1)) === r.follower ? 'F' : 'O');
  const all: (Ev & { i: number })[] = [];
  for (const log of r.out[mode]) log.L.forEach((l, i) => all.push({ t: log.T[i], th: thOf(log.who), l, i }));
  all.sort((a, b) => a.t - b.t || (a.th === b.th ? a.i - b.i : 0));
  const slices = slicesOf(all, (sid) => (sid === sidOf.L ? 'L' : sid === sidOf.F ? 'F' : sid === sidOf.O ? 'O' : '?'));
  const calls = all.flatMap((e, i) => (e.th === 'M' && e.l === 'Mcall' ? [i] : []));
  const result: { steps: Map<string, number>; hops: Hop[]; lead: LeadFlush | null }[] = [];
  /** the receiver th's tasks between a post at s and its receipt at rx */
  const hopOf = (name: string, th: Thread, s: number, rx: number): Hop => {
    const kinds = new Map<string, number>();
    let busy = 0;
    let lastEnd = s;
    let atPost: string | null = null;
    for (const x of slices.get(th) ?? []) {
      if (x.e <= s || x.b >= rx - 1e-9) continue;
      const o = Math.min(x.e, rx) - Math.max(x.b, s);
      busy += o;
      kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + o * 1000);
      if (x.b <= s) atPost = x.kind;
      lastEnd = Math.max(lastEnd, Math.min(x.e, rx));
    }
    // the other threads on a CPU (in a task, not in an fdatasync) while the receiver was idle and not yet running
    let cpu = 0;
    for (const [t2, xs] of slices) {
      if (t2 === th) continue;
      for (const x of xs) {
        if (x.e <= lastEnd || x.b >= rx) continue;
        let o = Math.min(x.e, rx) - Math.max(x.b, lastEnd);
        for (const [a, b] of x.io) o -= Math.max(0, Math.min(b, rx) - Math.max(a, lastEnd));
        cpu += Math.max(0, o);
      }
    }
    const wake = rx - lastEnd;
    return { name, total: (rx - s) * 1000, busy: busy * 1000, gaps: (lastEnd - s - busy) * 1000, wake: wake * 1000, atPost, kinds, others: wake > 0 ? cpu / wake : 0 };
  };
  for (let c = 0; c + 1 < calls.length; c++) {
    const w = all.slice(calls[c], calls[c + 1] + 1).filter((e, k, arr) => k < arr.length - 1 || e.l !== 'Mcall');
    const next = (th: Thread, l: string, after: number): number | null => {
      for (const e of w) if (e.t >= after && e.th === th && e.l === l) return e.t;
      return null;
    };
    const steps: [string, number, Thread][] = [];
    let t = w[0].t;
    const go = (name: string, th: Thread, l: string, after = t): boolean => {
      const x = next(th, l, after);
      if (x === null) return false;
      steps.push([name, x, th]);
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
    let best: [string, number, Thread][] | null = null;
    const ackAt: number[] = [];
    for (const x of ['F', 'O'] as const) {
      const seq: [string, number, Thread][] = [];
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
        seq.push([name, y, th]);
        cur = y;
      }
      if (good) ackAt.push(cur);
      if (good && (best === null || cur < best[best.length - 1][1])) {
        best = seq;
        (best as unknown as { x: Thread }).x = x;
      }
    }
    if (best === null) continue;
    const acker = (best as unknown as { x: Thread }).x;
    const leadEnd = next('L', 'f1', best[0][1]);
    ackAt.sort((a, b) => a - b);
    const leadFlush: LeadFlush | null = leadEnd === null ? null : { end: leadEnd, acks: [ackAt[0], ackAt[1] ?? Number.NaN] };
    for (const s of best) steps.push(s);
    t = best[best.length - 1][1];
    ok = go('-> L (transport)', 'L', `rp${sidOf[acker]}`) && go('L: decode', 'L', 'h0') && go('L: handle() ACK (commit, apply)', 'L', 'h1');
    if (ok && mode === 'follower') ok = go('L: COMMIT to F posted', 'L', `s${sidOf.F}`) && go('-> F (transport)', 'F', `rp${sidOf.L}`) && go('F: decode', 'F', 'h0') && go('F: handle() COMMIT (apply)', 'F', 'h1');
    ok &&= go(`${entry}: reply posted`, entry, 's-1') && go('-> main (transport, queue)', 'M', 'Mrecv') && go('main: client session, result', 'M', 'Mres') && go('main: the caller resumes', 'M', 'Mdone');
    if (!ok) continue;
    const m = new Map<string, number>();
    const hops: Hop[] = [];
    let prev = steps[0][1];
    const seen = new Map<string, number>();
    for (const [name, x, th] of steps.slice(1)) {
      const k = (seen.get(name) ?? 0) + 1;
      seen.set(name, k);
      const key = k > 1 ? `${name} #${k}` : name;
      m.set(key, (x - prev) * 1000);
      if (name.startsWith('->')) hops.push(hopOf(key, th, prev, x));
      prev = x;
    }
    m.set('call -> caller resumes', (steps[steps.length - 1][1] - steps[0][1]) * 1000);
    result.push({ steps: m, hops, lead: leadFlush });
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
const noFrames = args.includes('--no-frames');
// --dist <dir>: a build probed already (by hand, with probes of one's own), run as it is
const dists = args.flatMap((a, i) => (args[i - 1] === '--dist' ? [a] : []));
// --load <file>: the logs of an earlier run's --json, analysed again (nothing is built or run)
const loaded = opt('--load');
const logs = new Map<string, RunLog[]>(loaded !== undefined ? Object.entries(JSON.parse(readFileSync(loaded, 'utf8')) as Record<string, RunLog[]>) : []);
const builds = loaded !== undefined ? [...logs.keys()].map((ref) => ({ ref, dist: '', cleanup: () => undefined }))
  : dists.length > 0 ? dists.map((d) => ({ ref: d, dist: d, cleanup: () => undefined })) : refs.map((ref) => ({ ref, ...probedBuild(ref) }));
try {
  for (let r = 0; r < (loaded !== undefined ? 0 : rounds); r++) {
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
const q = (xs: number[]): string => `${median(xs).toFixed(0)} / ${percentile(xs, 75).toFixed(0)} / ${percentile(xs, 90).toFixed(0)}`;
for (const mode of ['leader', 'follower'] as const) {
  const cols = builds.map((b) => {
    const ps = (logs.get(b.ref) ?? []).flatMap((l) => paths(l, mode));
    const keys: string[] = [];
    for (const p of ps) for (const k of p.steps.keys()) if (!keys.includes(k)) keys.push(k);
    const of = (k: string): number[] => ps.flatMap((p) => (p.steps.has(k) ? [p.steps.get(k)!] : []));
    return { ref: b.ref || 'working tree', ps, count: ps.length, keys, of };
  });
  const keys = cols.reduce<string[]>((acc, c) => [...acc, ...c.keys.filter((k) => !acc.includes(k))], []);
  console.log(`\nvia the ${mode}: µs per step, median / p75 / p90 (${cols.map((c) => `${c.ref}: ${c.count} creates followed`).join(', ')})`);
  console.log(`| step | ${cols.map((c) => c.ref).join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---').join('|')}|`);
  for (const k of keys) console.log(`| ${k} | ${cols.map((c) => (c.keys.includes(k) ? q(c.of(k)) : '-')).join(' | ')} |`);
  console.log(`| sum of the step medians | ${cols.map((c) => c.keys.filter((k) => k !== 'call -> caller resumes').reduce((a, k) => a + median(c.of(k)), 0).toFixed(0)).join(' | ')} |`);
  console.log(`\nthe leader's own flush (write + fdatasync on its thread), via the ${mode}: ${cols.map((c) => {
    const ls = c.ps.flatMap((p) => (p.lead ? [p.lead] : []));
    const first = ls.filter((l) => l.acks[0] < l.end);
    const both = ls.filter((l) => l.acks[1] < l.end);
    return `${c.ref}: the first ACK posted before it ended in ${((100 * first.length) / ls.length).toFixed(0)} % of creates (by ${median(first.map((l) => (l.end - l.acks[0]) * 1000)).toFixed(0)} µs median), `
      + `both in ${((100 * both.length) / ls.length).toFixed(0)} % (the second by ${median(both.map((l) => (l.end - l.acks[1]) * 1000)).toFixed(0)} µs median: ZooKeeper's leader, counting ACKs while it fsyncs, commits on those two)`;
  }).join('; ')}`);
  for (const c of cols) {
    console.log(`\n${c.ref}, via the ${mode}: each thread hop (post -> the receiver's onmessage), µs median / p75 / p90: the receiver's other tasks in between, then idle -> running`);
    console.log('| hop | total | receiver in other tasks | idle between them | then -> running | busy at the post | what it ran in between (share of creates, mean µs when it did) | other threads on a CPU while it woke (mean) |');
    console.log('|---|---|---|---|---|---|---|---|');
    const names: string[] = [];
    for (const p of c.ps) for (const h of p.hops) if (!names.includes(h.name)) names.push(h.name);
    for (const name of names) {
      const hs = c.ps.flatMap((p) => p.hops.filter((h) => h.name === name));
      const kinds = new Map<string, number[]>();
      for (const h of hs) for (const [k, v] of h.kinds) kinds.set(k, [...(kinds.get(k) ?? []), v]);
      const ran = [...kinds].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0)).slice(0, 4)
        .map(([k, v]) => `${k} ${((100 * v.length) / hs.length).toFixed(0)} % (${(v.reduce((x, y) => x + y, 0) / v.length).toFixed(0)})`).join(', ');
      const atPost = hs.filter((h) => h.atPost !== null).length;
      console.log(`| ${name} | ${q(hs.map((h) => h.total))} | ${q(hs.map((h) => h.busy))} | ${q(hs.map((h) => h.gaps))} | ${q(hs.map((h) => h.wake))} | ${((100 * atPost) / hs.length).toFixed(0)} % | ${ran} | ${(hs.reduce((a, h) => a + h.others, 0) / hs.length).toFixed(2)} |`);
    }
  }
}
