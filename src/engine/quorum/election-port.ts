/**
 * The shape in which a quorum peer uses Fast Leader Election (src/engine/election implements
 * it; this port keeps the peer independent of its internals).
 */
import type { Epoch, Sid, Zxid } from '../protocol/ids.ts';

export type PeerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** FLE's wire notification (reference §1.2), from src/engine/election. */
export type { Notification } from '../election/notification.ts';
import type { Notification } from '../election/notification.ts';

export interface Decision {
  readonly state: Exclude<PeerState, 'LOOKING'>;
  readonly leader: Sid;
  readonly zxid: Zxid;
  readonly peerEpoch: Epoch;
  readonly electionEpoch: number;
}

export interface ElectionPort {
  /** lookForLeader: a new round with this server's own vote */
  start(nowMs: number, lastLoggedZxid: Zxid, currentEpoch: Epoch): void;
  /** a LOOKING server adopted a newer config from a notification: a new round */
  restart(nowMs: number, lastLoggedZxid: Zxid, currentEpoch: Epoch): void;
  /** every notification, in every state (non-LOOKING servers answer LOOKING peers) */
  onNotification(from: Sid, msg: Notification, nowMs: number): void;
  tick(nowMs: number): void;
  nextDeadline(): number;
  /** tell the election what this server now is (after a decision, or when it goes LOOKING) */
  setState(state: PeerState): void;
  /** updateElectionVote: after sync the vote carries the new epoch */
  updateVote(peerEpoch: Epoch): void;
  /** QuorumPeer.setQuorumVerifier: a committed reconfig changes who votes */
  setQuorumConfig(voters: readonly Sid[], observers: readonly Sid[], version: bigint): void;
  /** QuorumPeer.updateVote: a reconfig's designated leader becomes the vote, without a round */
  adoptVote(leader: Sid, zxid: Zxid, state: Exclude<PeerState, 'LOOKING'>): void;
  drain(): { send: { to: Sid; msg: Notification }[]; decided: Decision | null; log: string[] };
  /**
   * QuorumPeer.getCurrentVote: the vote this server stands by now (its proposal while LOOKING;
   * once decided the leader's, the one it answers LOOKING peers with, whether or not it ever sent
   * it: a server that joins an established leader decides without a notification of its own)
   */
  currentVote?(): Omit<Decision, 'state'>;
}
