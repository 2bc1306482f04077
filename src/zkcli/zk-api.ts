/**
 * org.apache.zookeeper.ZooKeeper as zkCli's commands call it, over the effect contract: each
 * method yields one `call` effect and turns the CallResult back into what the Java method
 * returns or throws (KeeperException, IllegalArgumentException), so the command code reads like
 * its Java original, try/catch included.
 */
import type { CallResult, ClientCall, ClientState } from '../client/api.ts';
import type { Data, MultiSubOp, OpResult, WhoAmIEntry } from '../engine/protocol/client-protocol.ts';
import { Code, codeMessage } from '../engine/protocol/errors.ts';
import type { ACL, AddWatchMode, CreateMode, Stat, WatcherType } from '../engine/protocol/records.ts';
import type { Effect, EffectResult } from './effects.ts';

export type ZkRun<T> = Generator<Effect, T, EffectResult>;

/** A KeeperException: the code and the path it names (null prints as "null" in zkCli's texts). */
export class KeeperException extends Error {
  constructor(readonly code: Code, readonly path: string | null) {
    super(keeperMessage(code, path));
  }
}

/** KeeperException.getMessage(): no " for <path>" when the path is null or empty. */
export function keeperMessage(code: Code, path: string | null): string {
  const base = `KeeperErrorCode = ${codeMessage(code)}`;
  return path === null || path === '' ? base : `${base} for ${path}`;
}

/** java.lang.IllegalArgumentException, as the client's PathUtils.validatePath throws it. */
export class IllegalArgumentException extends Error {}

/** States.isAlive(): everything but CLOSED and AUTH_FAILED. */
export function isAlive(state: ClientState): boolean {
  return state !== 'CLOSED' && state !== 'AUTH_FAILED';
}

function* perform(call: ClientCall): ZkRun<CallResult> {
  return (yield { kind: 'call', call }) as CallResult;
}

/** The reply of a synchronous ZooKeeper method: the result, or the exception it throws. */
function* invoke<T extends OpResult['type']>(call: ClientCall, type: T): ZkRun<Extract<OpResult, { type: T }>> {
  const r = yield* perform(call);
  if (r.kind === 'illegalArgument') throw new IllegalArgumentException(r.message);
  if (r.kind === 'error') throw new KeeperException(r.code, r.path);
  if (r.result.type !== type) throw new Error(`zkCli: ${call.type} answered with a ${r.result.type} result`);
  return r.result as Extract<OpResult, { type: T }>;
}

export function* getData(path: string, watch: boolean): ZkRun<{ data: Data; stat: Stat }> {
  const r = yield* invoke({ type: 'getData', path, watch }, 'getData');
  return { data: r.data, stat: r.stat };
}

/** ZooKeeper.exists: null when the node does not exist (NONODE is not thrown). */
export function* exists(path: string, watch: boolean): ZkRun<Stat | null> {
  const r = yield* perform({ type: 'exists', path, watch });
  if (r.kind === 'illegalArgument') throw new IllegalArgumentException(r.message);
  if (r.kind === 'error') {
    if (r.code === Code.NONODE) return null;
    throw new KeeperException(r.code, r.path);
  }
  return r.result.type === 'exists' ? r.result.stat : null;
}

export function* getChildren(path: string, watch: boolean): ZkRun<{ children: string[]; stat: Stat }> {
  const r = yield* invoke({ type: 'getChildren', path, watch }, 'getChildren');
  return { children: [...r.children], stat: r.stat };
}

export function* getACL(path: string): ZkRun<{ acl: readonly ACL[]; stat: Stat }> {
  const r = yield* invoke({ type: 'getACL', path }, 'getACL');
  return { acl: r.acl, stat: r.stat };
}

export function* create(path: string, data: Data, acl: readonly ACL[], mode: CreateMode, ttl: number): ZkRun<string> {
  const r = yield* invoke({ type: 'create', path, data, acl, mode, ttl }, 'create');
  return r.path;
}

export function* deleteNode(path: string, version: number): ZkRun<void> {
  yield* invoke({ type: 'delete', path, version }, 'delete');
}

export function* setData(path: string, data: Data, version: number): ZkRun<Stat> {
  return (yield* invoke({ type: 'setData', path, data, version }, 'setData')).stat;
}

export function* setACL(path: string, acl: readonly ACL[], version: number): ZkRun<Stat> {
  return (yield* invoke({ type: 'setACL', path, acl, version }, 'setACL')).stat;
}

/** The asynchronous multi(ops, cb): only the callback's rc matters to zkCli. */
export function* multiRc(ops: readonly MultiSubOp[]): ZkRun<Code> {
  const r = yield* perform({ type: 'multi', ops });
  if (r.kind === 'illegalArgument') throw new IllegalArgumentException(r.message);
  return r.kind === 'error' ? r.code : Code.OK;
}

/** The asynchronous sync(path, cb): the callback's rc. */
export function* syncRc(path: string): ZkRun<Code> {
  const r = yield* perform({ type: 'sync', path });
  if (r.kind === 'illegalArgument') throw new IllegalArgumentException(r.message);
  return r.kind === 'error' ? r.code : Code.OK;
}

export function* getEphemerals(prefixPath: string): ZkRun<readonly string[]> {
  return (yield* invoke({ type: 'getEphemerals', prefixPath }, 'getEphemerals')).paths;
}

export function* getAllChildrenNumber(path: string): ZkRun<number> {
  return (yield* invoke({ type: 'getAllChildrenNumber', path }, 'getAllChildrenNumber')).count;
}

export function* addWatch(path: string, mode: AddWatchMode): ZkRun<void> {
  yield* invoke({ type: 'addWatch', path, mode }, 'addWatch');
}

export function* removeAllWatches(path: string, watcherType: WatcherType, local: boolean): ZkRun<void> {
  yield* invoke({ type: 'removeWatches', path, watcherType, local }, 'removeWatches');
}

/** addAuthInfo never throws and returns nothing: the outcome arrives as an event, if at all. */
export function* addAuthInfo(scheme: string, auth: Uint8Array | null): ZkRun<void> {
  yield* perform({ type: 'addAuthInfo', scheme, auth });
}

export function* whoAmI(): ZkRun<readonly WhoAmIEntry[]> {
  return (yield* invoke({ type: 'whoAmI' }, 'whoAmI')).clientInfo;
}

export function* getConfig(watch: boolean): ZkRun<{ data: Data; stat: Stat }> {
  const r = yield* invoke({ type: 'getConfig', watch }, 'getData');
  return { data: r.data, stat: r.stat };
}

export function* reconfigure(
  joiningServers: string | null,
  leavingServers: string | null,
  newMembers: string | null,
  curConfigId: bigint,
): ZkRun<{ data: Data; stat: Stat }> {
  const r = yield* invoke({ type: 'reconfig', joiningServers, leavingServers, newMembers, curConfigId }, 'reconfig');
  return { data: r.data, stat: r.stat };
}

export function* clientState(): ZkRun<ClientState> {
  return (yield { kind: 'state' }) as ClientState;
}
