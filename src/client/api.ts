/**
 * The client API as plain data: one `ClientCall` per method of org.apache.zookeeper.ZooKeeper
 * that zkCli uses. A host hands a call to `ClientSession.call()` and later receives a
 * `CallResult` for it (in call order: ZooKeeper's per-session FIFO).
 *
 * Paths are the *client's* paths (before chroot is applied); results carry client paths too.
 * Client-side validation (PathUtils.validatePath) happens inside the client: an invalid path
 * yields `{ kind: 'illegalArgument', message }` without anything being sent, as the Java
 * client throws IllegalArgumentException.
 */
import type { Code } from '../engine/protocol/errors.ts';
import type { Data, MultiSubOp, OpResult } from '../engine/protocol/client-protocol.ts';
import type { ACL, AddWatchMode, CreateMode, WatcherType } from '../engine/protocol/records.ts';

export type ClientCall =
  | { readonly type: 'create'; readonly path: string; readonly data: Data; readonly acl: readonly ACL[]; readonly mode: CreateMode; readonly ttl: number }
  | { readonly type: 'delete'; readonly path: string; readonly version: number }
  | { readonly type: 'setData'; readonly path: string; readonly data: Data; readonly version: number }
  | { readonly type: 'setACL'; readonly path: string; readonly acl: readonly ACL[]; readonly version: number }
  | { readonly type: 'multi'; readonly ops: readonly MultiSubOp[] }
  | { readonly type: 'getData'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'exists'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'getChildren'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'getACL'; readonly path: string }
  | { readonly type: 'getEphemerals'; readonly prefixPath: string }
  | { readonly type: 'getAllChildrenNumber'; readonly path: string }
  | { readonly type: 'sync'; readonly path: string }
  | { readonly type: 'addWatch'; readonly path: string; readonly mode: AddWatchMode }
  /** local=true: remove the client-side registration even if the server cannot be reached. */
  | { readonly type: 'removeWatches'; readonly path: string; readonly watcherType: WatcherType; readonly local: boolean }
  | { readonly type: 'addAuthInfo'; readonly scheme: string; readonly auth: Uint8Array | null }
  | { readonly type: 'whoAmI' }
  /** getConfig(watch) = getData("/zookeeper/config") without chroot. */
  | { readonly type: 'getConfig'; readonly watch: boolean }
  | {
      readonly type: 'reconfig';
      readonly joiningServers: string | null;
      readonly leavingServers: string | null;
      readonly newMembers: string | null;
      readonly curConfigId: bigint;
    };

export type CallResult =
  | { readonly kind: 'ok'; readonly result: OpResult }
  /** A KeeperException: `path` is the client path the exception names (null when none). */
  | { readonly kind: 'error'; readonly code: Code; readonly path: string | null; readonly result: OpResult | null }
  | { readonly kind: 'illegalArgument'; readonly message: string };

/** ZooKeeper.States as zkCli prints them in its prompt. */
export type ClientState = 'CONNECTING' | 'CONNECTED' | 'CONNECTEDREADONLY' | 'CLOSED' | 'AUTH_FAILED' | 'NOT_CONNECTED' | 'ASSOCIATING';
