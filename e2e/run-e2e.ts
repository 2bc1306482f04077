/**
 * End-to-end tests of the browser runtime: playwright-core driving Debian's chromium against
 * the built app (`vite build` + `vite preview`), one browser, tests in order, screenshots in
 * e2e/screenshots/. Run with `npm run test:e2e`.
 *
 *   1. live: three server workers elect a leader; a zkCli console writes through a follower;
 *      the leader's worker is terminated; a new leader is elected; the write is still there;
 *      the old leader restarts from its OPFS dataDir and rejoins
 *   2. reload: the page reloads; the ensemble restarts from OPFS; the write is still there
 *   3. relaunch: the browser is closed and launched again on the same profile; same
 *      then: a watch fires across consoles; the leader is partitioned away and a new one
 *      elected; heal and it rejoins; pause freezes virtual time, speed 10 runs it faster
 *   4. lockstep: a run stepped message by message in workers; the determinism proof run gives
 *      the same trace hash in Chromium as in Node (in-process servers)
 *   5. share link: a lockstep run exported to a link and opened replays to the same trace
 *   6. a live run (writes, the leader killed and restarted) exported with its schedule replays,
 *      from its JSON and from its share link, to the live run's trace hash, then steps on
 *
 * E2E_ONLY=<text> runs only the tests whose name contains it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { InProcessSpawner } from '../src/runtime/conductor/in-process.ts';
import { runProof } from '../src/runtime/conductor/proof-run.ts';

declare global {
  interface Window {
    // the runtime test page's handle (e2e/runtime-page.ts)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    __playground: any;
  }
}

const root = join(import.meta.dirname, '..');
const shots = join(root, 'e2e', 'screenshots');
const port = Number(process.env.E2E_PORT ?? 4319);
const base = `http://127.0.0.1:${port}`;
const pagePath = '/e2e/runtime.html';
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const waitMs = 30_000;

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function startPreview(): Promise<ChildProcess> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const outDir = process.env.E2E_DIST ?? 'dist';
  const child = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', outDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  for (let i = 0; i < 100; i++) {
    // a server already on the port would answer for ours, which failed (--strictPort)
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}): is port ${port} taken?`);
    try {
      const r = await fetch(base + pagePath);
      if (r.ok && child.exitCode === null) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('vite preview did not start');
}

/** SIGTERM, and SIGKILL if vite is still there a second later (it may wait on open sockets). */
async function stopPreview(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

async function launch(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs, viewport: { width: 1100, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`  [console] ${m.text()}`);
  });
  return { context, page };
}

async function open(page: Page, hash = ''): Promise<void> {
  await page.goto(base + pagePath + hash);
  await page.waitForFunction(() => window.__playground !== undefined);
}

async function startLive(page: Page, reset: boolean): Promise<number> {
  await page.evaluate(async ({ cfg, reset }) => {
    const rt = window.__playground.runtime;
    await rt.start({ zooCfg: cfg, seed: 1, mode: 'live' });
    if (reset) await rt.reset();
  }, { cfg: zooCfg, reset });
  return waitLeader(page, null);
}

async function waitLeader(page: Page, not: number | null): Promise<number> {
  const h = await page.waitForFunction((not) => {
    const st = window.__playground.runtime.status() as { role: string; phase: string; sid: number }[];
    const l = st.find((s) => s.role === 'leading' && s.phase === 'broadcast');
    const allServing = st.every((s) => s.role === 'down' || s.phase === 'broadcast');
    return l && l.sid !== not && allServing ? l.sid : null;
  }, not, { timeout: waitMs, polling: 100 });
  return (await h.jsonValue()) as number;
}

