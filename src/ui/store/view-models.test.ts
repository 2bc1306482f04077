import { describe, expect, it } from 'vitest';
import type { PlaygroundEvent, ServerStatus, Vote } from '../../runtime/playground/api.ts';
import { compareVotes, divergentServers, emptyViewModel, logNewestFirst, reduceEvents, summarizeElection, timelineMessagesMax, winReason, znodeKinds } from './view-models.ts';
import { toFlowGraph } from '../flow/to-flow-graph.ts';
import { timelineLayout } from '../components/timeline-layout.ts';
import { formatData } from '../components/data-format.ts';

type Body = PlaygroundEvent extends infer E ? (E extends PlaygroundEvent ? Omit<E, 'seq' | 't'> : never) : never;

/** A tiny fluent harness: events in, view model out (STYLE.md 20). */
function stream() {
  const events: PlaygroundEvent[] = [];
  let t = 1000;
  const h = {
    at(ms: number) { t = ms; return h; },
    ev(body: Body) { events.push({ ...body, seq: events.length, t } as PlaygroundEvent); return h; },
    events,
  };
  return h;
}

function status(sid: number, over: Partial<ServerStatus> = {}): ServerStatus {
  return {
    sid, role: 'following', phase: 'broadcast', observer: false, acceptedEpoch: 1n, currentEpoch: 1n, lastZxid: 0x100000001n, committedZxid: 0x100000001n,
    vote: null, leader: 3, treeDigest: 'aa', treeDigestZxid: 0x100000001n, znodeCount: 4, sessionCount: 0, watchCount: 0, clientAddress: `127.0.0.1:${2180 + sid}`, ...over,
  };
}

const vote = (leader: number, zxid = 0n, peerEpoch = 0n, round = 1): Vote => ({ leader, zxid, peerEpoch, round });
const three = [status(1), status(2), status(3, { role: 'leading' })];

