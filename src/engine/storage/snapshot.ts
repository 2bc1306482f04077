/**
 * Snapshots: a DataTree plus the session table (id -> timeout), as plain data and as a file.
 *
 * `snapshotOf` walks the tree as DataTree.serializeNode does — pre-order, each node's children
 * in its Java HashSet order — and `restoreSnapshot` rebuilds it as DataTree.deserialize does:
 * each node added to its parent's child set in that order, in a fresh HashSet(8), so after a
 * restart `ls` may list children in another order than before it (a HashSet that grew and
 * then shrank keeps its capacity; a rebuilt one does not). Then setupQuota: every
 * `zookeeper_limits` leaf under /zookeeper/quota registers a quota root and its
 * `zookeeper_stats` is recomputed from the subtree.
 *
 * The file (FileSnap + SnapStream, CHECKED mode):
 *   header := magic "ZKSN" (u32) | version 2 (u32) | dbId -1 (i64)
 *   body   := length (u32) | records(SnapshotImage)
 *   seal   := crc32(header + body) (u32) | 00 00 00 01 2f  (jute's writeString("/"))
 * records := 0x52 | zxid (i64) | node count (u32) | nodes | session count (u32) | sessions
 *   node    := path (value-codec string) | data length (i32, -1 for null) | data
 *              | acl ref (i32: -1, then the list as a value-codec array, which takes the next
 *                ref; else the ref of a list written before, as ZooKeeper's ACL cache)
 *              | czxid mzxid pzxid (i64) | ctime mtime version cversion aversion (f64)
 *              | ephemeralOwner (i64)
 *   session := id (i64) | timeout (f64)
 * Earlier files hold value-codec(SnapshotImage) as the body (it starts with the object tag 0x0a,
 * never 0x52); they are still read. The record layout writes no field names: half the bytes
 * (~190 instead of 389 a node with 100 B of data), and its encoding is the cost of a snapshot
 * on the server's thread (bench/README.md, fix 31).
 * A file is a candidate when its name parses and it ends with the seal bytes
 * (SnapStream.isValidSnapshot); it is valid when its magic, checksum and body check out.
 */
import type { Data } from '../protocol/client-protocol.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import type { ACL } from '../protocol/records.ts';
import { ephemeralKind } from '../protocol/txn.ts';
import {
  addChild, childOrder, DataTree, limitNode, noChildren, quotaZookeeper, statNode, treeNodesMax, type Znode,
} from '../datatree/data-tree.ts';
import { childName, parentPath } from '../datatree/path.ts';
import { formatStatsTrack } from '../datatree/stats-track.ts';
import { sessionsMax } from '../sessions/session-tracker.ts';
import { assert } from '../util/assert.ts';
import { grownCapacity } from '../util/java-hash.ts';
import { crc32 } from '../util/sha1.ts';
import { DataDirError } from './data-dir.ts';
import { ByteReader, ByteWriter, CodecError, decodeValue, readValue, valueBytesMax, writeValue } from './value-codec.ts';

export interface SnapshotNode {
  readonly path: string;
  readonly data: Data;
  readonly acl: readonly ACL[];
  readonly czxid: Zxid;
  readonly mzxid: Zxid;
  readonly pzxid: Zxid;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  /** stored cversion (see DataTree): number of child creates */
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
}

export interface SnapshotSession {
  readonly id: SessionId;
  /** negotiated timeout, ms */
  readonly timeout: number;
}

/** Plain data: survives structured clone, so it can also travel in a SNAP packet. */
export interface SnapshotImage {
  /** the tree's lastProcessedZxid when the snapshot started; names the file */
  readonly zxid: Zxid;
  readonly nodes: readonly SnapshotNode[];
  readonly sessions: readonly SnapshotSession[];
}

export interface RestoredSnapshot {
  readonly tree: DataTree;
  /** sessionsWithTimeouts, in snapshot order */
  readonly sessions: Map<SessionId, number>;
}

