import type { QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import type { Vote } from './api.ts';

/**
 * The vote a server's card shows: while LOOKING the last one it sent (`sent`); decided, the
 * election's current vote (the leader's), which a server that joined an established leader
 * never sent. The worker host and the in-process runtime both report it.
 */
export function statusVote(role: string, sent: Vote | null, peer: Pick<QuorumPeer, 'currentVote'>): Vote | null {
  if (role === 'looking') return sent;
  const v = peer.currentVote();
  return v === null ? sent : { leader: v.leader, zxid: v.zxid, peerEpoch: BigInt(v.peerEpoch), round: v.electionEpoch };
}
