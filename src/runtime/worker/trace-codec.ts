/**
 * Live: a worker's trace events on their way to the main thread, as numbers. Structured clone
 * of ~30 plain objects per write was the main thread's largest single cost (deserializing the
 * workers' `output` messages) and the worker's `post` a few % more; here each event is a type
 * code and its fields in one Float64Array (its ArrayBuffer transferred, not copied), its strings
 * in a text table, and the main thread builds every event from an object literal of the event's
 * own type (one shape per type, keys in the order ServerHost made them, `seq` already there for
 * LiveTrace.push to fill in: no shape transition, no property store growth).
 *
 *   event     [code, t, ...fields]; code = the type (and which optional keys it has)
 *   number    one slot, as it is (any double)
 *   bigint    two slots: lo (v mod 2^32, unsigned) and hi (floor(v / 2^32)), exact while
 *             |hi| < 2^53 (any 64-bit zxid or session id; a bigger one falls back, below)
 *   string    one slot: >= 0 an index into the output's text table, < 0 a constant (the enum
 *             strings of api.ts, null, undefined)
 *   boolean   one slot, 0 or 1
 *   msgIds    a count, then one slot per id (messageDelivered)
 *   fallback  [codeRest]: the next event of `rest`, a plain object through structured clone:
 *             `vote` (nested tables; elections only) and anything that is not the shape its
 *             type has here (a field of another type, a bigint past 2^85)
 *
 * The encoder also folds each event into the worker's StreamHash exactly as
 * StreamHash.event(e, e.t) would (a replay hashes the objects; live-replay.test.ts checks they
 * agree), without walking the object: the key hashes are constants and a text repeated within
 * the table's window (a PROPOSAL's text in `proposed` and in one `messageSent` per follower)
 * reuses its hash.
 */
import type { HostEvent } from './server-host.ts';
import { StreamHash, strHash } from './live-schedule.ts';
import { assert } from '../../engine/util/assert.ts';

/** One output's events, encoded (what travels in the `output` message's `trace`). */
export interface EncodedTrace {
  /** `slots` Float64 values (transferred) */
  readonly buf: ArrayBuffer;
  readonly slots: number;
  readonly texts: readonly string[];
  readonly rest: readonly HostEvent[];
  /** events in all */
  readonly count: number;
}

/** The keys of every event type, in the order ServerHost makes them (`t` last, stamped by it). */
export const eventKeys = {
  messageSent: ['type', 'msgId', 'link', 'kind', 'from', 'to', 'text', 't'],
  messageDelivered: ['type', 'msgIds', 't'],
  messageDropped: ['type', 'msgId', 't'],
  connectionBroken: ['type', 'link', 'a', 'b', 't'],
  roleChanged: ['type', 'sid', 'role', 'phase', 'epoch', 't'],
  vote: ['type', 'sid', 'vote', 'recv', 'text', 't'],
  proposed: ['type', 'sid', 'zxid', 'text', 't'],
  acked: ['type', 'sid', 'from', 'zxid', 't'],
  committed: ['type', 'sid', 'zxid', 't'],
  applied: ['type', 'sid', 'zxid', 'text', 't'],
  session: ['type', 'sid', 'what', 'sessionId', 'timeout', 't'],
  watch: ['type', 'sid', 'what', 'sessionId', 'path', 'text', 'table', 'mode', 't'],
  persisted: ['type', 'sid', 'what', 'zxid', 'flushed', 't'],
  fault: ['type', 'what', 'text', 't'],
  log: ['type', 'sid', 'text', 't'],
} as const satisfies { readonly [T in HostEvent['type']]: readonly (keyof Extract<HostEvent, { type: T }>)[] };

