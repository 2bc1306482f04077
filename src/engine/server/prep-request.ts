/**
 * PrepRequestProcessor (reference §3, §6.4): turns one write request into exactly one txn,
 * validating it against the speculative state (committed tree + outstanding changes) in
 * ZooKeeper's order, so the same request fails with the same error as in ZooKeeper.
 *
 * A write that fails validation still becomes a txn: an ErrorTxn that consumes its zxid and
 * is logged and committed like any other (that is why zxids jump after failed writes).
 *
 * Validation is a chain of checks that each may end the request with a KeeperException code;
 * inside this module that is a thrown `KeeperError`, caught in `prepWrite` and turned into the
 * ErrorTxn. It never escapes this module.
 */
import { checkAcl, fixupAcl, type AuthInfo } from '../acl/acl.ts';
import type { CreateOp, Data, MultiSubOp, WriteOp } from '../protocol/client-protocol.ts';
import { Code } from '../protocol/errors.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import { CreateMode, isEphemeralMode, isSequentialMode, isTtlMode, Perms, type ACL } from '../protocol/records.ts';
import {
  containerEphemeralOwner, ephemeralKind, ttlEphemeralOwner, ttlMax,
  type MultiSubTxn, type Txn,
} from '../protocol/txn.ts';
import { configZookeeper, nextVersion, quotaZookeeper, type DataTree } from '../datatree/data-tree.ts';
import { ReconfigError } from '../quorum/quorum-config.ts';
import { parentPath, validatePath } from '../datatree/path.ts';
import { parseStatsTrack, statsValue } from '../datatree/stats-track.ts';
import { assert } from '../util/assert.ts';
import type { ChangeRecord, OutstandingChanges } from './outstanding-changes.ts';

export class KeeperError {
  constructor(readonly code: Code) {}
}

export interface PrepConfig {
  readonly extendedTypesEnabled: boolean;
  /** zookeeper.enforceQuota */
  readonly enforceQuota: boolean;
  /** zookeeper.skipACL */
  readonly skipACL: boolean;
}

export interface PrepContext {
  readonly tree: DataTree;
  readonly changes: OutstandingChanges;
  readonly config: PrepConfig;
  /** SessionTracker.checkSession: OK, SESSIONEXPIRED or SESSIONMOVED */
  readonly checkSession: (sessionId: SessionId) => Code;
  /**
   * zoo.cfg reconfigEnabled, and on a quorum leader the new config's text for a reconfig
   * request (its validation, throwing ReconfigError); a standalone server has no `leader`.
   */
  readonly reconfig?: {
    readonly enabled: boolean;
    readonly leader: ((op: Extract<WriteOp, { type: 'reconfig' }>, zxid: Zxid) => Data) | null;
  };
}

export interface PrepRequest {
  readonly sessionId: SessionId;
  readonly zxid: Zxid;
  readonly time: number;
  readonly authInfo: AuthInfo;
  readonly op: WriteOp;
}

export interface Prepared {
  readonly txn: Txn;
  /** OK, or the code the client gets back after the ErrorTxn commits */
  readonly err: Code;
}

const specialPaths = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

export function prepWrite(ctx: PrepContext, req: PrepRequest): Prepared {
  try {
    const txn = prepOp(ctx, req, req.op);
    return { txn, err: Code.OK };
  } catch (e) {
    if (!(e instanceof KeeperError)) throw e;
    return { txn: { type: 'error', err: e.code }, err: e.code };
  }
}

function prepOp(ctx: PrepContext, req: PrepRequest, op: WriteOp): Txn {
  switch (op.type) {
    case 'create': return prepCreate(ctx, req, op);
    case 'delete': return prepDelete(ctx, req, op.path, op.version);
    case 'setData': return prepSetData(ctx, req, op.path, op.data, op.version);
    case 'setACL': return prepSetAcl(ctx, req, op.path, op.acl, op.version);
    case 'check': return prepCheck(ctx, req, op.path, op.version);
    case 'multi': return prepMulti(ctx, req, op.ops);
    case 'reconfig': return prepReconfig(ctx, req, op);
  }
}