/** ByteBuffer.wrap("ZKSN".getBytes()).getInt() */
export const snapMagic = 0x5a4b534e;
const snapVersion = 2;
const sealBytes = Uint8Array.of(0, 0, 0, 1, 0x2f);
/** SnapStream.isValidCheckedStream: header and seal make at least 10 bytes. */
const snapshotBytesMin = 10;

export function snapshotOf(tree: DataTree, sessions: Iterable<SnapshotSession>): SnapshotImage {
  const nodes: SnapshotNode[] = [];
  walkTree(tree, (path, node) => void nodes.push(snapshotNode(path, node)));
  return { zxid: tree.lastProcessedZxid, nodes, sessions: sessionTable(sessions) };
}

/** DataTree.serializeNode's order: pre-order from the root, children in Java HashSet order; every node once. */
function walkTree(tree: DataTree, visit: (path: string, node: Znode) => void): void {
  const stack: string[] = ['/'];
  let steps = 0;
  for (; stack.length > 0; steps++) {
    assert(steps < treeNodesMax, 'snapshot walk over treeNodesMax');
    const path = stack.pop()!;
    const node = tree.get(path);
    assert(node !== undefined, `snapshot walk reached missing node ${path}`);
    visit(path, node);
    if (node.children.size === 0) continue;
    const kids = childOrder(node);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(prefix + kids[i]);
  }
  assert(steps === tree.nodeCount(), `snapshot holds every node (${steps} of ${tree.nodeCount()})`);
}

function sessionTable(sessions: Iterable<SnapshotSession>): SnapshotSession[] {
  const table: SnapshotSession[] = [];
  for (const s of sessions) {
    assert(table.length < sessionsMax, 'snapshot over sessionsMax');
    table.push({ id: s.id, timeout: s.timeout });
  }
  return table;
}

/** A snapshot file and the zxid that names it. */
export interface EncodedSnapshot {
  readonly zxid: Zxid;
  readonly bytes: Uint8Array;
}

/**
 * snapshotOf and encodeSnapshotFile in one walk of the live tree (ZooKeeperServer.takeSnapshot,
 * a server's periodic snapshot on its thread between two steps): the same bytes, without an
 * image of every znode in between, nor the passes that check and size one.
 */
export function encodeTreeSnapshot(tree: DataTree, sessions: Iterable<SnapshotSession>): EncodedSnapshot {
  const zxid = tree.lastProcessedZxid;
  const count = tree.nodeCount();
  const w = new ByteWriter(Math.min(valueBytesMax, 256 + count * treeSnapshotNodeBytesGuess));
  const lengthAt = writeHeader(w);
  writeRecordsHead(w, zxid, count);
  const aclRefs = new Map<readonly ACL[], number>();
  walkTree(tree, (path, node) => writeNode(w, path, node, aclRefs));
  writeSessions(w, sessionTable(sessions));
  return { zxid, bytes: seal(w, lengthAt) };
}

/** Bytes a node takes in the file with a short path and 100 B of data (the bench's; the buffer doubles past it). */
const treeSnapshotNodeBytesGuess = 200;

function snapshotNode(path: string, n: Znode): SnapshotNode {
  return {
    path, data: n.data, acl: n.acl, czxid: n.czxid, mzxid: n.mzxid, pzxid: n.pzxid, ctime: n.ctime,
    mtime: n.mtime, version: n.version, cversion: n.cversion, aversion: n.aversion, ephemeralOwner: n.ephemeralOwner,
  };
}

