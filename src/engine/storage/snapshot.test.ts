import { describe, expect, it } from 'vitest';
import { DataDirError } from './data-dir.ts';
import { decodeSnapshotFile, encodeSnapshotFile, encodeTreeSnapshot, hasSeal, restoreSnapshot, snapshotOf } from './snapshot.ts';
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

  it('encodes the live tree in one walk to the same bytes as its image (the periodic snapshot)', () => {
    for (const seed of [3, 11, 29]) {
      const entries = randomTxns(seed, 600);
      const tree = treeOf(entries);
      const sessions = [...sessionsOf(entries)].map(([id, timeout]) => ({ id, timeout }));
      const direct = encodeTreeSnapshot(tree, sessions);
      const image = snapshotOf(tree, sessions);
      expect(direct.zxid).toBe(image.zxid);
      expect([...direct.bytes]).toEqual([...encodeSnapshotFile(image)]);
      expect(decodeSnapshotFile(direct.bytes, direct.zxid)).toEqual(image);
    }
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

  it('writes the file layout byte for byte: header, length, record body, crc32 of both, seal', () => {
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const node = (path: string, data: Uint8Array | null, czxid: bigint) => ({
      path, data, acl, czxid, mzxid: czxid + 1n, pzxid: czxid + 2n, ctime: 1_700_000_000_001, mtime: 1_700_000_000_002,
      version: 3, cversion: 4, aversion: 5, ephemeralOwner: 0x100n,
    });
    const image = { zxid: 0x100000007n, nodes: [node('/', null, 0n), node('/é', Uint8Array.of(7, 8), 0x100000001n)], sessions: [{ id: 0x100n, timeout: 30_000 }] };
    const body = new ByteWriter();
    body.u8(0x52);
    body.i64(0x100000007n);
    body.u32(2);
    const stat = (czxid: bigint): void => {
      for (const z of [czxid, czxid + 1n, czxid + 2n]) body.i64(z);
      for (const v of [1_700_000_000_001, 1_700_000_000_002, 3, 4, 5]) body.f64(v);
      body.i64(0x100n);
    };
    // the root: its path, no data, the ACL list written once (ref -1, then the list)
    body.bytes(encodeValue('/'));
    body.i32(-1);
    body.i32(-1);
    body.bytes(encodeValue(acl));
    stat(0n);
    // /é: a UTF-8 path, two bytes of data, the same list by its ref 0
    body.bytes(encodeValue('/é'));
    body.i32(2);
    body.bytes(Uint8Array.of(7, 8));
    body.i32(0);
    stat(0x100000001n);
    body.u32(1);
    body.i64(0x100n);
    body.f64(30_000);
    const w = new ByteWriter();
    w.u32(0x5a4b534e);
    w.u32(2);
    w.i64(-1n);
    w.u32(body.length);
    w.bytes(body.finish());
    w.u32(crc32(w.finish()));
    w.bytes(Uint8Array.of(0, 0, 0, 1, 0x2f));
    expect(encodeSnapshotFile(image)).toEqual(w.finish());
    expect(decodeSnapshotFile(w.finish(), image.zxid)).toEqual(image);
  });

  it('still reads a file whose body is the value codec (written before the record layout)', () => {
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
    expect(decodeSnapshotFile(w.finish(), image.zxid)).toEqual(image);
  });

  it('a record body that does not hold together is invalid, not an error', () => {
    const image = snapshotOf(treeOf(randomTxns(3, 50)), []);
    const file = encodeSnapshotFile(image);
    // rewrite the body and its checksum, so only the records are wrong
    const reseal = (body: Uint8Array): Uint8Array => {
      const w = new ByteWriter();
      w.bytes(file.subarray(0, 16));
      w.u32(body.length);
      w.bytes(body);
      w.u32(crc32(w.finish()));
      w.bytes(Uint8Array.of(0, 0, 0, 1, 0x2f));
      return w.finish();
    };
    const body = file.subarray(20, file.length - 9);
    expect(decodeSnapshotFile(reseal(body), image.zxid)).toEqual(image);
    expect(decodeSnapshotFile(reseal(body.subarray(0, body.length - 3)), image.zxid)).toMatchObject({ invalid: expect.any(String) });
    expect(decodeSnapshotFile(reseal(Uint8Array.of(...body, 0)), image.zxid)).toEqual({ invalid: '1 trailing bytes after a snapshot' });
    const huge = body.slice();
    huge.set([0x7f, 0xff, 0xff, 0xff], 9); // the node count
    expect(decodeSnapshotFile(reseal(huge), image.zxid)).toMatchObject({ invalid: expect.stringMatching(/overruns the input/) });
    // the second node, /zookeeper: its path's 10 bytes, its data length (-1), then its ACL ref
    const second = body.indexOf(0x2f, 20);
    const badRef = body.slice();
    badRef.set([0, 0, 0, 9], second + 10 + 4);
    expect(decodeSnapshotFile(reseal(badRef), image.zxid)).toEqual({ invalid: 'snapshot node /zookeeper refers to ACL list 9 of 1' });
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
