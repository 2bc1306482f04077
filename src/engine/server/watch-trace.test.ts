/**
 * The server traces every watch that enters its tables and every watch that leaves them without
 * firing (WatchManager.removeWatcher): removeWatches (zkCli removewatches -c / -d / -a), the
 * connection closing, the session closing or expiring. Fired watches trace `watchFired` only.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../protocol/client-protocol.ts';
import { AddWatchMode, WatcherType } from '../protocol/records.ts';
import { sessionPassword } from '../util/java-random.ts';
import { utf8Encode } from '../util/bytes.ts';
import { defaultServerConfig } from './server-config.ts';
import type { TraceEvent } from './server-io.ts';
import { ZkServer } from './zk-server.ts';

class Driver {
  readonly server = new ZkServer(defaultServerConfig(), 0);
  private xid = 1;
  private logged = 0n;
  private now = 0;

  connect(connId: number, timeout = 30_000): bigint {
    this.server.step({ type: 'clientConnected', connId, remoteAddress: '127.0.0.1' });
    this.server.step({ type: 'clientPacket', connId, size: 48, packet: { type: 'connect', req: { protocolVersion: 0, lastZxidSeen: 0n, timeOut: timeout, sessionId: 0n, passwd: sessionPassword(0n), readOnly: false } } });
    this.settle();
    return this.server.connection(connId)!.sessionId;
  }

  /** one request, every txn it logged made durable; the watch trace lines it produced */
  op(connId: number, op: Op): string[] {
    this.server.step({ type: 'clientPacket', connId, size: 64, packet: { type: 'request', xid: this.xid++, op } });
    return this.settle();
  }

  close(connId: number): string[] {
    this.server.step({ type: 'clientClosed', connId });
    return this.settle();
  }

  tick(ms: number): string[] {
    this.now += ms;
    this.server.step({ type: 'tick', nowMs: this.now });
    return this.settle();
  }

  private settle(): string[] {
    const lines: string[] = [];
    for (let round = 0; round < 10; round++) {
      const r = this.server.ready();
      lines.push(...r.trace.flatMap(describeWatchTrace));
      if (r.persist.length === 0) break;
      this.logged = r.persist[r.persist.length - 1].hdr.zxid;
      this.server.step({ type: 'persisted', zxid: this.logged });
    }
    return lines;
  }
}

function describeWatchTrace(t: TraceEvent): string[] {
  switch (t.type) {
    case 'watchRegistered': return [`registered ${t.kind} ${t.path} conn${t.connId}`];
    case 'watchRemoved': return [`removed ${t.table}/${t.mode} ${t.path} conn${t.connId} ${t.cause}: ${t.text.replace(/0x[0-9a-f]+/g, '<id>')}`];
    case 'watchFired': return [`fired ${t.table ?? '-'} ${t.event.path} conn${t.connId}`];
    default: return [];
  }
}

