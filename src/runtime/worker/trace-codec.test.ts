import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../engine/util/assert.ts';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { BrowserPlayground } from '../playground/browser-playground.ts';
import { StreamHash } from './live-schedule.ts';
import type { HostEvent } from './server-host.ts';
import { decodeTrace, eventKeys, TraceEncoder, type EncodedTrace } from './trace-codec.ts';

// every key of every event type is in eventKeys (a type error here: a field the codec does not carry)
type Missing = { [T in HostEvent['type']]: Exclude<keyof Extract<HostEvent, { type: T }>, (typeof eventKeys)[T][number]> }[HostEvent['type']];
const nothingMissing: [Missing] extends [never] ? true : false = true;

/** Encodes `events` as a live worker does, sends them through a structured clone (buffer transferred), decodes. */
function roundTrip(events: readonly HostEvent[], hash = new StreamHash()): { got: HostEvent[]; trace: EncodedTrace | null } {
  const enc = new TraceEncoder(hash);
  for (const e of events) enc.add(e);
  const trace = enc.take();
  const got: HostEvent[] = [];
  if (trace) decodeTrace(structuredClone(trace, { transfer: [trace.buf] }), got);
  return { got, trace };
}

/** What LiveTrace.push will do (seq) and what the decoder left for it: compare without seq. */
function withoutSeq(e: object): object {
  const { seq: _seq, ...rest } = e as { seq?: number };
  return rest;
}

function expectSame(got: readonly HostEvent[], want: readonly HostEvent[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(withoutSeq(got[i])).toStrictEqual(want[i]);
    // same keys in the same order, seq (when the decoder made it) after them all
    expect(Object.keys(got[i]).filter((k) => k !== 'seq')).toEqual(Object.keys(want[i]));
    if ('seq' in got[i]) expect(Object.keys(got[i]).at(-1)).toBe('seq');
  }
}

function expectHashAsObjects(events: readonly HostEvent[], hash: StreamHash): void {
  const plain = new StreamHash();
  for (const e of events) plain.event(e, e.t);
  expect(hash.state()).toEqual(plain.state());
}

const proposal = `PROPOSAL 0x100000002 0x100000002 session=0x19b76daa8000000 cxid=1 create /p0 "${'a'.repeat(32)}…" owner=0x0 parentCVersion=1`;
const i64max = 2n ** 63n - 1n;
const i64min = -(2n ** 63n);

