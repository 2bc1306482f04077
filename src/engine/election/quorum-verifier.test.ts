import { describe, expect, it } from 'vitest';
import { makeVote } from './notification.ts';
import { containsQuorum, describeQuorumVerifier, half, isObservingMember, isVotingMember, quorumMaj, tallyVotes, weight } from './quorum-verifier.ts';

describe('QuorumMaj', () => {
  it('a quorum is more than half of the voting members', () => {
    const table: [number, number][] = [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 4], [7, 4]];
    for (const [n, quorum] of table) {
      const qv = quorumMaj(Array.from({ length: n }, (_, i) => i + 1));
      expect(half(qv) + 1).toBe(quorum);
      expect(containsQuorum(qv, qv.votingMembers.slice(0, quorum))).toBe(true);
      expect(containsQuorum(qv, qv.votingMembers.slice(0, quorum - 1))).toBe(false);
    }
  });
  it('observers are members but never vote; every id weighs 1', () => {
    const qv = quorumMaj([3, 1, 2], [5, 4]);
    expect(qv.votingMembers).toEqual([1, 2, 3]);
    expect(isVotingMember(qv, 4)).toBe(false);
    expect(isObservingMember(qv, 4)).toBe(true);
    expect(weight(qv, 4)).toBe(1);
    expect(() => containsQuorum(qv, [1, 4])).toThrow(/non-voter/);
    expect(describeQuorumVerifier(qv)).toBe('QuorumMaj voters=1,2,3 observers=4,5 quorum=2 version=0x0');
  });
  it('rejects duplicate, out-of-range and empty configs', () => {
    expect(() => quorumMaj([1, 1])).toThrow(/duplicate/);
    expect(() => quorumMaj([1], [1])).toThrow(/duplicate/);
    expect(() => quorumMaj([256])).toThrow(/outside/);
    expect(() => quorumMaj([])).toThrow(/at least one/);
  });
  it('tallyVotes counts only voters whose recorded vote equals the one asked about', () => {
    const qv = quorumMaj([1, 2, 3], [4]);
    const v = makeVote(3, 0n, 1, 0);
    const votes = new Map([[1, v], [2, makeVote(2, 0n, 1, 0)], [3, v], [4, v]]);
    expect(tallyVotes(qv, votes, v)).toEqual({ ackset: [1, 3], hasAllQuorums: true });
    expect(tallyVotes(qv, votes, makeVote(2, 0n, 1, 0))).toEqual({ ackset: [2], hasAllQuorums: false });
  });
});
