import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.ts';
import { BrowserPlayground } from '../playground/browser-playground.ts';
import { runFromHash, runFromJson, runToJson, shareHash, versionTwoInexact } from '../playground/run-record.ts';
import type { RunRecord } from '../playground/api.ts';
import { InProcessSpawner } from './in-process.ts';
import { inProcessLiveWorkers } from './in-process-live.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const connectString = '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(5);
  return cond();
}

/**
 * A live run of in-process workers (the live worker loop, every message delayed a random number
 * of tasks from `seed`): a console writing and reading, a leader killed and restarted, a
 * partition and its heal, a tab completion, random waits at 10× speed. Returns its exact record.
 */
async function liveRun(seed: number, disks = new Map<number, MemoryDisk>()): Promise<{ record: RunRecord; out: string }> {
  const rng = new Rng(seed);
  const pg = new BrowserPlayground({ liveWorkers: inProcessLiveWorkers(() => rng.next(), disks) });
  await pg.start({ zooCfg, seed, mode: 'live' });
  pg.setSpeed(10);
  let out = '';
  const c = pg.openConsole('c1', connectString);
  c.onOutput((t) => {
    out += t;
  });
  expect(await waitFor(() => pg.leader() !== null, 10_000)).toBe(true);
  const down: number[] = [];
  for (let i = 0; i < 18; i++) {
    const r = rng.next();
    if (r < 0.45) c.submit(rng.next() < 0.5 ? `create /k${i} v${i}` : `set /k${i - 1} w${i}`);
    else if (r < 0.55) c.submit('ls /');
    else if (r < 0.62) void c.complete('ls /k');
    else if (r < 0.72 && down.length === 0) {
      const victim = pg.leader() ?? 1 + Math.floor(rng.next() * 3);
      pg.kill(victim);
      down.push(victim);
    } else if (r < 0.82 && down.length > 0) pg.restart(down.shift()!);
    else if (r < 0.88) {
      const x = 1 + Math.floor(rng.next() * 3);
      pg.partition([[x], [1, 2, 3].filter((s) => s !== x)], rng.next() < 0.3);
    }
    else if (r < 0.94) pg.heal();
    else if (r < 0.96) {
      // a second console for a moment: its session opens, writes and closes
      const c2 = pg.openConsole(`x${i}`, connectString);
      c2.submit(`create -e /eph${i} x`);
      await sleep(Math.floor(rng.next() * 60));
      c2.close();
    } else if (r < 0.98) {
      pg.pause();
      await sleep(Math.floor(rng.next() * 40));
      pg.resume();
    } else pg.bulkCreate({ parent: `/bulk${i}`, count: 30, batch: 10, window: 2, connectString });
    await sleep(Math.floor(rng.next() * 120));
  }
  if (down.length > 0) pg.restart(down.shift()!);
  pg.heal();
  c.submit('create /last end');
  await waitFor(() => out.includes('Created /last'), 6000);
  const record = await pg.exportRunExact();
  pg.shutdown();
  return { record, out };
}

function replayer(): BrowserPlayground {
  return new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
}