describe('reduceEvents', () => {
  it('tracks messages in flight until delivered or dropped', () => {
    const s = stream()
      .ev({ type: 'messageSent', msgId: 1, link: 'election', kind: 'notification', from: 1, to: 2, text: 'n1' })
      .ev({ type: 'messageSent', msgId: 2, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: 'p' })
      .at(1005).ev({ type: 'messageDelivered', msgIds: [1] });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect([...vm.inFlight.keys()]).toEqual([2]);
    expect(vm.timeline.map((m) => [m.msgId, m.doneT])).toEqual([[1, 1005], [2, null]]);
    const vm2 = reduceEvents(vm, [{ type: 'messageDropped', msgId: 2, seq: 3, t: 1010 }], three);
    expect(vm2.inFlight.size).toBe(0);
    expect(vm2.timeline[1].dropped).toBe(true);
  });

  it('closes every message of a batched delivery (one event for all a receiver took in)', () => {
    const s = stream()
      .ev({ type: 'messageSent', msgId: 1, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: 'p1' })
      .ev({ type: 'messageSent', msgId: 2, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: 'p2' })
      .ev({ type: 'messageSent', msgId: 3, link: 'quorum', kind: 'proposal', from: 3, to: 2, text: 'p3' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect([...vm.inFlight.keys()]).toEqual([1, 2, 3]);
    const vm2 = reduceEvents(vm, [{ type: 'messageDelivered', msgIds: [1, 2], seq: 3, t: 1007 }], three);
    expect([...vm2.inFlight.keys()]).toEqual([3]);
    expect(vm2.timeline.map((m) => [m.msgId, m.doneT, m.dropped])).toEqual([[1, 1007, false], [2, 1007, false], [3, null, false]]);
  });

  it('counts every message sent while the timeline keeps the newest; a delivery finds its row after the cap', () => {
    const s = stream().ev({ type: 'messageSent', msgId: 0, link: 'quorum', kind: 'ping', from: 3, to: 1, text: 'ping' });
    for (let id = 1; id <= timelineMessagesMax + 100; id++) s.ev({ type: 'messageSent', msgId: id, link: 'quorum', kind: 'proposal', from: 3, to: 1 + (id % 2), text: `p${id}` });
    const vm = reduceEvents(emptyViewModel(), s.events.slice(0, 400), three);
    const vm2 = reduceEvents(vm, s.events.slice(400), three);
    expect(vm2.sentCount).toBe(timelineMessagesMax + 100); // the ping is not a timeline message
    expect(vm2.timeline.length).toBe(timelineMessagesMax);
    expect(vm2.timeline[0].msgId).toBe(101);
    const done = reduceEvents(vm2, [
      { type: 'messageDelivered', msgIds: [50], seq: 10_000, t: 2000 }, // capped away: nothing to mark
      { type: 'messageDelivered', msgIds: [650], seq: 10_001, t: 2001 },
      { type: 'messageDropped', msgId: timelineMessagesMax + 100, seq: 10_002, t: 2002 },
    ], three);
    expect(done.timeline.filter((m) => m.doneT !== null).map((m) => [m.msgId, m.doneT, m.dropped])).toEqual([[650, 2001, false], [timelineMessagesMax + 100, 2002, true]]);
    expect(done.sentCount).toBe(vm2.sentCount);
    // the older model is unchanged
    expect(vm2.timeline.every((m) => m.doneT === null)).toBe(true);
  });

  it('hands on a collection a batch did not change as the same object (its view need not re-render)', () => {
    const s = stream()
      .ev({ type: 'vote', sid: 1, vote: { leader: 3, zxid: 0n, peerEpoch: 0n, round: 1 }, recv: [], text: 'v' })
      .ev({ type: 'fault', what: 'kill', text: 'server 2 killed' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    const writes = stream().at(2000)
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: 'create /a' })
      .ev({ type: 'messageSent', msgId: 9, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: 'p' })
      .ev({ type: 'messageDelivered', msgIds: [9] });
    const vm2 = reduceEvents(vm, writes.events.map((e) => ({ ...e, seq: e.seq + 10 })), three);
    expect(vm2.election).toBe(vm.election);
    expect(vm2.marks).toBe(vm.marks);
    expect(vm2.log).toBe(vm.log);
    expect(vm2.watches).toBe(vm.watches);
    expect(vm2.inFlight.size).toBe(0);
    expect(vm2.zab).not.toBe(vm.zab);
    expect(vm2.timeline.map((m) => m.doneT)).toEqual([2000]);
    // a batch of pings changes neither the timeline nor the zab rows
    const pings = reduceEvents(vm2, [{ type: 'messageSent', msgId: 10, link: 'quorum', kind: 'ping', from: 1, to: 3, text: 'ping', seq: 20, t: 2001 }, { type: 'messageDelivered', msgIds: [10], seq: 21, t: 2002 }], three);
    expect(pings.timeline).toBe(vm2.timeline);
    expect(pings.inFlight.size).toBe(0);
    expect(pings.zab).toBe(vm2.zab);
    expect(pings.lastSeq).toBe(21);
  });

  it('lists the log newest first by when each line happened, not by when its worker reported it', () => {
    // server 2's line at 1200 reached the page after server 1's at 1300 (workers report concurrently)
    const s = stream().at(1100).ev({ type: 'log', sid: 1, text: 'a' }).at(1300).ev({ type: 'log', sid: 1, text: 'c' })
      .at(1200).ev({ type: 'log', sid: 2, text: 'b' }).at(1300).ev({ type: 'log', sid: 3, text: 'd' });
    const vm = reduceEvents(emptyViewModel(), s.events);
    expect(vm.log.map((l) => l.text)).toEqual(['a', 'c', 'b', 'd']);
    expect(logNewestFirst(vm.log).map((l) => l.text)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('skips events it has already seen', () => {
    const s = stream().ev({ type: 'fault', what: 'kill', text: 'server 3 killed' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(reduceEvents(vm, s.events, three).marks.length).toBe(1);
  });

  it('follows a proposal through acks, quorum, commit and apply', () => {
    const s = stream()
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: '0x100000002 session=0x1 cxid=1 create /a' })
      .at(1001).ev({ type: 'persisted', sid: 3, what: 'txns', zxid: 0x100000002n, flushed: false })
      .at(1002).ev({ type: 'persisted', sid: 3, what: 'txns', zxid: 0x100000002n, flushed: true })
      .at(1004).ev({ type: 'acked', sid: 3, from: 1, zxid: 0x100000002n })
      .at(1005).ev({ type: 'committed', sid: 3, zxid: 0x100000002n })
      .at(1006).ev({ type: 'applied', sid: 3, zxid: 0x100000002n, text: '' })
      .at(1009).ev({ type: 'applied', sid: 1, zxid: 0x100000002n, text: '' });
    const [row] = reduceEvents(emptyViewModel(), s.events, three).zab;
    expect(row.acks).toEqual([3, 1]);
    expect(row.quorumT).toBe(1004);
    expect(row.committedT).toBe(1005);
    expect(row.applied).toEqual({ 3: 1006, 1: 1009 });
  });

  it("counts the leader's own ack when its log write is flushed, not when it is only written", () => {
    const s = stream()
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: 'create /a' })
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000003n, text: 'create /b' })
      .at(1001).ev({ type: 'persisted', sid: 3, what: 'txns', zxid: 0x100000003n, flushed: false })
      .at(1002).ev({ type: 'acked', sid: 3, from: 1, zxid: 0x100000002n });
    const written = reduceEvents(emptyViewModel(), s.events, three);
    expect(written.zab.map((r) => r.acks)).toEqual([[1], []]);
    expect(written.zab[0].quorumT).toBeNull();
    // one group commit makes both durable: the leader's ack completes the first one's quorum
    s.at(1003).ev({ type: 'persisted', sid: 3, what: 'txns', zxid: 0x100000003n, flushed: true });
    const flushed = reduceEvents(written, s.events.slice(-1), three);
    expect(flushed.zab.map((r) => r.acks)).toEqual([[1, 3], [3]]);
    expect(flushed.zab.map((r) => r.quorumT)).toEqual([1003, null]);
  });

  it("times a commit by the leader's, also when a follower's report of it reached the page first", () => {
    const s = stream()
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: 'create /a' })
      .at(1004).ev({ type: 'acked', sid: 3, from: 1, zxid: 0x100000002n })
      .at(1007).ev({ type: 'committed', sid: 1, zxid: 0x100000002n })
      .at(1005).ev({ type: 'committed', sid: 3, zxid: 0x100000002n })
      .at(1008).ev({ type: 'committed', sid: 2, zxid: 0x100000002n });
    expect(reduceEvents(emptyViewModel(), s.events, three).zab[0].committedT).toBe(1005);
  });

  it('keeps a follower\'s apply that reached the page before the leader\'s proposal (workers report concurrently)', () => {
    const s = stream()
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: 'create /a' })
      .ev({ type: 'applied', sid: 2, zxid: 0x100000002n, text: '' })
      // server 1's report of 0x...3 arrives first, then the leader's
      .at(1010).ev({ type: 'applied', sid: 1, zxid: 0x100000003n, text: '' })
      .at(1011).ev({ type: 'proposed', sid: 3, zxid: 0x100000003n, text: 'create /b' })
      .at(1012).ev({ type: 'applied', sid: 3, zxid: 0x100000003n, text: '' })
      // an event of a zxid older than every row (its row was cut or never made) is not held
      .at(1013).ev({ type: 'applied', sid: 2, zxid: 0x100000001n, text: '' });
    const whole = reduceEvents(emptyViewModel(), s.events, three);
    expect(whole.zab.map((r) => r.applied)).toEqual([{ 2: 1000 }, { 1: 1010, 3: 1012 }]);
    expect(whole.zabEarly.size).toBe(0);
    // the same one event at a time (the early apply crosses a batch boundary)
    const oneByOne = s.events.reduce((vm, e) => reduceEvents(vm, [e], three), emptyViewModel());
    expect(oneByOne.zab).toEqual(whole.zab);
    expect(oneByOne.zabEarly.size).toBe(0);
  });

  it('gives the same rows whether a txn’s events come in one batch or several, and never changes a model it was given', () => {
    const s = stream()
      .ev({ type: 'proposed', sid: 3, zxid: 0x100000002n, text: 'create /a' })
      .ev({ type: 'messageSent', msgId: 7, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: 'p' })
      .at(1002).ev({ type: 'persisted', sid: 3, what: 'txns', zxid: 0x100000002n, flushed: true })
      .at(1003).ev({ type: 'messageDelivered', msgIds: [7] })
      .at(1004).ev({ type: 'acked', sid: 3, from: 1, zxid: 0x100000002n })
      .at(1005).ev({ type: 'committed', sid: 3, zxid: 0x100000002n })
      .at(1006).ev({ type: 'applied', sid: 3, zxid: 0x100000002n, text: '' });
    const whole = reduceEvents(emptyViewModel(), s.events, three);
    const models = [emptyViewModel()];
    for (const ev of s.events) models.push(reduceEvents(models[models.length - 1], [ev], three));
    const step = models[models.length - 1];
    expect(step.zab).toEqual(whole.zab);
    expect(step.timeline).toEqual(whole.timeline);
    // each intermediate model still shows what it showed when it was made
    expect(models.slice(1).map((m) => m.zab[0].acks.join(','))).toEqual(['', '', '3', '3', '3,1', '3,1', '3,1']);
    expect(models.slice(1).map((m) => Object.keys(m.zab[0].applied).join(','))).toEqual(['', '', '', '', '', '', '3']);
    expect(models.slice(1).map((m) => m.timeline[0]?.doneT ?? null)).toEqual([null, null, null, 1003, 1003, 1003, 1003]);
    expect(whole.zab[0].quorumT).toBe(1004);
  });

  it('folds a saturated stream the same in one batch, in frames or one event at a time (rows the cap drops are never made)', () => {
    // two leaders one after the other, each proposing more txns than the zab view keeps, with
    // more messages than the timeline keeps; group commits from the leader and the followers,
    // deliveries and drops within the batch and after it, pings and client traffic
    const s = stream();
    let msgId = 1;
    const sent: number[] = [];
    const send = (kind: 'proposal' | 'ack' | 'commit' | 'ping' | 'client', from: number, to: number): void => {
      sent.push(msgId);
      s.ev({ type: 'messageSent', msgId: msgId++, link: kind === 'client' ? 'client' : 'quorum', kind, from, to, text: `${kind} ${from}>${to}` });
    };
    let t = 1000;
    for (const [leader, epoch] of [[3, 1n], [2, 2n]] as const) {
      const followers = [1, 2, 3].filter((x) => x !== leader);
      for (let n = 1; n <= 260; n++) {
        const zxid = (epoch << 32n) + BigInt(n);
        s.at(t++).ev({ type: 'proposed', sid: leader, zxid, text: `create /n${n}` });
        for (const f of followers) send('proposal', leader, f);
        s.ev({ type: 'persisted', sid: leader, what: 'txns', zxid, flushed: false });
        if (n % 3 === 0) s.ev({ type: 'persisted', sid: leader, what: 'txns', zxid, flushed: true });
        for (const f of followers) s.ev({ type: 'persisted', sid: f, what: 'txns', zxid, flushed: false });
        for (const f of followers) send('ack', f, leader);
        if (n % 7 === 0) send('ping', leader, followers[0]);
        if (n % 5 === 0) send('client', 0, leader);
        // deliver (or drop) what was sent a few txns ago
        while (sent.length > 9) {
          const id = sent.shift()!;
          s.ev(id % 13 === 0 ? { type: 'messageDropped', msgId: id } : { type: 'messageDelivered', msgIds: [id] });
        }
        s.ev({ type: 'acked', sid: leader, from: followers[0], zxid });
        if (n > 2) {
          const done = zxid - 2n;
          s.ev({ type: 'committed', sid: leader, zxid: done });
          for (const f of followers) send('commit', leader, f);
          for (const x of [leader, ...followers]) s.ev({ type: 'applied', sid: x, zxid: done, text: '' });
        }
      }
    }
    const status3 = [status(1), status(2), status(3, { role: 'leading' })];
    const all = s.events;
    expect(all.filter((e) => e.type === 'messageSent' && e.kind !== 'ping' && e.kind !== 'client').length).toBeGreaterThan(timelineMessagesMax * 3);
    const fold = (size: number): ReturnType<typeof reduceEvents> => {
      let vm = emptyViewModel();
      for (let i = 0; i < all.length; i += size) vm = reduceEvents(vm, all.slice(i, i + size), status3);
      return vm;
    };
    const seen = (vm: ReturnType<typeof reduceEvents>): unknown => ({ ...vm, inFlight: [...vm.inFlight.entries()] });
    const whole = reduceEvents(emptyViewModel(), all, status3);
    expect(whole.timeline.length).toBe(timelineMessagesMax);
    expect(whole.inFlight.size).toBeGreaterThan(0);
    expect(whole.zab.some((r) => r.acks.includes(r.leader))).toBe(true);
    for (const size of [1, 97, 1500]) expect(seen(fold(size))).toEqual(seen(whole));
  });

  it('shows a standard watch registered, then fired and gone', () => {
    const s = stream()
      .ev({ type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a', text: 'data watch on /a' })
      .at(2000).ev({ type: 'watch', sid: 1, what: 'fired', sessionId: 5n, path: '/a', text: 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(vm.watches.map((w) => [w.state, w.firedText])).toEqual([['fired', 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a']]);
    const again = reduceEvents(vm, [{ type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a', text: 'data watch on /a', seq: 2, t: 3000 }], three);
    expect(again.watches.map((w) => w.state)).toEqual(['fired', 'registered']);
  });

  it('shows a watch registered, then removed unfired and gone, with why', () => {
    const s = stream()
      .ev({ type: 'watch', sid: 2, what: 'registered', sessionId: 5n, path: '/a', text: 'data watch on /a for session 0x5', table: 'data', mode: 'standard' })
      .ev({ type: 'watch', sid: 2, what: 'registered', sessionId: 5n, path: '/a', text: 'child watch on /a for session 0x5', table: 'child', mode: 'standard' })
      .at(2000).ev({ type: 'watch', sid: 2, what: 'removed', sessionId: 5n, path: '/a', text: 'child watch on /a removed: removeWatches by session 0x5', table: 'child', mode: 'standard' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(vm.watches.map((w) => [w.table, w.state, w.firedText])).toEqual([
      ['data', 'registered', null],
      ['child', 'removed', 'child watch on /a removed: removeWatches by session 0x5'],
    ]);
    // the data watch leaves with its connection; a later fire of nothing leaves no trace
    const closed = reduceEvents(vm, [
      { type: 'watch', sid: 2, what: 'removed', sessionId: 5n, path: '/a', text: 'data watch on /a removed: connection of session 0x5 closed', table: 'data', mode: 'standard', seq: 3, t: 3000 },
    ], three);
    expect(closed.watches.map((w) => w.state)).toEqual(['removed', 'removed']);
    expect(closed.watches[0].firedT).toBe(3000);
  });

  it('keeps a persistent watch registered across fires and counts them; recursive ones match descendants', () => {
    const s = stream()
      .ev({ type: 'watch', sid: 1, what: 'registered', sessionId: 7n, path: '/r', text: 'persistent recursive data watch on /r', table: 'data', mode: 'persistentRecursive' })
      .at(2000).ev({ type: 'watch', sid: 1, what: 'fired', sessionId: 7n, path: '/r/x', text: 'WatchedEvent state:SyncConnected type:NodeCreated path:/r/x', table: 'data' })
      .at(3000).ev({ type: 'watch', sid: 1, what: 'fired', sessionId: 7n, path: '/r', text: 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/r', table: 'data' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(vm.watches.map((w) => [w.path, w.state, w.fires, w.firedT])).toEqual([['/r', 'registered', 2, 3000]]);
  });

  it('a server that goes down takes its watches with it', () => {
    const s = stream()
      .ev({ type: 'watch', sid: 3, what: 'registered', sessionId: 5n, path: '/a', text: 'data watch on /a', table: 'data', mode: 'standard' })
      .ev({ type: 'watch', sid: 1, what: 'registered', sessionId: 6n, path: '/a', text: 'data watch on /a', table: 'data', mode: 'standard' })
      .at(2000).ev({ type: 'roleChanged', sid: 3, role: 'down', phase: null, epoch: 1n });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(vm.watches.map((w) => [w.sid, w.state])).toEqual([[3, 'removed'], [1, 'registered']]);
    expect(vm.watches[0].firedText).toContain('server 3 went down');
  });

  it('a NodeDeleted from the data table also consumes the standard child watch (one event for both)', () => {
    const s = stream()
      .ev({ type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a', text: 'data watch on /a', table: 'data', mode: 'standard' })
      .ev({ type: 'watch', sid: 1, what: 'registered', sessionId: 5n, path: '/a', text: 'child watch on /a', table: 'child', mode: 'standard' })
      .at(2000).ev({ type: 'watch', sid: 1, what: 'fired', sessionId: 5n, path: '/a', text: 'WatchedEvent state:SyncConnected type:NodeDeleted path:/a', table: 'data' });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(vm.watches.map((w) => [w.table, w.state])).toEqual([['data', 'fired'], ['child', 'fired']]);
  });

  it('keeps each server’s latest vote and recvset, and forgets it when the server goes down', () => {
    const s = stream()
      .ev({ type: 'vote', sid: 1, vote: vote(3), recv: [{ from: 2, vote: vote(3), state: 'LOOKING' }, { from: 3, vote: vote(3), state: 'LOOKING' }], text: '' })
      .ev({ type: 'roleChanged', sid: 2, role: 'down', phase: null, epoch: 0n });
    const vm = reduceEvents(emptyViewModel(), s.events, three);
    expect(summarizeElection(vm.election[1], 3)).toMatchObject({ supporters: [1, 2, 3], quorum: true });
  });
});

describe('election order', () => {
  it('ranks (epoch, zxid, sid) and says which field decided', () => {
    expect(compareVotes(vote(1, 5n, 2n), vote(3, 9n, 1n))).toBeGreaterThan(0);
    expect(winReason(vote(1, 5n, 2n), vote(3, 9n, 1n))).toBe('epoch');
    expect(winReason(vote(1, 9n), vote(3, 5n))).toBe('zxid');
    expect(winReason(vote(3), vote(2))).toBe('sid');
  });

  it('needs a strict majority of voters for a quorum', () => {
    const e = { sid: 1, vote: vote(2), recv: [{ from: 2, vote: vote(2), state: 'LOOKING' }], text: '', t: 0 };
    expect(summarizeElection(e, 5).quorum).toBe(false);
    expect(summarizeElection(e, 3).quorum).toBe(true);
  });
});

describe('cluster helpers', () => {
  it('marks the servers whose tree differs from the leader', () => {
    expect([...divergentServers([status(1, { treeDigest: 'bb' }), status(2), status(3, { role: 'leading' })])]).toEqual([1]);
    expect(divergentServers([status(1, { role: 'down', treeDigest: '' }), ...three.slice(1)]).size).toBe(0);
  });

  it('marks a server behind the leader; live, a serving follower at another zxid than the leader’s snapshot is not compared', () => {
    const leader = status(3, { role: 'leading', committedZxid: 0x100000005n, lastZxid: 0x100000005n, treeDigest: 'new', treeDigestZxid: 0x100000005n });
    // a follower that applied the same txns into a different tree
    const forked = status(1, { role: 'following', leader: 3, phase: 'broadcast', committedZxid: 0x100000005n, lastZxid: 0x100000005n, treeDigest: 'other', treeDigestZxid: 0x100000005n });
    // a follower at 0x100000001: behind the leader, its tree differs now
    const behind = status(2, { role: 'following', leader: 3, phase: 'broadcast', treeDigest: 'aa' });
    expect([...divergentServers([forked, behind, leader])]).toEqual([1, 2]);
    // live: the serving follower that is only behind is catching up; the forked one is marked
    expect([...divergentServers([forked, behind, leader], true)]).toEqual([1]);
    // live: a serving follower whose snapshot is newer than the leader's (ahead of it) is not compared either
    const ahead = status(2, { role: 'following', leader: 3, phase: 'broadcast', committedZxid: 0x100000007n, lastZxid: 0x100000007n, treeDigest: 'later', treeDigestZxid: 0x100000007n });
    expect([...divergentServers([forked, ahead, leader], true)]).toEqual([1]);
    expect([...divergentServers([forked, ahead, leader])]).toEqual([1, 2]);
    // live, but cut off (looking): marked
    expect([...divergentServers([forked, { ...behind, role: 'looking', leader: null, phase: null }, leader], true)]).toEqual([1, 2]);
    // a digest not belonging to the server's committed zxid is not compared
    expect(divergentServers([{ ...forked, treeDigestZxid: 0x100000004n }, { ...behind, treeDigest: 'new' }, leader]).size).toBe(0);
    // no leader: the majority of digests is the reference
    expect([...divergentServers([status(1, { role: 'looking' }), status(2, { role: 'looking' }), status(3, { role: 'looking', treeDigest: 'zz' })])]).toEqual([3]);
  });

  it('badges znodes by owner and name', () => {
    expect(znodeKinds('/a', 0n)).toEqual([]);
    expect(znodeKinds('/e', 0x100n)).toEqual(['ephemeral']);
    expect(znodeKinds('/q/n-0000000003', 0n)).toEqual(['sequential']);
    expect(znodeKinds('/c', -(1n << 63n))).toEqual(['container']);
    expect(znodeKinds('/t', BigInt.asIntN(64, 0xff00000000001000n))).toEqual(['ttl']);
  });

  it('builds a full mesh of links, cut ones marked, and clients beside their server', () => {
    const g = toFlowGraph({ status: three, selectedSid: 1, picked: [2], partitioned: [[1], [2, 3]], differs: new Set(), clients: [{ name: 'c1', sid: 2, state: 'CONNECTED' }] });
    expect(g.nodes.map((n) => n.id)).toEqual(['s1', 's2', 's3', 'c-c1']);
    expect(g.edges.filter((e) => e.type === 'link').map((e) => [e.id, (e.data as { cut: boolean }).cut])).toEqual([['link-1-2', true], ['link-1-3', true], ['link-2-3', false]]);
    expect(g.edges.find((e) => e.id === 'ce-c1')?.target).toBe('s2');
  });

  it('lays out the timeline on a compressed time axis', () => {
    const l = timelineLayout([{ msgId: 1, from: 1, to: 2, kind: 'ack', text: '', sentT: 10, sentSeq: 0, doneT: 5000, dropped: false }], [], [1, 2]);
    expect(l.rows).toBe(2);
    expect(l.arrows[0].y2 - l.arrows[0].y1).toBe(14);
  });
});

describe('data view helpers', () => {
  it('prints data as text, JSON and hex', () => {
    const d = new TextEncoder().encode('{"a":1}');
    expect(formatData(d, 'text', '-', '!')).toBe('{"a":1}');
    expect(formatData(d, 'json', '-', '!')).toBe('{\n  "a": 1\n}');
    expect(formatData(d, 'hex', '-', '!')).toMatch(/^000000 {2}7b 22 61/);
  });
});
