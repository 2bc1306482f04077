/**
 * Small helpers the election needs until the lead moves them to engine/util (STYLE.md 2):
 *
 * - `Timeout`: a named timer as plain data (TigerBeetle's `Timeout`, STYLE.md 6). The engine
 *   never reads a clock: the host hands in virtual milliseconds through `timeoutTick`, and
 *   `timeoutFired` compares them with the deadline. Plain data so an Election survives
 *   structured clone (checkpoints, rewind).
 * - `Rng`: a seeded PRNG (splitmix32 seeding + xoshiro128**) for the election's randomized
 *   tests and harness. Fast Leader Election itself draws no random numbers.
 */
import { assert } from '../util/assert.ts';

/** The longest any election timer may wait: FLE's maxNotificationInterval default is 60 s. */
export const timeoutAfterMsMax = 24 * 60 * 60 * 1000;

export interface Timeout {
  /** the Java name it stands for, e.g. `notTimeout` or `finalizeWait` */
  readonly name: string;
  /** how long after `startMs` it fires */
  afterMs: number;
  /** when the current wait began (the start of Java's `poll(timeout)`) */
  startMs: number;
  /** the last time the host handed in */
  nowMs: number;
  ticking: boolean;
}

export function createTimeout(name: string, afterMs: number): Timeout {
  assert(Number.isInteger(afterMs), `timeout ${name}: afterMs ${afterMs} is not an integer`);
  assert(afterMs > 0 && afterMs <= timeoutAfterMsMax, `timeout ${name}: afterMs ${afterMs} out of range`);
  return { name, afterMs, startMs: 0, nowMs: 0, ticking: false };
}

/** Starts (or restarts) the wait at `nowMs`. */
export function timeoutStart(t: Timeout, nowMs: number): void {
  assert(nowMs >= t.nowMs, `timeout ${t.name}: time went back from ${t.nowMs} to ${nowMs}`);
  t.ticking = true;
  t.startMs = nowMs;
  t.nowMs = nowMs;
}

/** The wait begins again from `nowMs` (a message arrived; Java polls anew). */
export function timeoutReset(t: Timeout, nowMs: number): void {
  assert(t.ticking, `timeout ${t.name}: reset while stopped`);
  timeoutStart(t, nowMs);
}

export function timeoutStop(t: Timeout): void {
  t.ticking = false;
}

export function timeoutTick(t: Timeout, nowMs: number): void {
  assert(nowMs >= t.nowMs, `timeout ${t.name}: time went back from ${t.nowMs} to ${nowMs}`);
  t.nowMs = nowMs;
}

export function timeoutFired(t: Timeout): boolean {
  return t.ticking && t.nowMs >= t.startMs + t.afterMs;
}

/** Exponential backoff without jitter, as FLE does: `min(after << 1, max)`. */
export function timeoutBackoff(t: Timeout, afterMsMax: number): void {
  assert(afterMsMax >= t.afterMs, `timeout ${t.name}: max ${afterMsMax} < current ${t.afterMs}`);
  assert(afterMsMax <= timeoutAfterMsMax, `timeout ${t.name}: max ${afterMsMax} too large`);
  t.afterMs = Math.min(t.afterMs * 2, afterMsMax);
  assert(t.afterMs > 0, `timeout ${t.name}: afterMs became ${t.afterMs}`);
}

/** When it fires next, or null when stopped. */
export function timeoutDeadlineMs(t: Timeout): number | null {
  return t.ticking ? t.startMs + t.afterMs : null;
}

export function describeTimeout(t: Timeout): string {
  return t.ticking ? `${t.name}=${t.afterMs}ms@${t.startMs + t.afterMs}` : `${t.name}=${t.afterMs}ms(stopped)`;
}

/** The seeded PRNG lives in engine/util; re-exported for the election's tests and clusters. */
export { Rng } from '../util/rng.ts';
