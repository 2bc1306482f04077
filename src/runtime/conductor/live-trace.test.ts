import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../worker/server-host.ts';
import { idSpacePerIncarnation } from './host-link.ts';
import { approxEventBytes, earlyHeldMax, liveEventBytesMax, liveEventsMax, LiveTrace, undeliveredMax } from './live-trace.ts';

const inc1 = idSpacePerIncarnation;
const inc2 = 2 * idSpacePerIncarnation;

function sent(msgId: number, t = 1, text = 'PROPOSAL 0x100000001'): HostEvent {
  return { type: 'messageSent', msgId, link: 'quorum', kind: 'proposal', from: 1, to: 2, text, t };
}
function delivered(msgId: number | number[], t = 2): HostEvent {
  return { type: 'messageDelivered', msgIds: typeof msgId === 'number' ? [msgId] : msgId, t };
}
/** the messages an event is about */
function idsOf(e: object): number[] {
  return 'msgIds' in e ? [...(e.msgIds as number[])] : 'msgId' in e ? [e.msgId as number] : [];
}

describe('LiveTrace', () => {
  it('numbers events from 0 without gaps and publishes each once', () => {
    const tr = new LiveTrace();
    tr.take([sent(inc1 + 1), delivered(inc1 + 1)]);
    tr.push({ type: 'fault', what: 'heal', text: 'every link healed' }, 5);
    expect(tr.fresh().map((e) => [e.seq, e.type])).toEqual([[0, 'messageSent'], [1, 'messageDelivered'], [2, 'fault']]);
    expect(tr.fresh()).toEqual([]);
    expect(tr.events[2].t).toBe(5);
  });

  it('holds a fate reported before its messageSent and puts it right after the sent', () => {
    const tr = new LiveTrace();
    // server 2 (incarnation 2) reports the delivery of server 1's message before server 1's batch arrives
    tr.take([{ type: 'log', sid: 2, text: 'x', t: 3 }, delivered(inc1 + 7, 4)]);
    expect(tr.events.map((e) => e.type)).toEqual(['log']);
    tr.take([sent(inc1 + 7, 2), sent(inc1 + 8, 2)]);
    expect(tr.events.map((e) => [e.type, ...idsOf(e).map((id) => id - inc1)])).toEqual([['log'], ['messageSent', 7], ['messageDelivered', 7], ['messageSent', 8]]);
    expect(tr.events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(tr.events[2].t).toBe(4); // the delivery keeps its own time
    expect(tr.inFlight().map((m) => m.msgId - inc1)).toEqual([8]);
    // an in-flight message is its own object of InFlightMessage's shape, sentAt its send's time
    expect(tr.inFlight()).toStrictEqual([{ msgId: inc1 + 8, link: 'quorum', kind: 'proposal', from: 1, to: 2, text: 'PROPOSAL 0x100000001', sentAt: 2 }]);
  });

  it('does not hold a fate whose sent is already in the trace, nor one of this thread\'s clients', () => {
    const tr = new LiveTrace();
    tr.take([sent(inc1 + 9)]);
    tr.take([delivered(inc1 + 3)]); // an older id of the same sender: its sent came (or was trimmed) earlier
    tr.delivered([5], 6); // base 0: a client message of this thread
    expect(tr.events.map((e) => e.type)).toEqual(['messageSent', 'messageDelivered', 'messageDelivered']);
  });

  it('splits a batch of deliveries: those reported early wait for their sent, the rest go now', () => {
    const tr = new LiveTrace();
    tr.take([sent(inc1 + 1, 1), sent(inc2 + 1, 1)]);
    // server 3 took in three messages at t=4; server 1's second one is not reported sent yet
    tr.take([delivered([inc1 + 1, inc1 + 2, inc2 + 1], 4)]);
    expect(tr.events.slice(2).map((e) => [e.type, ...idsOf(e)])).toEqual([['messageDelivered', inc1 + 1, inc2 + 1]]);
    expect(tr.inFlight()).toEqual([]);
    tr.take([sent(inc1 + 2, 3)]);
    expect(tr.events.slice(3).map((e) => [e.type, ...idsOf(e), e.t])).toEqual([['messageSent', inc1 + 2, 3], ['messageDelivered', inc1 + 2, 4]]);
    expect(tr.inFlight()).toEqual([]);
    // a batch all in order is the worker's own object, pushed as it is
    const batch = delivered([inc1 + 1, inc2 + 1], 5);
    tr.take([batch]);
    expect(tr.events.at(-1)).toBe(batch);
  });

  it('lets the held fates of a killed sender through, and does not wait for it any more', () => {
    const tr = new LiveTrace();
    tr.take([delivered(inc2 + 1), delivered(inc1 + 1)]);
    expect(tr.events).toHaveLength(0);
    tr.senderGone(2);
    expect(tr.events.map(idsOf)).toEqual([[inc2 + 1]]);
    tr.take([delivered(inc2 + 2)]);
    expect(tr.events).toHaveLength(2);
    tr.senderGone(1);
    expect(tr.events).toHaveLength(3);
  });

  it('keeps at most earlyHeldMax held fates', () => {
    const tr = new LiveTrace();
    tr.take(Array.from({ length: earlyHeldMax + 1 }, (_, i) => delivered(inc1 + 1 + i)));
    expect(tr.events.length).toBeGreaterThan(0);
    expect(tr.events.length).toBeLessThanOrEqual(earlyHeldMax);
    tr.take([sent(inc1 + earlyHeldMax + 1)]);
    expect(tr.events.at(-1)!.type).toBe('messageDelivered');
  });

  it('bounds the trace by bytes as well as by count; seq keeps counting', () => {
    const tr = new LiveTrace();
    const text = 'x'.repeat(2000);
    const perEvent = approxEventBytes({ ...sent(inc1 + 1, 1, text), seq: 0 } as never);
    const n = Math.ceil((1.5 * liveEventBytesMax) / perEvent);
    expect(n).toBeLessThan(liveEventsMax);
    for (let i = 1; i <= n; i++) {
      tr.take([sent(inc1 + i, i, text), delivered(inc1 + i, i)]);
      expect(tr.bytes()).toBeLessThanOrEqual(liveEventBytesMax);
    }
    expect(tr.events.length).toBeLessThan(2 * n);
    expect(tr.events.at(-1)!.seq).toBe(2 * n - 1);
    const seqs = tr.events.map((e) => e.seq);
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1)).toBe(true);
    // what was not yet published and got trimmed is skipped: fresh() starts at the oldest kept
    expect(tr.fresh()[0].seq).toBe(seqs[0]);
    const recount = tr.events.reduce((a, e) => a + approxEventBytes(e), 0);
    expect(tr.bytes()).toBe(recount);
  });

  it('bounds the in-flight table and forgets the oldest first', () => {
    const tr = new LiveTrace();
    for (let i = 1; i <= undeliveredMax + 5; i++) tr.take([sent(inc1 + i)]);
    const ids = tr.inFlight().map((m) => m.msgId - inc1);
    expect(ids.length).toBeLessThanOrEqual(undeliveredMax);
    expect(ids.at(-1)).toBe(undeliveredMax + 5);
    expect(ids[0]).toBeGreaterThan(1);
  });

  it('keeps in flight exactly what a table of sends by msgId would, in send order, across incarnations, kills and forgetting', () => {
    // a reference: every messageSent of the trace in, every fate out, the oldest forgotten past undeliveredMax
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const tr = new LiveTrace();
    const bases = [0, 1, 2, 3];
    const next = new Map(bases.map((b) => [b, b * idSpacePerIncarnation + 1]));
    const pending = new Map<number, number[]>(bases.map((b) => [b, []]));
    const late: HostEvent[] = [];
    for (let step = 0; step < 30_000; step++) {
      const base = bases[Math.floor(random() * bases.length)];
      const r = random();
      if (r < 0.7) {
        const id = next.get(base)!;
        next.set(base, id + 1);
        pending.get(base)!.push(id);
        if (base === 0) tr.push({ type: 'messageSent', msgId: id, link: 'client', kind: 'request', from: 1000, to: 1, text: 'x' }, step);
        else tr.take([sent(id, step)]);
      } else if (r < 0.95) {
        // a fate, mostly of the oldest pending (fates come about in send order), some of another
        const ids = pending.get(base)!;
        if (ids.length === 0) continue;
        const at = random() < 0.8 ? 0 : Math.floor(random() * ids.length);
        const [id] = ids.splice(at, 1);
        const fate: HostEvent = random() < 0.9 ? delivered(id, step) : { type: 'messageDropped', msgId: id, t: step };
        if (base === 0) tr.delivered([id], step);
        else if (random() < 0.05) late.push(fate);
        else tr.take([fate]);
      } else if (late.length > 0) {
        tr.take(late.splice(0, late.length));
      }
    }
    const want = new Map<number, number>();
    let forgotten = 0;
    for (const e of tr.events) {
      if (e.type === 'messageSent') {
        want.set(e.msgId, e.seq);
        if (want.size > undeliveredMax) {
          for (const id of [...want.keys()].slice(0, want.size - 8_000)) want.delete(id);
          forgotten++;
        }
      } else if (e.type === 'messageDelivered' || e.type === 'messageDropped') {
        for (const id of idsOf(e)) want.delete(id);
      }
    }
    expect(tr.events.length).toBeGreaterThan(20_000);
    expect(forgotten).toBeGreaterThan(0);
    expect(tr.inFlight().map((m) => m.msgId)).toEqual([...want.keys()]);
  });

  it('completes a worker\'s event in place (no copy per event)', () => {
    const tr = new LiveTrace();
    const e = sent(inc1 + 1);
    tr.take([e]);
    expect(tr.events[0]).toBe(e);
    expect(Object.keys(tr.events[0])).toEqual(['type', 'msgId', 'link', 'kind', 'from', 'to', 'text', 't', 'seq']);
  });
});
