/**
 * ClientSession: ZooKeeper's client (ZooKeeper + ClientCnxn + ZKWatchManager) as a sans-IO
 * state machine. The host opens connections, moves packets and hands in time; the session
 * decides what to send, which server to try next, and which watch events to deliver.
 *
 * Theory of operation
 *   CONNECTING --transport up--> send ConnectRequest (+ auth packets, setWatches)
 *   CONNECTING --ConnectResponse timeOut>0--> CONNECTED      event SyncConnected
 *   CONNECTING --ConnectResponse timeOut=0--> CLOSED         event Expired
 *   CONNECTED  --connection lost / read timeout--> CONNECTING  event Disconnected; every
 *              sent-but-unanswered call fails with ConnectionLoss; next host after a backoff
 *   any        --auth reply AUTHFAILED--> AUTH_FAILED        event AuthFailed
 *   any        --close()--> closeSession request, then CLOSED  event Closed
 *
 *   Calls are answered in the order they were made (ZooKeeper's per-session FIFO). Replies
 *   carry the zxid the client has seen (lastZxidSeen), which a server behind it refuses.
 *   Timing follows ClientCnxn: read timeout = 2/3 of the negotiated session timeout, a ping
 *   after readTimeout/2 of send-idleness, connect timeout = session timeout / number of hosts.
 */
import type { CallResult, ClientCall, ClientState } from './api.ts';
import { parseConnectString, prependChroot, stripChroot } from './connect-string.ts';
import { ClientWatches } from './client-watches.ts';
import type { ClientPacket, ConnectResponse, Op, OpResult, ServerPacket } from '../engine/protocol/client-protocol.ts';
import { Xid } from '../engine/protocol/client-protocol.ts';
import { Code } from '../engine/protocol/errors.ts';
import type { SessionId, Zxid } from '../engine/protocol/ids.ts';
import { EventType, KeeperState, WatcherType, isSequentialMode, type WatcherEvent } from '../engine/protocol/records.ts';
import { validatePath } from '../engine/datatree/path.ts';
import { assert } from '../engine/util/assert.ts';

export interface ClientOptions {
  readonly sessionTimeout: number;
  /** a seeded source of randomness: host order and reconnect backoff (StaticHostProvider) */
  readonly random: () => number;
  /** shuffle the host list as StaticHostProvider does (default true) */
  readonly shuffleHosts?: boolean;
}

export type ClientInput =
  | { readonly type: 'transportUp'; readonly connection: number }
  | { readonly type: 'transportDown'; readonly connection: number }
  | { readonly type: 'packet'; readonly connection: number; readonly packet: ServerPacket }
  | { readonly type: 'tick'; readonly nowMs: number };

export interface ClientReady {
  /** open a connection to this address; the host answers with transportUp/transportDown */
  readonly open: { readonly connection: number; readonly address: string }[];
  /** close these connections (the session no longer uses them) */
  readonly close: number[];
  readonly send: { readonly connection: number; readonly packet: ClientPacket }[];
  /** events for the default watcher (and any other watchers the call registered), in order */
  readonly events: WatcherEvent[];
  readonly results: { readonly callId: number; readonly result: CallResult }[];
}

interface Outstanding {
  readonly callId: number;
  readonly call: ClientCall;
  readonly xid: number;
  readonly op: Op;
  sent: boolean;
}

export const outstandingCallsMax = 100_000;
const pingIntervalMaxMs = 10_000;
/** StaticHostProvider.next(1000): the pause after every host of the list failed in turn */
const hostProviderSpinDelayMs = 1000;

export class ClientSession {
  state: ClientState = 'CONNECTING';
  sessionId: SessionId = 0n;
  negotiatedTimeout = 0;
  lastZxidSeen: Zxid = 0n;
  readonly hosts: readonly string[];
  readonly chroot: string | null;
  private passwd: Uint8Array = new Uint8Array(16);
  private readonly watches = new ClientWatches();
  private readonly authInfo: { scheme: string; auth: Uint8Array | null }[] = [];
  private queue: Outstanding[] = [];
  private nextXid = 1;
  private nextCallId = 1;
  private hostIndex = -1;
  /** StaticHostProvider.lastIndex: the host last connected to (0 before any) */
  private lastIndex = -1;
  private connection = 0;
  private nextConnection = 1;
  private transportUp = false;
  private now = 0;
  private lastSend = 0;
  private lastRecv = 0;
  private connectStarted = 0;
  private reconnectAt = 0;
  private closing = false;
  private firstConnect = true;
  private out: ClientReady = emptyClientReady();

