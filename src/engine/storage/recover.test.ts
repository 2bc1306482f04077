import { describe, expect, it } from 'vitest';
import { DataDirError, encodeEpoch, encodeMyid, logPath, snapshotPath } from './data-dir.ts';
import { addCommittedProposal, loadDatabase, recover } from './recover.ts';
import { encodeSnapshotFile, snapshotOf } from './snapshot.ts';
import { applyTruncatePlan, truncateLog } from './txn-log.ts';
import { canonicalTree, createTxn, entry, logFileBytes, randomTxns, sessionsOf, treeOf } from './txn-fixtures.ts';
import { makeZxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { utf8Encode } from '../util/bytes.ts';

const opts = { extendedTypesEnabled: false };

/** A dataDir: snapshot.0 of the empty tree, then `entries` in one log, plus extra files. */
function dataDir(entries: readonly TxnEntry[], extra: Record<string, Uint8Array> = {}): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([
    ['myid', encodeMyid(2)],
    [snapshotPath(0n), encodeSnapshotFile(snapshotOf(treeOf([]), []))],
  ]);
  if (entries.length > 0) files.set(logPath(entries[0].hdr.zxid), logFileBytes(entries));
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  return files;
}

describe('recover (ZKDatabase.loadDataBase + QuorumPeer.loadDataBase)', () => {
  it('a new dataDir is an empty database, saved at once as snapshot.0, epochs defaulted and written', () => {
    const r = recover(new Map([['myid', encodeMyid(1)]]), opts);
    expect(r.myid).toBe(1);
    expect(r.lastProcessedZxid).toBe(0n);
    expect(r.tree.nodeCount()).toBe(4); // /, /zookeeper, /zookeeper/quota, /zookeeper/config
    expect(r.repairs.writeSnapshot?.zxid).toBe(0n);
    expect(r.repairs.writeEpochs).toEqual([{ file: 'currentEpoch', value: 0 }, { file: 'acceptedEpoch', value: 0 }]);
    expect(r.notes).toContain('currentEpoch not found! Creating with a reasonable default of 0. This should only happen when you are upgrading your installation');
  });

  it('replays every logged txn after the snapshot, sessions included', () => {
    const entries = randomTxns(5, 600);
    const r = recover(dataDir(entries), opts);
    expect(canonicalTree(r.tree)).toEqual(canonicalTree(treeOf(entries)));
    expect(r.sessions).toEqual(sessionsOf(entries));
    expect(r.lastProcessedZxid).toBe(entries[entries.length - 1].hdr.zxid);
    expect(r.logTail).toEqual(entries);
    expect(r.notes).toContain('600 txns loaded');
  });

  it('snapshot + the log after it equals applying all txns, whichever snapshot is used', () => {
    const entries = randomTxns(9, 300);
    const live = treeOf(entries.slice(0, 120));
    const snap = snapshotOf(live, [...sessionsOf(entries.slice(0, 120))].map(([id, timeout]) => ({ id, timeout })));
    const files = dataDir(entries, { [snapshotPath(snap.zxid)]: encodeSnapshotFile(snap) });
    const r = recover(files, opts);
    expect(r.snapshotZxid).toBe(snap.zxid);
    expect(r.logTail).toEqual(entries.slice(120));
    expect(canonicalTree(r.tree)).toEqual(canonicalTree(treeOf(entries)));
    expect(r.sessions).toEqual(sessionsOf(entries));
  });

  it('falls back to an older snapshot when the newest is torn or corrupt', () => {
    const entries = randomTxns(2, 50);
    const snap = encodeSnapshotFile(snapshotOf(treeOf(entries.slice(0, 30)), []));
    const corrupt = snap.slice();
    corrupt[30] ^= 1;
    const torn = recover(dataDir(entries, { [snapshotPath(entries[29].hdr.zxid)]: snap.subarray(0, snap.length - 1) }), opts);
    expect(torn.snapshotZxid).toBe(0n);
    const bad = recover(dataDir(entries, { [snapshotPath(entries[29].hdr.zxid)]: corrupt }), opts);
    expect(bad.snapshotZxid).toBe(0n);
    expect(bad.notes.some((n) => n.includes('problem reading snap file') && n.includes('CRC corruption'))).toBe(true);
    expect(canonicalTree(bad.tree)).toEqual(canonicalTree(treeOf(entries)));
  });

  it("refuses to start as ZooKeeper does: no valid snapshot, or log entries without a snapshot", () => {
    const entries = randomTxns(2, 5);
    const noSnap = dataDir(entries);
    noSnap.delete(snapshotPath(0n));
    expect(() => recover(noSnap, opts)).toThrow(new DataDirError('No snapshot found, but there are log entries. Something is broken!'));
    const broken = dataDir(entries);
    const s = broken.get(snapshotPath(0n))!.slice();
    s[20] ^= 1;
    broken.set(snapshotPath(0n), s);
    expect(() => recover(broken, opts)).toThrow(new DataDirError('Not able to find valid snapshots in version-2'));
  });

  it('drops a torn tail record and deletes a log cut off inside its header (ZOOKEEPER-2332)', () => {
    const entries = randomTxns(4, 20);
    const files = dataDir(entries);
    const log = files.get(logPath(entries[0].hdr.zxid))!;
    files.set(logPath(entries[0].hdr.zxid), log.subarray(0, log.length - 5));
    files.set(logPath(0x500000001n), Uint8Array.of(0x5a, 0x4b));
    const r = recover(files, opts);
    expect(r.lastProcessedZxid).toBe(entries[18].hdr.zxid);
    expect(r.repairs.deleteFiles).toEqual([logPath(0x500000001n)]);
    expect(r.notes).toContain(`EOF inside a record. Dropped 139 bytes at offset ${log.length - 144} of ${logPath(entries[0].hdr.zxid)}`);
  });

  it('committedLog keeps the last commitLogCount + 1 replayed txns, as addCommittedProposal does', () => {
    const entries = randomTxns(8, 700);
    const r = recover(dataDir(entries), opts);
    expect(r.committedLog.length).toBe(501);
    expect(r.committedLog).toEqual(entries.slice(-501));
    const small: TxnEntry[] = [];
    for (const e of entries.slice(0, 10)) addCommittedProposal(small, e, 500);
    expect(small.length).toBe(10);
  });
});