/** Strings sent as constants: every enum string of api.ts's events (anything else goes in the table). */
const constStrings: readonly (string | null | undefined)[] = [
  null, undefined,
  'election', 'quorum', 'client',
  'notification', 'discovery', 'sync', 'proposal', 'ack', 'commit', 'ping', 'request',
  'down', 'looking', 'leading', 'following', 'observing', 'synchronization', 'broadcast',
  'created', 'expired', 'closed', 'moved',
  'registered', 'fired', 'removed', 'data', 'child', 'standard', 'persistent', 'persistentRecursive',
  'txns', 'acceptedEpoch', 'currentEpoch', 'snapshot', 'truncate',
  'kill', 'restart', 'partition', 'heal',
];
const constCode = new Map<string, number>();
constStrings.forEach((s, i) => {
  if (typeof s === 'string') constCode.set(s, -(i + 1));
});
/** what StreamHash.value mixes for each constant */
const constHash = constStrings.map((s) => (s === null ? 0x6e : s === undefined ? 0x75 : strHash(s)));

// event codes: the type, and for session and watch which optional keys are present
const cSent = 1, cDelivered = 2, cDropped = 3, cBroken = 4, cRole = 5, cProposed = 6, cAcked = 7, cCommitted = 8, cApplied = 9;
const cSession = 10, cSessionTimeout = 11, cWatch = 12, cWatchTable = 13, cWatchTableMode = 14, cPersisted = 15, cFault = 16, cLog = 17;
const cRest = 0;

/** Text table entries a new text is compared with (repeats come close together, mostly as the same string). */
export const textWindow = 4;

const k = (s: string): number => strHash(s);
const H = {
  type: k('type'), msgId: k('msgId'), link: k('link'), kind: k('kind'), from: k('from'), to: k('to'), text: k('text'),
  a: k('a'), b: k('b'), sid: k('sid'), role: k('role'), phase: k('phase'), epoch: k('epoch'), zxid: k('zxid'),
  what: k('what'), sessionId: k('sessionId'), timeout: k('timeout'), path: k('path'), table: k('table'), mode: k('mode'),
  flushed: k('flushed'), msgIds: k('msgIds'),
};
/** the hash of each type's name, as the value of `type` */
const T: Record<string, number> = {};
for (const name of Object.keys(eventKeys)) T[name] = strHash(name);

const two32 = 4294967296;

/** Thrown inside TraceEncoder.add when an event is not the shape its type has here: it falls back. */
const notMine = new Error('trace-codec: fallback');

/** In a live worker: encodes (and hashes) events as they are queued; take() gives one output's worth. */
export class TraceEncoder {
  private f = new Float64Array(4096);
  private n = 0;
  private texts: string[] = [];
  /** the hashes of the last textWindow texts (texts[i]'s at i % textWindow): no other is read again */
  private readonly textHashes = new Int32Array(textWindow);
  private rest: HostEvent[] = [];
  private count = 0;

  constructor(private readonly hash: StreamHash) {}

  /** Appends `e` and folds it into the hash (as hash.event(e, e.t) would). */
  add(e: HostEvent): void {
    const need = this.n + 24 + (e.type === 'messageDelivered' && Array.isArray(e.msgIds) ? e.msgIds.length : 0);
    if (need > this.f.length) {
      let size = this.f.length * 2;
      while (size < need) size *= 2;
      const g = new Float64Array(size);
      g.set(this.f.subarray(0, this.n));
      this.f = g;
    }
    this.count++;
    const h = this.hash;
    const start = this.n;
    const a = h.a, b = h.b;
    try {
      this.encode(e);
    } catch (err) {
      if (err !== notMine) throw err;
      this.n = start;
      h.a = a;
      h.b = b;
      this.f[this.n++] = cRest;
      this.rest.push(e);
      h.event(e, e.t);
      return;
    }
    h.count++;
  }

  /** What was added since the last take, or null; its buffer is the receiver's to keep. */
  take(): EncodedTrace | null {
    if (this.count === 0) return null;
    const out: EncodedTrace = { buf: this.f.slice(0, this.n).buffer, slots: this.n, texts: this.texts, rest: this.rest, count: this.count };
    this.n = 0;
    this.texts = [];
    this.rest = [];
    this.count = 0;
    return out;
  }

