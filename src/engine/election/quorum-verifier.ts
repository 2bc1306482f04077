/**
 * QuorumMaj (`flexible/QuorumMaj.java`) and the election's use of SyncedLearnerTracker
 * (`FastLeaderElection.getVoteTracker`), as plain data and pure functions.
 *
 * - Voting members are the participants; observers never vote, are never elected, and their
 *   acks never count (`SyncedLearnerTracker.addAck` only adds voting members).
 * - A set is a quorum when it holds more than half of the voting members
 *   (`half = votingMembers.size() / 2`, `containsQuorum: ackSet.size() > half`).
 * - `getWeight` is 1 for every id in QuorumMaj, observers included: only QuorumHierarchical
 *   has zero weights. FLE keeps non-voters out with `validVoter` instead.
 *
 * Dynamic reconfig replaces the whole verifier (engine/quorum/quorum-config.ts keeps the
 * committed and "last seen" configs; a proposal needs a quorum of each).
 */
import type { Sid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';
import { voteEquals, type Vote } from './notification.ts';

/** ZooKeeper's documented myid range is 1..255 (the sid is the top byte of session ids). */
export const sidMax = 255;
export const serversMax = 255;

export interface QuorumVerifier {
  readonly type: 'QuorumMaj';
  /** the `version=` line of the dynamic config file, printed in hex */
  readonly version: bigint;
  /** participants, ascending */
  readonly votingMembers: readonly Sid[];
  /** observers, ascending */
  readonly observingMembers: readonly Sid[];
}

export function quorumMaj(votingMembers: readonly Sid[], observingMembers: readonly Sid[] = [], version = 0n): QuorumVerifier {
  const all = [...votingMembers, ...observingMembers];
  assert(votingMembers.length > 0, 'a quorum config needs at least one participant');
  assert(all.length <= serversMax, `${all.length} servers > serversMax ${serversMax}`);
  assert(new Set(all).size === all.length, `duplicate sid in ${all.join(',')}`);
  for (const sid of all) assert(Number.isInteger(sid) && sid >= 0 && sid <= sidMax, `sid ${sid} outside 0..${sidMax}`);
  const ascending = (a: Sid, b: Sid): number => a - b;
  return { type: 'QuorumMaj', version, votingMembers: [...votingMembers].sort(ascending), observingMembers: [...observingMembers].sort(ascending) };
}

export function isVotingMember(qv: QuorumVerifier, sid: Sid): boolean {
  return qv.votingMembers.includes(sid);
}

export function isObservingMember(qv: QuorumVerifier, sid: Sid): boolean {
  return qv.observingMembers.includes(sid);
}

/** `QuorumMaj.getWeight`: 1 for any id. */
export function weight(_qv: QuorumVerifier, _sid: Sid): number {
  return 1;
}

/** `QuorumMaj.half`. */
export function half(qv: QuorumVerifier): number {
  return Math.floor(qv.votingMembers.length / 2);
}

/** `QuorumMaj.containsQuorum`; the ack set holds voting members only. */
export function containsQuorum(qv: QuorumVerifier, ackset: readonly Sid[]): boolean {
  for (const sid of ackset) assert(isVotingMember(qv, sid), `ack from non-voter ${sid}`);
  assert(new Set(ackset).size === ackset.length, `duplicate ack in ${ackset.join(',')}`);
  return ackset.length > half(qv);
}

export interface VoteTally {
  /** voting members whose recorded vote equals the vote asked about, ascending */
  readonly ackset: readonly Sid[];
  /** `SyncedLearnerTracker.hasAllQuorums()` (one config, so one quorum) */
  readonly hasAllQuorums: boolean;
}

/** `getVoteTracker(votes, vote)`: which voters' recorded votes equal `vote`, and is it a quorum. */
export function tallyVotes(qv: QuorumVerifier, votes: ReadonlyMap<Sid, Vote>, vote: Vote): VoteTally {
  assert(votes.size <= serversMax, `${votes.size} recorded votes > serversMax`);
  const ackset: Sid[] = [];
  for (const [sid, recorded] of votes) {
    if (voteEquals(vote, recorded) && isVotingMember(qv, sid)) ackset.push(sid);
  }
  ackset.sort((a, b) => a - b);
  return { ackset, hasAllQuorums: containsQuorum(qv, ackset) };
}

export function describeQuorumVerifier(qv: QuorumVerifier): string {
  const observers = qv.observingMembers.length > 0 ? ` observers=${qv.observingMembers.join(',')}` : '';
  return `QuorumMaj voters=${qv.votingMembers.join(',')}${observers} quorum=${half(qv) + 1} version=0x${qv.version.toString(16)}`;
}
