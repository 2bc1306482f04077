import { describe, expect, it } from 'vitest';
import { DataDirError } from './data-dir.ts';
import { decodeSnapshotFile, encodeSnapshotFile, hasSeal, restoreSnapshot, snapshotOf } from './snapshot.ts';
import { canonicalTree, createTxn, entry, randomTxns, sessionsOf, treeOf } from './txn-fixtures.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';
import { crc32 } from '../util/sha1.ts';
import { ByteWriter, encodeValue } from './value-codec.ts';

describe('snapshots (DataTree.serialize / deserialize, FileSnap)', () => {
  it('restore(snapshot(tree)) is the same tree, sessions included', () => {
    const entries = randomTxns(11, 400);
    const tree = treeOf(entries);
    const sessions = [...sessionsOf(entries)].map(([id, timeout]) => ({ id, timeout }));
    const image = snapshotOf(tree, sessions);
    const file = encodeSnapshotFile(image);
    const back = decodeSnapshotFile(file, image.zxid);
    expect(back).toEqual(image);
    const restored = restoreSnapshot(image, false);
    expect(canonicalTree(restored.tree)).toEqual(canonicalTree(tree));
    expect(restored.sessions).toEqual(sessionsOf(entries));
  });

  it('walks children in Java HashSet order and rebuilds each child set from HashSet(8)', () => {
    const entries = [];
    for (let i = 0; i < 20; i++) entries.push(entry(BigInt(i + 1), createTxn(`/c${i}`)));
    for (let i = 0; i < 18; i++) entries.push(entry(BigInt(i + 21), { type: 'delete', path: `/c${i}` }));
    const tree = treeOf(entries);
    expect(tree.get('/')!.childCapacity).toBe(32); // grew for 20 + 1 children, never shrinks
    const restored = restoreSnapshot(snapshotOf(tree, []), false).tree;
    expect(restored.get('/')!.childCapacity).toBe(8);
    expect(restored.childrenOf('/').sort()).toEqual(tree.childrenOf('/').sort());
    // "ls /" may list the same children in another order after a restart, as in ZooKeeper
    expect(tree.childrenOf('/')).toEqual(['zookeeper', 'c19', 'c18']);
    expect(restored.childrenOf('/')).toEqual(['c19', 'c18', 'zookeeper']);
  });

  it('recomputes quota stats on restore (setupQuota)', () => {
    const entries = [
      entry(1n, createTxn('/q')),
      entry(2n, createTxn('/zookeeper/quota/q')),
      entry(3n, createTxn('/zookeeper/quota/q/zookeeper_limits', 'count=10,bytes=-1')),
      entry(4n, createTxn('/zookeeper/quota/q/zookeeper_stats', 'count=1,bytes=1')),
      entry(5n, createTxn('/q/a', 'abc')),
    ];
    const tree = treeOf(entries);
    const image = snapshotOf(tree, []);
    const stale = { ...image, nodes: image.nodes.map((n) => (n.path.endsWith('zookeeper_stats') ? { ...n, data: utf8Encode('count=99,bytes=99') } : n)) };
    const restored = restoreSnapshot(stale, false).tree;
    expect(utf8Decode(restored.get('/zookeeper/quota/q/zookeeper_stats')!.data!)).toBe('count=2,bytes=4');
    expect([...restored.quotaRoots]).toEqual(['/q']);
  });

  it('writes the file layout byte for byte: header, length, value-codec body, crc32 of both, seal', () => {
    const entries = randomTxns(5, 300);
    const image = snapshotOf(treeOf(entries), [...sessionsOf(entries)].map(([id, timeout]) => ({ id, timeout })));
    const body = encodeValue(image);
    const w = new ByteWriter();
    w.u32(0x5a4b534e);
    w.u32(2);
    w.i64(-1n);
    w.u32(body.length);
    w.bytes(body);
    w.u32(crc32(w.finish()));
    w.bytes(Uint8Array.of(0, 0, 0, 1, 0x2f));
    expect(encodeSnapshotFile(image)).toEqual(w.finish());
  });

  it('a torn or corrupted snapshot is invalid, not an error', () => {
    const image = snapshotOf(treeOf(randomTxns(3, 50)), []);
    const file = encodeSnapshotFile(image);
    expect(hasSeal(file)).toBe(true);
    for (const cut of [0, 9, 100, file.length - 1]) expect(hasSeal(file.subarray(0, cut))).toBe(false);
    const flipped = file.slice();
    flipped[40] ^= 1;
    expect(decodeSnapshotFile(flipped, image.zxid)).toEqual({ invalid: 'CRC corruption' });
    const magic = file.slice();
    magic[0] = 0;
    expect(decodeSnapshotFile(magic, image.zxid)).toMatchObject({ invalid: expect.stringMatching(/^mismatching magic headers/) });
    expect(decodeSnapshotFile(file, image.zxid + 1n)).toMatchObject({ invalid: expect.stringMatching(/named/) });
  });

  it("fails like DataTree.deserialize on an orphan node", () => {
    const image = snapshotOf(treeOf([entry(1n, createTxn('/a')), entry(2n, createTxn('/a/b'))]), []);
    const orphan = { ...image, nodes: image.nodes.filter((n) => n.path !== '/a') };
    expect(() => restoreSnapshot(orphan, false)).toThrow(new DataDirError('Invalid Datatree, unable to find parent /a of path /a/b'));
  });
});