  constructor(connectString: string, readonly options: ClientOptions, nowMs: number) {
    const parsed = parseConnectString(connectString);
    if ('error' in parsed) throw new Error(parsed.error);
    const hosts = [...parsed.hosts];
    if (options.shuffleHosts !== false) shuffle(hosts, options.random);
    this.hosts = hosts;
    this.chroot = parsed.chroot;
    this.now = nowMs;
    this.startConnect();
  }

  ready(): ClientReady {
    const r = this.out;
    this.out = emptyClientReady();
    return r;
  }

  hasReady(): boolean {
    const o = this.out;
    return o.open.length + o.close.length + o.send.length + o.events.length + o.results.length > 0;
  }

  /** The server this session is connected or connecting to. */
  currentHost(): string {
    return this.hosts[this.hostIndex];
  }

  isAlive(): boolean {
    return this.state !== 'CLOSED' && this.state !== 'AUTH_FAILED';
  }

  /** Submits a call; its result appears in a later ready().results with the returned id. */
  call(call: ClientCall): number {
    const callId = this.nextCallId++;
    const local = this.validate(call);
    if (local !== null) {
      this.out.results.push({ callId, result: local });
      return callId;
    }
    if (call.type === 'addAuthInfo') this.authInfo.push({ scheme: call.scheme, auth: call.auth });
    if (!this.isAlive() || this.closing) {
      const code = this.state === 'AUTH_FAILED' ? Code.AUTHFAILED : this.state === 'CLOSED' ? Code.SESSIONEXPIRED : Code.CONNECTIONLOSS;
      this.out.results.push({ callId, result: this.failure(call, code) });
      return callId;
    }
    assert(this.queue.length < outstandingCallsMax, 'calls over outstandingCallsMax');
    const xid = call.type === 'addAuthInfo' ? Xid.auth : this.nextXid++;
    this.queue.push({ callId, call, xid, op: this.toOp(call), sent: false });
    this.flush();
    return callId;
  }

  /**
   * ZooKeeper.close(): closeSession, then Closed. ClientCnxn.close submits closeSession like any
   * request and waits for it, so a session in the middle of a connection attempt first finishes
   * it: if that succeeds, SyncConnected comes before Closed (the server opened the session only
   * to close it); if it fails, the ConnectionLoss ends the wait and Closed follows. Between two
   * attempts the SendThread sees `closing` and makes no more (Closed at once).
   */
  close(): void {
    if (!this.isAlive() || this.closing) return;
    this.closing = true;
    const attempting = this.state === 'CONNECTING' && this.connection !== 0;
    if (attempting || (this.state === 'CONNECTED' && this.transportUp)) {
      this.queue.push({ callId: 0, call: { type: 'whoAmI' }, xid: this.nextXid++, op: { type: 'closeSession' }, sent: false });
      this.flush();
    } else {
      this.finishClose();
    }
  }

  step(input: ClientInput): void {
    switch (input.type) {
      case 'transportUp':
        if (input.connection === this.connection) this.onTransportUp();
        return;
      case 'transportDown':
        if (input.connection === this.connection) this.onConnectionLost('connection closed');
        return;
      case 'packet':
        if (input.connection === this.connection) this.onPacket(input.packet);
        return;
      case 'tick':
        return this.onTick(input.nowMs);
    }
  }

  // ----- connection management -----------------------------------------------------------

  private startConnect(): void {
    this.hostIndex = (this.hostIndex + 1) % this.hosts.length;
    // StaticHostProvider.next: the very first attempt counts as the last connected host
    if (this.lastIndex === -1) this.lastIndex = 0;
    this.connection = this.nextConnection++;
    this.transportUp = false;
    this.connectStarted = this.now;
    this.reconnectAt = 0;
    this.state = 'CONNECTING';
    this.out.open.push({ connection: this.connection, address: this.hosts[this.hostIndex] });
  }

