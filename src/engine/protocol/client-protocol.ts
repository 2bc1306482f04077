/**
 * The client <-> server protocol as plain data: what ZooKeeper sends over its client port
 * (ConnectRequest/ConnectResponse, RequestHeader+record, ReplyHeader+record, notifications),
 * minus the byte encoding. Op names follow ZooDefs.OpCode.
 */
import type { Code } from './errors.ts';
import type { SessionId, Zxid } from './ids.ts';
import type { ACL, AddWatchMode, CreateMode, Stat, WatcherEvent, WatcherType } from './records.ts';

/** Bytes of a znode's data; `null` is "no data" (zkCli prints `null`), distinct from empty. */
export type Data = Uint8Array | null;

export type CreateOp = {
  readonly type: 'create';
  readonly path: string;
  readonly data: Data;
  readonly acl: readonly ACL[];
  readonly mode: CreateMode;
  /** milliseconds, only for the TTL modes; -1 otherwise */
  readonly ttl: number;
};
export type DeleteOp = { readonly type: 'delete'; readonly path: string; readonly version: number };
export type SetDataOp = { readonly type: 'setData'; readonly path: string; readonly data: Data; readonly version: number };
export type CheckOp = { readonly type: 'check'; readonly path: string; readonly version: number };

/** Sub-operations allowed inside a multi. */
export type MultiSubOp = CreateOp | DeleteOp | SetDataOp | CheckOp;

export type WriteOp =
  | CreateOp
  | DeleteOp
  | SetDataOp
  | CheckOp
  | { readonly type: 'setACL'; readonly path: string; readonly acl: readonly ACL[]; readonly version: number }
  | { readonly type: 'multi'; readonly ops: readonly MultiSubOp[] }
  | {
      readonly type: 'reconfig';
      readonly joiningServers: string | null;
      readonly leavingServers: string | null;
      readonly newMembers: string | null;
      readonly curConfigId: bigint;
    };

export type ReadOp =
  | { readonly type: 'getData'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'exists'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'getChildren'; readonly path: string; readonly watch: boolean }
  | { readonly type: 'getACL'; readonly path: string }
  | { readonly type: 'getEphemerals'; readonly prefixPath: string }
  | { readonly type: 'getAllChildrenNumber'; readonly path: string }
  | { readonly type: 'whoAmI' }
  | { readonly type: 'addWatch'; readonly path: string; readonly mode: AddWatchMode }
  | { readonly type: 'removeWatches'; readonly path: string; readonly watcherType: WatcherType }
  | { readonly type: 'checkWatches'; readonly path: string; readonly watcherType: WatcherType };

/** Requests whose effect is on the connection/session rather than the tree. */
export type SessionOp =
  | { readonly type: 'sync'; readonly path: string }
  | { readonly type: 'ping' }
  | { readonly type: 'auth'; readonly scheme: string; readonly auth: Uint8Array | null }
  | { readonly type: 'closeSession' }
  | {
      readonly type: 'setWatches';
      readonly relativeZxid: Zxid;
      readonly dataWatches: readonly string[];
      readonly existWatches: readonly string[];
      readonly childWatches: readonly string[];
      readonly persistentWatches: readonly string[];
      readonly persistentRecursiveWatches: readonly string[];
    };

export type Op = WriteOp | ReadOp | SessionOp;
export type OpType = Op['type'];

export function isWriteOp(op: Op): op is WriteOp {
  switch (op.type) {
    case 'create': case 'delete': case 'setData': case 'check': case 'setACL': case 'multi': case 'reconfig':
      return true;
    default:
      return false;
  }
}

/** One result inside a multi reply (OpResult). */
export type MultiResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' }
  | { readonly type: 'error'; readonly err: Code };

export interface WhoAmIEntry {
  readonly authScheme: string;
  readonly user: string;
}

/** Reply bodies per op type; present only when err === OK (except multi, which always has results). */
export type OpResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'setACL'; readonly stat: Stat }
  | { readonly type: 'check' }
  | { readonly type: 'multi'; readonly results: readonly MultiResult[] }
  | { readonly type: 'reconfig'; readonly data: Data; readonly stat: Stat }
  | { readonly type: 'getData'; readonly data: Data; readonly stat: Stat }
  | { readonly type: 'exists'; readonly stat: Stat }
  | { readonly type: 'getChildren'; readonly children: readonly string[]; readonly stat: Stat }
  | { readonly type: 'getACL'; readonly acl: readonly ACL[]; readonly stat: Stat }
  | { readonly type: 'getEphemerals'; readonly paths: readonly string[] }
  | { readonly type: 'getAllChildrenNumber'; readonly count: number }
  | { readonly type: 'whoAmI'; readonly clientInfo: readonly WhoAmIEntry[] }
  | { readonly type: 'addWatch' }
  | { readonly type: 'removeWatches' }
  | { readonly type: 'checkWatches' }
  | { readonly type: 'sync'; readonly path: string }
  | { readonly type: 'ping' }
  | { readonly type: 'auth' }
  | { readonly type: 'closeSession' }
  | { readonly type: 'setWatches' };

/** ConnectRequest */
export interface ConnectRequest {
  readonly protocolVersion: number;
  readonly lastZxidSeen: Zxid;
  readonly timeOut: number;
  readonly sessionId: SessionId;
  readonly passwd: Uint8Array;
  readonly readOnly: boolean;
}

/** ConnectResponse; timeOut 0 / sessionId 0 means the session is expired or invalid. */
export interface ConnectResponse {
  readonly protocolVersion: number;
  readonly timeOut: number;
  readonly sessionId: SessionId;
  readonly passwd: Uint8Array;
  readonly readOnly: boolean;
}

/** Special xids (ClientCnxn). */
export const Xid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

export type ClientPacket =
  | { readonly type: 'connect'; readonly req: ConnectRequest }
  | { readonly type: 'request'; readonly xid: number; readonly op: Op };

export type ServerPacket =
  | { readonly type: 'connected'; readonly resp: ConnectResponse }
  | {
      readonly type: 'reply';
      readonly xid: number;
      readonly zxid: Zxid;
      readonly err: Code;
      readonly result: OpResult | null;
    }
  | { readonly type: 'notification'; readonly zxid: Zxid; readonly event: WatcherEvent };