/**
 * OpCode.reconfig: disabled (3.8's default) -> ReconfigDisabled before anything else; then the
 * session; a standalone server -> Unimplemented; the leader's membership checks; last the
 * WRITE permission on /zookeeper/config, whose ACL is world:anyone:r, so only a super user
 * (or skipACL) gets through. The txn is a SetDataTxn of the new config at version -1.
 */
function prepReconfig(ctx: PrepContext, req: PrepRequest, op: Extract<WriteOp, { type: 'reconfig' }>): Txn {
  if (!ctx.reconfig?.enabled) throw new KeeperError(Code.RECONFIGDISABLED);
  checkSession(ctx, req);
  if (ctx.reconfig.leader === null) throw new KeeperError(Code.UNIMPLEMENTED);
  let data: Data;
  try {
    data = ctx.reconfig.leader(op, req.zxid);
  } catch (e) {
    if (e instanceof ReconfigError) throw new KeeperError(e.code);
    throw e;
  }
  const rec = requireRecord(ctx, configZookeeper);
  requirePerm(ctx, req, rec.acl, Perms.WRITE);
  ctx.changes.add({ ...rec, zxid: req.zxid, data, stat: { ...rec.stat, version: -1, mzxid: req.zxid } });
  assert(data !== null, 'a reconfig carries the new config');
  return { type: 'reconfig', data, version: -1 };
}

function checkSession(ctx: PrepContext, req: PrepRequest): void {
  const code = ctx.checkSession(req.sessionId);
  if (code !== Code.OK) throw new KeeperError(code);
}

function requireValidPath(path: string): void {
  if (validatePath(path) !== null) throw new KeeperError(Code.BADARGUMENTS);
}

function requireRecord(ctx: PrepContext, path: string): ChangeRecord & { stat: NonNullable<ChangeRecord['stat']> } {
  const rec = ctx.changes.get(ctx.tree, path);
  if (rec === null || rec.stat === null) throw new KeeperError(Code.NONODE);
  return rec as ChangeRecord & { stat: NonNullable<ChangeRecord['stat']> };
}

function requirePerm(ctx: PrepContext, req: PrepRequest, acl: readonly ACL[], perm: number): void {
  if (ctx.config.skipACL) return;
  if (!checkAcl(acl, perm, req.authInfo)) throw new KeeperError(Code.NOAUTH);
}

function requireFixedAcl(req: PrepRequest, acl: readonly ACL[]): readonly ACL[] {
  const fixed = fixupAcl(acl, req.authInfo);
  if (fixed === null) throw new KeeperError(Code.INVALIDACL);
  return fixed;
}

/** PrepRequestProcessor.checkAndIncVersion */
function checkAndIncVersion(current: number, expected: number): number {
  if (expected !== -1 && expected !== current) throw new KeeperError(Code.BADVERSION);
  return nextVersion(current);
}

