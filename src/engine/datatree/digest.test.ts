import { describe, expect, it } from 'vitest';
import { DataTree } from './data-tree.ts';
import { nodeDigest, TreeDigest } from './digest.ts';
import { createTxn, entry, randomTxns, setDataTxn, treeOf } from '../storage/txn-fixtures.ts';
import { restoreSnapshot, snapshotOf } from '../storage/snapshot.ts';
import { restoreTree, snapshotTree } from '../quorum/tree-snapshot.ts';
import { openAclUnsafe } from '../protocol/records.ts';
import type { Txn } from '../protocol/txn.ts';
import { utf8Encode } from '../util/bytes.ts';
import { crc32 } from '../util/sha1.ts';
import { newZnode } from './data-tree.ts';

/** The digest from scratch: every node's digest summed (what the tree keeps incrementally). */
function fromScratch(tree: DataTree): bigint {
  const d = new TreeDigest();
  for (const [path, node] of tree.nodes) d.add(nodeDigest(path, node));
  return d.value();
}

describe('tree digest (DigestCalculator + AdHash)', () => {
  it('is current after every txn of random workloads (creates, ephemerals, setData, delete, setACL, multi, sessions, epochs)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const entries = randomTxns(seed, 1500);
      const tree = new DataTree(false);
      for (const [i, e] of entries.entries()) {
        tree.applyTxn(e.hdr, e.txn);
        if (i % 50 === 0 || i === entries.length - 1) {
          expect(tree.digest(), `seed ${seed} after txn ${i}: npx vitest run src/engine/datatree/digest.test.ts`).toBe(fromScratch(tree));
        }
      }
      expect(tree.digest()).not.toBe(new DataTree(false).digest());
    }
  });

  it('survives a snapshot and a checkpoint restore', () => {
    const tree = treeOf(randomTxns(7, 800));
    const restored = restoreSnapshot(snapshotOf(tree, []), false).tree;
    expect(restored.digest()).toBe(tree.digest());
    expect(restoreTree(snapshotTree(tree, []), false).tree.digest()).toBe(tree.digest());
  });

  it('counts the root (as "") and /zookeeper, not what is under /zookeeper/', () => {
    const empty = new DataTree(false);
    const root = empty.get('/')!;
    const zk = empty.get('/zookeeper')!;
    expect(nodeDigest('/zookeeper/quota', empty.get('/zookeeper/quota')!)).toBe(0);
    expect(nodeDigest('/zookeeper/config', empty.get('/zookeeper/config')!)).toBe(0);
    expect(empty.digest()).toBe(BigInt(nodeDigest('/', root)) + BigInt(nodeDigest('/zookeeper', zk)));
    // the root's digest is the CRC of its 60 stat bytes alone (its path digests as "")
    expect(nodeDigest('/', root)).not.toBe(0);
  });

  it('changes with data, version and the parent stat, and comes back when a create is undone', () => {
    const tree = new DataTree(false);
    const d0 = tree.digest();
    tree.applyTxn(entry(0x100000001n, createTxn('/a', 'x')).hdr, createTxn('/a', 'x'));
    const d1 = tree.digest();
    expect(d1).not.toBe(d0);
    tree.applyTxn(entry(0x100000002n, setDataTxn('/a', 'y', 1)).hdr, setDataTxn('/a', 'y', 1));
    expect(tree.digest()).not.toBe(d1);
    tree.applyTxn(entry(0x100000003n, { type: 'delete', path: '/a' }).hdr, { type: 'delete', path: '/a' });
    // the root keeps its new cversion and pzxid: not the empty tree's digest
    expect(tree.digest()).not.toBe(d0);
    expect(tree.digest()).toBe(fromScratch(tree));
  });

  it('hashes the bytes DigestCalculator does: path, data, then the stat as ByteBuffer writes it (big-endian)', () => {
    // the straightforward form, a 60-byte buffer (as DigestCalculator fills it) and java.util.zip.CRC32
    const reference = (path: string, n: ReturnType<typeof newZnode>): number => {
      if (path.startsWith('/zookeeper/')) return 0;
      const b = new Uint8Array(60);
      const v = new DataView(b.buffer);
      v.setBigInt64(0, n.czxid);
      v.setBigInt64(8, n.mzxid);
      v.setBigInt64(16, n.pzxid);
      v.setBigInt64(24, BigInt(n.ctime));
      v.setBigInt64(32, BigInt(n.mtime));
      v.setInt32(40, n.version);
      v.setInt32(44, n.cversion);
      v.setInt32(48, n.aversion);
      v.setBigInt64(52, BigInt.asIntN(64, n.ephemeralOwner));
      let c = crc32(utf8Encode(path === '/' ? '' : path));
      if (n.data !== null) c = crc32(n.data, c);
      return crc32(b, c);
    };
    const cases: [string, Partial<ReturnType<typeof newZnode>>][] = [
      ['/', {}],
      ['/a', { data: null }],
      ['/é/ü\u{1F600}', { data: new Uint8Array([0, 255, 128]) }],
      ['/c', { ephemeralOwner: -(1n << 63n), ctime: -1, mtime: 2 ** 53 - 1, version: -1, cversion: 2 ** 31 - 1, aversion: -(2 ** 31) }],
      ['/t', { ephemeralOwner: 0xff00000000000001n, czxid: 0xffffffffn, mzxid: 0x100000000n, pzxid: (1n << 63n) - 1n, ctime: 1796211641134, mtime: 4294967296 }],
      ['/zookeeper/quota/x', {}],
    ];
    for (const [path, over] of cases) {
      const n = { ...newZnode(new Uint8Array([1, 2, 3]), openAclUnsafe), ...over };
      expect(nodeDigest(path, n), path).toBe(reference(path, n));
    }
  });

  it('adds and removes as a Java long (carry into the high half, Long.toHexString)', () => {
    const d = new TreeDigest();
    d.add(0xffffffff);
    d.add(0xffffffff);
    expect(d.value()).toBe(0x1fffffffen);
    expect(d.hex()).toBe('1fffffffe');
    d.remove(0xffffffff);
    expect(d.value()).toBe(0xffffffffn);
    expect(d.hex()).toBe('ffffffff');
    d.remove(0xffffffff);
    d.remove(1);
    expect(d.value()).toBe(-1n);
    expect(d.hex()).toBe('ffffffffffffffff');
  });

  /**
   * Captured from ZooKeeper 3.8.0 (Debian 3.8.0-11, OpenJDK 17, standalone on 127.0.0.1): zkCli
   * `create /a x`, `create /a/b hello`, `set /a y`, `create -e /e1 ephem`; the txn log's records
   * (version-2/log.1) end with a TxnDigest, the tree digest after that txn. Headers, txns and
   * digests below are read from that file.
   */
  it('gives the digests real ZooKeeper 3.8.0 wrote into its txn log', () => {
    const session = 0x10001b160da0000n;
    const create = (path: string, data: string, parentCVersion: number, ephemeralOwner = 0n): Txn =>
      ({ type: 'create', path, data: utf8Encode(data), acl: openAclUnsafe, ephemeralOwner, parentCVersion });
    const log: [bigint, number, Txn, bigint][] = [
      [0x1n, 1796211641134, { type: 'createSession', timeOut: 30000 }, 0x51c6d660n],
      [0x2n, 1796211641158, create('/a', 'x', 1), 0x549c9e2bn],
      [0x3n, 1796211641180, create('/a/b', 'hello', 1), 0xc2d665a4n],
      [0x4n, 1796211641186, { type: 'setData', path: '/a', data: utf8Encode('y'), version: 1 }, 0xc29a8f77n],
      [0x5n, 1796211641190, create('/e1', 'ephem', 2, session), 0x1c7fa24cdn],
    ];
    const tree = new DataTree(false);
    for (const [i, [zxid, time, txn, digest]] of log.entries()) {
      tree.applyTxn({ clientId: session, cxid: i, zxid, time }, txn);
      expect(tree.digest(), `after zxid ${zxid}`).toBe(digest);
    }
    expect(tree.digestHex()).toBe('1c7fa24cd');
  });
});
