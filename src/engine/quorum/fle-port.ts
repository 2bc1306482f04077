/** Adapts src/engine/election (FastLeaderElection) to the ElectionPort a QuorumPeer uses. */
import {
  adoptVote, createElection, restartElection, electionConfig, nextDeadlineMs, onNotification, ready, setQuorumVerifier, startElection, tick, updateElectionVote,
} from '../election/fast-leader-election.ts';
import { quorumMaj } from '../election/quorum-verifier.ts';
import type { Sid } from '../protocol/ids.ts';
import type { ElectionPort } from './election-port.ts';

export function flePort(sid: Sid, voters: readonly Sid[], observers: readonly Sid[], nowMs: number): ElectionPort {
  const e = createElection(electionConfig(sid, quorumMaj(voters, observers)), { lastLoggedZxid: 0n, currentEpoch: 0 }, nowMs);
  return {
    start: (now, lastLoggedZxid, currentEpoch) => startElection(e, { lastLoggedZxid, currentEpoch }, now),
    // a round that decided but was not drained yet stands: the peer leaves LOOKING next
    restart: (now, lastLoggedZxid, currentEpoch) => (e.state === 'LOOKING' ? restartElection(e, { lastLoggedZxid, currentEpoch }, now) : undefined),
    onNotification: (from, msg, now) => onNotification(e, msg, from, now),
    // the simulated connection manager delivers every queued notification, so "haveDelivered"
    tick: (now) => tick(e, now, { haveDelivered: true }),
    nextDeadline: () => nextDeadlineMs(e) ?? Number.POSITIVE_INFINITY,
    setState: () => {},
    updateVote: (epoch) => updateElectionVote(e, epoch),
    setQuorumConfig: (voters, observers, version) => setQuorumVerifier(e, quorumMaj(voters, observers, version)),
    adoptVote: (leader, zxid, state) => adoptVote(e, leader, zxid, state),
    drain: () => {
      const r = ready(e);
      const d = r.decided;
      return {
        send: r.send.map((s) => ({ to: s.to, msg: s.msg })),
        decided: d ? { state: d.state, leader: d.vote.id, zxid: d.vote.zxid, peerEpoch: d.vote.peerEpoch, electionEpoch: d.vote.electionEpoch } : null,
        log: [...r.log],
      };
    },
  };
}