/** DataTree.deserialize + setupQuota; the tree's lastProcessedZxid is the snapshot's zxid. */
export function restoreSnapshot(image: SnapshotImage, extendedTypesEnabled: boolean): RestoredSnapshot {
  assertSnapshotImage(image);
  const tree = new DataTree(extendedTypesEnabled);
  tree.nodes.clear();
  for (const { path, ...fields } of image.nodes) {
    assert(!tree.nodes.has(path), `snapshot lists ${path} twice`);
    // DataNode.addChild starts a node's child set as new HashSet<>(8)
    tree.nodes.set(path, { ...fields, children: noChildren, childCapacity: 8, digest: 0 }); // digest: recomputeDigest below
    if (path === '/') continue;
    const parent = tree.nodes.get(parentPath(path));
    if (parent === undefined) {
      throw new DataDirError(`Invalid Datatree, unable to find parent ${parentPath(path)} of path ${path}`);
    }
    addChild(parent, childName(path));
    parent.childCapacity = grownCapacity(parent.childCapacity, parent.children.size);
    indexOwner(tree, path, fields.ephemeralOwner);
  }
  assert(tree.nodes.has('/'), 'a restored tree has a root');
  setupQuota(tree);
  tree.recomputeDigest();
  tree.lastProcessedZxid = image.zxid;
  const sessions = new Map<SessionId, number>();
  for (const s of image.sessions) sessions.set(s.id, s.timeout);
  assert(tree.nodeCount() === image.nodes.length, 'restored tree holds every snapshot node');
  return { tree, sessions };
}

function indexOwner(tree: DataTree, path: string, owner: bigint): void {
  const kind = ephemeralKind(owner, tree.extendedTypesEnabled);
  if (kind === 'container') tree.containers.add(path);
  else if (kind === 'ttl') tree.ttls.add(path);
  else if (kind === 'ephemeral') {
    let set = tree.ephemerals.get(owner);
    if (set === undefined) {
      set = new Set();
      tree.ephemerals.set(owner, set);
    }
    set.add(path);
  }
}

/** DataTree.setupQuota/traverseNode/updateQuotaForPath. */
function setupQuota(tree: DataTree): void {
  if (!tree.nodes.has(quotaZookeeper)) return;
  const endString = `/${limitNode}`;
  tree.walk(quotaZookeeper, (path, node) => {
    if (node.children.size > 0 || !path.endsWith(endString)) return;
    const realPath = path.substring(quotaZookeeper.length, path.indexOf(endString));
    tree.quotaRoots.add(realPath);
    const stat = tree.nodes.get(`${quotaZookeeper}${realPath}/${statNode}`);
    if (stat === undefined) return; // ZooKeeper: "Missing quota stat node"
    let count = 0;
    let bytes = 0;
    tree.walk(realPath === '' ? '/' : realPath, (_p, n) => {
      count++;
      bytes += n.data?.length ?? 0;
    });
    stat.data = formatStatsTrack(new Map([['count', count], ['bytes', bytes]]));
  });
}

/** The shape of a snapshot on both sides of the disk. */
export function assertSnapshotImage(value: unknown): asserts value is SnapshotImage {
  assert(typeof value === 'object' && value !== null, 'snapshot image is an object');
  const v = value as Record<string, unknown>;
  assert(typeof v.zxid === 'bigint' && v.zxid >= 0n, 'snapshot zxid is a non-negative bigint');
  assert(Array.isArray(v.nodes) && v.nodes.length > 0, 'snapshot has nodes');
  assert(Array.isArray(v.sessions), 'snapshot has a session table');
  assert(v.nodes.length <= treeNodesMax, 'snapshot over treeNodesMax');
  const root = v.nodes[0] as Record<string, unknown>;
  assert(root.path === '/', 'snapshot starts at the root');
  for (const n of v.nodes as Record<string, unknown>[]) {
    assert(typeof n.path === 'string' && n.path.startsWith('/'), 'snapshot node path is absolute');
    assert(typeof n.czxid === 'bigint' && typeof n.ephemeralOwner === 'bigint', `snapshot node ${n.path} has bigint ids`);
    assert(n.data === null || n.data instanceof Uint8Array, `snapshot node ${n.path} data is bytes or null`);
  }
}

