/**
 * What goes in and out of a quorum peer, on top of a server's client-facing ServerInput/Ready:
 * election notifications, Zab packets on the peer's quorum connections, connection events and
 * the completions of epoch-file writes.
 */
import type { Epoch, Sid, Zxid } from '../protocol/ids.ts';
import type { QuorumPacket } from '../protocol/quorum-packets.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import type { TreeSnapshot } from './tree-snapshot.ts';
import type { Ready, ServerInput } from '../server/server-io.ts';
import type { Notification } from './election-port.ts';

export type EpochFile = 'acceptedEpoch' | 'currentEpoch';

export type PeerInput =
  | ServerInput
  | { readonly type: 'notification'; readonly from: Sid; readonly msg: Notification }
  | { readonly type: 'quorumPacket'; readonly from: Sid; readonly packet: QuorumPacket }
  /** the quorum connection to/from `peer` is established */
  | { readonly type: 'quorumUp'; readonly peer: Sid }
  /** the quorum connection to/from `peer` broke (or could not be made) */
  | { readonly type: 'quorumDown'; readonly peer: Sid }
  /** an epoch file write is durable */
  | { readonly type: 'epochWritten'; readonly file: EpochFile; readonly value: Epoch };

/** A database as a dataDir holds it: the newest snapshot (or none) and the txns logged after it. */
export interface DurableDatabase {
  readonly snapshot: { readonly data: TreeSnapshot; readonly zxid: Zxid } | null;
  readonly log: readonly TxnEntry[];
}

/**
 * A peer's way back to its own dataDir, for TRUNC: ZKDatabase.truncateLog truncates the txn
 * log files and reloads the database from the dataDir (clear(), loadDataBase()); the peer keeps
 * no history of its own in memory. Synchronous, as the hosts' Disk is.
 */
export interface DataDirPort {
  /**
   * Drops every logged txn after `zxid` from the dataDir and returns the database it then
   * holds; null when it could not (Learner.syncWithLeader exits: the host crashes the server).
   */
  truncateAndReload(zxid: Zxid): DurableDatabase | null;
}

export interface PeerReady extends Ready {
  readonly notifications: { readonly to: Sid; readonly msg: Notification }[];
  readonly quorum: { readonly to: Sid; readonly packet: QuorumPacket }[];
  /** open a quorum connection to this peer (a learner dialing its leader) */
  readonly quorumConnect: Sid[];
  readonly quorumClose: Sid[];
  /** durable writes of epoch files, done after `persist` of the same Ready */
  readonly epochWrites: { readonly file: EpochFile; readonly value: Epoch }[];
  /** the dataDir was truncated to this zxid during this Ready (TRUNC, through the DataDirPort): a report */
  readonly truncate: Zxid | null;
  /** take a snapshot of the tree now and drop the log files (SNAP or TRUNC sync, at NEWLEADER) */
  readonly snapshot: boolean;
}
