/**
 * The read side of FinalRequestProcessor (reference §3, §5, §7): requests that do not change
 * the tree run against this server's committed DataTree, check READ where ZooKeeper does, and
 * register watches for the connection.
 *
 * exists() follows 3.8.0 (no READ check; the golden corpus shows `stat` on a node the caller
 * cannot read succeeding). Watch *delivery* follows 3.8.4+ (only to connections with READ),
 * see ZkServer.fireTriggers.
 */
import { checkAcl, type AuthInfo } from '../acl/acl.ts';
import { chmCreate, chmKeys, chmPut } from '../config/java-concurrent-hash-map.ts';
import { javaStringHash } from '../util/java-hash.ts';
import type { OpResult, ReadOp, SessionOp } from '../protocol/client-protocol.ts';
import { Code } from '../protocol/errors.ts';
import type { Zxid } from '../protocol/ids.ts';
import { AddWatchMode, EventType, Perms, WatcherType, type ACL, type WatcherEvent } from '../protocol/records.ts';
import type { DataTree } from '../datatree/data-tree.ts';
import { KeeperState } from '../protocol/records.ts';
import type { ConnId, WatcherMode, WatchManager } from '../watches/watch-manager.ts';

export interface ReadContext {
  readonly tree: DataTree;
  readonly dataWatches: WatchManager;
  readonly childWatches: WatchManager;
  readonly skipACL: boolean;
}

export interface ReadCaller {
  readonly connId: ConnId;
  readonly sessionId: bigint;
  readonly authInfo: AuthInfo;
}

export interface ReadOutcome {
  readonly err: Code;
  readonly result: OpResult | null;
  /** events to send right away (setWatches catch-up) */
  readonly events?: WatcherEvent[];
}

function fail(err: Code): ReadOutcome {
  return { err, result: null };
}

function canRead(ctx: ReadContext, acl: readonly ACL[], perm: number, caller: ReadCaller): boolean {
  return ctx.skipACL || checkAcl(acl, perm, caller.authInfo);
}

export function executeRead(ctx: ReadContext, caller: ReadCaller, op: ReadOp | SessionOp): ReadOutcome {
  switch (op.type) {
    case 'getData': {
      if (op.path.includes('\0')) return fail(Code.BADARGUMENTS);
      const node = ctx.tree.get(op.path);
      if (!node) return fail(Code.NONODE);
      if (!canRead(ctx, node.acl, Perms.READ, caller)) return fail(Code.NOAUTH);
      if (op.watch) ctx.dataWatches.add(op.path, caller.connId, 'standard');
      return { err: Code.OK, result: { type: 'getData', data: node.data, stat: ctx.tree.statOf(op.path) } };
    }
    case 'exists': {
      if (op.path.includes('\0')) return fail(Code.BADARGUMENTS);
      if (op.watch) ctx.dataWatches.add(op.path, caller.connId, 'standard');
      if (!ctx.tree.get(op.path)) return fail(Code.NONODE);
      return { err: Code.OK, result: { type: 'exists', stat: ctx.tree.statOf(op.path) } };
    }
    case 'getChildren': {
      if (op.path.includes('\0')) return fail(Code.BADARGUMENTS);
      const node = ctx.tree.get(op.path);
      if (!node) return fail(Code.NONODE);
      if (!canRead(ctx, node.acl, Perms.READ, caller)) return fail(Code.NOAUTH);
      if (op.watch) ctx.childWatches.add(op.path, caller.connId, 'standard');
      return { err: Code.OK, result: { type: 'getChildren', children: ctx.tree.childrenOf(op.path), stat: ctx.tree.statOf(op.path) } };
    }
    case 'getACL': return getAcl(ctx, caller, op.path);
    case 'getEphemerals': return getEphemerals(ctx, caller, op.prefixPath);
    case 'getAllChildrenNumber': {
      const node = ctx.tree.get(op.path);
      if (!node) return fail(Code.NONODE);
      if (!canRead(ctx, node.acl, Perms.READ, caller)) return fail(Code.NOAUTH);
      return { err: Code.OK, result: { type: 'getAllChildrenNumber', count: ctx.tree.allChildrenNumber(op.path) } };
    }
    case 'whoAmI':
      return { err: Code.OK, result: { type: 'whoAmI', clientInfo: whoAmI(caller.authInfo) } };
    case 'addWatch': {
      const mode: WatcherMode = op.mode === AddWatchMode.PERSISTENT_RECURSIVE ? 'persistentRecursive' : 'persistent';
      ctx.dataWatches.add(op.path, caller.connId, mode);
      ctx.childWatches.add(op.path, caller.connId, mode);
      return { err: Code.OK, result: { type: 'addWatch' } };
    }
    case 'removeWatches':
    case 'checkWatches': {
      const found = watchOp(ctx, caller.connId, op.path, op.watcherType, op.type === 'removeWatches');
      if (!found) return fail(Code.NOWATCHER);
      return { err: Code.OK, result: { type: op.type } };
    }
    case 'sync':
      return { err: Code.OK, result: { type: 'sync', path: op.path } };
    case 'ping':
      return { err: Code.OK, result: { type: 'ping' } };
    case 'setWatches':
      return setWatches(ctx, caller.connId, op);
    case 'auth':
    case 'closeSession':
      throw new Error(`${op.type} is not a read`);
  }
}

