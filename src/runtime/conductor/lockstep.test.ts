import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from './in-process.ts';
import { LockstepConductor } from './lockstep.ts';
import { runProof } from './proof-run.ts';

describe('lockstep conductor (in-process servers)', () => {
  it('elects, writes through a follower, survives a broken Zab link and the leader dying', async () => {
    const r = await runProof(new InProcessSpawner());
    expect(r.firstLeader).not.toBeNull();
    expect(r.secondLeader).not.toBeNull();
    expect(r.secondLeader).not.toBe(r.firstLeader);
    expect(r.data).toBe('v1');
    console.log(`proof run: ${r.events} events, ${r.virtualMs} virtual ms, leaders ${r.firstLeader} then ${r.secondLeader}, trace hash ${r.hash}`);
  });

  it('is deterministic: the same run twice gives the same trace hash', async () => {
    const a = await runProof(new InProcessSpawner());
    const b = await runProof(new InProcessSpawner());
    expect(b.hash).toBe(a.hash);
  });
});

describe('lockstep faults and replay', () => {
  const options = { voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 5, startMs: Date.UTC(2026, 0, 1) };
  const serving = (c: LockstepConductor): boolean => c.leader() !== null && [...c.status.values()].every((s) => s.role === 'down' || s.phase === 'broadcast');

  it('a partitioned leader loses its followers; after heal the ensemble converges', async () => {
    const c = new LockstepConductor(options, new InProcessSpawner());
    await c.start();
    expect(await c.runUntil(() => serving(c), 20_000)).toBe(true);
    const old = c.leader()!;
    const others = c.sids().filter((s) => s !== old);
    await c.partition([[old], others]);
    expect(await c.runUntil(() => c.leader() !== null && c.leader() !== old && others.every((s) => c.status.get(s)!.phase === 'broadcast'), 20_000)).toBe(true);
    await c.heal();
    expect(await c.runUntil(() => serving(c) && c.status.get(old)!.role === 'following', 50_000)).toBe(true);
    const digests = new Set([...c.status.values()].map((s) => s.treeDigest));
    expect(digests.size).toBe(1);
    const kinds = new Set(c.events.map((e) => e.type));
    for (const k of ['messageSent', 'messageDelivered', 'messageDropped', 'connectionBroken', 'roleChanged', 'vote', 'persisted', 'fault']) expect(kinds).toContain(k);
    c.shutdown();
  });

  it('replaying the recorded actions on a fresh run gives the same trace', async () => {
    const a = new LockstepConductor(options, new InProcessSpawner());
    await a.start();
    await a.runUntil(() => serving(a), 20_000);
    await a.partition([[1], [2, 3]], true);
    for (let i = 0; i < 50; i++) await a.step();
    const someMsg = a.inFlightMessages()[0];
    if (someMsg) await a.delay(someMsg.msgId, 500);
    await a.heal();
    await a.kill(2);
    await a.runUntil(() => serving(a), 20_000);
    const b = new LockstepConductor(options, new InProcessSpawner());
    await b.start();
    for (const x of a.actions) expect(await b.applyAction(x.action)).toBe(true);
    expect(b.events.length).toBe(a.events.length);
    expect(b.traceHash()).toBe(a.traceHash());
  });
});
