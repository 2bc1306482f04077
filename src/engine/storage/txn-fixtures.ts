/**
 * Test fixtures for the storage tests (engine and runtime): valid txn sequences built against
 * a real DataTree, and a canonical form of a tree to compare two of them. Not used by the
 * server itself.
 */
import { DataTree } from '../datatree/data-tree.ts';
import { makeZxid, zxidCounter, zxidEpoch, type SessionId, type Zxid } from '../protocol/ids.ts';
import { openAclUnsafe, Perms } from '../protocol/records.ts';
import { Code } from '../protocol/errors.ts';
import type { Txn, TxnEntry } from '../protocol/txn.ts';
import { assert } from '../util/assert.ts';
import { utf8Encode } from '../util/bytes.ts';
import { encodeLogHeader, encodeTxnRecord } from './txn-log.ts';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function entry(zxid: Zxid, txn: Txn, clientId: SessionId = 0n, time = 1_700_000_000_000): TxnEntry {
  return { hdr: { clientId, cxid: zxidCounter(zxid), zxid, time }, txn };
}

export function createTxn(path: string, data: string | null = 'v', ephemeralOwner = 0n): Txn {
  return {
    type: 'create', path, data: data === null ? null : utf8Encode(data), acl: openAclUnsafe, ephemeralOwner, parentCVersion: -1,
  };
}

export function setDataTxn(path: string, data: string, version: number): Txn {
  return { type: 'setData', path, data: utf8Encode(data), version };
}

/** Applies entries to a new tree, as a server that never crashed would have them. */
export function treeOf(entries: readonly TxnEntry[], extendedTypesEnabled = false): DataTree {
  const tree = new DataTree(extendedTypesEnabled);
  for (const e of entries) tree.applyTxn(e.hdr, e.txn);
  return tree;
}

/** Sessions as the log leaves them: createSession adds, closeSession removes. */
export function sessionsOf(entries: readonly TxnEntry[]): Map<SessionId, number> {
  const out = new Map<SessionId, number>();
  for (const e of entries) {
    if (e.txn.type === 'createSession') out.set(e.hdr.clientId, e.txn.timeOut);
    if (e.txn.type === 'closeSession') out.delete(e.hdr.clientId);
  }
  return out;
}

/** Everything about a tree that must survive a restart, in a form independent of Set order. */
export function canonicalTree(tree: DataTree): unknown {
  const nodes = [...tree.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, n]) => ({
    path, data: n.data, acl: n.acl, czxid: n.czxid, mzxid: n.mzxid, pzxid: n.pzxid, ctime: n.ctime, mtime: n.mtime,
    version: n.version, cversion: n.cversion, aversion: n.aversion, ephemeralOwner: n.ephemeralOwner,
    children: [...n.children].sort(),
  }));
  const ephemerals = [...tree.ephemerals.entries()].filter(([, s]) => s.size > 0)
    .map(([id, s]) => [id, [...s].sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    nodes, ephemerals, containers: [...tree.containers].sort(), ttls: [...tree.ttls].sort(),
    quotaRoots: [...tree.quotaRoots].sort(), lastProcessedZxid: tree.lastProcessedZxid,
  };
}

export const randomTxnsMax = 100_000;

/**
 * `count` txns that apply cleanly in order, starting after `after`: creates (some ephemeral,
 * some with null data), setData, delete of leaves, setACL, multi, error txns, sessions opened
 * and closed, and now and then a new epoch (the zxid jumps to (epoch + 1) << 32 | 1).
 */
export function randomTxns(seed: number, count: number, after: Zxid = 0n): TxnEntry[] {
  assert(count <= randomTxnsMax, 'randomTxns over randomTxnsMax');
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const tree = new DataTree(false);
  const sessions: SessionId[] = [];
  const out: TxnEntry[] = [];
  let zxid = after;
  for (let i = 0; i < count; i++) {
    zxid = random() < 0.03 ? makeZxid(zxidEpoch(zxid) + 1, 1) : zxid + 1n;
    const e = randomEntry(tree, sessions, zxid, random, pick, i);
    tree.applyTxn(e.hdr, e.txn);
    out.push(e);
  }
  return out;
}

function randomEntry(
  tree: DataTree, sessions: SessionId[], zxid: Zxid, random: () => number,
  pick: <T>(xs: readonly T[]) => T, i: number,
): TxnEntry {
  const paths = [...tree.nodes.keys()].filter((p) => !p.startsWith('/zookeeper'));
  const leaves = paths.filter((p) => p !== '/' && tree.get(p)!.children.size === 0);
  const r = random();
  if (r < 0.06 || sessions.length === 0) {
    const id = BigInt(0x100 + i) | (1n << 56n);
    sessions.push(id);
    return entry(zxid, { type: 'createSession', timeOut: 4000 + (i % 7) * 1000 }, id);
  }
  if (r < 0.1) {
    const id = sessions.splice(Math.floor(random() * sessions.length), 1)[0];
    return entry(zxid, { type: 'closeSession', paths2Delete: [...(tree.ephemerals.get(id) ?? [])] }, id);
  }
  if (r < 0.5) return entry(zxid, randomCreate(tree, paths, sessions, random, pick, i), pick(sessions));
  if (r < 0.7 && paths.length > 1) {
    const path = pick(paths.filter((p) => p !== '/'));
    return entry(zxid, setDataTxn(path, `d${i}`, tree.get(path)!.version + 1), pick(sessions));
  }
  if (r < 0.82 && leaves.length > 0) return entry(zxid, { type: 'delete', path: pick(leaves) }, pick(sessions));
  if (r < 0.88 && paths.length > 1) {
    const path = pick(paths.filter((p) => p !== '/'));
    const acl = [{ perms: Perms.READ | Perms.WRITE, id: { scheme: 'world', id: 'anyone' } }];
    return entry(zxid, { type: 'setACL', path, acl, version: tree.get(path)!.aversion + 1 }, pick(sessions));
  }
  if (r < 0.94) {
    const a = `/m${i}`;
    return entry(zxid, { type: 'multi', txns: [
      { type: 'create', path: a, data: utf8Encode('m'), acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: -1 },
      { type: 'create', path: `${a}/c`, data: null, acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: -1 },
    ] }, pick(sessions));
  }
  return entry(zxid, { type: 'error', err: Code.NONODE }, pick(sessions));
}

function randomCreate(
  tree: DataTree, paths: readonly string[], sessions: readonly SessionId[], random: () => number,
  pick: <T>(xs: readonly T[]) => T, i: number,
): Txn {
  const parents = paths.filter((p) => tree.get(p)!.ephemeralOwner === 0n);
  const parent = pick(parents);
  const path = parent === '/' ? `/n${i}` : `${parent}/n${i}`;
  const owner = random() < 0.25 ? pick(sessions) : 0n;
  const data = random() < 0.1 ? null : random() < 0.1 ? '' : `v${i}`;
  return createTxn(path, data, owner);
}

/** A whole log file holding `entries`. */
export function logFileBytes(entries: readonly TxnEntry[]): Uint8Array {
  const parts = [encodeLogHeader(), ...entries.map(encodeTxnRecord)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
