/**
 * Zab's QuorumPackets (Leader.java codes) as plain data, with ZooKeeper's names
 * (reference §2.1). They travel over per-pair FIFO connections (TCP): a lost packet is a
 * broken connection, never a silently missing message.
 */
import type { Epoch, SessionId, Sid, Zxid } from './ids.ts';
import type { Op } from './client-protocol.ts';
import type { Id } from './records.ts';
import type { TxnEntry } from './txn.ts';

/** A snapshot of a server's state sent with SNAP: the tree and the sessions. */
export interface SnapshotPayload {
  /** opaque to the protocol: the engine's serialized DataTree + sessions */
  readonly data: unknown;
  readonly lastProcessedZxid: Zxid;
}

export type QuorumPacket =
  /** learner -> leader: a client write/sync/session request forwarded from a learner */
  | { readonly type: 'Request'; readonly sessionId: SessionId; readonly cxid: number; readonly op: Op; readonly authInfo: readonly Id[]; readonly owner: Sid }
  /** leader -> follower */
  | { readonly type: 'Proposal'; readonly zxid: Zxid; readonly entry: TxnEntry }
  /** follower -> leader: logged (fsynced) up to zxid */
  | { readonly type: 'Ack'; readonly zxid: Zxid }
  | { readonly type: 'Commit'; readonly zxid: Zxid }
  /** leader -> learner: zxid = leader's last proposed; learner -> leader: session touches */
  | { readonly type: 'Ping'; readonly zxid: Zxid; readonly touches: readonly { readonly sessionId: SessionId; readonly timeout: number }[] }
  | { readonly type: 'Revalidate'; readonly sessionId: SessionId; readonly timeout: number; readonly valid?: boolean }
  /** leader -> learner: the forwarded sync may now be answered */
  | { readonly type: 'Sync'; readonly sessionId: SessionId; readonly cxid: number }
  /** leader -> observer: a committed txn with its payload */
  | { readonly type: 'Inform'; readonly zxid: Zxid; readonly entry: TxnEntry }
  /** leader -> learner: zxid = newEpoch << 32; with reconfigEnabled, the leader's last seen config */
  | { readonly type: 'NewLeader'; readonly zxid: Zxid; readonly config?: string }
  /** leader -> follower: the commit of a reconfig, naming the leader of the new config */
  | { readonly type: 'CommitAndActivate'; readonly zxid: Zxid; readonly designatedLeader: Sid }
  /** leader -> observer: INFORM of a reconfig, naming the leader of the new config */
  | { readonly type: 'InformAndActivate'; readonly zxid: Zxid; readonly entry: TxnEntry; readonly designatedLeader: Sid }
  | { readonly type: 'FollowerInfo'; readonly acceptedEpoch: Epoch; readonly sid: Sid }
  | { readonly type: 'ObserverInfo'; readonly acceptedEpoch: Epoch; readonly sid: Sid }
  | { readonly type: 'UpToDate' }
  | { readonly type: 'Diff'; readonly zxid: Zxid }
  | { readonly type: 'Trunc'; readonly zxid: Zxid }
  | { readonly type: 'Snap'; readonly zxid: Zxid; readonly snapshot: SnapshotPayload }
  | { readonly type: 'LeaderInfo'; readonly newEpoch: Epoch }
  /** learner -> leader: lastLoggedZxid and currentEpoch (-1: cannot ack this epoch) */
  | { readonly type: 'AckEpoch'; readonly lastLoggedZxid: Zxid; readonly currentEpoch: Epoch };

export type QuorumPacketType = QuorumPacket['type'];
