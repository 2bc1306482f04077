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