  private onTransportUp(): void {
    this.transportUp = true;
    // ClientCnxn.primeConnection: from now on every reconnect first sleeps a random 0-1 s
    this.firstConnect = false;
    this.lastSend = this.lastRecv = this.now;
    this.sendPacket({
      type: 'connect',
      req: { protocolVersion: 0, lastZxidSeen: this.lastZxidSeen, timeOut: this.options.sessionTimeout, sessionId: this.sessionId, passwd: this.passwd, readOnly: false },
    });
  }

  private onConnected(resp: ConnectResponse): void {
    if (resp.timeOut <= 0) {
      // "Unable to reconnect to ZooKeeper service, session 0x.. has expired"
      this.state = 'CLOSED';
      this.dropConnection();
      this.failAll(Code.SESSIONEXPIRED);
      this.deliver({ type: EventType.None, state: KeeperState.Expired, path: null });
      this.deliver({ type: EventType.None, state: KeeperState.Closed, path: null });
      return;
    }
    const wasNew = this.sessionId === 0n;
    this.sessionId = resp.sessionId;
    this.passwd = resp.passwd;
    this.negotiatedTimeout = resp.timeOut;
    this.state = 'CONNECTED';
    this.lastIndex = this.hostIndex; // StaticHostProvider.onConnected
    // ClientCnxn.primeConnection: re-send auth and watches before queued requests
    for (const a of this.authInfo) this.sendPacket({ type: 'request', xid: Xid.auth, op: { type: 'auth', scheme: a.scheme, auth: a.auth } });
    if (!wasNew) this.resendWatches();
    this.deliver({ type: EventType.None, state: KeeperState.SyncConnected, path: null });
    this.flush();
  }

  private resendWatches(): void {
    const w = this.watches.serverPaths((p) => prependChroot(this.chroot, p));
    if (w.dataWatches.length + w.existWatches.length + w.childWatches.length + w.persistentWatches.length + w.persistentRecursiveWatches.length === 0) return;
    this.sendPacket({ type: 'request', xid: Xid.setWatches, op: { type: 'setWatches', relativeZxid: this.lastZxidSeen, ...w } });
  }

  private onConnectionLost(reason: string): void {
    void reason;
    const wasConnected = this.state === 'CONNECTED';
    this.dropConnection();
    if (this.closing) {
      this.finishClose();
      return;
    }
    if (!this.isAlive()) return;
    this.failAll(Code.CONNECTIONLOSS);
    if (wasConnected) {
      this.state = 'CONNECTING';
      this.deliver({ type: EventType.None, state: KeeperState.Disconnected, path: null });
    }
    this.reconnectAt = this.now + this.reconnectDelayMs();
    this.state = 'CONNECTING';
  }

  /**
   * SendThread.run before the next attempt: StaticHostProvider.next(1000) sleeps 1 s when the
   * next host is the one last connected to (a whole round of the list failed), then
   * startConnect sleeps a random 0-999 ms unless no connection was ever made (isFirstConnect).
   * A refused connection costs no more than this: the next attempt follows these sleeps.
   */
  private reconnectDelayMs(): number {
    const next = (this.hostIndex + 1) % this.hosts.length;
    const spinMs = next === this.lastIndex ? hostProviderSpinDelayMs : 0;
    const backoffMs = this.firstConnect ? 0 : Math.floor(this.options.random() * 1000);
    return spinMs + backoffMs;
  }

  private dropConnection(): void {
    if (this.connection !== 0) this.out.close.push(this.connection);
    this.connection = 0;
    this.transportUp = false;
  }

  private finishClose(): void {
    this.dropConnection();
    this.state = 'CLOSED';
    this.closing = false;
    this.failAll(Code.CONNECTIONLOSS);
    this.deliver({ type: EventType.None, state: KeeperState.Closed, path: null });
  }

  private onTick(nowMs: number): void {
    this.now = Math.max(this.now, nowMs);
    if (!this.isAlive()) return;
    if (this.connection === 0) {
      if (this.reconnectAt <= this.now) this.startConnect();
      return;
    }
    if (!this.transportUp || this.state !== 'CONNECTED') {
      const connectTimeout = Math.floor(this.options.sessionTimeout / this.hosts.length);
      if (this.now - this.connectStarted >= connectTimeout) this.onConnectionLost('connect timeout');
      return;
    }
    const readTimeout = Math.floor((this.negotiatedTimeout * 2) / 3);
    if (this.now - this.lastRecv > readTimeout) {
      this.onConnectionLost(`Client session timed out, have not heard from server in ${this.now - this.lastRecv}ms`);
      return;
    }
    if (this.now - this.lastSend >= readTimeout / 2 || this.now - this.lastSend > pingIntervalMaxMs) {
      this.sendPacket({ type: 'request', xid: Xid.ping, op: { type: 'ping' } });
    }
  }

