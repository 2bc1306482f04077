import type { Sid } from '../../engine/protocol/ids.ts';
import type { ElectionPort } from '../../engine/quorum/election-port.ts';
import { flePort } from '../../engine/quorum/fle-port.ts';
import type { Rng } from './rng.ts';

export function createElection(sid: Sid, ensemble: { voters: readonly Sid[]; observers: readonly Sid[] }, _rng: Rng, nowMs = 0): ElectionPort {
  return flePort(sid, ensemble.voters, ensemble.observers, nowMs);
}