const create = (path: string): Op => ({ type: 'create', path, data: utf8Encode('x'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 0, ttl: -1 });
const get = (path: string): Op => ({ type: 'getData', path, watch: true });
const ls = (path: string): Op => ({ type: 'getChildren', path, watch: true });
const remove = (path: string, watcherType: WatcherType): Op => ({ type: 'removeWatches', path, watcherType });

describe('watch trace', () => {
  it('registers data, child and persistent watches, once per (connection, path, mode)', () => {
    const d = new Driver();
    d.connect(1);
    d.op(1, create('/a'));
    expect(d.op(1, get('/a'))).toEqual(['registered data /a conn1']);
    expect(d.op(1, get('/a'))).toEqual([]); // already there: WatchManager.addWatch returns false
    expect(d.op(1, ls('/a'))).toEqual(['registered child /a conn1']);
    expect(d.op(1, { type: 'exists', path: '/nope', watch: true })).toEqual(['registered data /nope conn1']);
    expect(d.op(1, { type: 'addWatch', path: '/p', mode: AddWatchMode.PERSISTENT_RECURSIVE })).toEqual([
      'registered persistent recursive data /p conn1', 'registered persistent recursive child /p conn1',
    ]);
  });

  it('a fired standard watch is traced as fired, never as removed', () => {
    const d = new Driver();
    d.connect(1);
    d.op(1, create('/a'));
    d.op(1, get('/a'));
    d.op(1, ls('/a'));
    // NodeDeleted: the data table fires, the child watch is consumed with it (suppressed)
    expect(d.op(1, { type: 'delete', path: '/a', version: -1 })).toEqual(['fired data /a conn1']);
    expect(d.server.dataWatches.count() + d.server.childWatches.count()).toBe(0);
  });

  it('removeWatches -c, -d and -a remove unfired watches and say so', () => {
    const d = new Driver();
    d.connect(1);
    d.op(1, create('/a'));
    d.op(1, get('/a'));
    d.op(1, ls('/a'));
    expect(d.op(1, remove('/a', WatcherType.Children))).toEqual([
      'removed child/standard /a conn1 removeWatches: child watch on /a removed: removeWatches by session <id>',
    ]);
    expect(d.op(1, remove('/a', WatcherType.Children))).toEqual([]); // NOWATCHER, nothing left
    expect(d.op(1, remove('/a', WatcherType.Data))).toEqual([
      'removed data/standard /a conn1 removeWatches: data watch on /a removed: removeWatches by session <id>',
    ]);
    d.op(1, get('/a'));
    d.op(1, ls('/a'));
    expect(d.op(1, remove('/a', WatcherType.Any))).toEqual([
      'removed child/standard /a conn1 removeWatches: child watch on /a removed: removeWatches by session <id>',
      'removed data/standard /a conn1 removeWatches: data watch on /a removed: removeWatches by session <id>',
    ]);
    expect(d.server.dataWatches.count() + d.server.childWatches.count()).toBe(0);
  });

  it('removeWatches of a persistent or recursive watch removes it from both tables', () => {
    const d = new Driver();
    d.connect(1);
    d.op(1, { type: 'addWatch', path: '/p', mode: AddWatchMode.PERSISTENT });
    d.op(1, { type: 'addWatch', path: '/r', mode: AddWatchMode.PERSISTENT_RECURSIVE });
    expect(d.op(1, remove('/p', WatcherType.Persistent)).map((l) => l.split(':')[0])).toEqual([
      'removed child/persistent /p conn1 removeWatches', 'removed data/persistent /p conn1 removeWatches',
    ]);
    expect(d.op(1, remove('/r', WatcherType.Any)).map((l) => l.split(':')[0])).toEqual([
      'removed child/persistentRecursive /r conn1 removeWatches', 'removed data/persistentRecursive /r conn1 removeWatches',
    ]);
  });

  it('a closed connection takes its watches with it; other connections keep theirs', () => {
    const d = new Driver();
    d.connect(1);
    d.connect(2);
    d.op(1, create('/a'));
    d.op(1, get('/a'));
    d.op(2, get('/a'));
    d.op(1, { type: 'addWatch', path: '/a', mode: AddWatchMode.PERSISTENT });
    expect(d.close(1)).toEqual([
      'removed data/persistent /a conn1 connectionClosed: persistent data watch on /a removed: connection of session <id> closed',
      'removed child/persistent /a conn1 connectionClosed: persistent child watch on /a removed: connection of session <id> closed',
    ]);
    expect(d.server.dataWatches.pathsOf(2)).toEqual(['/a']);
    expect(d.server.dataWatches.count() + d.server.childWatches.count()).toBe(1);
  });

  it('closeSession and expiry remove the session’s watches (its connection closes)', () => {
    const d = new Driver();
    d.connect(1);
    d.connect(2, 4000);
    d.op(1, create('/a'));
    d.op(1, get('/a'));
    d.op(2, ls('/a'));
    expect(d.op(1, { type: 'closeSession' })).toEqual([
      'removed data/standard /a conn1 sessionEnded: data watch on /a removed: session <id> ended (closeSession)',
    ]);
    // session 2 stays silent past its timeout: the server expires it and closes its connection
    expect(d.tick(10_000)).toEqual([
      'removed child/standard /a conn2 sessionEnded: child watch on /a removed: session <id> ended (closeSession)',
    ]);
    expect(d.server.dataWatches.count() + d.server.childWatches.count()).toBe(0);
  });
});