  /** When this session next needs a tick (ping, read timeout, reconnect). */
  nextDeadline(): number {
    if (!this.isAlive()) return Number.POSITIVE_INFINITY;
    if (this.connection === 0) return this.reconnectAt;
    if (this.state !== 'CONNECTED') return this.connectStarted + Math.floor(this.options.sessionTimeout / this.hosts.length);
    const readTimeout = Math.floor((this.negotiatedTimeout * 2) / 3);
    return Math.min(this.lastRecv + readTimeout + 1, this.lastSend + Math.min(readTimeout / 2, pingIntervalMaxMs + 1));
  }

  private sendPacket(packet: ClientPacket): void {
    assert(this.connection !== 0, 'send without a connection');
    this.out.send.push({ connection: this.connection, packet });
    this.lastSend = this.now;
  }

  /** Sends queued calls once connected. */
  private flush(): void {
    if (this.state !== 'CONNECTED' || !this.transportUp) return;
    // calls are queued at the tail and sent in order, so the unsent ones are a suffix of the
    // queue: start at its first entry instead of walking every call still awaiting a reply
    // (with thousands outstanding, one call at a time, that walk was quadratic)
    const q = this.queue;
    let first = q.length;
    while (first > 0 && !q[first - 1].sent) first--;
    for (let i = first; i < q.length; i++) {
      q[i].sent = true;
      this.sendPacket({ type: 'request', xid: q[i].xid, op: q[i].op });
    }
  }

  private failAll(code: Code): void {
    const queue = this.queue;
    this.queue = [];
    for (const o of queue) {
      if (o.callId === 0) continue;
      this.out.results.push({ callId: o.callId, result: this.finishCall(o, code, null) });
    }
  }

  // ----- replies and events --------------------------------------------------------------

  private onPacket(p: ServerPacket): void {
    this.lastRecv = this.now;
    if (p.type === 'connected') return this.onConnected(p.resp);
    if (p.type === 'notification') {
      const path = p.event.path === null ? null : stripChroot(this.chroot, p.event.path);
      const event = { ...p.event, path };
      if (this.watches.materialize(event)) this.deliver(event);
      return;
    }
    if (p.xid === Xid.ping || p.xid === Xid.setWatches) return;
    if (p.xid === Xid.auth) return this.onAuthReply(p.err);
    if (p.zxid > 0n) this.lastZxidSeen = p.zxid;
    const head = this.queue.find((o) => o.sent && o.xid !== Xid.auth);
    if (!head || head.xid !== p.xid) {
      this.onConnectionLost(`Xid out of order. Got Xid ${p.xid}`);
      return;
    }
    // the head is nearly always first: shift() drops it in O(1), a splice moved every call
    // still outstanding (quadratic with thousands of pipelined reads)
    const at = this.queue.indexOf(head);
    if (at === 0) this.queue.shift();
    else this.queue.splice(at, 1);
    if (head.op.type === 'closeSession') {
      this.finishClose();
      return;
    }
    this.out.results.push({ callId: head.callId, result: this.finishCall(head, p.err, p.result) });
  }

  private onAuthReply(err: Code): void {
    const idx = this.queue.findIndex((o) => o.xid === Xid.auth);
    if (idx >= 0) {
      const o = this.queue.splice(idx, 1)[0];
      this.out.results.push({ callId: o.callId, result: err === Code.OK ? { kind: 'ok', result: { type: 'auth' } } : this.failure(o.call, err) });
    }
    if (err === Code.AUTHFAILED) {
      this.state = 'AUTH_FAILED';
      this.deliver({ type: EventType.None, state: KeeperState.AuthFailed, path: null });
      this.dropConnection();
      this.failAll(Code.AUTHFAILED);
      // ClientCnxn queues the event of death right after AuthFailed: no Closed event follows
    }
  }

  private deliver(event: WatcherEvent): void {
    this.out.events.push(event);
  }

