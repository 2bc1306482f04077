/**
 * Plain-data records shared by server, client and zkCli: Stat, ACL, Id, CreateMode, event
 * enums. Names and numeric values follow ZooKeeper's jute records and ZooDefs.
 */
import type { SessionId, Zxid } from './ids.ts';

/** ZooDefs.Perms */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export interface Id {
  readonly scheme: string;
  readonly id: string;
}

export interface ACL {
  readonly perms: number;
  readonly id: Id;
}

export const anyoneId: Id = { scheme: 'world', id: 'anyone' };
export const authIds: Id = { scheme: 'auth', id: '' };
/** ZooDefs.Ids.OPEN_ACL_UNSAFE */
export const openAclUnsafe: readonly ACL[] = [{ perms: Perms.ALL, id: anyoneId }];
/** ZooDefs.Ids.READ_ACL_UNSAFE */
export const readAclUnsafe: readonly ACL[] = [{ perms: Perms.READ, id: anyoneId }];
/** ZooDefs.Ids.CREATOR_ALL_ACL */
export const creatorAllAcl: readonly ACL[] = [{ perms: Perms.ALL, id: authIds }];

/** The client-visible Stat (jute `Stat`). Times are milliseconds since the Unix epoch. */
export interface Stat {
  readonly czxid: Zxid;
  readonly mzxid: Zxid;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: SessionId;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: Zxid;
}

/** org.apache.zookeeper.CreateMode, with its wire flag values. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

export function isSequentialMode(mode: CreateMode): boolean {
  return mode === CreateMode.PERSISTENT_SEQUENTIAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL ||
    mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}
export function isEphemeralMode(mode: CreateMode): boolean {
  return mode === CreateMode.EPHEMERAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
}
export function isTtlMode(mode: CreateMode): boolean {
  return mode === CreateMode.PERSISTENT_WITH_TTL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/** Watcher.Event.EventType */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Watcher.Event.KeeperState */
export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
export type KeeperState = (typeof KeeperState)[keyof typeof KeeperState];

/** Watcher.WatcherType, used by removeWatches/checkWatches. */
export const WatcherType = { Children: 1, Data: 2, Any: 3, Persistent: 4, PersistentRecursive: 5 } as const;
export type WatcherType = (typeof WatcherType)[keyof typeof WatcherType];

/** AddWatchMode */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;
export type AddWatchMode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

export function eventTypeName(type: EventType): string {
  for (const [name, value] of Object.entries(EventType)) if (value === type) return name;
  return String(type);
}

export function keeperStateName(state: KeeperState): string {
  for (const [name, value] of Object.entries(KeeperState)) if (value === state) return name;
  return String(state);
}

/** A watch notification as the server sends it (WatcherEvent). */
export interface WatcherEvent {
  readonly type: EventType;
  readonly state: KeeperState;
  readonly path: string | null;
}

/** WatchedEvent.toString(): `WatchedEvent state:SyncConnected type:None path:null` */
export function describeWatchedEvent(event: WatcherEvent): string {
  return `WatchedEvent state:${keeperStateName(event.state)} type:${eventTypeName(event.type)} path:${event.path}`;
}
