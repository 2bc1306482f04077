import { describe, expect, it } from 'vitest';
import type { PeerReady } from '../../engine/quorum/peer-io.ts';
import { defaultServerConfig } from '../../engine/server/server-config.ts';
import { createTxn, entry, seededRandom, setDataTxn } from '../../engine/storage/txn-fixtures.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import { Rng } from '../sim/rng.ts';
import { createElection } from '../sim/election-factory.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { PeerHost } from './peer-host.ts';

const ensemble = { sid: 1, voters: [1, 2, 3], observers: [], initLimit: 10, syncLimit: 5 };

function open(disk: MemoryDisk, snapCount?: number): PeerHost {
  PeerHost.format(disk, 1);
  return new PeerHost({
    disk, config: defaultServerConfig({ sid: 1 }), ensemble, election: createElection(1, ensemble, new Rng(1)),
    nowMs: 1_700_000_000_000, snapCount, random: seededRandom(3),
  });
}

function ready(persist: TxnEntry[], extra: Partial<PeerReady> = {}): PeerReady {
  return {
    clientOutput: [], persist, trace: [], notifications: [], quorum: [], quorumConnect: [], quorumClose: [],
    epochWrites: [], truncate: null, snapshot: false, ...extra,
  };
}

/** A follower's epochs as they stand before it logs txns of `epoch`. */
function epochs(host: PeerHost, epoch: number): void {
  host.handleStorage(ready([], { epochWrites: [{ file: 'acceptedEpoch', value: epoch }, { file: 'currentEpoch', value: epoch }] }));
  host.completeFlush();
}

const txns = [1, 2, 3, 4, 5].map((i) => entry(0x100000000n + BigInt(i), createTxn(`/n${i}`)));

describe('PeerHost', () => {
  it('starts a fresh dataDir: myid, epochs 0, the empty snapshot.0', () => {
    const disk = new MemoryDisk();
    const host = open(disk);
    expect(host.recovery).toEqual({ snapshotZxid: 0n, lastProcessedZxid: 0n, txnsReplayed: 0, acceptedEpoch: 0, currentEpoch: 0 });
    expect(disk.list()).toEqual(['myid', 'version-2/acceptedEpoch', 'version-2/currentEpoch', 'version-2/snapshot.0']);
  });

  it('appends are lost on a crash until the host completes the flush; then they are recovered', () => {
    const disk = new MemoryDisk();
    const host = open(disk);
    expect(host.handleStorage(ready(txns.slice(0, 3)))).toBe(true);
    expect(host.pendingFlushes()).toBe(1);
    disk.crash();
    expect(open(disk).recovery.lastProcessedZxid).toBe(0n);

    const again = open(disk);
    again.handleStorage(ready([], { epochWrites: [{ file: 'acceptedEpoch', value: 1 }] }));
    again.handleStorage(ready(txns.slice(0, 3), { epochWrites: [{ file: 'currentEpoch', value: 1 }] }));
    expect(again.completeFlush()).toEqual([{ type: 'epochWritten', file: 'acceptedEpoch', value: 1 }]);
    expect(again.completeFlush()).toEqual([{ type: 'persisted', zxid: 0x100000003n }, { type: 'epochWritten', file: 'currentEpoch', value: 1 }]);
    expect(again.pendingFlushes()).toBe(0);
    disk.crash();
    const back = open(disk);
    expect(back.recovery.lastProcessedZxid).toBe(0x100000003n);
    expect(back.recovery.acceptedEpoch).toBe(1);
    expect(back.peer.tree.get('/n3')).toBeDefined();
  });

  it('truncates on TRUNC and reloads what the log then holds; the truncated txns stay gone after a restart', () => {
    const disk = new MemoryDisk();
    const host = open(disk);
    epochs(host, 1);
    host.handleStorage(ready(txns));
    host.completeFlush();
    epochs(host, 2);
    const replacement = entry(0x200000001n, setDataTxn('/n1', 'w', 1));
    const reloaded = host.truncateAndReload(0x100000002n);
    expect(reloaded?.log.map((e) => e.hdr.zxid)).toEqual([0x100000001n, 0x100000002n]);
    host.handleStorage(ready([replacement]));
    host.completeFlush();
    disk.crash();
    const back = open(disk);
    expect(back.peer.tree.get('/n2')).toBeDefined();
    expect(back.peer.tree.get('/n3')).toBeUndefined();
    expect(back.recovery.lastProcessedZxid).toBe(0x200000001n);
  });

  it('TRUNC to a zxid the log does not hold drops every txn past it (none is kept by mistake)', () => {
    const disk = new MemoryDisk();
    const host = open(disk);
    epochs(host, 1);
    host.handleStorage(ready(txns));
    host.completeFlush();
    expect(host.truncateAndReload(0x100000000n)?.log).toEqual([]);
    expect(host.failure).toBe(null);
    disk.crash();
    const back = open(disk);
    expect(back.recovery.lastProcessedZxid).toBe(0n);
    expect(back.peer.tree.get('/n1')).toBeUndefined();
  });

  it('takes a snapshot every snapCount/2 + random(snapCount/2) txns; a restart loads it and replays the rest', () => {
    const disk = new MemoryDisk();
    const host = open(disk, 4);
    epochs(host, 1);
    const many = Array.from({ length: 12 }, (_, i) => entry(0x100000001n + BigInt(i), createTxn(`/m${i}`)));
    // the live tree is the snapshot's source: apply as the peer would (committed)
    for (const e of many) {
      host.peer.db.applyCommitted(e);
      host.handleStorage(ready([e]));
      host.completeFlush();
    }
    expect(disk.list().filter((f) => f.startsWith('version-2/snapshot.')).length).toBeGreaterThan(2);
    const back = open(disk, 4);
    expect(back.recovery.snapshotZxid).toBeGreaterThan(0n);
    expect(back.recovery.lastProcessedZxid).toBe(0x10000000cn);
    expect(back.peer.tree.get('/m11')).toBeDefined();
  });
});

describe('snapCountFrom (zoo.cfg snapCount)', () => {
  it('reads zookeeper.snapCount as Integer.getInteger (Integer.decode) does', async () => {
    const { snapCountFrom } = await import('../../engine/storage/snap-schedule.ts');
    expect(snapCountFrom({})).toBe(100_000);
    expect(snapCountFrom({ 'zookeeper.snapCount': '1000' })).toBe(1000);
    expect(snapCountFrom({ 'zookeeper.snapCount': '0x20' })).toBe(32);
    expect(snapCountFrom({ 'zookeeper.snapCount': '010' })).toBe(8);
    expect(snapCountFrom({ 'zookeeper.snapCount': ' 50 ' })).toBe(100_000);
    expect(snapCountFrom({ 'zookeeper.snapCount': 'lots' })).toBe(100_000);
    expect(snapCountFrom({ 'zookeeper.snapCount': '99999999999' })).toBe(100_000);
  });
});