function prepCreate(ctx: PrepContext, req: PrepRequest, op: CreateOp): Txn {
  const mode = op.mode;
  // validateCreateRequest
  if (isTtlMode(mode) && !ctx.config.extendedTypesEnabled) throw new KeeperError(Code.UNIMPLEMENTED);
  if (!ttlValid(mode, op.ttl)) throw new KeeperError(Code.BADARGUMENTS);
  checkSession(ctx, req);
  // validatePathForCreate
  if (op.path.lastIndexOf('/') === -1 || op.path.includes('\0')) throw new KeeperError(Code.BADARGUMENTS);
  const parentName = parentPath(op.path);
  const acl = requireFixedAcl(req, op.acl);
  const parent = requireRecord(ctx, parentName);
  requirePerm(ctx, req, parent.acl, Perms.CREATE);
  const parentCVersion = parent.stat.cversion;
  const path = isSequentialMode(mode) ? op.path + sequenceSuffix(parentCVersion) : op.path;
  requireValidPath(path);
  if (ctx.changes.get(ctx.tree, path) !== null) throw new KeeperError(Code.NODEEXISTS);
  if (ephemeralKind(parent.stat.ephemeralOwner, ctx.config.extendedTypesEnabled) === 'ephemeral') {
    throw new KeeperError(Code.NOCHILDRENFOREPHEMERALS);
  }
  const newCversion = (parentCVersion + 1) | 0;
  checkQuota(ctx, path, null, op.data, 'create');
  const owner = ownerFor(mode, op.ttl, req.sessionId);
  ctx.changes.add({
    ...parent, zxid: req.zxid, childCount: parent.childCount + 1,
    stat: { ...parent.stat, cversion: newCversion, pzxid: req.zxid },
  });
  ctx.changes.add({
    zxid: req.zxid, path, childCount: 0, acl, data: op.data,
    stat: { version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner, pzxid: req.zxid, mzxid: req.zxid },
  });
  return { type: 'create', path, data: op.data, acl, ephemeralOwner: owner, parentCVersion: newCversion };
}

/** String.format("%010d", int): negative values keep their sign ("-2147483648"). */
export function sequenceSuffix(counter: number): string {
  return counter < 0 ? '-' + String(-counter).padStart(9, '0') : String(counter).padStart(10, '0');
}

function ttlValid(mode: CreateMode, ttl: number): boolean {
  if (isTtlMode(mode)) return ttl > 0 && ttl <= ttlMax;
  return ttl < 0;
}

function ownerFor(mode: CreateMode, ttl: number, sessionId: SessionId): bigint {
  if (mode === CreateMode.CONTAINER) return containerEphemeralOwner;
  if (isTtlMode(mode)) return ttlEphemeralOwner(ttl);
  if (isEphemeralMode(mode)) return sessionId;
  return 0n;
}

function prepDelete(ctx: PrepContext, req: PrepRequest, path: string, version: number): Txn {
  checkSession(ctx, req);
  requireValidPath(path);
  if (path.lastIndexOf('/') === -1 || path.includes('\0') || specialPaths.has(path)) throw new KeeperError(Code.BADARGUMENTS);
  const parent = requireRecord(ctx, parentPath(path));
  requirePerm(ctx, req, parent.acl, Perms.DELETE);
  const node = requireRecord(ctx, path);
  checkAndIncVersion(node.stat.version, version);
  if (node.childCount > 0) throw new KeeperError(Code.NOTEMPTY);
  ctx.changes.add({ ...parent, zxid: req.zxid, childCount: parent.childCount - 1, stat: { ...parent.stat, pzxid: req.zxid } });
  ctx.changes.add({ zxid: req.zxid, path, stat: null, childCount: -1, acl: [], data: null });
  return { type: 'delete', path };
}

function prepSetData(ctx: PrepContext, req: PrepRequest, path: string, data: Uint8Array | null, version: number): Txn {
  checkSession(ctx, req);
  requireValidPath(path);
  const node = requireRecord(ctx, path);
  requirePerm(ctx, req, node.acl, Perms.WRITE);
  checkQuota(ctx, path, node.data, data, 'setData');
  const newVersion = checkAndIncVersion(node.stat.version, version);
  ctx.changes.add({ ...node, zxid: req.zxid, data, stat: { ...node.stat, version: newVersion, mzxid: req.zxid } });
  return { type: 'setData', path, data, version: newVersion };
}

function prepSetAcl(ctx: PrepContext, req: PrepRequest, path: string, acl: readonly ACL[], version: number): Txn {
  checkSession(ctx, req);
  requireValidPath(path);
  const fixed = requireFixedAcl(req, acl);
  const node = requireRecord(ctx, path);
  requirePerm(ctx, req, node.acl, Perms.ADMIN);
  const newVersion = checkAndIncVersion(node.stat.aversion, version);
  ctx.changes.add({ ...node, zxid: req.zxid, acl: fixed, stat: { ...node.stat, aversion: newVersion } });
  return { type: 'setACL', path, acl: fixed, version: newVersion };
}

