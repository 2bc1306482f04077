/**
 * The ZooKeeper bugs of ../shared/reference/verification.md §2, each driven into the situation
 * that broke ZooKeeper, showing this engine holds. Each ends with the invariant that the bug
 * violated: committed txns are never lost, logs agree per zxid, servers converge, nobody crashes.
 */
import { describe, expect, it } from 'vitest';
import { DataTree } from '../src/engine/datatree/data-tree.ts';
import { describeTree } from '../src/engine/datatree/describe-tree.ts';
import { zxidCounter, type Zxid } from '../src/engine/protocol/ids.ts';
import type { TxnEntry } from '../src/engine/protocol/txn.ts';
import { EnsembleHarness } from './harness/ensemble-harness.ts';

/** Every write a client saw acknowledged, as the zxid it got. */
function acked(h: EnsembleHarness, c: ReturnType<EnsembleHarness['client']>, paths: string[]): Zxid[] {
  return paths.map((p) => {
    const r = h.create(c, p, p);
    expect(r.kind).toBe('ok');
    return r.kind === 'ok' && r.result.type === 'create' ? r.result.stat.czxid : -1n;
  });
}

/** Logs agree: one txn per zxid across every server's durable log (PrefixConsistency). */
function expectLogsAgree(h: EnsembleHarness): void {
  const seen = new Map<Zxid, string>();
  for (const [sid, disk] of h.e.disks) {
    for (const e of disk.durable.log) {
      const key = JSON.stringify(e.txn, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      const prev = seen.get(e.hdr.zxid);
      if (prev === undefined) seen.set(e.hdr.zxid, key);
      else expect(key, `server ${sid} logged a different txn at ${e.hdr.zxid}`).toBe(prev);
    }
  }
}

function expectConvergedWith(h: EnsembleHarness, zxids: Zxid[]): void {
  h.settle();
  const trees = [...h.e.peers.values()].map((p) => describeTree(p.tree, '/', { userOnly: true }));
  expect(new Set(trees).size).toBe(1);
  const last = h.e.peers.get(h.leader()!)!.status().lastAppliedZxid;
  for (const z of zxids) expect(z <= last).toBe(true);
  for (const p of h.e.peers.values()) for (const path of ['/a', '/b', '/c']) expect(p.tree.get(path), `${path} lost on ${p.ensemble.sid}`).toBeDefined();
}

describe('ZooKeeper bugs: the engine holds', () => {
  it('ZOOKEEPER-3911 / 4646 / 4785: a quorum crashes right after acking NEWLEADER of a DIFF sync; no committed txn is lost', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.kill(1); // 1 misses the writes; it will be synced by DIFF carrying them
    const zxids = acked(h, c, ['/a', '/b', '/c']);
    h.e.fsyncDelayOf.set(1, [500, 500]); // 1's disk is slow: the synced txns linger unflushed
    let crashed = false;
    h.e.beforeDeliver = (from, to, packet) => {
      // the leader is about to count 1's NEWLEADER ACK: crash the whole ensemble right there
      if (!crashed && from === 1 && packet.type === 'Ack' && zxidCounter(packet.zxid) === 0) {
        crashed = true;
        h.kill(1, 2, 3);
      }
    };
    h.start(1).run(5000);
    expect(crashed).toBe(true);
    h.e.beforeDeliver = null;
    h.e.fsyncDelayOf.delete(1);
    // 1 acked only after its synced txns and currentEpoch were durable (reference §2.7)
    const log1 = h.e.disks.get(1)!.durable.log.map((e: TxnEntry) => e.hdr.zxid);
    for (const z of zxids) expect(log1).toContain(z);
    // the old leader stays down: 1 and 2 must carry the committed history alone
    h.start(1, 2).settle();
    expectConvergedWith(h, zxids);
    expectLogsAgree(h);
  });

  it('ZOOKEEPER-4643: currentEpoch is never durable before the synced txns, so a stale server cannot win FLE with a new epoch', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.kill(1);
    const zxids = acked(h, c, ['/a', '/b', '/c']);
    const epochBeforeSync: number[] = [];
    h.e.beforeDeliver = (from, _to, packet) => {
      if (from === 1 && packet.type === 'Ack' && zxidCounter(packet.zxid) === 0) {
        const disk = h.e.disks.get(1)!;
        epochBeforeSync.push(disk.durable.currentEpoch);
        // at the moment 1 acks NEWLEADER, its log must already hold every synced txn
        for (const z of zxids) expect(disk.durable.log.map((e) => e.hdr.zxid)).toContain(z);
        h.kill(1, 3); // F (1) and L (3) crash; G (2) keeps the committed txns
      }
    };
    h.start(1).run(5000);
    h.e.beforeDeliver = null;
    expect(epochBeforeSync.length).toBe(1);
    h.start(1, 3).settle();
    expectConvergedWith(h, zxids);
    expectLogsAgree(h);
  });

  it('ZOOKEEPER-4394: a proposal that commits between NEWLEADER and UPTODATE is applied, not dropped (no crash)', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.kill(1);
    acked(h, c, ['/a']);
    let injected = false;
    h.e.beforeDeliver = (from, to, packet) => {
      // while 1 is being synced (NEWLEADER on its way), the leader proposes another write
      if (!injected && from === 3 && to === 1 && packet.type === 'NewLeader') {
        injected = true;
        c.call({ type: 'create', path: '/b', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 0, ttl: -1 });
      }
    };
    h.start(1).run(3000);
    h.e.beforeDeliver = null;
    expect(injected).toBe(true);
    h.create(c, '/c');
    expectConvergedWith(h, []);
  });

  it('ZOOKEEPER-4685: a follower acks NEWLEADER before any synced PROPOSAL, so the leader never times out waiting', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.kill(1);
    acked(h, c, ['/a', '/b', '/c']);
    const acksFrom1: Zxid[] = [];
    h.e.beforeDeliver = (from, _to, packet) => {
      if (from === 1 && packet.type === 'Ack') acksFrom1.push(packet.zxid);
    };
    h.start(1).run(3000);
    expect(acksFrom1.length).toBeGreaterThan(0);
    expect(zxidCounter(acksFrom1[0])).toBe(0);
    expect(h.e.peers.get(1)!.isServing()).toBe(true);
    expectConvergedWith(h, []);
  });

  it('ZOOKEEPER-4712: a follower that loses its leader with fsyncs still pending keeps a log that agrees with its peers', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.e.fsyncDelayOf.set(1, [300, 300]);
    for (const p of ['/a', '/b']) c.call({ type: 'create', path: p, data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 0, ttl: -1 });
    h.run(5);
    h.kill(3); // the leader dies while 1's SyncThread still holds the txns
    h.run(1000);
    h.e.fsyncDelayOf.delete(1);
    h.start(3).settle();
    h.create(h.client('127.0.0.1:2181'), '/c');
    h.settle();
    expectLogsAgree(h);
    const trees = [...h.e.peers.values()].map((p) => describeTree(p.tree, '/', { userOnly: true }));
    expect(new Set(trees).size).toBe(1);
  });

  it('replaying every committed txn gives the tree every server has (no committed txn lost or doubled)', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2181');
    acked(h, c, ['/a', '/b', '/c']);
    h.kill(3).settle();
    const log = h.e.disks.get(2)!.durable.log;
    const t = new DataTree();
    for (const e of log) t.applyTxn(e.hdr, e.txn);
    expect(describeTree(t, '/', { userOnly: true })).toBe(describeTree(h.e.peers.get(2)!.tree, '/', { userOnly: true }));
  });
});
