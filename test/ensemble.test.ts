import { describe, expect, it } from 'vitest';
import type { CallResult, ClientCall } from '../src/client/api.ts';
import { ClientSession } from '../src/client/client-session.ts';
import { describeTree } from '../src/engine/datatree/describe-tree.ts';
import { utf8Encode } from '../src/engine/util/bytes.ts';
import { sessionPassword } from '../src/engine/util/java-random.ts';
import { Code } from '../src/engine/protocol/errors.ts';
import { hex } from '../src/engine/protocol/ids.ts';
import type { TxnEntry } from '../src/engine/protocol/txn.ts';
import { LogIterator } from '../src/engine/storage/txn-log.ts';
import { readAll } from '../src/runtime/storage/disk.ts';
import { EnsembleHarness } from './harness/ensemble-harness.ts';

/** Every txn in a server's txn log files (the peer keeps only unapplied ones in memory). */
function loggedTxns(h: EnsembleHarness, sid: number): TxnEntry[] {
  const it = new LogIterator(readAll(h.e.disks.get(sid)!.disk), 0n);
  const out: TxnEntry[] = [];
  for (let rec = it.seek(0n); rec !== null; rec = it.next()) out.push(rec.entry);
  return out;
}

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

describe('per-server dataDir: snapshots, txn log, crash and restart', () => {
  const openAcl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

  it('with a small snapCount every server snapshots; a restart recovers from snapshot + log', () => {
    const h = new EnsembleHarness({ snapCount: 10 }).startAll().settle();
    const c = h.client('127.0.0.1:2183');
    for (let i = 0; i < 30; i++) expect(h.create(c, `/s${i}`, `v${i}`).kind).toBe('ok');
    h.run(1000);
    for (const sid of h.e.sids) {
      const d = h.e.disks.get(sid)!.durable;
      expect(d.snapshotZxid, `server ${sid} took a snapshot`).toBeGreaterThan(0n);
      expect(d.files.filter((f) => f.startsWith('version-2/snapshot.')).length).toBeGreaterThan(1);
      expect(d.files.filter((f) => f.startsWith('version-2/log.')).length).toBeGreaterThan(1);
    }
    const before = describeTree(h.e.peers.get(3)!.tree, '/', { userOnly: true });
    h.kill(1, 2, 3).startAll().settle();
    for (const sid of h.e.sids) {
      const r = h.e.hosts.get(sid)!.recovery;
      expect(r.snapshotZxid).toBeGreaterThan(0n);
      expect(r.lastProcessedZxid).toBeGreaterThanOrEqual(r.snapshotZxid);
      expect(describeTree(h.e.peers.get(sid)!.tree, '/', { userOnly: true })).toBe(before);
    }
    // at least one server had txns after its last snapshot, replayed from the log
    expect(h.e.sids.some((sid) => h.e.hosts.get(sid)!.recovery.txnsReplayed > 0)).toBe(true);
    const c1 = h.client('127.0.0.1:2181');
    expect(h.create(c1, '/after-restart').kind).toBe('ok');
  });

  it('a crash loses unflushed txns but never an acknowledged one', () => {
    const h = new EnsembleHarness().startAll().settle();
    const c = h.client('127.0.0.1:2183');
    const acked: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const r = h.create(c, `/a${i}`);
      expect(r.kind === 'ok' && r.result.type === 'create').toBe(true);
      if (r.kind === 'ok' && r.result.type === 'create') acked.push(r.result.stat.czxid);
    }
    // every disk turns slow: the next write is logged everywhere but flushed nowhere
    for (const sid of h.e.sids) h.e.fsyncDelayOf.set(sid, [60_000, 60_000]);
    c.call({ type: 'create', path: '/unflushed', data: null, acl: openAcl, mode: 0, ttl: -1 });
    h.run(200);
    for (const sid of h.e.sids) {
      const s = h.e.hosts.get(sid)!.logState();
      expect(s.lastLogged, `server ${sid} logged the write`).toBeGreaterThan(s.lastDurable);
    }
    h.kill(1, 2, 3);
    for (const sid of h.e.sids) {
      const log = h.e.disks.get(sid)!.durable.log.map((e) => e.hdr.zxid);
      for (const z of acked) expect(log, `server ${sid} lost acknowledged ${z}`).toContain(z);
      expect(log.some((z) => z > acked[acked.length - 1])).toBe(false);
    }
    for (const sid of h.e.sids) h.e.fsyncDelayOf.delete(sid);
    h.startAll().settle();
    const tree = h.e.peers.get(h.leader()!)!.tree;
    for (let i = 0; i < 5; i++) expect(tree.get(`/a${i}`)).toBeDefined();
    expect(tree.get('/unflushed')).toBeUndefined();
  });

  it('a server restarted from its snapshot rejoins with DIFF', () => {
    const h = new EnsembleHarness({ snapCount: 10 }).startAll().settle();
    const c = h.client('127.0.0.1:2183');
    for (let i = 0; i < 30; i++) expect(h.create(c, `/d${i}`).kind).toBe('ok');
    h.kill(1);
    for (let i = 0; i < 5; i++) expect(h.create(c, `/late${i}`).kind).toBe('ok');
    h.logs.length = 0;
    h.start(1);
    expect(h.e.hosts.get(1)!.recovery.snapshotZxid).toBeGreaterThan(0n);
    h.settle();
    expect(h.syncLogs().some((l) => /syncs 1 with DIFF/.test(l))).toBe(true);
    expect(describeTree(h.e.peers.get(1)!.tree, '/', { userOnly: true })).toBe(describeTree(h.e.peers.get(3)!.tree, '/', { userOnly: true }));
  });
});

