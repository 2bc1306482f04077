import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { traceHash } from '../conductor/lockstep.ts';
import type { ServerCheckpoint } from '../host/server-checkpoint.ts';
import type { PlaygroundEvent } from './api.ts';
import { BrowserPlayground } from './browser-playground.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

function playground(checkpointEvery: number): BrowserPlayground {
  return new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner(), checkpointEvery });
}

async function stepUntil(pg: BrowserPlayground, done: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 0));
    await pg.step();
  }
  expect(done()).toBe(true);
}

/** A run with two consoles, writes, a watch, a killed leader and a restart, then plain steps. */
async function buildRun(pg: BrowserPlayground): Promise<{ out: () => string }> {
  await pg.start({ zooCfg, seed: 17, mode: 'lockstep' });
  await pg.runUntil(() => pg.leader() !== null, 20_000);
  const a = pg.openConsole('a', '127.0.0.1:2181');
  const b = pg.openConsole('b', '127.0.0.1:2182,127.0.0.1:2183');
  let out = '';
  a.onOutput((t) => {
    out += t;
  });
  a.submit('create /x one');
  await stepUntil(pg, () => out.includes('Created /x'));
  b.submit('get -w /x');
  for (let i = 0; i < 30; i++) await pg.step();
  a.submit('set /x two');
  await stepUntil(pg, () => out.split('\n').length > 6);
  const leader = pg.leader()!;
  pg.kill(leader);
  await pg.runUntil(() => pg.leader() !== null && pg.leader() !== leader, 20_000);
  pg.restart(leader);
  for (let i = 0; i < 300; i++) await pg.step();
  a.submit('create /y y');
  for (let i = 0; i < 200; i++) await pg.step();
  return { out: () => out };
}

/** The same fork in both runs: a console line, then steps (until it printed, or `steps`). */
async function fork(pg: BrowserPlayground, steps?: number): Promise<{ events: readonly PlaygroundEvent[]; steps: number; out: string }> {
  const c = pg.openConsole('f', '127.0.0.1:2183');
  let out = '';
  c.onOutput((t) => {
    out += t;
  });
  c.submit('create /fork z');
  let i = 0;
  for (; i < (steps ?? 3000) && (steps !== undefined || !out.includes('/fork')); i++) {
    await new Promise((r) => setTimeout(r, 0));
    await pg.step();
  }
  return { events: pg.events().slice(), steps: i, out };
}

describe('rewind restores a checkpoint and replays the rest: the same run as a replay from the start', () => {
  it('gives the same events, the same consoles, and the same fork, early and late in the run', async () => {
    const withCp = playground(20);
    await buildRun(withCp);
    const full = withCp.events().slice();
    const run = withCp.exportRun();
    expect(run.actions.length).toBeGreaterThan(400);
    for (const at of [0.1, 0.5, 0.95]) {
      const seq = Math.floor(full.length * at);
      // the same run, without checkpoints, rewound by replaying from the start
      const noCp = playground(0);
      await noCp.replay(run);
      expect(traceHash(noCp.events())).toBe(traceHash(full));
      await noCp.rewind(seq);
      expect(noCp.lastRewind!.checkpointAt).toBeNull();

      const again = playground(20);
      await again.replay(run);
      expect(traceHash(again.events())).toBe(traceHash(full));
      await again.rewind(seq);
      const stats = again.lastRewind!;
      if (at > 0.3) {
        expect(stats.checkpointAt).not.toBeNull();
        expect(stats.replayed).toBeLessThan(stats.actions / 2);
      }
      expect(again.events().length).toBe(noCp.events().length);
      expect(traceHash(again.events())).toBe(traceHash(noCp.events()));
      expect(traceHash(again.events())).toBe(traceHash(full.slice(0, again.events().length)));
      expect(again.exportRun().actions).toEqual(noCp.exportRun().actions);
      // a new action forks: both go on identically (restored consoles and sessions included)
      const fa = await fork(again);
      const fb = await fork(noCp, fa.steps);
      console.log(`rewind to ${at}: ${JSON.stringify(stats)}; fork printed ${JSON.stringify(fa.out.split("\n").slice(-3))}`);
      expect(fa.out).toContain('/fork');
      expect(fb.out).toBe(fa.out);
      expect(fa.events.length).toBe(fb.events.length);
      expect(traceHash(fa.events)).toBe(traceHash(fb.events));
    }
  }, 240_000);
});

describe('checkpoints that fail', () => {
  /** An in-process spawner whose servers fail to checkpoint or to restore, as told. */
  function flaky(fail: { checkpoint: boolean; restore: boolean }): InProcessSpawner {
    const s = new InProcessSpawner();
    const spawn = s.spawn.bind(s);
    s.spawn = async (config, inputs, now) => {
      const r = await spawn(config, inputs, now);
      const link = {
        ...r.link,
        checkpoint: () => (fail.checkpoint ? Promise.reject(new Error('no checkpoint')) : r.link.checkpoint!()),
        restore: (cp: ServerCheckpoint) => (fail.restore ? Promise.reject(new Error('no restore')) : r.link.restore!(cp)),
      };
      return { link, first: r.first };
    };
    return s;
  }

  it('a checkpoint that fails is skipped; a restore that fails falls back to a full replay, same events', async () => {
    const fail = { checkpoint: true, restore: false };
    const pg = new BrowserPlayground({ lockstepSpawner: () => flaky(fail), checkpointEvery: 20 });
    await pg.start({ zooCfg, seed: 23, mode: 'lockstep' });
    for (let i = 0; i < 100; i++) await pg.step();
    const ls = (pg as unknown as { lockstep: { checkpoints: unknown[]; checkpointFailures: number } }).lockstep;
    expect(ls.checkpoints.length).toBe(0);
    expect(ls.checkpointFailures).toBeGreaterThan(0);
    fail.checkpoint = false;
    fail.restore = true;
    for (let i = 0; i < 200; i++) await pg.step();
    expect(ls.checkpoints.length).toBeGreaterThan(0);
    const full = pg.events().slice();
    const seq = Math.floor(full.length * 0.8);
    await pg.rewind(seq);
    expect(pg.lastRewind!.checkpointAt).toBeNull();
    expect(traceHash(pg.events())).toBe(traceHash(full.slice(0, pg.events().length)));
  }, 60_000);
});
