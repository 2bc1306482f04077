import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientCall } from '../../client/api.ts';
import type { ClientSession } from '../../client/client-session.ts';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { LockstepConductor } from '../conductor/lockstep.ts';
import { AddWatchMode, CreateMode, openAclUnsafe, Perms, WatcherType, type ACL } from '../../engine/protocol/records.ts';
import { ServerHost, type HostInput, type HostOutput } from './server-host.ts';
import { packWires, unpackWires } from './wire-codec.ts';
import type { Envelope } from './wire.ts';
import type { QuorumPacket } from '../../engine/protocol/quorum-packets.ts';

/** What travels as a batch: the codec's form, through structured clone with the buffer transferred. */
function roundTrip(envs: readonly Envelope[]): { envs: Envelope[]; rest: number } {
  const p = packWires(envs);
  const posted = structuredClone(p, { transfer: [p.buf] });
  expect(p.buf.byteLength).toBe(0); // transferred, not copied
  return { envs: unpackWires(posted), rest: p.rest.length };
}

/** Every envelope a varied lockstep run makes: the servers' sent wires and the clients' (handle inputs). */
async function varietyRun(): Promise<Envelope[]> {
  const seen: Envelope[] = [];
  const collect = (out: HostOutput): HostOutput => {
    for (const e of out.sent) seen.push(e);
    return out;
  };
  const handle = ServerHost.prototype.handle;
  const flush = ServerHost.prototype.flush;
  vi.spyOn(ServerHost.prototype, 'handle').mockImplementation(function (this: ServerHost, inputs: readonly HostInput[], nowMs: number) {
    for (const i of inputs) if (i.type === 'wire') seen.push(i.env);
    return collect(handle.call(this, inputs, nowMs));
  });
  vi.spyOn(ServerHost.prototype, 'flush').mockImplementation(function (this: ServerHost, nowMs: number) {
    return collect(flush.call(this, nowMs));
  });

  const c = new LockstepConductor({ voters: [1, 2, 3], observers: [4], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 11, startMs: Date.UTC(2026, 0, 1) }, new InProcessSpawner());
  await c.start();
  const serving = (): boolean => c.leader() !== null && [...c.status.values()].every((s) => s.role === 'down' || s.phase === 'broadcast');
  expect(await c.runUntil(serving, 20_000)).toBe(true);
  const done = new Set<number>();
  const onResult = (id: number): void => void done.add(id);
  const run = async (s: ClientSession, calls: readonly ClientCall[]): Promise<void> => {
    const ids = calls.map((x) => c.call(s, x));
    await c.settled();
    expect(await c.runUntil(() => ids.every((id) => done.has(id)), 50_000)).toBe(true);
  };
  const leader = c.leader()!;
  const follower = [1, 2, 3].find((s) => s !== leader)!;
  const a = c.addClient(`127.0.0.1:${2180 + follower}`, 30_000, () => {}, onResult);
  const b = c.addClient('127.0.0.1:2184', 30_000, () => {}, onResult);
  const digestAcl: ACL[] = [{ perms: Perms.READ | Perms.WRITE, id: { scheme: 'digest', id: 'u:x/yz=' } }, ...openAclUnsafe];
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
  await run(a, [
    { type: 'addAuthInfo', scheme: 'digest', auth: new TextEncoder().encode('u:p') },
    { type: 'create', path: '/a', data: bytes(300), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 },
    { type: 'create', path: '/a/é✓', data: new Uint8Array(0), acl: digestAcl, mode: CreateMode.PERSISTENT_SEQUENTIAL, ttl: -1 },
    { type: 'create', path: '/eph', data: null, acl: openAclUnsafe, mode: CreateMode.EPHEMERAL, ttl: -1 },
    { type: 'create', path: '/cont', data: null, acl: openAclUnsafe, mode: CreateMode.CONTAINER, ttl: -1 },
    { type: 'create', path: '/ttl', data: null, acl: openAclUnsafe, mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 },
    { type: 'getData', path: '/a', watch: true },
    { type: 'exists', path: '/nope', watch: true },
    { type: 'getChildren', path: '/a', watch: true },
    { type: 'getACL', path: '/a' },
    { type: 'getEphemerals', path: '/', prefixPath: '/' } as ClientCall,
    { type: 'getAllChildrenNumber', path: '/' },
    { type: 'whoAmI' },
    { type: 'addWatch', path: '/a', mode: AddWatchMode.PERSISTENT_RECURSIVE },
    { type: 'setData', path: '/a', data: bytes(5), version: 0 },
    { type: 'setData', path: '/a', data: null, version: 7 },
    { type: 'setACL', path: '/a', acl: digestAcl, version: -1 },
    { type: 'sync', path: '/a' },
    { type: 'multi', ops: [
      { type: 'create', path: '/m', data: bytes(3), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 },
      { type: 'setData', path: '/m', data: null, version: -1 },
      { type: 'check', path: '/m', version: 1 },
      { type: 'delete', path: '/m', version: -1 },
    ] },
    { type: 'multi', ops: [
      { type: 'create', path: '/m2', data: null, acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 },
      { type: 'check', path: '/nope', version: 3 },
    ] },
    { type: 'removeWatches', path: '/a', watcherType: WatcherType.Any, local: false },
  ]);
  await run(b, [
    { type: 'getData', path: '/a', watch: true },
    { type: 'create', path: '/b', data: bytes(10), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 },
    { type: 'delete', path: '/b', version: -1 },
  ]);
  await run(a, [{ type: 'setData', path: '/a', data: bytes(1), version: -1 }]);
  c.closeClient(a);
  await c.settled();
  await c.runFor(3000);
  // the leader dies: election, a new epoch, DIFF / TRUNC / SNAP sync on the way back
  await c.kill(leader);
  expect(await c.runUntil(serving, 50_000)).toBe(true);
  await run(b, [{ type: 'create', path: '/after', data: bytes(2), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 }]);
  await c.restart(leader);
  expect(await c.runUntil(() => serving() && c.status.get(leader)!.phase === 'broadcast', 50_000)).toBe(true);
  // a partition breaks Zab connections (close)
  await c.partition([[follower], [1, 2, 3, 4].filter((s) => s !== follower)]);
  await c.runFor(10_000);
  await c.heal();
  expect(await c.runUntil(() => serving() && c.status.get(follower)!.phase === 'broadcast', 50_000)).toBe(true);
  c.shutdown();
  vi.restoreAllMocks();
  return seen;
}