describe('epoch files at load (QuorumPeer.loadDataBase)', () => {
  const entries = [entry(makeZxid(3, 1), createTxn('/a')), entry(makeZxid(3, 2), createTxn('/b'))];

  it('reads both files; missing ones default to the epoch of lastProcessedZxid', () => {
    const r = recover(dataDir(entries, { 'version-2/acceptedEpoch': encodeEpoch(4), 'version-2/currentEpoch': encodeEpoch(3) }), opts);
    expect([r.acceptedEpoch, r.currentEpoch]).toEqual([4, 3]);
    expect(r.repairs.writeEpochs).toEqual([]);
    const d = recover(dataDir(entries), opts);
    expect([d.acceptedEpoch, d.currentEpoch]).toEqual([3, 3]);
    expect(d.repairs.writeEpochs).toEqual([{ file: 'currentEpoch', value: 3 }, { file: 'acceptedEpoch', value: 3 }]);
  });

  it('a currentEpoch older than the last zxid fails, unless currentEpoch.tmp holds the new one', () => {
    const files = dataDir(entries, { 'version-2/acceptedEpoch': encodeEpoch(12), 'version-2/currentEpoch': encodeEpoch(2) });
    expect(() => recover(files, opts)).toThrow(new DataDirError('The current epoch, 2, is older than the last zxid, 12884901890'));
    files.set('version-2/currentEpoch.tmp', encodeEpoch(11));
    const r = recover(files, opts);
    expect(r.currentEpoch).toBe(11);
    expect(r.repairs.writeEpochs).toEqual([{ file: 'currentEpoch', value: 11 }]);
    expect(r.notes).toContain('version-2/currentEpoch.tmp found. Setting current epoch to 11.');
  });

  it('prints epochs in hex, as ZxidUtils.zxidToString does', () => {
    const files = dataDir(entries, { 'version-2/acceptedEpoch': encodeEpoch(10), 'version-2/currentEpoch': encodeEpoch(26) });
    expect(() => recover(files, opts)).toThrow(new DataDirError('The accepted epoch, a is less than the current epoch, 1a'));
  });

  it('a garbled epoch file fails with "Found ... in ..."', () => {
    const files = dataDir(entries, { 'version-2/currentEpoch': utf8Encode('3x') });
    expect(() => recover(files, opts)).toThrow(new DataDirError('Found 3x in version-2/currentEpoch'));
  });
});

describe('TRUNC then reload (ZKDatabase.truncateLog)', () => {
  it('reloads the database from the truncated log', () => {
    const entries = randomTxns(6, 40);
    const files = applyTruncatePlan(dataDir(entries), truncateLog(dataDir(entries), entries[24].hdr.zxid));
    const db = loadDatabase(files, opts);
    expect(db.lastProcessedZxid).toBe(entries[24].hdr.zxid);
    expect(canonicalTree(db.tree)).toEqual(canonicalTree(treeOf(entries.slice(0, 25))));
  });

  it('to a zxid before the newest snapshot succeeds on the log but reloads from that snapshot (ZooKeeper 3.8 does)', () => {
    const entries = randomTxns(6, 40);
    const snap = snapshotOf(treeOf(entries.slice(0, 30)), []);
    const files = dataDir(entries, { [snapshotPath(snap.zxid)]: encodeSnapshotFile(snap) });
    const truncated = applyTruncatePlan(files, truncateLog(files, entries[24].hdr.zxid));
    const db = loadDatabase(truncated, opts);
    expect(db.snapshotZxid).toBe(entries[29].hdr.zxid);
    expect(db.lastProcessedZxid).toBe(entries[29].hdr.zxid); // ahead of the TRUNC point: ZOOKEEPER-1549's divergence
  });

  it('fails when the log no longer reaches the zxid, e.g. everything after it is only in a snapshot', () => {
    const entries = randomTxns(6, 40);
    const snap = snapshotOf(treeOf(entries), []);
    const files = dataDir(entries.slice(0, 20), { [snapshotPath(snap.zxid)]: encodeSnapshotFile(snap) });
    expect(() => truncateLog(files, entries[30].hdr.zxid)).toThrow(/^No log files found to truncate!/);
  });
});
