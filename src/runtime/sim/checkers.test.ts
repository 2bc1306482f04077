import { describe, expect, it } from 'vitest';
import { EventType, KeeperState, type WatcherEvent } from '../../engine/protocol/records.ts';
import { ClientOrderChecker, WatchChecker } from './checkers.ts';

function ev(type: EventType, path: string): WatcherEvent {
  return { type, state: KeeperState.SyncConnected, path };
}

describe('WatchChecker', () => {
  it('accepts one event per registration, in zxid order, and a new registration after it', () => {
    const w = new WatchChecker();
    w.registered(1, '/a', 'data');
    w.registered(1, '/', 'child');
    w.delivered(1, ev(EventType.NodeDataChanged, '/a'), 0x100000005n);
    w.delivered(1, ev(EventType.NodeChildrenChanged, '/'), 0x100000006n);
    w.registered(1, '/a', 'data');
    w.delivered(1, ev(EventType.NodeDeleted, '/a'), 0x100000006n); // same txn may fire several
    w.delivered(1, ev(EventType.None, '/a'), 0n); // connection state events are not watches
    expect(w.violations).toEqual([]);
    expect(w.deliveries).toBe(3);
  });

  it('catches a watch that fires twice', () => {
    const w = new WatchChecker();
    w.registered(7, '/a', 'data');
    w.delivered(7, ev(EventType.NodeDataChanged, '/a'), 0x100000005n);
    w.delivered(7, ev(EventType.NodeDataChanged, '/a'), 0x100000008n);
    expect(w.violations).toHaveLength(1);
    expect(w.violations[0]).toMatch(/client 7 got event type 3 on \/a at 0x100000008 without a registration/);
  });

  it('catches an event of a kind the client never registered (a child watch does not fire NodeDataChanged)', () => {
    const w = new WatchChecker();
    w.registered(1, '/a', 'child');
    w.delivered(1, ev(EventType.NodeDataChanged, '/a'), 0x100000002n);
    expect(w.violations).toHaveLength(1);
  });

  it('catches watch events that reach a client out of zxid order', () => {
    const w = new WatchChecker();
    w.registered(2, '/a', 'data');
    w.registered(2, '/b', 'data');
    w.delivered(2, ev(EventType.NodeDataChanged, '/b'), 0x100000009n);
    w.delivered(2, ev(EventType.NodeDataChanged, '/a'), 0x100000007n);
    expect(w.violations).toEqual(['watch order: client 2 got event type 3 on /a at 0x100000007 after one at 0x100000009']);
  });

  it('keeps clients apart', () => {
    const w = new WatchChecker();
    w.registered(1, '/a', 'data');
    w.delivered(2, ev(EventType.NodeDataChanged, '/a'), 0x100000002n);
    expect(w.violations).toHaveLength(1);
  });
});

describe('ClientOrderChecker', () => {
  it('accepts completions in issue order, per client', () => {
    const o = new ClientOrderChecker();
    o.issued(1, 10);
    o.issued(2, 5);
    o.issued(1, 11);
    o.completed(2, 5);
    o.completed(1, 10);
    o.completed(1, 11);
    expect(o.violations).toEqual([]);
    expect(o.completions).toBe(3);
    expect(o.outstanding(1)).toBe(0);
  });

  it('catches a call that completes before one issued earlier', () => {
    const o = new ClientOrderChecker();
    o.issued(3, 1);
    o.issued(3, 2);
    o.issued(3, 3);
    o.completed(3, 2);
    o.completed(3, 1); // already overtaken: not counted again
    o.completed(3, 3);
    expect(o.violations).toEqual(['client order: client 3 call 2 completed before earlier call(s) 1']);
  });
});

describe('Checkers wired to a simulated ensemble', () => {
  it('flag a watch event delivered twice by the network (a duplicated notification)', async () => {
    const { Ensemble } = await import('./ensemble.ts');
    const { Checkers } = await import('./checkers.ts');
    const { settle } = await import('./ensemble-status.ts');
    const { ClientSession } = await import('../../client/client-session.ts');
    const { utf8Encode } = await import('../../engine/util/bytes.ts');
    const e = new Ensemble({ servers: 3, seed: 5 });
    const checkers = new Checkers(e);
    let duplicate = false;
    e.world.notificationHook = (client, from, event) => {
      checkers.onNotification(client, from, event);
      if (duplicate) checkers.watches.delivered(client, event, e.peers.get(e.leader()!)!.tree.lastProcessedZxid);
    };
    for (const sid of e.sids) e.start(sid);
    settle(e);
    const results = new Map<number, unknown>();
    const session = new ClientSession('127.0.0.1:2181', { sessionTimeout: 30_000, random: () => 0.5, shuffleHosts: false }, e.world.now);
    const worldId = e.world.addClient(session, () => {}, (id, r) => results.set(id, r));
    e.world.run(e.world.now + 10_000, () => session.state === 'CONNECTED');
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const create = session.call({ type: 'create', path: '/x', data: utf8Encode('1'), acl, mode: 0, ttl: -1 });
    e.world.run(e.world.now + 5000, () => results.has(create));
    const read = session.call({ type: 'getData', path: '/x', watch: true });
    e.world.run(e.world.now + 5000, () => results.has(read));
    checkers.watches.registered(worldId, '/x', 'data');
    // an honest delivery passes
    const set1 = session.call({ type: 'setData', path: '/x', data: utf8Encode('2'), version: -1 });
    e.world.run(e.world.now + 5000, () => results.has(set1));
    e.run(500);
    expect(checkers.watches.deliveries).toBe(1);
    expect(checkers.allViolations()).toEqual([]);
    // re-arm, then the network hands the event over twice
    const read2 = session.call({ type: 'getData', path: '/x', watch: true });
    e.world.run(e.world.now + 5000, () => results.has(read2));
    checkers.watches.registered(worldId, '/x', 'data');
    duplicate = true;
    const set2 = session.call({ type: 'setData', path: '/x', data: utf8Encode('3'), version: -1 });
    e.world.run(e.world.now + 5000, () => results.has(set2));
    e.run(500);
    expect(checkers.allViolations().join('\n')).toMatch(/got event type 3 on \/x .* without a registration/);
  });
});
