import { describe, expect, it } from 'vitest';
import { checkCheckpointSeed } from './checkpoint-check.ts';
import { InProcessSpawner } from './in-process.ts';
import { checkpointsMax, LockstepConductor, thinCheckpoints, traceHash } from './lockstep.ts';

describe('lockstep checkpoints: restore and continue = the uninterrupted run', () => {
  const seeds = Array.from({ length: Number(process.env.CHECKPOINT_SEEDS ?? 12) }, (_, i) => 1000 + i * 7919);
  for (const seed of seeds) {
    it(`seed ${seed}`, async () => {
      const r = await checkCheckpointSeed(seed);
      if (!r.ok) console.log(`seed ${seed} failed (k1 ${r.k1}, k2 ${r.k2}): hashes ${r.hashes.join(' ')} events ${r.events.join(' ')}\n  reproduce: ${r.repro}`);
      expect(r.hashes.length).toBe(3);
      expect(r.events[0]).toBeGreaterThan(100);
      expect(r.ok, r.repro).toBe(true);
    }, 60_000);
  }

  it('a failing seed names the command that reproduces it', async () => {
    const r = await checkCheckpointSeed(4242, { sabotage: true, steps: 200 });
    expect(r.ok).toBe(false);
    expect(r.repro).toBe('npm run -s checkpoint-check -- --seed 4242 --steps 200');
  }, 60_000);
});

describe('a bounded lockstep trace', () => {
  const options = { voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 31, startMs: Date.UTC(2026, 0, 1) };
  const serving = (c: LockstepConductor): boolean => c.leader() !== null && [...c.status.values()].every((s) => s.role === 'down' || s.phase === 'broadcast');

  async function run(bounded: boolean): Promise<LockstepConductor> {
    const c = new LockstepConductor(options, new InProcessSpawner());
    if (bounded) {
      c.eventsMax = 300;
      c.eventsKept = 200;
    }
    c.checkpointEvery = 50;
    await c.start();
    await c.runUntil(() => serving(c), 20_000);
    const leader = c.leader()!;
    await c.kill(leader);
    await c.runUntil(() => c.leader() !== null, 20_000);
    await c.restart(leader);
    for (let i = 0; i < 600; i++) await c.step();
    return c;
  }

  it('keeps the newest events; its hash covers every event; a rewind before the kept window replays the same', async () => {
    const a = await run(false);
    const b = await run(true);
    expect(a.events.length).toBeGreaterThan(1000);
    expect(b.events.length).toBeLessThanOrEqual(300);
    expect(b.nextSeq()).toBe(a.events.length);
    expect(b.events[0].seq).toBe(a.events.length - b.events.length);
    expect(b.events).toEqual(a.events.slice(-b.events.length));
    expect(a.traceHash()).toBe(traceHash(a.events));
    expect(b.traceHash()).toBe(a.traceHash());
    // the second checkpoint is long before b's window
    expect(b.checkpoints[1].events).toBeLessThan(b.events[0].seq);
    await a.restoreCheckpoint(a.checkpoints[1]);
    await b.restoreCheckpoint(b.checkpoints[1]);
    expect(b.traceHash()).toBe(a.traceHash());
    for (let i = 0; i < 400; i++) {
      await a.step();
      await b.step();
    }
    expect(b.nextSeq()).toBe(a.nextSeq());
    expect(b.traceHash()).toBe(a.traceHash());
    expect(b.events).toEqual(a.events.slice(-b.events.length));
    a.shutdown();
    b.shutdown();
  }, 60_000);
});

describe('thinning checkpoints', () => {
  it('keeps at most checkpointsMax, evenly spaced, the first and the newest', () => {
    const cps: { actions: number; size: number }[] = [];
    for (let a = 0; a <= 100 * 1000; a += 100) {
      cps.push({ actions: a, size: 1000 });
      thinCheckpoints(cps);
    }
    expect(cps.length).toBe(checkpointsMax);
    expect(cps[0].actions).toBe(0);
    expect(cps.at(-1)!.actions).toBe(100_000);
    let gapMax = 0;
    for (let i = 1; i < cps.length; i++) gapMax = Math.max(gapMax, cps[i].actions - cps[i - 1].actions);
    // even spacing: no gap much over run / kept
    expect(gapMax).toBeLessThanOrEqual(4 * (100_000 / checkpointsMax));
  });

  it('keeps the total size under the budget, the newest always', () => {
    const cps: { actions: number; size: number }[] = [];
    for (let a = 0; a < 50; a++) {
      cps.push({ actions: a * 10, size: 300_000 });
      thinCheckpoints(cps, 1_000_000);
      expect(cps.reduce((n, c) => n + c.size, 0)).toBeLessThanOrEqual(1_000_000);
      expect(cps.at(-1)!.actions).toBe(a * 10);
    }
    cps.push({ actions: 1000, size: 5_000_000 });
    thinCheckpoints(cps, 1_000_000);
    expect(cps).toEqual([{ actions: 1000, size: 5_000_000 }]);
  });
});
