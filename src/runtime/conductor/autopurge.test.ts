/**
 * zoo.cfg autopurge in the hosts every runtime uses (ServerHost over in-process MemoryDisks here,
 * OPFS in the browser): DatadirCleanupManager's PurgeTask runs at start and every purgeInterval
 * hours of virtual time, keeping snapRetainCount snapshots; a server restarted after purges
 * recovers every write.
 */
import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../client/api.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import { InProcessSpawner } from './in-process.ts';
import { LockstepConductor, type ConductorOptions } from './lockstep.ts';

const options: ConductorOptions = {
  voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 7, startMs: Date.UTC(2026, 0, 1),
  snapCount: 20, autopurge: { purgeInterval: 1, snapRetainCount: 3 },
};
const hourMs = 3_600_000;

async function writes(c: LockstepConductor, session: ReturnType<LockstepConductor['addClient']>, results: Map<number, CallResult>, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const id = c.call(session, { type: 'create', path: `/p${i}`, data: new Uint8Array(10), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 });
    await c.settled();
    expect(await c.runUntil(() => results.has(id), 20_000)).toBe(true);
    expect(results.get(id)!.kind).toBe('ok');
  }
}

const snapshots = (s: InProcessSpawner, sid: number): string[] => s.disks.get(sid)!.list().filter((p) => p.startsWith('version-2/snapshot.'));

describe('autopurge (DatadirCleanupManager) in the hosts', () => {
  it('purges at start and every purgeInterval hours of virtual time; a restarted server keeps every write', async () => {
    const spawner = new InProcessSpawner();
    const c = new LockstepConductor(options, spawner);
    await c.start();
    const serving = (): boolean => c.leader() !== null && [...c.status.values()].every((s) => s.role === 'down' || s.phase === 'broadcast');
    expect(await c.runUntil(serving, 20_000)).toBe(true);
    const logs = (): string[] => c.events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text);
    expect(logs().filter((t) => t === 'Purge task started.').length).toBe(3); // one per server at start
    expect(logs()).toContain('autopurge.purgeInterval set to 1');
    const results = new Map<number, CallResult>();
    const session = c.addClient('127.0.0.1:2181', 30_000, () => {}, (id, r) => results.set(id, r));
    await c.settled();
    await c.runUntil(() => session.state === 'CONNECTED', 20_000);
    await writes(c, session, results, 0, 120); // snapCount 20: a snapshot every 10-20 txns
    for (const sid of c.sids()) expect(snapshots(spawner, sid).length).toBeGreaterThan(4);
    const removedBefore = logs().filter((t) => t.startsWith('Removing file: ')).length;
    // an hour of virtual time later every server has purged down to 3 snapshots
    const t0 = c.now;
    expect(await c.runUntil(() => c.now >= t0 + hourMs + 1, 100_000)).toBe(true);
    for (const sid of c.sids()) expect(snapshots(spawner, sid).length).toBe(3);
    expect(logs().filter((t) => t.startsWith('Removing file: ')).length).toBeGreaterThan(removedBefore);
    // a restarted follower recovers every write from what the purge left
    const follower = c.sids().find((s) => s !== c.leader())!;
    await c.kill(follower);
    await c.restart(follower);
    expect(await c.runUntil(serving, 20_000)).toBe(true);
    const digests = new Set([...c.status.values()].map((s) => s.treeDigest));
    expect(digests.size).toBe(1);
    const get = c.call(session, { type: 'getChildren', path: '/', watch: false });
    await c.settled();
    await c.runUntil(() => results.has(get), 20_000);
    const r = results.get(get)!;
    expect(r.kind === 'ok' && r.result.type === 'getChildren' ? r.result.children.length : -1).toBe(121); // /p0../p119 + /zookeeper
    c.shutdown();
  });
});