/** A second handle that reattaches `a`'s session through `address` (ZooKeeper's session-stomping test). */
function stomp(h: EnsembleHarness, a: ClientSession, address: string): { b: ClientSession; call: (op: ClientCall) => CallResult | undefined } {
  const b = new ClientSession(address, { sessionTimeout: 30_000, random: () => h.e.rng.next(), shuffleHosts: false }, h.e.world.now);
  const forced = b as unknown as { sessionId: bigint; passwd: Uint8Array };
  forced.sessionId = a.sessionId;
  forced.passwd = sessionPassword(a.sessionId);
  const results = new Map<number, CallResult>();
  h.e.world.addClient(b, () => {}, (id, r) => results.set(id, r));
  h.e.world.run(h.e.world.now + 10_000, () => b.state === 'CONNECTED');
  const call = (op: ClientCall): CallResult | undefined => {
    const id = b.call(op);
    h.e.world.run(h.e.world.now + 10_000, () => results.has(id));
    return results.get(id);
  };
  return { b, call };
}

describe('sessions follow the database through TRUNC (ZKDatabase.truncateLog reloads sessionsWithTimeouts)', () => {
  // found by the fault simulator (npm run sim -- --seed 9566): a cut-off leader logged a
  // client's closeSession nobody acked, applied it when it stepped down (fast-forward,
  // ZOOKEEPER-2845) and then was truncated back: the tree got the session's ephemerals back,
  // but its session tracker still had the session removed; led by that server, the session
  // would never expire and its ephemerals would stay forever
  it('a truncated closeSession brings the session back with its ephemerals; led by that server it expires them', () => {
    const h = new EnsembleHarness().startAll().settle().expectLeader(3);
    const c = h.client('127.0.0.1:2183', 30_000);
    const eph = h.call(c, { type: 'create', path: '/eph', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 1, ttl: -1 });
    expect(eph.kind).toBe('ok');
    const session = c.sessionId;
    const p3 = h.e.peers.get(3)!;
    const closeZxid = p3.lastLoggedZxid() + 1n;
    // the leader is cut off; the client's close reaches it and is logged there only
    h.e.partition([[3], [1, 2]]);
    c.close();
    h.run(8_000); // well within the session timeout: 2 leads, and has not expired the session
    expect(h.e.leader()).toBe(2);
    expect(loggedTxns(h, 3).find((e) => e.hdr.zxid === closeZxid)?.txn.type).toBe('closeSession');
    // stepping down applied it (fast-forward): /eph and the session are gone on 3 for now
    expect(p3.tree.get('/eph')).toBeUndefined();
    expect(p3.sessions.get(session)).toBeUndefined();
    h.logs.length = 0;
    h.e.heal();
    h.settle();
    expect(h.syncLogs()).toContain(`2 syncs 3 with TRUNC ${hex(closeZxid - 1n)} (peer at ${hex(closeZxid)})`);
    // TRUNC undid the closeSession: the ephemeral and its session are back, on every server
    for (const sid of [1, 2, 3]) {
      const p = h.e.peers.get(sid)!;
      expect(p.tree.get('/eph')?.ephemeralOwner, `server ${sid}`).toBe(session);
      expect(p.sessions.get(session), `server ${sid} tracks the session`).toBeDefined();
    }
    // the session, never closed by a committed txn, expires: now with 3 leading, so its
    // tracker is the one that must know it (the client is gone and no longer pings)
    h.kill(2).settle().expectLeader(3);
    h.run(45_000);
    for (const sid of [1, 3]) {
      const p = h.e.peers.get(sid)!;
      expect(p.tree.get('/eph'), `server ${sid}: /eph outlives session`).toBeUndefined();
      expect(p.sessions.get(session)).toBeUndefined();
    }
  });

  it('a truncated createSession leaves no session behind', () => {
    const h = new EnsembleHarness().startAll().settle().expectLeader(3);
    const p3 = h.e.peers.get(3)!;
    const before = new Set(p3.sessions.all().map((s) => s.id));
    // the cut-off leader logs a createSession nobody acks
    h.e.partition([[3], [1, 2]]);
    const c = new ClientSession('127.0.0.1:2183', { sessionTimeout: 10_000, random: () => h.e.rng.next(), shuffleHosts: false }, h.e.world.now);
    h.e.world.addClient(c, () => {}, () => {});
    h.run(20_000);
    const logged = loggedTxns(h, 3).filter((e) => e.txn.type === 'createSession' && !before.has(e.hdr.clientId));
    expect(logged.length).toBe(1);
    const phantom = logged[0].hdr.clientId;
    h.e.heal();
    h.settle();
    expect(loggedTxns(h, 3).find((e) => e.hdr.zxid === logged[0].hdr.zxid)).toBeUndefined(); // truncated
    expect(p3.sessions.get(phantom)).toBeUndefined();
    expect(h.e.peers.get(2)!.sessions.get(phantom)).toBeUndefined();
  });
});