function exec(page: Page, name: string, connectString: string, line: string): Promise<string> {
  return page.evaluate(({ name, cs, line }) => window.__playground.exec(name, cs, line) as Promise<string>, { name, cs: connectString, line });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// ----- the tests ---------------------------------------------------------------------------

async function liveElectWriteKill(page: Page): Promise<void> {
  await open(page);
  let t0 = Date.now();
  const lap = (what: string): void => {
    console.log(`  ${what}: ${Date.now() - t0} ms`);
    t0 = Date.now();
  };
  const leader = await startLive(page, true);
  lap('three workers started and elected');
  const follower = [1, 2, 3].find((s) => s !== leader)!;
  const address = `127.0.0.1:${2180 + follower}`;
  console.log(`  leader is server ${leader}; the client connects to follower ${follower} (${address})`);
  const created = await exec(page, 'c1', address, 'create /e2e hello-from-a-follower');
  assert(created.includes('Created /e2e'), `create printed ${JSON.stringify(created)}`);
  lap('connect + create through the follower');
  await shot(page, '1-live-elected-and-written');
  await page.evaluate((sid) => window.__playground.runtime.kill(sid), leader);
  const next = await waitLeader(page, leader);
  lap(`killed server ${leader}'s worker; new leader ${next} serving`);
  const got = await exec(page, 'c1', address, 'get /e2e');
  lap('get after re-election (the client reconnects)');
  assert(got.includes('hello-from-a-follower'), `get printed ${JSON.stringify(got)}`);
  await shot(page, '2-live-leader-killed-reelected');
  await page.evaluate((sid) => window.__playground.runtime.restart(sid), leader);
  await page.waitForFunction((sid) => {
    const st = window.__playground.runtime.status() as { sid: number; role: string; phase: string }[];
    return st.find((s) => s.sid === sid)?.phase === 'broadcast';
  }, leader, { timeout: waitMs });
  lap(`server ${leader} restarted from OPFS and synced`);
  const z = await page.evaluate((sid) => window.__playground.runtime.znode(sid, '/e2e'), leader);
  assert(z !== null && new TextDecoder().decode(new Uint8Array(Object.values(z.data as Record<string, number>))) === 'hello-from-a-follower', `restarted server ${leader} has /e2e`);
  await shot(page, '3-live-old-leader-restarted');
}

async function reloadKeepsData(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => window.__playground !== undefined);
  const leader = await startLive(page, false);
  const got = await exec(page, 'c2', `127.0.0.1:${2180 + leader}`, 'get /e2e');
  assert(got.includes('hello-from-a-follower'), `after reload get printed ${JSON.stringify(got)}`);
  await shot(page, '4-reload-data-still-there');
}