describe('wire codec', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('round-trips every envelope of a varied lockstep run, each alone and all as one batch', async () => {
    const seen = await varietyRun();
    const kinds = new Set<string>();
    let alone = 0;
    const rareOps = new Set<string>(['createSession', 'auth', 'setWatches', 'getEphemerals', 'addWatch', 'removeWatches', 'checkWatches', 'reconfig']);
    const hot = new Set(['Request', 'Proposal', 'Ack', 'Commit', 'Ping', 'Inform', 'Sync', 'request', 'reply', 'notification']);
    for (const env of seen) {
      const w = env.wire;
      const kind = w.type === 'packet' || w.type === 'clientPacket' || w.type === 'serverPacket' ? `${w.type}:${w.packet.type}` : w.type;
      kinds.add(kind);
      const { envs, rest } = roundTrip([env]);
      alone += rest;
      expect(envs).toStrictEqual([env]);
      // ops that are rare on the wire go as themselves (structured clone)
      const op = w.type === 'clientPacket' && w.packet.type === 'request' ? w.packet.op.type : w.type === 'packet' && w.packet.type === 'Request' ? w.packet.op.type : null;
      if ('packet' in w && hot.has(w.packet.type) && !(op !== null && rareOps.has(op))) expect(rest, `${kind} ${op} ${w.type === 'serverPacket' && w.packet.type === 'reply' ? w.packet.result?.type : ''}`).toBe(0);
    }
    for (const k of ['packet:Request', 'packet:Proposal', 'packet:Ack', 'packet:Commit', 'packet:Ping', 'packet:Inform', 'clientPacket:request', 'serverPacket:reply', 'serverPacket:notification',
      'clientPacket:connect', 'serverPacket:connected', 'notification', 'connect', 'accept', 'clientConnect', 'clientClose', 'packet:NewLeader', 'packet:UpToDate']) {
      expect([...kinds].sort(), [...kinds].sort().join(' ')).toContain(k);
    }
    const all = roundTrip(seen);
    expect(all.envs).toStrictEqual(seen);
    expect(all.rest).toBe(alone);
  }, 120_000);

  it('keeps bigints at the int64 extremes and sends a bigint beyond them as itself', () => {
    const base = { id: 2 ** 40 + 1, from: 1, to: 2, sentAt: 1.5e12 };
    const max = (1n << 63n) - 1n;
    const min = -(1n << 63n);
    const stat = { czxid: max, mzxid: 0n, ctime: -1, mtime: 2 ** 53, version: -1, cversion: 2 ** 31 - 1, aversion: 0, ephemeralOwner: min, dataLength: 0, numChildren: 0, pzxid: -1n };
    const envs: Envelope[] = [
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Ack', zxid: max } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Commit', zxid: 1n << 63n } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Ping', zxid: 0n, touches: [{ sessionId: min, timeout: 30_000 }, { sessionId: -1n, timeout: 0 }] } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Proposal', zxid: 5n, entry: { hdr: { clientId: min, cxid: -2, zxid: 5n, time: 1.7e12 }, txn: { type: 'create', path: '', data: new Uint8Array([0, 255]), acl: [], ephemeralOwner: min, parentCVersion: -1 } } } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Proposal', zxid: 6n, entry: { hdr: { clientId: 0n, cxid: 0, zxid: 6n, time: 0 }, txn: { type: 'closeSession', paths2Delete: ['/x', '/y'] } } } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Proposal', zxid: 7n, entry: { hdr: { clientId: 0n, cxid: 0, zxid: 7n, time: 0 }, txn: { type: 'multi', txns: [{ type: 'error', err: -101 }, { type: 'error', err: 0 }] } } } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Proposal', zxid: 8n, entry: { hdr: { clientId: 0n, cxid: 0, zxid: 8n, time: 0 }, txn: { type: 'reconfig', data: null, version: 1 } } } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Revalidate', sessionId: 3n, timeout: 10 } } },
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Revalidate', sessionId: 3n, timeout: 10, valid: true } } },
      { ...base, wire: { type: 'serverPacket', conn: 9, packet: { type: 'reply', xid: -2, zxid: -1n, err: 0, result: { type: 'exists', stat } } } },
      { ...base, wire: { type: 'serverPacket', conn: 9, packet: { type: 'reply', xid: 3, zxid: max, err: -101, result: null } } },
      { ...base, wire: { type: 'serverPacket', conn: 9, packet: { type: 'reply', xid: 4, zxid: 1n, err: 0, result: { type: 'getChildren', children: [], stat } } } },
      { ...base, wire: { type: 'serverPacket', conn: 9, packet: { type: 'notification', zxid: -1n, event: { type: -1, state: 3, path: null } } } },
      { ...base, wire: { type: 'clientPacket', conn: 9, size: 0, packet: { type: 'request', xid: -2, op: { type: 'ping' } } } },
      { ...base, wire: { type: 'clientPacket', conn: 9, size: 12.5, packet: { type: 'request', xid: 1, op: { type: 'reconfig', joiningServers: null, leavingServers: '2', newMembers: null, curConfigId: max } } } },
      { ...base, wire: { type: 'close', conn: 7 } },
      // a shape the engine does not make (a number left out): as itself, not as NaN
      { ...base, wire: { type: 'packet', conn: 7, packet: { type: 'Sync', sessionId: 3n } as unknown as QuorumPacket } },
    ];
    const { envs: back, rest } = roundTrip(envs);
    expect(back).toStrictEqual(envs);
    // beyond int64 (the second), reconfig txn and op, the two REVALIDATEs, close, the odd SYNC
    expect(rest).toBe(7);
  });

  it('sends a data value referenced twice in a batch once, and it arrives as one value (as structured clone does)', () => {
    const base = { id: 1, from: 1, to: 2, sentAt: 0 };
    const shared = new Uint8Array([1, 2, 3]);
    const other = new Uint8Array([1, 2, 3]);
    const create = (zxid: bigint, data: Uint8Array, cv: number | bigint): Envelope => ({
      ...base, wire: { type: 'packet', conn: 1, packet: { type: 'Proposal', zxid, entry: { hdr: { clientId: 1n, cxid: 1, zxid, time: 0 }, txn: { type: 'create', path: `/p${zxid}`, data, acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: cv as number } } } },
    });
    // the third envelope cannot be encoded (a bigint where a number goes) after it met `other`
    // first: its data index is rolled back with it, and the fourth still refers to `shared`
    const envs = [create(1n, shared, -1), create(2n, shared, -1), create(3n, other, 5n), create(4n, other, -1), create(5n, shared, -1)];
    const p = packWires(envs);
    expect(p.rest.length).toBe(1);
    const back = unpackWires(structuredClone(p, { transfer: [p.buf] }));
    expect(back).toStrictEqual(envs);
    const data = (e: Envelope): unknown => ((e.wire as { packet: { entry: { txn: { data: unknown } } } }).packet.entry.txn.data);
    expect(data(back[0])).toBe(data(back[1]));
    expect(data(back[0])).toBe(data(back[4]));
    expect(data(back[3])).not.toBe(data(back[0]));
    // a second batch starts afresh
    const again = unpackWires(packWires([create(6n, shared, -1)]));
    expect(data(again[0])).toStrictEqual(shared);
  });

  it('a malformed batch throws instead of making envelopes up', () => {
    const p = packWires([{ id: 1, from: 1, to: 2, sentAt: 0, wire: { type: 'packet', conn: 1, packet: { type: 'Ack', zxid: 1n } } }]);
    expect(() => unpackWires({ ...p, buf: p.buf.slice(0, p.buf.byteLength - 1) })).toThrow();
    expect(() => unpackWires({ ...p, buf: new ArrayBuffer(0) })).toThrow();
  });
});
