import { describe, expect, it } from 'vitest';
import { createTimeout, describeTimeout, Rng, timeoutBackoff, timeoutDeadlineMs, timeoutFired, timeoutReset, timeoutStart, timeoutStop, timeoutTick } from './election-util.ts';

describe('Timeout', () => {
  it('fires afterMs after it started, not before; reset starts the wait over', () => {
    const t = createTimeout('notTimeout', 200);
    expect(timeoutDeadlineMs(t)).toBeNull();
    timeoutStart(t, 1000);
    timeoutTick(t, 1199);
    expect(timeoutFired(t)).toBe(false);
    timeoutReset(t, 1199);
    timeoutTick(t, 1398);
    expect(timeoutFired(t)).toBe(false);
    timeoutTick(t, 1399);
    expect(timeoutFired(t)).toBe(true);
    timeoutStop(t);
    expect(timeoutFired(t)).toBe(false);
    expect(describeTimeout(t)).toBe('notTimeout=200ms(stopped)');
  });
  it('backs off by doubling up to the cap', () => {
    const t = createTimeout('notTimeout', 200);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      timeoutBackoff(t, 60_000);
      seen.push(t.afterMs);
    }
    expect(seen).toEqual([400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000, 60000, 60000]);
  });
  it('refuses time going back and nonsense lengths', () => {
    const t = createTimeout('x', 10);
    timeoutStart(t, 50);
    expect(() => timeoutTick(t, 49)).toThrow(/back/);
    expect(() => createTimeout('y', 0)).toThrow();
    expect(() => createTimeout('y', 1.5)).toThrow();
  });
});

describe('Rng', () => {
  it('is deterministic per seed and stays in range', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.int(3, 7));
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.int(3, 7)));
    expect(Math.min(...xs)).toBe(3);
    expect(Math.max(...xs)).toBe(7);
    expect(new Rng(1).nextU32()).not.toBe(new Rng(2).nextU32());
    expect(new Rng(5).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