describe('a live run replays exactly (in-process workers, random interleavings)', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  for (const seed of seeds) {
    it(`seed ${seed}: the replay's trace streams hash as the live run's; it goes on in lockstep`, async () => {
      const { record, out } = await liveRun(seed);
      expect(record.inexact).toBeUndefined();
      expect(record.live).toBeDefined();
      const live = record.live!;
      expect(live.servers.length).toBeGreaterThanOrEqual(3);
      const kills = live.actions.filter((a) => a.action.startsWith('kill')).length;
      console.log(`seed ${seed}: ${live.events} events in ${live.servers.length} server incarnations (${kills} killed), ${live.main.length + live.servers.reduce((n, x) => n + x.steps.length, 0)} schedule numbers, ${live.actions.length} actions (${[...new Set(live.actions.map((a) => a.action.split(' ')[0].replace(/^\S+>$/, 'line')))].join(', ')})`);
      // through its JSON (bigints, dataDir bytes) and its share link
      const back = runFromHash(shareHash(runFromJson(runToJson(record))))!;
      const pg = replayer();
      await pg.replay(back);
      const check = pg.replayCheck();
      expect(check?.reason ?? null).toBeNull();
      expect(check).toMatchObject({ exact: true, expected: live.hash, got: live.hash });
      // the user is in a lockstep run where the live one was: it steps on and takes a command
      expect(pg.mode()).toBe('lockstep');
      await pg.runUntil(() => pg.leader() !== null, 50_000);
      const c2 = pg.openConsole('c2', connectString);
      let out2 = '';
      c2.onOutput((t) => {
        out2 += t;
      });
      // (ConnectionLoss while its session finds a serving server: ask again)
      for (let attempt = 0; attempt < 5 && !/end\n|Node does not exist/.test(out2); attempt++) {
        const before = out2.length;
        c2.submit('get /last');
        for (let i = 0; i < 20_000 && out2.slice(before).match(/end\n|Node does not exist|KeeperErrorCode/) === null; i++) {
          await Promise.resolve();
          if (!(await pg.step())) break;
        }
      }
      // the live run's last write made it (then it is there), or was still under way (then it may be)
      expect(out2).toMatch(out.includes('Created /last') ? /end\n/ : /end\n|Node does not exist/);
      // its export is the live schedule and the lockstep actions after it: replaying it gives the same trace
      const continued = pg.exportRun();
      expect(continued.live?.hash).toBe(live.hash);
      const hash = pg.traceHash();
      const pg3 = replayer();
      await pg3.replay(runFromJson(runToJson(continued)));
      expect(pg3.replayCheck()?.exact).toBe(true);
      expect(pg3.traceHash()).toBe(hash);
      pg.shutdown();
      pg3.shutdown();
    }, 60_000);
  }

  it('a live run that started from the dataDirs an earlier one left (a page reload) carries them and replays exactly', async () => {
    const disks = new Map<number, MemoryDisk>();
    await liveRun(21, disks);
    const { record } = await liveRun(22, disks);
    const live = record.live!;
    expect(live.startFiles.map((f) => f.sid).sort()).toEqual([1, 2, 3]);
    const pg = replayer();
    await pg.replay(runFromJson(runToJson(record)));
    expect(pg.replayCheck()).toMatchObject({ exact: true, got: live.hash });
    pg.shutdown();
  }, 60_000);

  it('a record that was tampered with does not replay silently: the check says how it differs', async () => {
    const { record } = await liveRun(11);
    const live = record.live!;
    // one server step a millisecond later: its trace times differ
    const steps = [...live.servers[0].steps];
    steps[0] += 1;
    const tampered: RunRecord = { ...record, live: { ...live, servers: [{ ...live.servers[0], steps }, ...live.servers.slice(1)] } };
    const pg = replayer();
    await pg.replay(tampered);
    const check = pg.replayCheck()!;
    expect(check.exact).toBe(false);
    expect(check.reason).not.toBeNull();
    pg.shutdown();
  }, 60_000);

  it('a version 2 record loads: its actions as they were, a live schedule dropped as inexact (it hashes the old events)', async () => {
    const { record } = await liveRun(11);
    const v2 = runFromJson(JSON.stringify({ ...JSON.parse(runToJson(record)), version: 2 }));
    expect(v2.version).toBe(3);
    expect(v2.live).toBeUndefined();
    expect(v2.inexact).toBe(versionTwoInexact);
    expect(v2.actions).toEqual(record.actions);
    const lockstep = runFromJson(JSON.stringify({ version: 2, config: { zooCfg, seed: 3, mode: 'lockstep' }, actions: [{ t: 0, action: 'advance' }] }));
    expect(lockstep).toMatchObject({ version: 3, actions: [{ t: 0, action: 'advance' }] });
    expect(lockstep.inexact).toBeUndefined();
    const pg = replayer();
    await pg.replay(v2);
    expect(pg.replayCheck()).toMatchObject({ exact: false, reason: versionTwoInexact });
    pg.shutdown();
  }, 60_000);

  it('an old lockstep record (version 1) still loads; a live record without a schedule says it is not exact', async () => {
    const v1 = runFromJson(JSON.stringify({ version: 1, config: { zooCfg, seed: 3, mode: 'lockstep' }, actions: [{ t: 0, action: 'advance' }] }));
    expect(v1.actions).toHaveLength(1);
    expect(v1.live).toBeUndefined();
    expect(() => runFromJson(JSON.stringify({ version: 9, config: {}, actions: [] }))).toThrow(/run version 9/);
    const pg = replayer();
    await pg.replay({ version: 3, config: { zooCfg, seed: 3, mode: 'live' }, actions: [], inexact: 'the run is too long to replay exactly' });
    expect(pg.replayCheck()).toMatchObject({ exact: false, reason: 'the run is too long to replay exactly' });
    pg.shutdown();
  });
});
