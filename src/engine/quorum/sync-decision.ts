/**
 * LearnerHandler.syncFollower (reference §2.5): how the leader brings a learner up to date.
 *
 *   peerLastZxid == lastProcessedZxid            -> empty DIFF
 *   peerLastZxid >  maxCommittedLog (not e<<32)  -> TRUNC to maxCommittedLog
 *   minCommittedLog <= peerLastZxid <= max       -> DIFF (+ PROPOSAL/COMMIT of the rest), or
 *                                                   TRUNC to the previous proposal when the
 *                                                   peer has a txn the leader never had
 *                                                   (SNAP if that would cross an epoch)
 *   otherwise                                    -> SNAP
 * The on-disk txn-log branch (step 5) is not modelled: the committedLog window plays its part.
 */
import { zxidCounter, zxidEpoch, type Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';

export type SyncPlan =
  | { readonly kind: 'DIFF'; readonly zxid: Zxid; readonly proposals: readonly TxnEntry[] }
  | { readonly kind: 'TRUNC'; readonly zxid: Zxid; readonly proposals: readonly TxnEntry[] }
  | { readonly kind: 'SNAP'; readonly zxid: Zxid };

export interface SyncInputs {
  readonly peerLastZxid: Zxid;
  readonly lastProcessedZxid: Zxid;
  readonly committedLog: readonly TxnEntry[];
}

export function chooseSync(inputs: SyncInputs): SyncPlan {
  const { peerLastZxid, lastProcessedZxid, committedLog } = inputs;
  const min = committedLog.length === 0 ? lastProcessedZxid : committedLog[0].hdr.zxid;
  const max = committedLog.length === 0 ? lastProcessedZxid : committedLog[committedLog.length - 1].hdr.zxid;
  const peerNewEpoch = zxidCounter(peerLastZxid) === 0;
  if (peerLastZxid === lastProcessedZxid) return { kind: 'DIFF', zxid: peerLastZxid, proposals: [] };
  if (peerLastZxid > max && !peerNewEpoch) return { kind: 'TRUNC', zxid: max, proposals: [] };
  if (committedLog.length > 0 && min <= peerLastZxid && peerLastZxid <= max) return walkCommittedLog(peerLastZxid, committedLog, max);
  if (peerNewEpoch && peerLastZxid > max) return { kind: 'DIFF', zxid: max, proposals: [] };
  return { kind: 'SNAP', zxid: lastProcessedZxid };
}

function walkCommittedLog(peerLastZxid: Zxid, log: readonly TxnEntry[], max: Zxid): SyncPlan {
  let prev: Zxid | null = null;
  for (let i = 0; i < log.length; i++) {
    const z = log[i].hdr.zxid;
    if (z < peerLastZxid) {
      prev = z;
      continue;
    }
    const rest = log.slice(z === peerLastZxid ? i + 1 : i);
    if (z === peerLastZxid || zxidCounter(peerLastZxid) === 0) return { kind: 'DIFF', zxid: max, proposals: rest };
    // the peer has a txn the leader never had: truncate it back to the previous proposal
    // a TRUNC may not cross an epoch boundary (the learner would crash): SNAP instead
    if (prev === null || zxidEpoch(z) !== zxidEpoch(peerLastZxid)) return { kind: 'SNAP', zxid: max };
    return { kind: 'TRUNC', zxid: prev, proposals: rest };
  }
  return { kind: 'DIFF', zxid: max, proposals: [] };
}