describe('SessionMoved (ZooKeeper 3.8 SessionTest.testSessionMoved)', () => {
  it('the leader closes its own old connection of a session that moved to a follower, on its next read', () => {
    const h = new EnsembleHarness().startAll().settle().expectLeader(3);
    const a = h.client('127.0.0.1:2183');
    expect(h.create(a, '/m', 'a').kind).toBe('ok');
    const { b, call } = stomp(h, a, '127.0.0.1:2181');
    expect(b.sessionId).toBe(a.sessionId);
    expect(call({ type: 'setData', path: '/m', data: utf8Encode('b'), version: -1 })?.kind).toBe('ok');
    h.logs.length = 0;
    const r = h.call(a, { type: 'getData', path: '/m', watch: false });
    expect(r.kind === 'error' && r.code).toBe(Code.CONNECTIONLOSS);
    expect(h.logs.some((l) => /^Session 0x[0-9a-f]+ moved: closing its connection/.test(l))).toBe(true);
  });

  it('after the session reattaches through another server, a write on its old connection closes that connection', () => {
    const h = new EnsembleHarness().startAll().settle().expectLeader(3);
    const a = h.client('127.0.0.1:2181');
    expect(h.create(a, '/moved', 'a').kind).toBe('ok');
    // a second handle "stomps" the session on server 2, as ZooKeeper's test does with
    // new ZooKeeper(host2, ..., zk.getSessionId(), zk.getSessionPasswd())
    const { b, call } = stomp(h, a, '127.0.0.1:2182');
    expect(b.sessionId).toBe(a.sessionId);
    expect(call({ type: 'setData', path: '/moved', data: utf8Encode('b'), version: -1 })?.kind).toBe('ok');
    h.logs.length = 0;
    // the old connection on server 1 is still open there; its write reaches the leader through
    // server 1, whose session it no longer is
    const r = h.call(a, { type: 'setData', path: '/moved', data: utf8Encode('stale'), version: -1 });
    expect(r.kind === 'error' && r.code).toBe(Code.CONNECTIONLOSS);
    expect(h.logs.some((l) => /^Session 0x[0-9a-f]+ moved: closing its connection/.test(l))).toBe(true);
    const node = h.e.peers.get(3)!.tree.get('/moved')!;
    expect(new TextDecoder().decode(node.data!)).toBe('b');
    expect(node.version).toBe(1);
    // the session itself lives on: the moved handle keeps working
    expect(call({ type: 'getData', path: '/moved', watch: false })?.kind).toBe('ok');
  });
});
