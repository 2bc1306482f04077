/**
 * Adapts src/engine/election (FastLeaderElection) to the ElectionPort a QuorumPeer uses. A class
 * over the plain-data Election (not closures) so a checkpoint can carry it (util/checkpoint.ts).
 */
import {
  adoptVote, createElection, restartElection, electionConfig, nextDeadlineMs, onNotification, ready, setQuorumVerifier, startElection, tick, updateElectionVote,
  type Election,
} from '../election/fast-leader-election.ts';
import { quorumMaj } from '../election/quorum-verifier.ts';
import type { Epoch, Sid, Zxid } from '../protocol/ids.ts';
import type { Decision, ElectionPort, Notification, PeerState } from './election-port.ts';

export function flePort(sid: Sid, voters: readonly Sid[], observers: readonly Sid[], nowMs: number): ElectionPort {
  return new FlePort(createElection(electionConfig(sid, quorumMaj(voters, observers)), { lastLoggedZxid: 0n, currentEpoch: 0 }, nowMs));
}

export class FlePort implements ElectionPort {
  constructor(private readonly e: Election) {}

  start(now: number, lastLoggedZxid: Zxid, currentEpoch: Epoch): void {
    startElection(this.e, { lastLoggedZxid, currentEpoch }, now);
  }

  // a round that decided but was not drained yet stands: the peer leaves LOOKING next
  restart(now: number, lastLoggedZxid: Zxid, currentEpoch: Epoch): void {
    if (this.e.state === 'LOOKING') restartElection(this.e, { lastLoggedZxid, currentEpoch }, now);
  }

  onNotification(from: Sid, msg: Notification, now: number): void {
    onNotification(this.e, msg, from, now);
  }

  // the simulated connection manager delivers every queued notification, so "haveDelivered"
  tick(now: number): void {
    tick(this.e, now, { haveDelivered: true });
  }

  nextDeadline(): number {
    return nextDeadlineMs(this.e) ?? Number.POSITIVE_INFINITY;
  }

  setState(_state: PeerState): void {}

  updateVote(epoch: Epoch): void {
    updateElectionVote(this.e, epoch);
  }

  setQuorumConfig(voters: readonly Sid[], observers: readonly Sid[], version: bigint): void {
    setQuorumVerifier(this.e, quorumMaj(voters, observers, version));
  }

  adoptVote(leader: Sid, zxid: Zxid, state: Exclude<PeerState, 'LOOKING'>): void {
    adoptVote(this.e, leader, zxid, state);
  }

  currentVote(): Omit<Decision, 'state'> {
    const v = this.e.currentVote;
    return { leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch, electionEpoch: v.electionEpoch };
  }

  drain(): { send: { to: Sid; msg: Notification }[]; decided: Decision | null; log: string[] } {
    // QuorumPeer.hasReady drains the election on every call, dozens of times per client op: an
    // empty outbox stays as it is and the answer is a shared empty one (its callers only read)
    const o = this.e.outbox;
    if (o.send.length === 0 && o.decided === null && o.log.length === 0 && !o.connectAll) return emptyDrain;
    const r = ready(this.e);
    const d = r.decided;
    return {
      send: r.send.map((s) => ({ to: s.to, msg: s.msg })),
      decided: d ? { state: d.state, leader: d.vote.id, zxid: d.vote.zxid, peerEpoch: d.vote.peerEpoch, electionEpoch: d.vote.electionEpoch } : null,
      log: [...r.log],
    };
  }
}

const emptyDrain: { send: { to: Sid; msg: Notification }[]; decided: Decision | null; log: string[] } = Object.freeze({
  send: Object.freeze([]) as unknown as { to: Sid; msg: Notification }[], decided: null, log: Object.freeze([]) as unknown as string[],
});
