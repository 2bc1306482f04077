/**
 * LiveTrace: the trace of a live run on the main thread — what LiveEnsemble makes of the
 * events its workers and its own clients report. Pure and synchronous (tested in Node).
 *
 *   take(events)      a worker's batch, in that worker's order
 *   push(event, t)    one event of this thread (faults, client messages, crashes)
 *   fresh()           the events not yet published, in seq order
 *
 * It numbers every event (seq from 0, without gaps), keeps the last ones within a count and a
 * byte budget (an hour-long run must not grow the tab: issue 6 §7), tracks what is in flight
 * (sent, fate not reported yet), and keeps each message's "sent" before its fate although the
 * sender and the receiver report concurrently (isEarly, hold).
 */
import type { InFlightMessage, PlaygroundEvent } from '../playground/api.ts';
import type { EventBody, HostEvent } from '../worker/server-host.ts';
import { idSpacePerIncarnation } from './host-link.ts';

/** A live run keeps at most this many trace events (the oldest go first, seq keeps counting). */
export const liveEventsMax = 400_000;
const liveEventsKept = 300_000;
/**
 * ... and at most about this many bytes of them (approxEventBytes). 64 MiB holds ~200,000
 * events of a write-heavy stream: seconds of saturated writes, hours of a lesson. Trimmed to
 * three quarters of either limit when over.
 */
export const liveEventBytesMax = 64 * 2 ** 20;
const liveEventBytesKept = 48 * 2 ** 20;
/** In-flight messages remembered (a message whose fate never arrives is forgotten eventually). */
export const undeliveredMax = 10_000;
const undeliveredKept = 8_000;
/** Early fate reports held for their messageSent (isEarly, hold); past this the oldest goes through. */
export const earlyHeldMax = 10_000;
const earlyHeldKept = 8_000;

type SentEvent = Extract<PlaygroundEvent, { type: 'messageSent' }>;

/** A message's fate as a worker (or this thread, for its clients) reports it. */
export type FateEvent = Extract<HostEvent, { type: 'messageDelivered' | 'messageDropped' }>;
type DeliveredEvent = Extract<HostEvent, { type: 'messageDelivered' }>;

/**
 * Roughly what one trace event holds on the main thread's heap, measured on V8 (events as
 * deserialized, Node --expose-gc): ~160-200 B for the object and its slot, a string's header
 * plus two bytes a character (an upper bound: since describeData went ASCII most texts take one
 * byte a character), ~32 B per bigint, a vote's tables. An estimate to bound the trace by, not
 * an exact count.
 */
export function approxEventBytes(e: PlaygroundEvent): number {
  switch (e.type) {
    case 'messageDelivered': return 200 + 8 * e.msgIds.length;
    case 'messageDropped': case 'connectionBroken': return 200;
    case 'messageSent': case 'fault': case 'log': return 224 + 2 * e.text.length;
    case 'proposed': case 'applied': return 256 + 2 * e.text.length;
    case 'watch': return 256 + 2 * (e.text.length + e.path.length);
    case 'acked': case 'committed': case 'persisted': case 'session': case 'roleChanged': return 232;
    case 'vote': return 500 + 2 * e.text.length + 250 * e.recv.length;
    default: return 256;
  }
}

export class LiveTrace {
  readonly events: PlaygroundEvent[] = [];
  private emitted = 0;
  private nextSeq = 0;
  /** approxEventBytes summed over `events` */
  private eventBytes = 0;
  /**
   * messages sent and not reported delivered or dropped yet (the network view's in-flight), as
   * their messageSent events (an InFlightMessage is made only when asked for: inFlight() is
   * rare, a send is ~10 events of every write)
   */
  private readonly undelivered = new Map<number, SentEvent>();
  /** fate reports that came before their messageSent (isEarly, hold), by msgId: one message each */
  private readonly early = new Map<number, FateEvent>();
  /**
   * per incarnation (msgId base, a small index: one per spawn): the highest msgId reported sent,
   * or Infinity once the incarnation was killed (nothing of it is waited for any more). An array
   * rather than a Map and a Set: it is read for every message sent and every fate reported.
   */
  private readonly sentHigh: number[] = [];

  /** A worker's batch of events, in the order that worker made them. */
  take(events: readonly HostEvent[]): void {
    for (const e of events) {
      if (e.type === 'messageDelivered') {
        const now = this.withoutEarly(e);
        if (now !== null) this.push(now, now.t);
        continue;
      }
      if (e.type === 'messageDropped' && this.isEarly(e.msgId)) {
        this.hold(e.msgId, e);
        continue;
      }
      this.push(e, e.t);
      if (e.type === 'messageSent') this.releaseEarly(e.msgId);
    }
  }

  /** Messages to this thread's clients arrived at time t. */
  delivered(msgIds: readonly number[], t: number): void {
    const now = this.withoutEarly({ type: 'messageDelivered', msgIds, t });
    if (now !== null) this.push(now, t);
  }

