import { describe, expect, it } from 'vitest';
import { initializeNextSessionId, SessionTracker } from './session-tracker.ts';

describe('SessionTracker (ExpiryQueue buckets)', () => {
  it('puts a session in the next tickTime multiple strictly after now + timeout', () => {
    const t = new SessionTracker(2000, 1, 0);
    const s = t.add(1n, 4000, 1000);
    expect(s.expiresAt).toBe(6000);
    t.touch(1n, 2000);
    expect(s.expiresAt).toBe(8000); // 6000 is a multiple, so the *next* one
  });

  it('expires more than timeout and at most timeout + tickTime after the last touch', () => {
    const t = new SessionTracker(2000, 1, 0);
    t.add(7n, 4000, 500);
    expect(t.expire(4499)).toEqual([]);
    expect(t.expire(5999)).toEqual([]);
    expect(t.expire(6000)).toEqual([7n]);
    expect(t.get(7n)?.closing).toBe(true);
    expect(t.expire(20000)).toEqual([]);
  });

  it('a touched session leaves its old bucket', () => {
    const t = new SessionTracker(1000, 1, 0);
    t.add(1n, 2000, 0);
    t.touch(1n, 1500);
    expect(t.expire(3000)).toEqual([]);
    expect(t.expire(4000)).toEqual([1n]);
  });

  it('closing sessions cannot be touched back to life', () => {
    const t = new SessionTracker(1000, 1, 0);
    t.add(1n, 2000, 0);
    t.setClosing(1n);
    expect(t.touch(1n, 100)).toBe(false);
  });

  it('session ids: sid in the top byte, the millisecond clock below, a counter in the low 16 bits', () => {
    const id = initializeNextSessionId(1, 0x197a3e12345);
    expect(id >> 56n).toBe(1n);
    expect(id & 0xffffn).toBe(0n);
    const t = new SessionTracker(2000, 1, 0x197a3e12345);
    const a = t.newSessionId();
    expect(t.newSessionId()).toBe(a + 1n);
  });
});