/** FileSnap.serialize + SnapStream.sealStream. */
export function encodeSnapshotFile(image: SnapshotImage): Uint8Array {
  assertSnapshotImage(image);
  // header, body and seal in one writer sized for the file: the body is not copied (it was
  // encoded apart, copied after the header, copied again for the checksum and once more at the
  // end; 100,000 znodes are ~39 MB, and this runs on the server's thread between two steps)
  const w = new ByteWriter(snapshotBytesGuess(image));
  const lengthAt = writeHeader(w);
  writeRecords(w, image);
  return seal(w, lengthAt);
}

/** The header and a body length to fill in (at the offset returned). */
function writeHeader(w: ByteWriter): number {
  w.u32(snapMagic);
  w.u32(snapVersion);
  w.i64(-1n);
  const lengthAt = w.length;
  w.u32(0);
  return lengthAt;
}

/** The body's length, then the checksum and the seal: the file. */
function seal(w: ByteWriter, lengthAt: number): Uint8Array {
  w.u32At(lengthAt, w.length - lengthAt - 4);
  const sum = w.crc32From(0);
  w.u32(sum);
  w.bytes(sealBytes);
  const out = w.written();
  assert(hasSeal(out), 'a written snapshot ends with its seal');
  return out;
}

/** The first byte of a body in the record layout (a value-codec body's is 0x0a). */
const recordsTag = 0x52;

/** The image as records (the layout in the header comment). */
function writeRecords(w: ByteWriter, image: SnapshotImage): void {
  writeRecordsHead(w, image.zxid, image.nodes.length);
  const aclRefs = new Map<readonly ACL[], number>();
  for (const n of image.nodes) writeNode(w, n.path, n, aclRefs);
  writeSessions(w, image.sessions);
}

function writeRecordsHead(w: ByteWriter, zxid: Zxid, nodes: number): void {
  w.u8(recordsTag);
  w.i64(zxid);
  w.u32(nodes);
}

/** One node's record; `aclRefs` numbers the ACL lists written so far. */
function writeNode(w: ByteWriter, path: string, n: Omit<SnapshotNode, 'path'>, aclRefs: Map<readonly ACL[], number>): void {
  writeValue(w, path, 1);
  if (n.data === null) w.i32(-1);
  else {
    w.i32(n.data.length);
    w.bytes(n.data);
  }
  const ref = aclRefs.get(n.acl);
  if (ref !== undefined) w.i32(ref);
  else {
    aclRefs.set(n.acl, aclRefs.size);
    w.i32(-1);
    writeValue(w, n.acl, 1);
  }
  w.i64(n.czxid);
  w.i64(n.mzxid);
  w.i64(n.pzxid);
  w.f64(n.ctime);
  w.f64(n.mtime);
  w.f64(n.version);
  w.f64(n.cversion);
  w.f64(n.aversion);
  w.i64(n.ephemeralOwner);
}

function writeSessions(w: ByteWriter, sessions: readonly SnapshotSession[]): void {
  w.u32(sessions.length);
  for (const s of sessions) {
    w.i64(s.id);
    w.f64(s.timeout);
  }
}