  private encode(e: HostEvent): void {
    const f = this.f;
    const h = this.hash;
    const t = e.t;
    if (typeof t !== 'number') throw notMine;
    h.mix(H.type);
    switch (e.type) {
      case 'messageSent':
        f[this.n++] = cSent;
        f[this.n++] = t;
        h.mix(T.messageSent);
        this.num(H.msgId, e.msgId);
        this.str(H.link, e.link);
        this.str(H.kind, e.kind);
        this.num(H.from, e.from);
        this.num(H.to, e.to);
        this.text(H.text, e.text);
        break;
      case 'messageDelivered': {
        const ids = e.msgIds;
        if (!Array.isArray(ids)) throw notMine;
        f[this.n++] = cDelivered;
        f[this.n++] = t;
        h.mix(T.messageDelivered);
        h.mix(H.msgIds);
        h.mix(0x5b00 | (ids.length & 0xff)); // an array, as StreamHash.value mixes it
        f[this.n++] = ids.length;
        for (const id of ids) {
          if (typeof id !== 'number') throw notMine;
          h.mix(id | 0);
          h.mix((id / two32) | 0);
          f[this.n++] = id;
        }
        break;
      }
      case 'messageDropped':
        f[this.n++] = cDropped;
        f[this.n++] = t;
        h.mix(T.messageDropped);
        this.num(H.msgId, e.msgId);
        break;
      case 'connectionBroken':
        f[this.n++] = cBroken;
        f[this.n++] = t;
        h.mix(T.connectionBroken);
        this.str(H.link, e.link);
        this.num(H.a, e.a);
        this.num(H.b, e.b);
        break;
      case 'roleChanged':
        f[this.n++] = cRole;
        f[this.n++] = t;
        h.mix(T.roleChanged);
        this.num(H.sid, e.sid);
        this.str(H.role, e.role);
        this.str(H.phase, e.phase);
        this.big(H.epoch, e.epoch);
        break;
      case 'proposed': case 'applied':
        f[this.n++] = e.type === 'proposed' ? cProposed : cApplied;
        f[this.n++] = t;
        h.mix(T[e.type]);
        this.num(H.sid, e.sid);
        this.big(H.zxid, e.zxid);
        this.text(H.text, e.text);
        break;
      case 'acked':
        f[this.n++] = cAcked;
        f[this.n++] = t;
        h.mix(T.acked);
        this.num(H.sid, e.sid);
        this.num(H.from, e.from);
        this.big(H.zxid, e.zxid);
        break;
      case 'committed':
        f[this.n++] = cCommitted;
        f[this.n++] = t;
        h.mix(T.committed);
        this.num(H.sid, e.sid);
        this.big(H.zxid, e.zxid);
        break;
      case 'session': {
        const timed = 'timeout' in e;
        f[this.n++] = timed ? cSessionTimeout : cSession;
        f[this.n++] = t;
        h.mix(T.session);
        this.num(H.sid, e.sid);
        this.str(H.what, e.what);
        this.big(H.sessionId, e.sessionId);
        if (timed) this.num(H.timeout, e.timeout);
        break;
      }
      case 'watch': {
        const table = 'table' in e;
        const mode = 'mode' in e;
        if (mode && !table) throw notMine;
        f[this.n++] = mode ? cWatchTableMode : table ? cWatchTable : cWatch;
        f[this.n++] = t;
        h.mix(T.watch);
        this.num(H.sid, e.sid);
        this.str(H.what, e.what);
        this.big(H.sessionId, e.sessionId);
        this.text(H.path, e.path);
        this.text(H.text, e.text);
        if (table) this.str(H.table, e.table);
        if (mode) this.str(H.mode, e.mode);
        break;
      }
      case 'persisted':
        f[this.n++] = cPersisted;
        f[this.n++] = t;
        h.mix(T.persisted);
        this.num(H.sid, e.sid);
        this.str(H.what, e.what);
        this.big(H.zxid, e.zxid);
        if (typeof e.flushed !== 'boolean') throw notMine;
        h.mix(H.flushed);
        h.mix(e.flushed ? 0x71 : 0x70);
        f[this.n++] = e.flushed ? 1 : 0;
        break;
      case 'fault':
        f[this.n++] = cFault;
        f[this.n++] = t;
        h.mix(T.fault);
        this.str(H.what, e.what);
        this.text(H.text, e.text);
        break;
      case 'log':
        f[this.n++] = cLog;
        f[this.n++] = t;
        h.mix(T.log);
        this.num(H.sid, e.sid);
        this.text(H.text, e.text);
        break;
      default:
        throw notMine; // vote, or a type this codec does not know
    }
    h.mix(t | 0);
    h.mix((t / two32) | 0);
  }

