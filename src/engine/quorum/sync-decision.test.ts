import { describe, expect, it } from 'vitest';
import { makeZxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { chooseSync } from './sync-decision.ts';

const e = (epoch: number, n: number): TxnEntry => ({ hdr: { clientId: 1n, cxid: n, zxid: makeZxid(epoch, n), time: 0 }, txn: { type: 'delete', path: `/${n}` } });
const log = [e(1, 1), e(1, 2), e(1, 3), e(2, 1), e(2, 2)];

describe('chooseSync (LearnerHandler.syncFollower)', () => {
  it('empty DIFF when the peer is exactly up to date', () => {
    expect(chooseSync({ peerLastZxid: makeZxid(2, 2), lastProcessedZxid: makeZxid(2, 2), committedLog: log })).toEqual({ kind: 'DIFF', zxid: makeZxid(2, 2), proposals: [] });
  });
  it('DIFF with the missing proposals when the peer is inside the window', () => {
    const p = chooseSync({ peerLastZxid: makeZxid(1, 2), lastProcessedZxid: makeZxid(2, 2), committedLog: log });
    expect(p.kind).toBe('DIFF');
    expect(p.kind !== 'SNAP' && p.proposals.map((x) => x.hdr.zxid)).toEqual([makeZxid(1, 3), makeZxid(2, 1), makeZxid(2, 2)]);
  });
  it('TRUNC when the peer is ahead of the committed log (a former leader with uncommitted txns)', () => {
    expect(chooseSync({ peerLastZxid: makeZxid(2, 5), lastProcessedZxid: makeZxid(2, 2), committedLog: log }).kind).toBe('TRUNC');
  });
  it('TRUNC to the previous proposal when the peer has a txn the leader never had, same epoch', () => {
    const gap = [e(1, 1), e(1, 2), e(1, 5)];
    expect(chooseSync({ peerLastZxid: makeZxid(1, 3), lastProcessedZxid: makeZxid(1, 5), committedLog: gap })).toMatchObject({ kind: 'TRUNC', zxid: makeZxid(1, 2) });
  });
  it('SNAP instead of a TRUNC across an epoch boundary', () => {
    expect(chooseSync({ peerLastZxid: makeZxid(1, 4), lastProcessedZxid: makeZxid(2, 2), committedLog: log }).kind).toBe('SNAP');
  });
  it('SNAP when the peer is behind the window', () => {
    expect(chooseSync({ peerLastZxid: 0n, lastProcessedZxid: makeZxid(2, 2), committedLog: log.slice(1) }).kind).toBe('SNAP');
  });
  it('DIFF for a peer that saw the new epoch but no txn of it', () => {
    expect(chooseSync({ peerLastZxid: makeZxid(2, 0), lastProcessedZxid: makeZxid(2, 2), committedLog: log }).kind).toBe('DIFF');
  });
});