/** getACL: READ or ADMIN; without ADMIN digest ids are masked as `user:x`. */
function getAcl(ctx: ReadContext, caller: ReadCaller, path: string): ReadOutcome {
  const node = ctx.tree.get(path);
  if (!node) return fail(Code.NONODE);
  if (!canRead(ctx, node.acl, Perms.READ | Perms.ADMIN, caller)) return fail(Code.NOAUTH);
  const stat = ctx.tree.statOf(path);
  if (canRead(ctx, node.acl, Perms.ADMIN, caller)) return { err: Code.OK, result: { type: 'getACL', acl: node.acl, stat } };
  const masked = node.acl.map((a) =>
    a.id.scheme === 'digest' ? { perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id.replace(/:[\s\S]*/, ':x') } } : a);
  return { err: Code.OK, result: { type: 'getACL', acl: masked, stat } };
}

function getEphemerals(ctx: ReadContext, caller: ReadCaller, prefixPath: string): ReadOutcome {
  const all = ctx.tree.ephemeralsOf(caller.sessionId);
  const trimmed = prefixPath.trim();
  const paths = trimmed === '' || trimmed === '/' ? all : all.filter((p) => p.startsWith(prefixPath));
  return { err: Code.OK, result: { type: 'getEphemerals', paths } };
}

/** DataTree.removeWatch / containsWatcher by WatcherType. */
function watchOp(ctx: ReadContext, conn: ConnId, path: string, type: WatcherType, remove: boolean): boolean {
  const act = (table: WatchManager, modes?: readonly WatcherMode[]): boolean =>
    remove ? table.remove(path, conn, modes) : table.has(path, conn, modes);
  switch (type) {
    case WatcherType.Children: return act(ctx.childWatches);
    case WatcherType.Data: return act(ctx.dataWatches);
    case WatcherType.Any: {
      const child = act(ctx.childWatches);
      const data = act(ctx.dataWatches);
      return child || data;
    }
    case WatcherType.Persistent: {
      const child = act(ctx.childWatches, ['persistent']);
      const data = act(ctx.dataWatches, ['persistent']);
      return child || data;
    }
    case WatcherType.PersistentRecursive: {
      const child = act(ctx.childWatches, ['persistentRecursive']);
      const data = act(ctx.dataWatches, ['persistentRecursive']);
      return child || data;
    }
  }
}

/** DataTree.setWatches: re-register after reconnect, with catch-up events (reference §5). */
function setWatches(ctx: ReadContext, conn: ConnId, op: Extract<SessionOp, { type: 'setWatches' }>): ReadOutcome {
  const events: WatcherEvent[] = [];
  const ev = (type: EventType, path: string): WatcherEvent => ({ type, state: KeeperState.SyncConnected, path });
  const rel: Zxid = op.relativeZxid;
  for (const path of op.dataWatches) {
    const node = ctx.tree.get(path);
    if (!node) events.push(ev(EventType.NodeDeleted, path));
    else if (node.mzxid > rel) events.push(ev(EventType.NodeDataChanged, path));
    else ctx.dataWatches.add(path, conn, 'standard');
  }
  for (const path of op.existWatches) {
    if (ctx.tree.get(path)) events.push(ev(EventType.NodeCreated, path));
    else ctx.dataWatches.add(path, conn, 'standard');
  }
  for (const path of op.childWatches) {
    const node = ctx.tree.get(path);
    if (!node) events.push(ev(EventType.NodeDeleted, path));
    else if (node.pzxid > rel) events.push(ev(EventType.NodeChildrenChanged, path));
    else ctx.childWatches.add(path, conn, 'standard');
  }
  for (const path of op.persistentWatches) {
    ctx.dataWatches.add(path, conn, 'persistent');
    ctx.childWatches.add(path, conn, 'persistent');
  }
  for (const path of op.persistentRecursiveWatches) {
    ctx.dataWatches.add(path, conn, 'persistentRecursive');
    ctx.childWatches.add(path, conn, 'persistentRecursive');
  }
  return { err: Code.OK, result: { type: 'setWatches' }, events };
}

/**
 * FinalRequestProcessor whoAmI: the connection's auth ids in the iteration order of the
 * ConcurrentHashMap-backed set ServerCnxn keeps them in (so `digest` may come before `ip`),
 * each with its provider's user name (digest: the part before ':').
 */
function whoAmI(authInfo: AuthInfo): { authScheme: string; user: string }[] {
  const model = chmCreate();
  for (const id of authInfo) chmPut(model, { id: `${id.scheme}\u0000${id.id}`, hash: idHashCode(id.scheme, id.id) });
  return chmKeys(model).map((key) => {
    const [scheme, id] = key.split('\u0000');
    return { authScheme: scheme, user: scheme === 'digest' ? id.split(':')[0] : scheme === 'super' ? '' : id };
  });
}

/** jute's generated Id.hashCode(): 37 * (37 * 17 + scheme.hashCode()) + id.hashCode(). */
function idHashCode(scheme: string, id: string): number {
  let result = 17;
  result = (Math.imul(37, result) + javaStringHash(scheme)) | 0;
  result = (Math.imul(37, result) + javaStringHash(id)) | 0;
  return result;
}
