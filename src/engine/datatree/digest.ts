/**
 * The tree digest of ZooKeeper 3.6+ (on by default in 3.8: `zookeeper.digest.enabled`), as
 * DigestCalculator (digest version 2) and NodeHashMapImpl/AdHash keep it:
 *
 *   node digest = CRC32(path bytes ++ data ++ czxid mzxid pzxid ctime mtime (longs)
 *                       version cversion aversion (ints) ephemeralOwner (long)), big-endian
 *   tree digest = the sum of every node's digest (a Java long: mod 2^64)
 *
 * "/" is digested as "" (DataTree keys the root ""), and nodes under "/zookeeper/" count 0
 * (quota nodes are updated locally on each server). The tree adds a node's digest when the node
 * enters the tree, subtracts it when it leaves, and around every change of a node's stat or data
 * subtracts the old digest and adds the new one (NodeHashMap.preChange/postChange), so the digest
 * is current after every txn at the cost of a few CRCs: no walk of the tree.
 *
 * Path bytes: `String.getBytes()` in Java's default charset; UTF-8 here (the default from JDK 18,
 * and under any UTF-8 locale).
 */
import type { Znode } from './data-tree.ts';
import { crc32 } from '../util/sha1.ts';
import { utf8Encode } from '../util/bytes.ts';

/** DigestCalculator.DIGEST_VERSION in 3.8 */
export const digestVersion = 2;

const zookeeperSubtree = '/zookeeper/';
const statBytes = new Uint8Array(60);
const statView = new DataView(statBytes.buffer);

/** One node's digest (DigestCalculator.calculateDigest): an unsigned 32-bit CRC, 0 under /zookeeper/. */
export function nodeDigest(path: string, node: Znode): number {
  if (path.startsWith(zookeeperSubtree)) return 0;
  let crc = path === '/' ? 0 : crcOfPath(path);
  if (node.data !== null && node.data.length > 0) crc = crc32(node.data, crc);
  statView.setBigUint64(0, BigInt.asUintN(64, node.czxid));
  statView.setBigUint64(8, BigInt.asUintN(64, node.mzxid));
  statView.setBigUint64(16, BigInt.asUintN(64, node.pzxid));
  statView.setBigInt64(24, BigInt(Math.trunc(node.ctime)));
  statView.setBigInt64(32, BigInt(Math.trunc(node.mtime)));
  statView.setInt32(40, node.version);
  statView.setInt32(44, node.cversion);
  statView.setInt32(48, node.aversion);
  statView.setBigUint64(52, BigInt.asUintN(64, node.ephemeralOwner));
  return crc32(statBytes, crc);
}

const asciiBuf = new Uint8Array(256);

/** CRC32 of the path's UTF-8 bytes, without allocating for the usual short ASCII path. */
function crcOfPath(path: string): number {
  if (path.length > asciiBuf.length) return crc32(utf8Encode(path));
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 0x80) return crc32(utf8Encode(path));
    asciiBuf[i] = c;
  }
  return crc32(asciiBuf.subarray(0, path.length));
}

const two32 = 2 ** 32;

/**
 * AdHash: the sum of node digests as a Java long. Kept as two unsigned 32-bit halves (a node
 * digest is below 2^32, so each add or remove carries at most one into the high half).
 */
export class TreeDigest {
  private lo = 0;
  private hi = 0;

  add(d: number): void {
    this.lo += d;
    if (this.lo >= two32) {
      this.lo -= two32;
      this.hi = (this.hi + 1) >>> 0;
    }
  }

  remove(d: number): void {
    this.lo -= d;
    if (this.lo < 0) {
      this.lo += two32;
      this.hi = (this.hi - 1) >>> 0;
    }
  }

  clear(): void {
    this.lo = 0;
    this.hi = 0;
  }

  /** DataTree.getTreeDigest(): the long, signed as Java prints it */
  value(): bigint {
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /** AdHash.toString(): Long.toHexString, the two's-complement bits without leading zeros */
  hex(): string {
    return this.hi === 0 ? this.lo.toString(16) : this.hi.toString(16) + this.lo.toString(16).padStart(8, '0');
  }
}
