import { describe, expect, it } from 'vitest';
import { TrafficWindow, sampleEvenly, sampleNote } from './anim.ts';
import { translator } from '../i18n/i18n.ts';

describe('animating a sample of the traffic', () => {
  it('samples evenly over the list, in order, all of it when it fits', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const s = sampleEvenly(xs, 10);
    expect(s).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
    expect(sampleEvenly(xs.slice(0, 5), 10)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleEvenly(xs, 0)).toEqual([]);
    expect(sampleEvenly(xs, -3)).toEqual([]);
  });

  it('counts what was sent and animated over the last window, exactly', () => {
    const w = new TrafficWindow(900);
    w.record(0, 500, 60);
    w.record(300, 700, 40);
    w.record(600, 10, 10);
    expect(w.totals(600)).toEqual({ sent: 1210, animated: 110 });
    expect(w.totals(900)).toEqual({ sent: 710, animated: 50 }); // the first update is 900 ms old
    expect(w.totals(1500)).toEqual({ sent: 0, animated: 0 });
    w.record(1600, 3, 3);
    w.clear();
    expect(w.totals(1600)).toEqual({ sent: 0, animated: 0 });
  });

  it('says so when the dots are a sample, with the counts', () => {
    const t = translator('en');
    expect(sampleNote(t, { sent: 9870, animated: 200 })).toBe('showing 200 of 9,870 messages sent in the last 0.9 s');
    expect(sampleNote(t, { sent: 12, animated: 12 })).toBe('');
    expect(sampleNote(t, { sent: 1_234_567, animated: 999 })).toBe('showing 999 of 1,234,567 messages sent in the last 0.9 s');
    expect(sampleNote(t, { sent: 100_000, animated: 0 })).toBe('showing 0 of 100,000 messages sent in the last 0.9 s');
    expect(sampleNote(translator('zh'), { sent: 9870, animated: 200 })).toContain('9,870');
  });
});