function prepCheck(ctx: PrepContext, req: PrepRequest, path: string, version: number): Txn {
  checkSession(ctx, req);
  requireValidPath(path);
  const node = requireRecord(ctx, path);
  requirePerm(ctx, req, node.acl, Perms.READ);
  return { type: 'check', path, version: checkAndIncVersion(node.stat.version, version) };
}

/** One zxid for the whole multi; after the first failure the rest become RUNTIMEINCONSISTENCY. */
function prepMulti(ctx: PrepContext, req: PrepRequest, ops: readonly MultiSubOp[]): Txn {
  const txns: MultiSubTxn[] = [];
  let failed = false;
  ctx.changes.beginMulti();
  try {
    for (const op of ops) {
      if (failed) {
        txns.push({ type: 'error', err: Code.RUNTIMEINCONSISTENCY });
        continue;
      }
      try {
        const txn = prepOp(ctx, req, op);
        assert(txn.type !== 'multi' && txn.type !== 'setACL' && txn.type !== 'reconfig' &&
          txn.type !== 'createSession' && txn.type !== 'closeSession', 'multi sub-op kind');
        txns.push(txn);
      } catch (e) {
        if (!(e instanceof KeeperError)) throw e;
        failed = true;
        txns.push({ type: 'error', err: e.code });
        ctx.changes.rollbackMulti();
      }
    }
  } finally {
    ctx.changes.endMulti();
  }
  return { type: 'multi', txns };
}

/** ZooKeeperServer.checkQuota: only hard limits reject, and only with enforceQuota. */
function checkQuota(ctx: PrepContext, path: string, lastData: Uint8Array | null, data: Uint8Array | null, kind: 'create' | 'setData'): void {
  if (!ctx.config.enforceQuota) return;
  const root = ctx.tree.maxPrefixWithQuota(path);
  if (root === null) return;
  const bytes = data?.length ?? 0;
  const bytesDiff = kind === 'create' ? bytes : bytes - (lastData?.length ?? 0);
  const countDiff = kind === 'create' ? 1 : 0;
  const limits = ctx.tree.get(`${quotaZookeeper}${root}/zookeeper_limits`);
  const stats = ctx.tree.get(`${quotaZookeeper}${root}/zookeeper_stats`);
  if (!limits || !stats) return;
  const limit = parseStatsTrack(limits.data);
  const current = parseStatsTrack(stats.data);
  const countHard = statsValue(limit, 'countHardLimit');
  const byteHard = statsValue(limit, 'byteHardLimit');
  if (countDiff !== 0 && countHard > -1 && statsValue(current, 'count') + countDiff > countHard) {
    throw new KeeperError(Code.QUOTAEXCEEDED);
  }
  if (bytesDiff !== 0 && byteHard > -1 && statsValue(current, 'bytes') + bytesDiff > byteHard) {
    throw new KeeperError(Code.QUOTAEXCEEDED);
  }
}

/**
 * closeSession (reference §4): the session's ephemerals in the tree, plus pending creates of its
 * ephemerals, minus pending deletes; each gets a deletion change record.
 */
export function prepCloseSession(ctx: PrepContext, sessionId: SessionId, zxid: Zxid): Txn {
  const paths = new Set(ctx.tree.ephemeralsOf(sessionId));
  for (const rec of ctx.changes.pending()) {
    if (rec.stat === null) paths.delete(rec.path);
    else if (rec.stat.ephemeralOwner === sessionId) paths.add(rec.path);
  }
  for (const path of paths) ctx.changes.add({ zxid, path, stat: null, childCount: 0, acl: [], data: null });
  return { type: 'closeSession', paths2Delete: [...paths] };
}
