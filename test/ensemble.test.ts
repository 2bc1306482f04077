import { describe, expect, it } from 'vitest';
import { Code } from '../src/engine/protocol/errors.ts';
import { EnsembleHarness } from './harness/ensemble-harness.ts';

describe('leader election as ZooKeeper 3.8 does it', () => {
  it('three servers started at once: server 3 leads (golden/ensemble/leader-runs.txt)', () => {
    new EnsembleHarness().startAll().settle().expectLeader(3);
  });

  it('three started in order with 3 s pauses: server 2 leads (1+2 are a quorum first)', () => {
    new EnsembleHarness().start(1).run(3000).start(2).run(3000).start(3).settle().expectLeader(2);
  });

  it('five started one by one in order 1..5: server 3 leads (the textbook example)', () => {
    const h = new EnsembleHarness({ servers: 5 });
    for (const s of [1, 2, 3, 4, 5]) h.start(s).run(1000);
    h.settle().expectLeader(3);
  });

  it('the leader killed: the survivor with the best (epoch, zxid, sid) leads, in a new epoch', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2181');
    const r = h.create(c, '/before', 'one');
    expect(r.kind === 'ok' && r.result.type === 'create' && r.result.stat.czxid).toBe(0x100000002n);
    h.kill(3).settle().expectLeader(2);
    const after = h.create(c, '/after', 'two');
    expect(after.kind === 'ok' && after.result.type === 'create' && after.result.stat.czxid).toBe(0x200000001n);
    h.start(3).settle().expectLeader(2);
    expect(h.e.peers.get(3)!.role).toBe('following');
  });
});

describe('quorum loss and recovery', () => {
  it('two of three killed: ConnectionLoss, no write succeeds; one back: service returns', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2181');
    expect(h.create(c, '/q', 'data').kind).toBe('ok');
    h.kill(2, 3).run(3000);
    const ls = h.call(c, { type: 'getChildren', path: '/', watch: false });
    expect(ls.kind === 'error' && ls.code).toBe(Code.CONNECTIONLOSS);
    const w = h.create(c, '/q2');
    expect(w.kind === 'error' && w.code).toBe(Code.CONNECTIONLOSS);
    expect(h.e.peers.get(1)!.role).toBe('looking');
    h.start(2).settle().run(3000);
    const again = h.create(c, '/q3');
    expect(again.kind).toBe('ok');
    const kids = h.call(c, { type: 'getChildren', path: '/', watch: false });
    expect(kids.kind === 'ok' && kids.result.type === 'getChildren' && [...kids.result.children].sort()).toEqual(['q', 'q3', 'zookeeper']);
    expect(h.events).toContain('0:-1:null'); // Disconnected
  });
});

describe('synchronization: DIFF, SNAP, TRUNC chosen as ZooKeeper chooses', () => {
  it('a follower partitioned away and healed resyncs with DIFF', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.e.partition([[1], [2, 3]]);
    h.run(15_000);
    expect(h.e.peers.get(1)!.role).toBe('looking');
    for (let i = 0; i < 5; i++) expect(h.create(c, `/p${i}`).kind).toBe('ok');
    h.logs.length = 0;
    h.e.heal();
    h.settle();
    expect(h.syncLogs().some((l) => /syncs 1 with DIFF/.test(l))).toBe(true);
    expect(h.e.peers.get(1)!.status().lastAppliedZxid).toBe(h.e.peers.get(3)!.status().lastAppliedZxid);
  });

  it('a server far behind (more than commitLogCount txns) gets a SNAP', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    h.kill(1);
    for (let i = 0; i < 520; i++) h.create(c, `/n${i}`);
    h.logs.length = 0;
    h.start(1).settle();
    expect(h.syncLogs().some((l) => /syncs 1 with SNAP/.test(l))).toBe(true);
    const p1 = h.e.peers.get(1)!;
    expect(p1.tree.nodeCount()).toBe(h.e.peers.get(3)!.tree.nodeCount());
  });

  it('a former leader with uncommitted txns is truncated (TRUNC) when it rejoins', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c3 = h.client('127.0.0.1:2183');
    expect(h.create(c3, '/base').kind).toBe('ok');
    // the leader is cut off: it keeps logging proposals nobody acks
    h.e.partition([[3], [1, 2]]);
    c3.call({ type: 'create', path: '/lost', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 0, ttl: -1 });
    h.run(20_000);
    expect(h.e.leader()).toBe(2);
    expect(h.e.peers.get(3)!.lastLoggedZxid()).toBe(0x100000003n); // logged, never committed
    h.logs.length = 0;
    h.e.heal();
    h.settle();
    expect(h.syncLogs()).toContain('2 syncs 3 with TRUNC 0x100000002 (peer at 0x100000003)');
    const c1 = h.client('127.0.0.1:2181');
    expect(h.create(c1, '/new').kind).toBe('ok');
    h.settle();
    const p3 = h.e.peers.get(3)!;
    expect(p3.tree.get('/lost')).toBeUndefined();
    expect(p3.tree.get('/new')).toBeDefined();
  });
});

describe('observers', () => {
  it('an observer learns the leader, gets committed txns by INFORM and serves reads, but never votes', () => {
    const h = new EnsembleHarness({ servers: 3, observers: 1 }).startAll().settle();
    expect(h.e.peers.get(4)!.role).toBe('observing');
    const c = h.client('127.0.0.1:2184');
    expect(h.create(c, '/via-observer', 'x').kind).toBe('ok');
    const r = h.call(c, { type: 'getData', path: '/via-observer', watch: false });
    expect(r.kind).toBe('ok');
    // two voters down: the observer alone is no quorum
    h.kill(1, 2).run(15_000);
    expect(h.e.leader()).toBe(null);
    expect(h.e.peers.get(4)!.isServing()).toBe(false);
  });
});
