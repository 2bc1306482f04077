/**
 * SessionTracker with ExpiryQueue buckets (reference §4; SessionTrackerImpl, ExpiryQueue).
 *
 * Each touch moves a session into the bucket roundToNextInterval(now + timeout): the next
 * multiple of tickTime strictly after now + timeout. `expire(now)` hands back every session
 * of every bucket whose time has come; expiry then happens as a closeSession txn. So a
 * session expires more than `timeout` and at most `timeout + tickTime` after its last touch.
 */
import type { SessionId, Sid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';

export interface Session {
  readonly id: SessionId;
  timeout: number;
  /** the bucket (virtual ms) the session currently sits in */
  expiresAt: number;
  /** set when expiry or close has begun; further requests get SessionExpired */
  closing: boolean;
  /** who owns the session's connection (a learner sid, or the server itself); for SessionMoved */
  owner: number | null;
}

export const sessionsMax = 1_000_000;

export class SessionTracker {
  private readonly sessions = new Map<SessionId, Session>();
  private readonly buckets = new Map<number, Set<SessionId>>();
  private nextExpirationTime: number;
  private nextSessionId: bigint;

  constructor(private readonly tickTime: number, serverId: Sid, nowMs: number) {
    assert(tickTime > 0, 'tickTime must be positive');
    this.nextExpirationTime = this.roundToNextInterval(nowMs);
    this.nextSessionId = initializeNextSessionId(serverId, nowMs);
  }

  /** roundToNextInterval: the next multiple of tickTime strictly after `time`. */
  roundToNextInterval(time: number): number {
    return (Math.floor(time / this.tickTime) + 1) * this.tickTime;
  }

  newSessionId(): SessionId {
    const id = this.nextSessionId;
    this.nextSessionId = BigInt.asIntN(64, this.nextSessionId + 1n);
    return id;
  }

  /** Starts tracking a session (createSession at Prep, or replayed from log/snapshot). */
  add(id: SessionId, timeout: number, nowMs: number, owner: number | null = null): Session {
    assert(this.sessions.size < sessionsMax, 'sessions over sessionsMax');
    let s = this.sessions.get(id);
    if (!s) {
      s = { id, timeout, expiresAt: 0, closing: false, owner };
      this.sessions.set(id, s);
    } else {
      s.timeout = timeout;
    }
    this.touch(id, nowMs);
    return s;
  }

  /** touchSession: false when the session is unknown or closing. */
  touch(id: SessionId, nowMs: number): boolean {
    const s = this.sessions.get(id);
    if (!s || s.closing) return false;
    const bucket = this.roundToNextInterval(nowMs + s.timeout);
    if (bucket === s.expiresAt) return true;
    this.buckets.get(s.expiresAt)?.delete(id);
    let set = this.buckets.get(bucket);
    if (!set) {
      set = new Set();
      this.buckets.set(bucket, set);
    }
    set.add(id);
    s.expiresAt = bucket;
    return true;
  }

  get(id: SessionId): Session | undefined {
    return this.sessions.get(id);
  }

  setClosing(id: SessionId): void {
    const s = this.sessions.get(id);
    if (s) s.closing = true;
  }

  setOwner(id: SessionId, owner: number | null): void {
    const s = this.sessions.get(id);
    if (s) s.owner = owner;
  }

  remove(id: SessionId): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.buckets.get(s.expiresAt)?.delete(id);
    this.sessions.delete(id);
  }

  /**
   * A fresh tracker over the database's sessions (id -> timeout), as ZooKeeper builds one for
   * every ZooKeeperServer it starts (SessionTrackerImpl / LearnerSessionTracker from
   * zkDb.getSessionWithTimeOuts()): every other session is dropped, none is closing or owned,
   * and every timer starts now. Session ids keep counting where they were.
   */
  resetTo(sessions: ReadonlyMap<SessionId, number>, nowMs: number): void {
    assert(sessions.size <= sessionsMax, 'sessions over sessionsMax');
    this.sessions.clear();
    this.buckets.clear();
    for (const [id, timeout] of sessions) this.add(id, timeout, nowMs);
  }

  /** The sessions whose bucket time has come, in bucket order; they are marked closing. */
  expire(nowMs: number): SessionId[] {
    const out: SessionId[] = [];
    for (let i = 0; i < 1_000_000 && this.nextExpirationTime <= nowMs; i++) {
      const set = this.buckets.get(this.nextExpirationTime);
      this.buckets.delete(this.nextExpirationTime);
      this.nextExpirationTime += this.tickTime;
      if (!set) continue;
      for (const id of set) {
        const s = this.sessions.get(id);
        if (s && !s.closing) {
          s.closing = true;
          out.push(id);
        }
      }
    }
    return out;
  }

  /** When the next bucket comes due (the host may sleep until then). */
  nextDeadline(): number {
    return this.nextExpirationTime;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  count(): number {
    return this.sessions.size;
  }
}

/**
 * SessionTrackerImpl.initializeNextSessionId: top byte = sid, next 40 bits = the low 40 bits of
 * the millisecond clock, low 16 bits = a per-server counter.
 */
export function initializeNextSessionId(sid: Sid, nowMs: number): bigint {
  const ms = BigInt(Math.floor(nowMs));
  let next = BigInt.asUintN(64, ms << 24n) >> 8n;
  next = next | (BigInt(sid) << 56n);
  return BigInt.asIntN(64, next);
}