  /**
   * Numbers `e` into the trace. `e` is the caller's own object (a worker's output arrives
   * freshly deserialized), so it is completed in place rather than copied: its keys end up in
   * the order a copy `{ ...e, seq, t }` would give them.
   */
  push(e: EventBody, t: number): void {
    const ev = e as EventBody & { seq: number; t: number };
    ev.seq = this.nextSeq++;
    ev.t = t;
    this.events.push(ev as PlaygroundEvent);
    this.eventBytes += approxEventBytes(ev as PlaygroundEvent);
    if (this.events.length > liveEventsMax || this.eventBytes > liveEventBytesMax) this.trim();
    if (e.type === 'messageSent') {
      this.undelivered.set(e.msgId, ev as SentEvent);
      if (this.undelivered.size > undeliveredMax) this.forgetOldestUndelivered();
    } else if (e.type === 'messageDelivered') {
      for (const msgId of e.msgIds) this.undelivered.delete(msgId);
    } else if (e.type === 'messageDropped') {
      this.undelivered.delete(e.msgId);
    }
  }

  /** The events pushed since the last call (what subscribers have not seen yet). */
  fresh(): PlaygroundEvent[] {
    const out = this.events.slice(this.emitted);
    this.emitted = this.events.length;
    return out;
  }

  /** Estimated bytes of the events kept now (approxEventBytes). */
  bytes(): number {
    return this.eventBytes;
  }

  /** What is on the wire now, as far as the reports go (oldest first). */
  inFlight(): InFlightMessage[] {
    const out: InFlightMessage[] = [];
    for (const e of this.undelivered.values()) out.push({ msgId: e.msgId, link: e.link, kind: e.kind, from: e.from, to: e.to, text: e.text, sentAt: e.t });
    return out;
  }

  /** A killed incarnation reports nothing more: the held fates of its messages go into the trace now. */
  senderGone(incarnation: number): void {
    for (const [msgId, e] of [...this.early]) {
      if (Math.floor(msgId / idSpacePerIncarnation) !== incarnation) continue;
      this.early.delete(msgId);
      this.push(e, e.t);
    }
    this.sentHigh[incarnation] = Infinity;
  }

  /**
   * Workers report concurrently, so the receiver's "delivered" can reach this thread before the
   * sender's "sent" (a worker posts its wires at once and its trace a task later). Such an
   * early report waits here until its messageSent is in the trace, so the stream keeps every
   * message's sent before its fate and views never leave a delivered message in flight. A
   * message is early when its id is above the highest id its sender's incarnation (the id's
   * base, idSpacePerIncarnation) has reported sent; the ids of one incarnation grow in send
   * order. Base 0 is this thread's clients, whose sends are pushed before they leave.
   */
  private isEarly(msgId: number): boolean {
    const base = Math.floor(msgId / idSpacePerIncarnation);
    return base !== 0 && msgId > (this.sentHigh[base] ?? -1);
  }

  /**
   * `e` without the messages reported before their messageSent (isEarly), each held as a
   * delivery of its own; null when every one was held. Usually all are in order: `e` itself.
   */
  private withoutEarly(e: DeliveredEvent): DeliveredEvent | null {
    let early = 0;
    for (const msgId of e.msgIds) if (this.isEarly(msgId)) early++;
    if (early === 0) return e;
    const now: number[] = [];
    for (const msgId of e.msgIds) {
      if (this.isEarly(msgId)) this.hold(msgId, { type: 'messageDelivered', msgIds: [msgId], t: e.t });
      else now.push(msgId);
    }
    return now.length > 0 ? { type: 'messageDelivered', msgIds: now, t: e.t } : null;
  }

  private hold(msgId: number, e: FateEvent): void {
    this.early.set(msgId, e);
    if (this.early.size > earlyHeldMax) {
      // a sender that never reports (killed meanwhile): let the oldest through as they are
      let excess = this.early.size - earlyHeldKept;
      for (const [id, old] of this.early) {
        if (excess-- <= 0) break;
        this.early.delete(id);
        this.push(old, old.t);
      }
    }
  }

  private releaseEarly(msgId: number): void {
    const base = Math.floor(msgId / idSpacePerIncarnation);
    if (msgId > (this.sentHigh[base] ?? -1)) this.sentHigh[base] = msgId;
    if (this.early.size === 0) return; // the usual case: no lookup (a msgId is a double, hashed per get)
    const held = this.early.get(msgId);
    if (held === undefined) return;
    this.early.delete(msgId);
    this.push(held, held.t);
  }

  /** Drops the oldest events until both the count and the bytes are back at their kept levels. */
  private trim(): void {
    const events = this.events;
    let cut = 0;
    while (cut < events.length && (events.length - cut > liveEventsKept || this.eventBytes > liveEventBytesKept)) {
      this.eventBytes -= approxEventBytes(events[cut]);
      cut++;
    }
    events.splice(0, cut);
    this.emitted = Math.max(0, this.emitted - cut);
  }

  /**
   * Forgets the oldest in-flight messages down to undeliveredKept, in one pass. A Map keeps the
   * slots of deleted keys until it rehashes, so taking `keys().next()` once per message (as
   * before) walked every hole at its front again: quadratic under pipelined load, 28 % of the
   * main thread with 20,000 requests outstanding.
   */
  private forgetOldestUndelivered(): void {
    let excess = this.undelivered.size - undeliveredKept;
    for (const msgId of this.undelivered.keys()) {
      if (excess-- <= 0) break;
      this.undelivered.delete(msgId);
    }
  }
}
