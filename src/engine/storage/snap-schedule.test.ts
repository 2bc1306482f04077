import { describe, expect, it } from 'vitest';
import { SnapSchedule } from './snap-schedule.ts';

describe('SnapSchedule (SyncRequestProcessor.shouldSnapshot)', () => {
  it('snapshots after more than snapCount/2 + randRoll txns, randRoll in [0, snapCount/2)', () => {
    const lowest = new SnapSchedule({ snapCount: 10, snapSizeBytes: 0 }, () => 0);
    const counts = [];
    for (let i = 1; i <= 6; i++) counts.push(lowest.onAppend(10));
    expect(counts).toEqual([false, false, false, false, false, true]);
    const highest = new SnapSchedule({ snapCount: 10, snapSizeBytes: 0 }, () => 0.999);
    let n = 0;
    while (!highest.onAppend(10)) n++;
    expect(n + 1).toBe(10); // 5 + 4 = 9 must be exceeded
  });

  it('counts from the last roll; snapCount below 2 is 2', () => {
    const s = new SnapSchedule({ snapCount: 0, snapSizeBytes: 0 }, () => 0);
    expect(s.onAppend(1)).toBe(false);
    expect(s.onAppend(1)).toBe(true);
    s.onRoll();
    expect(s.onAppend(1)).toBe(false);
  });

  it('also snapshots on logged bytes over snapSizeBytes/2 + randSize', () => {
    const s = new SnapSchedule({ snapCount: 1_000_000, snapSizeBytes: 1000 }, () => 0);
    expect(s.onAppend(500)).toBe(false);
    expect(s.onAppend(1)).toBe(true);
  });
});