/** What writeRecords wrote; CodecError where the bytes are not that. */
function readRecords(body: Uint8Array): SnapshotImage {
  const r = new ByteReader(body, 1);
  const zxid = r.i64();
  const count = r.u32();
  // a node takes at least 70 bytes: a count beyond the input is corruption
  if (count > treeNodesMax || count * 70 > r.remaining()) throw new CodecError(`snapshot of ${count} nodes overruns the input`);
  const acls: (readonly ACL[])[] = [];
  const nodes: SnapshotNode[] = [];
  for (let i = 0; i < count; i++) {
    const path = readValue(r, 1);
    if (typeof path !== 'string') throw new CodecError(`snapshot node ${i} has no path`);
    const length = r.i32();
    if (length < -1) throw new CodecError(`snapshot node ${path} has data of length ${length}`);
    const data = length === -1 ? null : r.bytes(length);
    const ref = r.i32();
    let acl: readonly ACL[] | undefined;
    if (ref === -1) {
      const list = readValue(r, 1);
      if (!Array.isArray(list)) throw new CodecError(`snapshot node ${path} has no ACL list`);
      acl = list as ACL[];
      acls.push(acl);
    } else {
      acl = acls[ref];
      if (acl === undefined) throw new CodecError(`snapshot node ${path} refers to ACL list ${ref} of ${acls.length}`);
    }
    nodes.push({
      path, data, acl, czxid: r.i64(), mzxid: r.i64(), pzxid: r.i64(), ctime: r.f64(), mtime: r.f64(),
      version: r.f64(), cversion: r.f64(), aversion: r.f64(), ephemeralOwner: r.i64(),
    });
  }
  const sessionCount = r.u32();
  if (sessionCount > sessionsMax || sessionCount * 16 > r.remaining()) throw new CodecError(`snapshot of ${sessionCount} sessions overruns the input`);
  const sessions: SnapshotSession[] = [];
  for (let i = 0; i < sessionCount; i++) sessions.push({ id: r.i64(), timeout: r.f64() });
  if (r.remaining() !== 0) throw new CodecError(`${r.remaining()} trailing bytes after a snapshot`);
  return { zxid, nodes, sessions };
}

/**
 * A little over the file's size (so the writer does not grow: each growth copied all written so
 * far): per node its path (3 bytes a UTF-16 unit at most), data and 77 bytes of lengths, ids and
 * stat; each ACL list once; per session 16.
 */
function snapshotBytesGuess(image: SnapshotImage): number {
  let n = 256 + 16 * image.sessions.length;
  const lists = new Set<readonly ACL[]>();
  for (const node of image.nodes) {
    n += 96 + 3 * node.path.length + (node.data === null ? 0 : node.data.length);
    if (!lists.has(node.acl)) {
      lists.add(node.acl);
      n += 32 + 160 * node.acl.length;
    }
  }
  return Math.min(n, valueBytesMax);
}

/** SnapStream.isValidCheckedStream: only the tail is looked at. */
export function hasSeal(bytes: Uint8Array): boolean {
  return sealedTail(bytes.length, bytes.subarray(Math.max(0, bytes.length - sealBytes.length)));
}

/** The bytes at the end of a file that `sealedTail` looks at. */
export const snapshotSealBytes = sealBytes.length;

/** hasSeal of a file of `size` bytes ending with `tail` (its last snapshotSealBytes), without reading the rest. */
export function sealedTail(size: number, tail: Uint8Array): boolean {
  if (size < snapshotBytesMin || tail.length !== sealBytes.length) return false;
  return tail.every((b, i) => b === sealBytes[i]);
}

/**
 * FileSnap.deserialize of one file: magic, body, checksum. Returns the image, or the reason it
 * is invalid (ZooKeeper logs "problem reading snap file" and tries the next older one).
 */
export function decodeSnapshotFile(bytes: Uint8Array, nameZxid: Zxid): SnapshotImage | { readonly invalid: string } {
  try {
    const r = new ByteReader(bytes);
    const magic = r.i32();
    if (magic !== (snapMagic | 0)) return { invalid: `mismatching magic headers ${magic} !=  ${snapMagic | 0}` };
    r.u32();
    r.i64();
    const body = r.bytes(r.u32());
    const sumEnd = r.offset;
    if (crc32(bytes.subarray(0, sumEnd)) !== r.u32()) return { invalid: 'CRC corruption' };
    const image = body[0] === recordsTag ? readRecords(body) : decodeValue(body);
    assertSnapshotImage(image);
    if (image.zxid !== nameZxid) return { invalid: `snapshot of zxid ${image.zxid} in a file named ${nameZxid}` };
    return image;
  } catch (e) {
    if (e instanceof CodecError) return { invalid: e.message };
    throw e;
  }
}