  /** Registers watches (WatchRegistration) and builds the CallResult for one reply. */
  private finishCall(o: Outstanding, err: Code, result: OpResult | null): CallResult {
    const call = o.call;
    if (call.type === 'removeWatches') return this.finishRemoveWatches(call, err);
    this.watches.register(call, err);
    if (err !== Code.OK) return this.failure(call, err, result);
    if (result === null) assert(false, `reply without result for ${call.type}`);
    return { kind: 'ok', result: this.clientResult(result) };
  }

  private finishRemoveWatches(call: Extract<ClientCall, { type: 'removeWatches' }>, err: Code): CallResult {
    const removed = this.watches.remove(call.path, call.watcherType, call.local, err);
    if ('error' in removed) return this.failure(call, removed.error);
    const state = err === Code.SESSIONEXPIRED || err === Code.CONNECTIONLOSS ? KeeperState.Disconnected : KeeperState.SyncConnected;
    for (const type of removed.events) this.deliver({ type, state, path: call.path });
    return { kind: 'ok', result: { type: 'removeWatches' } };
  }

  private failure(call: ClientCall, code: Code, result: OpResult | null = null): CallResult {
    // ZooKeeperAdmin.reconfigure throws KeeperException.create(code, ""): an empty path
    const path = 'path' in call ? call.path : call.type === 'getEphemerals' ? call.prefixPath : call.type === 'reconfig' ? '' : null;
    return { kind: 'error', code, path, result };
  }

  private clientResult(result: OpResult): OpResult {
    if (result.type === 'create') return { ...result, path: stripChroot(this.chroot, result.path) };
    if (result.type === 'multi') {
      return { ...result, results: result.results.map((r) => (r.type === 'create' ? { ...r, path: stripChroot(this.chroot, r.path) } : r)) };
    }
    if (result.type === 'getEphemerals') return { ...result, paths: result.paths.map((p) => stripChroot(this.chroot, p)) };
    return result;
  }

  /** Client-side checks that throw before anything is sent (IllegalArgumentException etc.). */
  private validate(call: ClientCall): CallResult | null {
    const clientPath = 'path' in call ? call.path : call.type === 'getEphemerals' ? call.prefixPath : null;
    if (clientPath !== null) {
      const sequential = call.type === 'create' && isSequentialMode(call.mode);
      const problem = validatePath(clientPath, sequential);
      if (problem !== null) return { kind: 'illegalArgument', message: problem };
    }
    if ((call.type === 'create' || call.type === 'setACL') && call.acl.length === 0) {
      return { kind: 'error', code: Code.INVALIDACL, path: null, result: null };
    }
    return null;
  }

  private toOp(call: ClientCall): Op {
    const server = (p: string): string => prependChroot(this.chroot, p);
    switch (call.type) {
      case 'create': return { type: 'create', path: server(call.path), data: call.data, acl: call.acl, mode: call.mode, ttl: call.ttl };
      case 'delete': return { type: 'delete', path: server(call.path), version: call.version };
      case 'setData': return { type: 'setData', path: server(call.path), data: call.data, version: call.version };
      case 'setACL': return { type: 'setACL', path: server(call.path), acl: call.acl, version: call.version };
      case 'multi': return { type: 'multi', ops: call.ops.map((op) => ({ ...op, path: server(op.path) })) };
      case 'getData': case 'exists': case 'getChildren':
        return { type: call.type, path: server(call.path), watch: call.watch };
      case 'getACL': case 'getAllChildrenNumber': case 'sync':
        return { type: call.type, path: server(call.path) };
      case 'getEphemerals': return { type: 'getEphemerals', prefixPath: server(call.prefixPath) };
      case 'addWatch': return { type: 'addWatch', path: server(call.path), mode: call.mode };
      case 'removeWatches': return { type: 'removeWatches', path: server(call.path), watcherType: call.watcherType };
      case 'addAuthInfo': return { type: 'auth', scheme: call.scheme, auth: call.auth };
      case 'whoAmI': return { type: 'whoAmI' };
      case 'getConfig': return { type: 'getData', path: '/zookeeper/config', watch: call.watch };
      case 'reconfig': return { type: 'reconfig', joiningServers: call.joiningServers, leavingServers: call.leavingServers, newMembers: call.newMembers, curConfigId: call.curConfigId };
    }
  }
}

function emptyClientReady(): ClientReady {
  return { open: [], close: [], send: [], events: [], results: [] };
}

/** Collections.shuffle-like Fisher-Yates with the injected random source. */
function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

export { WatcherType };
