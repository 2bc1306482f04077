/**
 * A learner synced by SNAP (or TRUNC) writes nothing to its dataDir before NEWLEADER: the
 * snapshot is taken at NEWLEADER, right before currentEpoch (Learner.syncWithLeader in 3.8.0,
 * ZOOKEEPER-3642). The engine used to take it when SNAP arrived, so a learner killed between
 * SNAP and NEWLEADER held a snapshot of the new epoch beside an old currentEpoch and could not
 * restart ("The current epoch, 0, is older than the last zxid, ..."). These seeds of the
 * checkpoint property each killed a learner in that window.
 */
import { describe, expect, it } from 'vitest';
import { checkCheckpointSeed, restartFailures } from '../src/runtime/conductor/checkpoint-check.ts';

describe('a learner killed between SNAP and NEWLEADER', () => {
  for (const seed of [19, 61, 95, 130, 136]) {
    it(`restarts from its old dataDir (seed ${seed})`, async () => {
      const before = restartFailures.length;
      const r = await checkCheckpointSeed(seed);
      expect(restartFailures.slice(before), `reproduce: npm run -s checkpoint-check -- --seed ${seed}`).toEqual([]);
      expect(r.ok, r.repro).toBe(true);
    });
  }
});
