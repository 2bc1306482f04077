import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from './in-process.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import type { HostLink, HostSpawner } from './host-link.ts';
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

describe('lockstep shapes and crashes', () => {
  it('an observer follows the leader and applies the writes', async () => {
    const c = new LockstepConductor({ voters: [1, 2, 3], observers: [4], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 3, startMs: Date.UTC(2026, 0, 1) }, new InProcessSpawner());
    await c.start();
    expect(await c.runUntil(() => c.leader() !== null && [...c.status.values()].every((s) => s.phase === 'broadcast'), 20_000)).toBe(true);
    expect(c.status.get(4)!.role).toBe('observing');
    expect(c.status.get(4)!.observer).toBe(true);
    const done = new Set<number>();
    const s = c.addClient('127.0.0.1:2184', 30_000, () => {}, (id) => done.add(id));
    const id = c.call(s, { type: 'create', path: '/o', data: null, acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 });
    await c.settled();
    expect(await c.runUntil(() => done.has(id), 20_000)).toBe(true);
    await c.runFor(100);
    expect(new Set([...c.status.values()].map((x) => x.treeDigest)).size).toBe(1);
    // one `proposed` per txn (the session's and the create), though each PROPOSAL went to both followers
    const proposed = c.events.filter((e) => e.type === 'proposed');
    expect(proposed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proposed.map((e) => e.zxid)).size).toBe(proposed.length);
    expect(c.events.filter((e) => e.type === 'messageSent' && e.kind === 'proposal')).toHaveLength(2 * proposed.length);
    c.shutdown();
  });

  it('servers left down at start join when started; a down server keeps its epochs', async () => {
    const c = new LockstepConductor({ voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 4, startMs: 0, initiallyDown: [3] }, new InProcessSpawner());
    await c.start();
    expect(c.isUp(3)).toBe(false);
    expect(await c.runUntil(() => c.leader() !== null && c.status.get(1)!.phase === 'broadcast' && c.status.get(2)!.phase === 'broadcast', 20_000)).toBe(true);
    await c.restart(3);
    expect(await c.runUntil(() => c.status.get(3)!.role === 'following' && c.status.get(3)!.phase === 'broadcast', 20_000)).toBe(true);
    const epoch = c.status.get(3)!.currentEpoch;
    await c.kill(3);
    expect(c.status.get(3)!.role).toBe('down');
    expect(c.status.get(3)!.currentEpoch).toBe(epoch);
    c.shutdown();
  });

  it('a server whose host throws crashes (goes down) and the others carry on', async () => {
    const inner = new InProcessSpawner();
    let calls = 0;
    const spawner: HostSpawner = {
      wipe: () => inner.wipe(),
      spawn: async (config, inputs, now) => {
        const r = await inner.spawn(config, inputs, now);
        if (config.sid !== 1) return r;
        const link: HostLink = { kill: () => r.link.kill(), handle: (ins, t) => (++calls === 30 ? Promise.reject(new Error('assertion failed: test')) : r.link.handle(ins, t)) };
        return { link, first: r.first };
      },
    };
    const c = new LockstepConductor({ voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 9, startMs: 0 }, spawner);
    await c.start();
    expect(await c.runUntil(() => !c.isUp(1) && c.leader() !== null && c.status.get(2)!.phase === 'broadcast' && c.status.get(3)!.phase === 'broadcast', 20_000)).toBe(true);
    expect(c.events.some((e) => e.type === 'log' && e.text.includes('server 1 crashed: assertion failed: test'))).toBe(true);
    expect(c.status.get(1)!.role).toBe('down');
    c.shutdown();
  });
});