  private num(key: number, v: unknown): void {
    if (typeof v !== 'number') throw notMine;
    const h = this.hash;
    h.mix(key);
    h.mix(v | 0);
    h.mix((v / two32) | 0);
    this.f[this.n++] = v;
  }

  private big(key: number, v: unknown): void {
    if (typeof v !== 'bigint') throw notMine;
    const x = Number(v);
    let lo: number, hi: number;
    if (Number.isSafeInteger(x)) {
      hi = Math.floor(x / two32);
      lo = x - hi * two32;
    } else {
      hi = Number(v >> 32n);
      if (!Number.isSafeInteger(hi)) throw notMine;
      lo = Number(BigInt.asUintN(32, v));
    }
    const h = this.hash;
    h.mix(key);
    h.mix(lo | 0);
    h.mix(hi | 0);
    this.f[this.n++] = lo;
    this.f[this.n++] = hi;
  }

  /** An enum-like string (or null/undefined): a constant if it is one, else a text. */
  private str(key: number, v: unknown): void {
    let code: number | undefined;
    if (v === null) code = -1;
    else if (v === undefined) code = -2;
    else if (typeof v === 'string') code = constCode.get(v);
    else throw notMine;
    if (code === undefined) return this.text(key, v);
    this.hash.mix(key);
    this.hash.mix(constHash[-code - 1]);
    this.f[this.n++] = code;
  }

  private text(key: number, v: unknown): void {
    if (typeof v !== 'string') throw notMine;
    const texts = this.texts;
    const stop = Math.max(0, texts.length - textWindow);
    let i = texts.length - 1;
    while (i >= stop && texts[i] !== v) i--;
    if (i < stop) {
      i = texts.length;
      texts.push(v);
      this.textHashes[i % textWindow] = strHash(v);
    }
    this.hash.mix(key);
    this.hash.mix(this.textHashes[i % textWindow]);
    this.f[this.n++] = i;
  }
}

/**
 * The bigints decodeTrace made last, by the low bits of their low half: a zxid is in ~10 events
 * of every write (proposed, acked, committed, applied, persisted on each server) and a session
 * id in every session event, and the trace keeps each event, so one bigint per value instead of
 * one per event. A bigint is a value (=== compares values), so sharing one is not observable.
 * Under pipelined writes a zxid's events reach this thread up to a few thousand txns apart (the
 * leader's proposal, a follower's apply), hence 8,192 slots (1,024 missed every other time).
 */
const bigSlots = 8192;
const bigSlotMask = bigSlots - 1;
const bigLo = new Float64Array(bigSlots).fill(NaN);
const bigHi = new Float64Array(bigSlots).fill(NaN);
const bigValue: bigint[] = new Array<bigint>(bigSlots).fill(0n);

