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
import { crc32Table, crc32Update } from '../util/sha1.ts';
import { utf8Encode } from '../util/bytes.ts';

const zookeeperSubtree = '/zookeeper/';
const two32 = 2 ** 32;
const mask32 = 0xffffffffn;

/**
 * One node's digest (DigestCalculator.calculateDigest): an unsigned 32-bit CRC, 0 under /zookeeper/.
 * A CRC updated byte by byte in place (no buffer, no BigInt.asUintN): three of these run per
 * create and two per setData, so they must cost little next to the txn itself.
 */
export function nodeDigest(path: string, node: Znode): number {
  if (path.startsWith(zookeeperSubtree)) return 0;
  const t = crc32Table();
  // the register as a signed 32-bit value throughout (the same bits for `^` and `>>>`): one
  // that starts as 0xffffffff, a double, is kept boxed by V8 (a heap number per step)
  let c = -1;
  if (path !== '/') {
    for (let i = 0; i < path.length; i++) {
      const ch = path.charCodeAt(i);
      if (ch >= 0x80) {
        c = crc32Update(c, utf8Encode(path.slice(i))) | 0;
        break;
      }
      c = t[(c ^ ch) & 0xff] ^ (c >>> 8);
    }
  }
  if (node.data !== null) c = crc32Update(c, node.data) | 0;
  c = crcLong(t, c, node.czxid);
  c = crcLong(t, c, node.mzxid);
  c = crcLong(t, c, node.pzxid);
  c = crcNumberLong(t, c, node.ctime);
  c = crcNumberLong(t, c, node.mtime);
  c = crcInt(t, c, node.version);
  c = crcInt(t, c, node.cversion);
  c = crcInt(t, c, node.aversion);
  c = crcLong(t, c, node.ephemeralOwner);
  return (c ^ 0xffffffff) >>> 0;
}

/** A Java int, big-endian. */
function crcInt(t: Uint32Array, c: number, v: number): number {
  c = t[(c ^ (v >>> 24)) & 0xff] ^ (c >>> 8);
  c = t[(c ^ (v >>> 16)) & 0xff] ^ (c >>> 8);
  c = t[(c ^ (v >>> 8)) & 0xff] ^ (c >>> 8);
  return t[(c ^ v) & 0xff] ^ (c >>> 8);
}

/** A Java long held as a bigint (two's complement), big-endian. */
function crcLong(t: Uint32Array, c: number, v: bigint): number {
  // a zxid or session id within 2^53 (all but a session id's top bits): its halves as numbers,
  // without the three BigInts `>>` and `&` would make for every zxid of every node digest
  const x = Number(v);
  if (Number.isSafeInteger(x)) return crcNumberLong(t, c, x);
  return crcInt(t, crcInt(t, c, Number((v >> 32n) & mask32)), Number(v & mask32));
}

/** A Java long held as a number (times in ms), big-endian. */
function crcNumberLong(t: Uint32Array, c: number, v: number): number {
  const x = Math.trunc(v);
  const hi = Math.floor(x / two32);
  return crcInt(t, crcInt(t, c, hi | 0), (x - hi * two32) >>> 0);
}

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
