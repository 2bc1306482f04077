import { describe, expect, it } from 'vitest';
import { purgePlan } from './purge.ts';

const v = (name: string): string => `version-2/${name}`;

describe('purgePlan (PurgeTxnLog.purge, 3.8.0)', () => {
  it('keeps the n newest valid snapshots and the logs from the newest one at or before the oldest of them', () => {
    const paths = ['myid', 'version-2/acceptedEpoch', 'version-2/currentEpoch',
      v('log.1'), v('log.50'), v('log.90'), v('log.c0'), v('log.f0'),
      v('snapshot.0'), v('snapshot.4f'), v('snapshot.95'), v('snapshot.c5'), v('snapshot.f3')];
    const plan = purgePlan(paths, 3, () => true);
    expect(plan.leastZxidToBeRetain).toBe(0x95n);
    // log.90 starts before snapshot.95 and may hold txns after it: kept (getSnapshotLogs)
    expect(plan.remove).toEqual([v('log.1'), v('log.50'), v('snapshot.0'), v('snapshot.4f')]);
  });

  it('counts only valid snapshots, and a count under 3 is 3', () => {
    const paths = [v('log.1'), v('log.20'), v('log.40'), v('snapshot.10'), v('snapshot.30'), v('snapshot.50'), v('snapshot.60')];
    const invalid = new Set([v('snapshot.60')]);
    const plan = purgePlan(paths, 1, (p) => !invalid.has(p));
    expect(plan.leastZxidToBeRetain).toBe(0x10n);
    expect(plan.remove).toEqual([]);
    // n = 1 is raised to 3, and the invalid newest snapshot does not count: .50, .30, .10 kept
    const all = purgePlan(paths, 3, () => true);
    expect(all.leastZxidToBeRetain).toBe(0x30n);
    expect(all.remove).toEqual([v('log.1'), v('snapshot.10')]);
  });

  it('removes nothing without a valid snapshot, and names that do not parse count as zxid -1', () => {
    expect(purgePlan([v('log.1'), v('snapshot.5')], 3, () => false)).toEqual({ leastZxidToBeRetain: null, remove: [] });
    const plan = purgePlan([v('log.junk'), v('log.5'), v('snapshot.5'), v('snapshot.6'), v('snapshot.7')], 3, () => true);
    expect(plan.remove).toEqual([v('log.junk')]);
  });
});