/** On the main thread: the events of one encoded output, appended to `out` in their order. */
export function decodeTrace(tr: EncodedTrace, out: HostEvent[]): void {
  const f = new Float64Array(tr.buf, 0, tr.slots);
  const texts = tr.texts;
  const rest = tr.rest;
  let r = 0;
  let i = 0;
  const s = (x: number): string => {
    if (x >= 0) {
      if (!(x < texts.length && Number.isInteger(x))) assert(false, `trace text ${x} outside the output's ${texts.length} texts`);
      return texts[x];
    }
    return constStrings[-x - 1] as string;
  };
  const big = (j: number): bigint => {
    const lo = f[j], hi = f[j + 1];
    const slot = lo & bigSlotMask;
    if (bigLo[slot] === lo && bigHi[slot] === hi) return bigValue[slot];
    const v = hi >= -2097152 && hi < 2097152 ? BigInt(hi * two32 + lo) : (BigInt(hi) << 32n) + BigInt(lo);
    bigLo[slot] = lo;
    bigHi[slot] = hi;
    bigValue[slot] = v;
    return v;
  };
  while (i < tr.slots) {
    const code = f[i];
    const t = f[i + 1];
    let e: HostEvent & { seq: number };
    switch (code) {
      case cRest: {
        if (r >= rest.length) assert(false, `trace: fallback event ${r} of ${rest.length}`);
        out.push(rest[r++]);
        i += 1;
        continue;
      }
      case cSent:
        e = { type: 'messageSent', msgId: f[i + 2], link: s(f[i + 3]) as never, kind: s(f[i + 4]) as never, from: f[i + 5], to: f[i + 6], text: s(f[i + 7]), t, seq: 0 };
        i += 8;
        break;
      case cDelivered: {
        const n = f[i + 2];
        if (!(Number.isInteger(n) && n >= 0 && i + 3 + n <= tr.slots)) assert(false, `trace: ${n} msgIds at slot ${i}`);
        const msgIds = new Array<number>(n);
        for (let j = 0; j < n; j++) msgIds[j] = f[i + 3 + j];
        e = { type: 'messageDelivered', msgIds, t, seq: 0 };
        i += 3 + n;
        break;
      }
      case cDropped:
        e = { type: 'messageDropped', msgId: f[i + 2], t, seq: 0 };
        i += 3;
        break;
      case cBroken:
        e = { type: 'connectionBroken', link: s(f[i + 2]) as never, a: f[i + 3], b: f[i + 4], t, seq: 0 };
        i += 5;
        break;
      case cRole:
        e = { type: 'roleChanged', sid: f[i + 2], role: s(f[i + 3]) as never, phase: s(f[i + 4]), epoch: big(i + 5), t, seq: 0 };
        i += 7;
        break;
      case cProposed:
        e = { type: 'proposed', sid: f[i + 2], zxid: big(i + 3), text: s(f[i + 5]), t, seq: 0 };
        i += 6;
        break;
      case cApplied:
        e = { type: 'applied', sid: f[i + 2], zxid: big(i + 3), text: s(f[i + 5]), t, seq: 0 };
        i += 6;
        break;
      case cAcked:
        e = { type: 'acked', sid: f[i + 2], from: f[i + 3], zxid: big(i + 4), t, seq: 0 };
        i += 6;
        break;
      case cCommitted:
        e = { type: 'committed', sid: f[i + 2], zxid: big(i + 3), t, seq: 0 };
        i += 5;
        break;
      case cSession:
        e = { type: 'session', sid: f[i + 2], what: s(f[i + 3]) as never, sessionId: big(i + 4), t, seq: 0 };
        i += 6;
        break;
      case cSessionTimeout:
        e = { type: 'session', sid: f[i + 2], what: s(f[i + 3]) as never, sessionId: big(i + 4), timeout: f[i + 6], t, seq: 0 };
        i += 7;
        break;
      case cWatch:
        e = { type: 'watch', sid: f[i + 2], what: s(f[i + 3]) as never, sessionId: big(i + 4), path: s(f[i + 6]), text: s(f[i + 7]), t, seq: 0 };
        i += 8;
        break;
      case cWatchTable:
        e = { type: 'watch', sid: f[i + 2], what: s(f[i + 3]) as never, sessionId: big(i + 4), path: s(f[i + 6]), text: s(f[i + 7]), table: s(f[i + 8]) as never, t, seq: 0 };
        i += 9;
        break;
      case cWatchTableMode:
        e = { type: 'watch', sid: f[i + 2], what: s(f[i + 3]) as never, sessionId: big(i + 4), path: s(f[i + 6]), text: s(f[i + 7]), table: s(f[i + 8]) as never, mode: s(f[i + 9]) as never, t, seq: 0 };
        i += 10;
        break;
      case cPersisted:
        e = { type: 'persisted', sid: f[i + 2], what: s(f[i + 3]) as never, zxid: big(i + 4), flushed: f[i + 6] === 1, t, seq: 0 };
        i += 7;
        break;
      case cFault:
        e = { type: 'fault', what: s(f[i + 2]) as never, text: s(f[i + 3]), t, seq: 0 };
        i += 4;
        break;
      case cLog:
        e = { type: 'log', sid: f[i + 2], text: s(f[i + 3]), t, seq: 0 };
        i += 4;
        break;
      default:
        assert(false, `trace: unknown event code ${code} at slot ${i}`);
    }
    out.push(e);
  }
}