/** One of every event type, with optional keys present, absent and present-but-undefined. */
function everyType(): HostEvent[] {
  const t = 1_764_000_000_123;
  const vote = { leader: 3, zxid: 0x500000007n, peerEpoch: 5n, round: 2 };
  return [
    { type: 'messageSent', msgId: 1_000_001, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: proposal, t },
    { type: 'messageSent', msgId: 1_000_002, link: 'quorum', kind: 'proposal', from: 3, to: 2, text: `${proposal}`, t },
    { type: 'messageSent', msgId: 7, link: 'client', kind: 'client', from: 1001, to: 2, text: 'create /ü "日本語 🎉" — ok', t: t + 0.5 },
    { type: 'messageDelivered', msgIds: [1_000_001], t },
    { type: 'messageDelivered', msgIds: Array.from({ length: 300 }, (_, i) => 2_000_000 + 3 * i), t: t + 1 },
    { type: 'messageDelivered', msgIds: [], t },
    { type: 'messageDropped', msgId: 2 ** 40, t: -1 },
    { type: 'connectionBroken', link: 'election', a: 2, b: 3, t },
    { type: 'roleChanged', sid: 1, role: 'looking', phase: 'election', epoch: 0n, t },
    { type: 'roleChanged', sid: 1, role: 'following', phase: null, epoch: i64max, t },
    { type: 'roleChanged', sid: 1, role: 'leading', phase: 'some phase not in the table', epoch: -1n, t },
    { type: 'vote', sid: 2, vote, recv: [{ from: 1, vote, state: 'LOOKING' }, { from: 3, vote: { ...vote, round: 3 }, state: 'LEADING' }], text: 'votes for 3', t },
    { type: 'proposed', sid: 3, zxid: 0x100000002n, text: proposal, t },
    { type: 'acked', sid: 3, from: 1, zxid: 0xffffffffffffffffn, t },
    { type: 'committed', sid: 3, zxid: i64min, t },
    { type: 'applied', sid: 3, zxid: 2n ** 84n - 1n, text: proposal.slice(9), t },
    { type: 'applied', sid: 3, zxid: -(2n ** 84n), text: '', t },
    { type: 'applied', sid: 3, zxid: 2n ** 85n + 12345n, text: 'past 2^85: falls back', t },
    { type: 'session', sid: 1, what: 'created', sessionId: 0x19b76daa8000000n, timeout: 30000, t },
    { type: 'session', sid: 1, what: 'expired', sessionId: 0x8100000000000001n, t },
    { type: 'session', sid: 1, what: 'moved', sessionId: 1n, timeout: undefined, t },
    { type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a/ß', text: 'data watch on /a/ß', table: 'data', mode: 'persistentRecursive', t },
    { type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a', text: 'x', table: 'child', mode: undefined, t },
    { type: 'watch', sid: 1, what: 'fired', sessionId: 5n, path: '/a', text: 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a', table: undefined, t },
    { type: 'watch', sid: 1, what: 'fired', sessionId: 5n, path: '', text: 'y', table: 'data', t },
    { type: 'watch', sid: 1, what: 'removed', sessionId: 5n, path: '/a', text: 'z', t },
    { type: 'persisted', sid: 2, what: 'txns', zxid: 0x100000002n, flushed: false, t },
    { type: 'persisted', sid: 2, what: 'acceptedEpoch', zxid: 5n << 32n, flushed: true, t },
    { type: 'fault', what: 'partition', text: 'partition 1 | 2,3', t },
    { type: 'log', sid: 3, text: 'Have quorum of supporters, sids: [1, 3]; starting up and setting last processed zxid: 0x100000000', t },
  ] as HostEvent[];
}

describe('trace codec (a live worker\'s events to the main thread)', () => {
  it('knows every key of every event type', () => {
    expect(nothingMissing).toBe(true);
  });

  it('gives back every event type exactly (keys, order, optional keys, extreme bigints, non-ASCII texts), hashed as the objects are', () => {
    const events = everyType();
    const hash = new StreamHash();
    const { got, trace } = roundTrip(events, hash);
    expectSame(got, everyType());
    expectHashAsObjects(everyType(), hash);
    // each distinct text crosses once; the vote, the 2^85 zxid and the undefined timeout fell back
    expect(trace!.texts.filter((x) => x === proposal)).toHaveLength(1);
    expect(trace!.rest.map((e) => e.type)).toEqual(['vote', 'applied', 'session']);
    expect(trace!.count).toBe(events.length);
  });

  it('decodes each event into a fresh object (seq present, for LiveTrace.push to fill in)', () => {
    const { got } = roundTrip([{ type: 'messageDelivered', msgIds: [3, 4], t: 5 }, { type: 'messageDelivered', msgIds: [3, 4], t: 5 }]);
    expect(got[0]).not.toBe(got[1]);
    expect(got[0]).toEqual({ type: 'messageDelivered', msgIds: [3, 4], t: 5, seq: 0 });
  });

  it('gives every zxid its own value when bigints are shared between events and outputs (same table slot, other value)', () => {
    // low halves 1024 apart share a slot of the decoder's bigint table; high halves differ too
    const zxids = [0x100000001n, 0x100000401n, 0x200000001n, 0x100000001n, -5n, 0x7fffffffffffffffn, 0x100000401n];
    const events: HostEvent[] = zxids.map((zxid, i) => ({ type: 'committed', sid: 1 + (i % 3), zxid, t: i }));
    for (let round = 0; round < 2; round++) {
      const { got } = roundTrip(events);
      expectSame(got, events);
      for (let i = 0; i < zxids.length; i++) expect((got[i] as { zxid: bigint }).zxid).toBe(zxids[i]);
    }
  });

  it('has nothing to take when nothing was added, and starts over after a take', () => {
    const enc = new TraceEncoder(new StreamHash());
    expect(enc.take()).toBeNull();
    enc.add({ type: 'log', sid: 1, text: 'a', t: 1 });
    expect(enc.take()!.texts).toEqual(['a']);
    enc.add({ type: 'log', sid: 1, text: 'b', t: 2 });
    const second = enc.take()!;
    expect(second.texts).toEqual(['b']);
    const got: HostEvent[] = [];
    decodeTrace(second, got);
    expect(got.map(withoutSeq)).toEqual([{ type: 'log', sid: 1, text: 'b', t: 2 }]);
  });

  it('hashes the same whatever the batching (the hash never sees table indices)', () => {
    const events = everyType();
    const whole = new StreamHash();
    roundTrip(events, whole);
    const split = new StreamHash();
    const enc = new TraceEncoder(split);
    for (const [i, e] of events.entries()) {
      enc.add(e);
      if (i % 3 === 0) enc.take();
    }
    expect(split.state()).toEqual(whole.state());
  });

  it('refuses a text index outside its table and an unknown code (a bug, not input)', () => {
    const enc = new TraceEncoder(new StreamHash());
    enc.add({ type: 'log', sid: 1, text: 'a', t: 1 });
    const tr = enc.take()!;
    expect(() => decodeTrace({ ...tr, texts: [] }, [])).toThrow(AssertionError);
    const bad = new Float64Array([99, 0]);
    expect(() => decodeTrace({ buf: bad.buffer, slots: 2, texts: [], rest: [], count: 1 }, [])).toThrow(AssertionError);
  });

  it('carries a real run\'s events exactly (every shape ServerHost makes: votes, watches, sessions, epochs)', async () => {
    const pg = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
    await pg.start({ zooCfg: 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n', seed: 5, mode: 'lockstep' });
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    const c = pg.openConsole('c1', '127.0.0.1:2181');
    let out = '';
    c.onOutput((t) => {
      out += t;
    });
    const until = async (text: string): Promise<void> => {
      for (let i = 0; i < 5000 && !out.includes(text); i++) await pg.step();
      expect(out).toContain(text);
    };
    c.submit('create /a one');
    await until('Created /a');
    c.submit('get -w /a');
    c.submit('addWatch -m PERSISTENT_RECURSIVE /a');
    c.submit('ls -w /a');
    c.submit('set /a two');
    await until('NodeDataChanged');
    c.submit('removewatches /a');
    c.submit('create /a/b ü日本');
    await until('Created /a/b');
    pg.kill(pg.leader()!);
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    await pg.runFor!(3000);
    const events = pg.events().map((e) => withoutSeq(e) as HostEvent);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['messageSent', 'messageDelivered', 'roleChanged', 'vote', 'proposed', 'acked', 'committed', 'applied', 'session', 'watch', 'persisted', 'fault', 'connectionBroken']) expect(types).toContain(t);
    for (const e of events) {
      // keys in eventKeys order (optional ones may be absent)
      const order = eventKeys[e.type] as readonly string[];
      const keys = Object.keys(e);
      expect(keys.every((key, i) => i === 0 || order.indexOf(key) > order.indexOf(keys[i - 1]))).toBe(true);
    }
    const hash = new StreamHash();
    const { got, trace } = roundTrip(events, hash);
    expectSame(got, events);
    expectHashAsObjects(events, hash);
    expect(trace!.rest.every((e) => e.type === 'vote')).toBe(true);
    pg.shutdown();
  });
});