/** Lists zk-playground/server-<sid> in OPFS from the page: the dataDir ZooKeeper would have. */
async function opfsLayout(page: Page): Promise<void> {
  // a string, not a function: tsx names nested functions with a helper the page does not have
  const script = `(async () => {
    const top = await navigator.storage.getDirectory();
    const root = await top.getDirectoryHandle('zk-playground');
    const out = {};
    async function walk(dir, prefix, files) {
      for await (const [n, e] of dir.entries()) {
        if (e.kind === 'directory') { await walk(e, prefix + n + '/', files); continue; }
        // a file a worker holds a sync access handle on may refuse getFile()
        const f = await e.getFile().catch(() => null);
        files[prefix + n] = f === null ? -1 : n === 'myid' ? (await f.text()).trim() : f.size;
      }
    }
    for await (const [name, entry] of root.entries()) {
      if (entry.kind !== 'directory') continue;
      out[name] = {};
      await walk(entry, '', out[name]);
    }
    return out;
  })()`;
  const listing = async (): Promise<Record<string, Record<string, number | string>>> => page.evaluate(script) as Promise<Record<string, Record<string, number | string>>>;
  let dirs: Record<string, Record<string, number | string>> = {};
  for (let i = 0; i < 50; i++) {
    dirs = await listing();
    const ok = [1, 2, 3].every((sid) => {
      const d = dirs[`server-${sid}`] ?? {};
      const names = Object.keys(d);
      return ['myid', 'version-2/acceptedEpoch', 'version-2/currentEpoch'].every((n) => n in d)
        && names.some((n) => /^version-2\/log\.[0-9a-f]+$/.test(n)) && names.some((n) => /^version-2\/snapshot\.[0-9a-f]+$/.test(n))
        && names.every((n) => n === 'myid' || /^version-2\/(acceptedEpoch|currentEpoch|log\.[0-9a-f]+|snapshot\.[0-9a-f]+)$/.test(n));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const sid of [1, 2, 3]) {
    const d = dirs[`server-${sid}`] ?? {};
    console.log(`  server-${sid}: ${Object.entries(d).map(([n, v]) => `${n} (${n === 'myid' ? v : `${v} B`})`).join(', ')}`);
    assert(d.myid === String(sid) || d.myid === -1, `server-${sid}/myid is ${String(d.myid)}`);
    const names = Object.keys(d);
    assert(['myid', 'version-2/acceptedEpoch', 'version-2/currentEpoch'].every((n) => n in d), `server-${sid} has myid and both epoch files: ${names.join(' ')}`);
    assert(names.some((n) => /^version-2\/log\.[0-9a-f]+$/.test(n)), `server-${sid} has a txn log: ${names.join(' ')}`);
    assert(names.some((n) => /^version-2\/snapshot\.[0-9a-f]+$/.test(n)), `server-${sid} has a snapshot: ${names.join(' ')}`);
    assert(names.every((n) => n === 'myid' || /^version-2\/(acceptedEpoch|currentEpoch|log\.[0-9a-f]+|snapshot\.[0-9a-f]+)$/.test(n)), `server-${sid} holds only dataDir files: ${names.join(' ')}`);
    const meta = dirs[`server-${sid}.meta`] ?? {};
    console.log(`  server-${sid}.meta: ${Object.entries(meta).map(([n, v]) => `${n} (${v} B)`).join(', ')}`);
  }
}

async function faultsAndTime(page: Page): Promise<void> {
  const leader = await waitLeader(page, null);
  const others = [1, 2, 3].filter((s) => s !== leader);
  // a watch set through one console fires when another console changes the node
  const a = `127.0.0.1:${2180 + others[0]}`;
  const b = `127.0.0.1:${2180 + others[1]}`;
  await exec(page, 'w1', a, 'get -w /e2e');
  await exec(page, 'w2', b, 'set /e2e changed');
  await page.waitForFunction(() => document.getElementById('console')!.textContent!.includes('type:NodeDataChanged path:/e2e'), null, { timeout: waitMs });
  // partition the leader away: the other two elect one of themselves; heal: it rejoins
  await page.evaluate(({ leader, others }) => window.__playground.runtime.partition([[leader], others]), { leader, others });
  const h = await page.waitForFunction((others) => {
    const st = window.__playground.runtime.status() as { role: string; phase: string; sid: number }[];
    const l = st.find((s) => s.role === 'leading' && s.phase === 'broadcast' && others.includes(s.sid));
    return l ? l.sid : null;
  }, others, { timeout: waitMs, polling: 100 });
  const next = (await h.jsonValue()) as number;
  await shot(page, '5-live-partitioned');
  await page.evaluate(() => window.__playground.runtime.heal());
  await page.waitForFunction((old) => {
    const st = window.__playground.runtime.status() as { role: string; phase: string; sid: number }[];
    return st.every((s) => s.phase === 'broadcast') && st.find((s) => s.sid === old)?.role === 'following';
  }, leader, { timeout: waitMs, polling: 100 });
  console.log(`  leader ${leader} partitioned away, ${next} elected; healed, ${leader} follows`);
  // pause freezes virtual time everywhere; speed 10 runs it ten times faster
  const t = await page.evaluate(async () => {
    const rt = window.__playground.runtime;
    rt.pause();
    const p0 = rt.now();
    await new Promise((r) => setTimeout(r, 400));
    const p1 = rt.now();
    rt.setSpeed(10);
    rt.resume();
    const f0 = rt.now();
    await new Promise((r) => setTimeout(r, 400));
    const f1 = rt.now();
    rt.setSpeed(1);
    return { paused: p1 - p0, fast: f1 - f0 };
  });
  console.log(`  paused 400 ms: virtual time moved ${t.paused} ms; at 10x, 400 ms wall = ${t.fast} virtual ms`);
  assert(t.paused === 0, 'pause freezes virtual time');
  assert(t.fast >= 3000, 'speed 10 runs time ten times faster');
  const got = await exec(page, 'w1', a, 'get /e2e');
  assert(got.includes('changed'), `after all that, get printed ${JSON.stringify(got)}`);
}

async function throughputAndReset(page: Page): Promise<void> {
  const leader = await waitLeader(page, null);
  const n = 200;
  const r = await page.evaluate(async ({ n, cs }) => {
    const p = window.__playground;
    const c = p.consoles.get('w1') ?? p.openConsole('w1', cs);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) c.submit(`create /bench-${i} x`);
    await c.idle();
    return { ms: performance.now() - t0, events: p.runtime.events().length };
  }, { n, cs: `127.0.0.1:${2180 + leader}` });
  console.log(`  ${n} sequential creates through zkCli at 1x: ${r.ms.toFixed(0)} ms (${(r.ms / n).toFixed(2)} ms per write, each fsynced to OPFS on a quorum)`);
  await page.evaluate(() => window.__playground.runtime.reset());
  const l2 = await waitLeader(page, null);
  const got = await exec(page, 'r1', `127.0.0.1:${2180 + l2}`, 'ls /');
  assert(got.includes('[zookeeper]') && !got.includes('e2e'), `after reset ls / printed ${JSON.stringify(got)}`);
  const made = await exec(page, 'r1', `127.0.0.1:${2180 + l2}`, 'create /after-reset kept');
  assert(made.includes('Created /after-reset'), `create printed ${JSON.stringify(made)}`);
  await shot(page, '5b-live-reset');
}

async function lockstepStepping(page: Page): Promise<void> {
  await open(page);
  const r = await page.evaluate(async (cfg) => {
    const rt = window.__playground.runtime;
    await rt.start({ zooCfg: cfg, seed: 7, mode: 'lockstep' });
    const counts: number[] = [];
    for (let i = 0; i < 25; i++) {
      counts.push(rt.inFlight().length);
      if (rt.inFlight().length > 0) await rt.deliver();
      else await rt.advanceToNextTimeout();
    }
    const before = rt.events().length;
    await rt.runUntil(() => rt.leader() !== null, 20000);
    return { counts, before, after: rt.events().length, leader: rt.leader(), hash: rt.traceHash() };
  }, zooCfg);
  console.log(`  stepped 25 times (in flight: ${r.counts.join(',')}), then ran to leader ${r.leader}`);
  assert(r.counts.some((n: number) => n > 0), 'messages were in flight');
  assert(r.leader !== null, 'lockstep elected a leader');
  await shot(page, '6-lockstep-stepped');
}

async function determinism(page: Page): Promise<void> {
  const node = await runProof(new InProcessSpawner());
  await open(page);
  const browser = await page.evaluate(() => window.__playground.runProof() as Promise<{ hash: string; events: number; firstLeader: number; secondLeader: number; data: string }>);
  console.log(`  Node:     ${node.hash} (${node.events} events, leaders ${node.firstLeader} -> ${node.secondLeader}, data ${node.data})`);
  console.log(`  Chromium: ${browser.hash} (${browser.events} events, leaders ${browser.firstLeader} -> ${browser.secondLeader}, data ${browser.data})`);
  assert(browser.hash === node.hash, 'the browser trace hash equals the Node trace hash');
  assert(node.data === 'v1', 'the proof run read its write back');
}

async function shareLink(page: Page): Promise<void> {
  await open(page);
  const first = await page.evaluate(async (cfg) => {
    const p = window.__playground;
    const rt = p.runtime;
    await rt.start({ zooCfg: cfg, seed: 11, mode: 'lockstep' });
    await rt.runUntil(() => rt.leader() !== null, 20000);
    const leader = rt.leader();
    rt.kill(leader);
    for (let i = 0; i < 400 && (rt.leader() === null || rt.leader() === leader); i++) await rt.step();
    return { hash: rt.traceHash(), link: p.shareHash(rt.exportRun()) as string, actions: rt.exportRun().actions.length };
  }, zooCfg);
  console.log(`  run of ${first.actions} actions, share link of ${first.link.length} characters`);
  await page.goto('about:blank');
  await open(page, first.link);
  const replayed = await page.evaluate(async () => {
    const p = window.__playground;
    const run = p.runFromHash(location.hash);
    await p.runtime.replay(run);
    return p.runtime.traceHash() as string;
  });
  assert(replayed === first.hash, `the replayed run's trace hash ${replayed} equals the original ${first.hash}`);
  await shot(page, '7-share-link-replayed');
  // rewind to the middle: the trace is the original's prefix; then a different action forks
  const rewound = await page.evaluate(async () => {
    const p = window.__playground;
    const rt = p.runtime;
    const all = rt.events().slice();
    const seq = Math.floor(all.length / 2);
    await rt.rewind(seq);
    const now = rt.events().slice();
    const prefixSame = p.traceHash(now) === p.traceHash(all.slice(0, now.length));
    await rt.kill(1);
    const forked = rt.exportRun().actions.at(-1).action;
    return { seq, kept: now.length, total: all.length, prefixSame, forked };
  });
  console.log(`  rewound to event ${rewound.seq}: ${rewound.kept} of ${rewound.total} events replayed, same prefix: ${rewound.prefixSame}; forked with "${rewound.forked}"`);
  assert(rewound.prefixSame, 'a rewound run is a prefix of the original');
  assert(rewound.kept <= rewound.seq + 1 + 200 && rewound.kept > 0, 'rewind stops near the chosen event');
  // a long run: a rewind late in it restores a checkpoint and replays only the actions after it
  const late = await page.evaluate(async (cfg) => {
    const p = window.__playground;
    const rt = p.runtime;
    await rt.start({ zooCfg: cfg, seed: 13, mode: 'lockstep' });
    await rt.runUntil(() => rt.leader() !== null, 20000);
    const leader = rt.leader();
    rt.kill(leader);
    for (let i = 0; i < 1500; i++) await rt.step();
    rt.restart(leader);
    for (let i = 0; i < 500; i++) await rt.step();
    const all = rt.events().slice();
    const actions = rt.exportRun().actions.length;
    const t0 = performance.now();
    await rt.rewind(Math.floor(all.length * 0.9));
    const ms = performance.now() - t0;
    const now = rt.events().slice();
    return { actions, stats: rt.lastRewind, ms: Math.round(ms), prefixSame: p.traceHash(now) === p.traceHash(all.slice(0, now.length)), kept: now.length, total: all.length };
  }, zooCfg);
  console.log(`  late rewind in a run of ${late.actions} actions: ${JSON.stringify(late.stats)}, ${late.kept} of ${late.total} events, ${late.ms} ms`);
  assert(late.stats !== null && late.stats.checkpointAt !== null, 'a late rewind restored a checkpoint');
  assert(late.stats.replayed < late.actions / 10, `it replayed ${late.stats.replayed} of the run's ${late.actions} actions`);
  assert(late.prefixSame && late.kept > late.total / 2, 'the run after a late rewind is a prefix of the original');
}

/**
 * A rewind to a checkpoint taken while a server was down (its dataDir rewritten by a worker of
 * its own), a fork that restarts it: the same run, exported and replayed in Node, hashes the same.
 */
async function rewindDownServer(page: Page): Promise<void> {
  await open(page);
  const r = await page.evaluate(async (cfg) => {
    const rt = window.__playground.runtime;
    await rt.start({ zooCfg: cfg, seed: 19, mode: 'lockstep' });
    await rt.runUntil(() => rt.leader() !== null, 20000);
    const c = rt.openConsole('w', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
    c.submit('create /w before');
    for (let i = 0; i < 200; i++) await rt.step();
    await c.idle();
    const leader = rt.leader();
    rt.kill(leader);
    for (let i = 0; i < 400; i++) await rt.step();
    rt.restart(leader);
    for (let i = 0; i < 300; i++) await rt.step();
    const killedAt = rt.events().findIndex((e: { type: string; what?: string }) => e.type === 'fault' && e.what === 'kill');
    const restartedAt = rt.events().findIndex((e: { type: string; what?: string }) => e.type === 'fault' && e.what === 'restart');
    await rt.rewind(Math.floor((killedAt + restartedAt) / 2));
    const stats = rt.lastRewind;
    rt.restart(leader);
    for (let i = 0; i < 300; i++) await rt.step();
    return { stats, leader, hash: rt.traceHash(), run: rt.exportRun(), status: rt.status().map((s: { role: string }) => s.role) };
  }, zooCfg);
  const { BrowserPlayground } = await import('../src/runtime/playground/browser-playground.ts');
  const node = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
  await node.replay(r.run);
  console.log(`  rewound into server ${r.leader}'s downtime: ${JSON.stringify(r.stats)}; then restarted it: ${r.status.join(', ')}`);
  assert(r.stats !== null && r.stats.checkpointAt !== null, 'the rewind restored a checkpoint taken while the server was down');
  assert(!r.status.includes('down'), 'the restarted server came back from its restored dataDir');
  assert(node.traceHash() === r.hash, `the run replayed in Node hashes ${node.traceHash()}, Chromium ${r.hash}`);
}

/**
 * A live run in workers (fresh dataDirs): writes through a console, the leader killed and
 * restarted, more writes; exported with its schedule; replayed in a new page from its JSON and
 * from its share link: each replay's trace streams hash as the live run's, and the lockstep
 * run it leaves steps on and answers a console.
 */
async function liveReplay(page: Page): Promise<void> {
  await open(page);
  const cs = '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183';
  const leader = await startLive(page, true);
  for (let i = 0; i < 5; i++) {
    const out = await exec(page, 'r1', cs, `create /r${i} v${i}`);
    assert(out.includes(`Created /r${i}`), `create printed ${JSON.stringify(out)}`);
  }
  await page.evaluate((sid) => window.__playground.runtime.kill(sid), leader);
  const second = await waitLeader(page, leader);
  // the console's session moves to a live server (ConnectionLoss meanwhile): set again until it went through
  let set = '';
  for (let i = 0; i < 10; i++) {
    set = await exec(page, 'r1', cs, 'set /r0 after-kill');
    if (!set.includes('KeeperErrorCode')) break;
  }
  assert(!set.includes('KeeperErrorCode') && !set.includes('Exception'), `set printed ${JSON.stringify(set)}`);
  await page.evaluate((sid) => window.__playground.runtime.restart(sid), leader);
  await waitLeader(page, null);
  const got = await exec(page, 'r1', cs, 'get /r0');
  assert(got.includes('after-kill'), `get printed ${JSON.stringify(got)}`);
  const rec = await page.evaluate(async () => {
    const p = window.__playground;
    const t0 = performance.now();
    const r = await p.runtime.exportRunExact();
    const ms = performance.now() - t0;
    return { json: p.runToJson(r) as string, link: p.shareHash(r) as string, hash: r.live?.hash as string | undefined, inexact: r.inexact as string | undefined, events: r.live?.events as number, servers: r.live?.servers.length as number, ms };
  });
  assert(rec.hash !== undefined, `the live run exported its schedule (${rec.inexact ?? ''})`);
  console.log(`  live run: leader ${leader} killed, ${second} led, ${rec.servers} incarnations, ${rec.events} events hashed ${rec.hash}; export ${rec.ms.toFixed(0)} ms, JSON ${rec.json.length} chars, share link ${rec.link.length} chars`);
  await page.goto('about:blank');
  await open(page);
  const fromJson = await page.evaluate(async (json) => {
    const p = window.__playground;
    const t0 = performance.now();
    await p.runtime.replay(p.runFromJson(json));
    return { check: p.runtime.replayCheck(), ms: performance.now() - t0 };
  }, rec.json);
  console.log(`  replayed from JSON in ${fromJson.ms.toFixed(0)} ms: ${JSON.stringify(fromJson.check)}`);
  assert(fromJson.check?.exact === true && fromJson.check.got === rec.hash, `the replay hashes as the live run (${fromJson.check?.reason ?? ''})`);
  await page.goto('about:blank');
  await open(page, rec.link);
  const fromLink = await page.evaluate(async (cs) => {
    const p = window.__playground;
    await p.runtime.replay(p.runFromHash(location.hash));
    const check = p.runtime.replayCheck();
    // the lockstep run it leaves: a console's read, stepped
    const c = p.openConsole('after', cs);
    let out = '';
    c.onOutput((t: string) => {
      out += t;
    });
    c.submit('get /r0');
    for (let i = 0; i < 5000 && !out.includes('after-kill') && !out.includes('Exception'); i++) if (!(await p.runtime.step())) break;
    return { check, out };
  }, cs);
  assert(fromLink.check?.exact === true && fromLink.check.got === rec.hash, `the share link's replay hashes as the live run (${fromLink.check?.reason ?? ''})`);
  assert(fromLink.out.includes('after-kill'), `the lockstep run after the replay answered ${JSON.stringify(fromLink.out)}`);
  await shot(page, '8-live-run-replayed');
}

async function liveSurvivesLockstep(page: Page): Promise<void> {
  await open(page);
  const leader = await startLive(page, false);
  const got = await exec(page, 'k1', `127.0.0.1:${2180 + leader}`, 'get /after-reset');
  assert(got.includes('kept'), `get printed ${JSON.stringify(got)}`);
}

async function main(): Promise<void> {
  mkdirSync(shots, { recursive: true });
  const preview = await startPreview();
  const profile = mkdtempSync(join(tmpdir(), 'zk-e2e-'));
  let failed = 0;
  let { context, page } = await launch(profile);
  const tests = ([
    ['live: elect, write through a follower, kill the leader, re-elect, restart', () => liveElectWriteKill(page)],
    ['reload: the ensemble comes back from OPFS with the write', () => reloadKeepsData(page)],
    ['relaunch: a new browser on the same profile still has the write', async () => {
      await context.close();
      ({ context, page } = await launch(profile));
      await open(page);
      await reloadKeepsData(page);
    }],
    ["OPFS: each server's dataDir is real files in ZooKeeper's layout", () => opfsLayout(page)],
    ['live: a watch fires; partition the leader away and heal; pause and speed', () => faultsAndTime(page)],
    ['live: write throughput; reset wipes the dataDirs', () => throughputAndReset(page)],
    ['lockstep: step message by message in workers', () => lockstepStepping(page)],
    ['determinism: the same lockstep run hashes the same in Chromium and in Node', () => determinism(page)],
    ['share link: an exported run replays to the same trace; rewind gives its prefix and forks', () => shareLink(page)],
    ['rewind into a server\'s downtime (its dataDir from the checkpoint), restart it: Node replays the same', () => rewindDownServer(page)],
    ['live dataDirs survive lockstep runs (they keep their own)', () => liveSurvivesLockstep(page)],
    ['live replay: a live run with a leader kill and restart replays from its JSON and share link to the same trace hash', () => liveReplay(page)],
  ] satisfies [string, () => Promise<void>][]).filter(([name]) => process.env.E2E_ONLY === undefined || name.includes(process.env.E2E_ONLY));
  try {
    for (const [name, fn] of tests) {
      const t0 = Date.now();
      try {
        await fn();
        console.log(`✓ ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`✗ ${name}\n  ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        await shot(page, `failed-${name.split(':')[0]}`).catch(() => {});
      }
    }
  } finally {
    await context.close();
    await stopPreview(preview);
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(failed === 0 ? `e2e: all ${tests.length} passed` : `e2e: ${failed} of ${tests.length} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
