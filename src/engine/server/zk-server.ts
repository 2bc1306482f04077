/**
 * ZkServer: a standalone ZooKeeper server as a sans-IO state machine (STYLE.md 3), the
 * equivalent of ZooKeeperServer with its PrepRequestProcessor -> SyncRequestProcessor ->
 * FinalRequestProcessor chain.
 *
 * Theory of operation
 *   connection    clientConnected -> (ConnectRequest) -> createSession txn -> ConnectResponse
 *   write         prep (zxid, validation, outstanding changes) -> `persist` in Ready ->
 *                 host fsyncs -> `persisted` input -> apply in zxid order (watches fire
 *                 first, then the reply: ZooKeeper sends the notification before the reply)
 *   read          runs against the committed tree, but never overtakes an earlier write of
 *                 the same session (CommitProcessor's per-session order)
 *   time          `tick` expires session buckets (closeSession txns) and runs the container
 *                 manager every znode.container.checkIntervalMs
 *   crash         the host drops this object; nothing here survives that isn't persisted.
 */
import { digestAuthId, type AuthInfo } from '../acl/acl.ts';
import type { ClientPacket, ConnectRequest, Op, ServerPacket, WriteOp } from '../protocol/client-protocol.ts';
import { isWriteOp, Xid } from '../protocol/client-protocol.ts';
import { Code } from '../protocol/errors.ts';
import { hex, type SessionId, type Zxid } from '../protocol/ids.ts';
import { EventType, KeeperState, Perms } from '../protocol/records.ts';
import { ephemeralKind, ttlOf, type Txn, type TxnEntry } from '../protocol/txn.ts';
import { checkAcl } from '../acl/acl.ts';
import { DataTree, type ApplyResult, type WatchTrigger } from '../datatree/data-tree.ts';
import { SessionTracker } from '../sessions/session-tracker.ts';
import { describeWatchKind, describeWatchRemoval, WatchManager, type WatchChange, type WatchRemovalCause } from '../watches/watch-manager.ts';
import { assert } from '../util/assert.ts';
import { Fifo } from '../util/fifo.ts';
import { utf8Decode } from '../util/bytes.ts';
import { sessionPassword } from '../util/java-random.ts';
import { describeTxn } from '../protocol/describe.ts';
import { executeRead, type ReadContext } from './final-request.ts';
import { OutstandingChanges } from './outstanding-changes.ts';
import { KeeperError, prepCloseSession, prepWrite, type PrepContext } from './prep-request.ts';
import type { ServerConfig } from './server-config.ts';
import { addLatency, lastOpOf, newCnxnStats, newServerStats, resetLatency, type CnxnStats } from './server-stats.ts';
import { emptyReady, type ConnId, type Ready, type ServerInput } from './server-io.ts';

export interface Pending {
  readonly xid: number;
  readonly op: Op;
  /** writes: set when the txn was applied */
  reply: ServerPacket | null;
  readonly needsCommit: boolean;
  /** virtual ms the request arrived (its latency runs from here to the response) */
  readonly receivedAt?: number;
}

export interface Cnxn {
  readonly connId: ConnId;
  readonly remoteAddress: string;
  sessionId: SessionId;
  established: boolean;
  authInfo: AuthInfo;
  /** requests in arrival order, answered from the head (CommitProcessor) */
  readonly queue: Fifo<Pending>;
  /** createSession in flight: the ConnectResponse goes out when it commits */
  connectTimeout: number;
  /** packets, last operation and latencies, for `cons` and `stat` */
  readonly stats: CnxnStats;
}

export interface InFlight {
  readonly entry: TxnEntry;
  readonly err: Code;
  readonly connId: ConnId | null;
  readonly pending: Pending | null;
}

/** Bounds (STYLE.md 14). */
export const connectionsMax = 100_000;
export const requestsPendingPerSessionMax = 100_000;
export const inFlightTxnsMax = 1_000_000;

export class ZkServer {
  tree: DataTree;
  readonly sessions: SessionTracker;
  /** journaled, so registrations and unfired removals reach the trace (traceWatchChanges) */
  private readonly watchJournal: WatchChange[] = [];
  readonly dataWatches = new WatchManager({ journal: this.watchJournal, table: 'data' });
  readonly childWatches = new WatchManager({ journal: this.watchJournal, table: 'child' });
  protected readonly changes = new OutstandingChanges();
  protected readonly cnxns = new Map<ConnId, Cnxn>();
  protected readonly inFlight = new Fifo<InFlight>();
  protected out: Ready = emptyReady();
  protected now: number;
  protected nextZxidCounter = 1n;
  protected nextContainerCheck: number;
  protected epoch = 0n;
  /** ServerStats: packets and latencies over every connection (`srvr`, `mntr`) */
  readonly serverStats = newServerStats();
  /** virtual ms this server object started (uptime) */
  readonly startedAt: number;

  constructor(readonly config: ServerConfig, nowMs: number) {
    this.now = nowMs;
    this.startedAt = nowMs;
    this.tree = new DataTree(config.extendedTypesEnabled);
    this.sessions = new SessionTracker(config.tickTime, config.sid, nowMs);
    this.nextContainerCheck = nowMs + config.containerCheckIntervalMs;
  }

  step(input: ServerInput): void {
    switch (input.type) {
      case 'clientConnected': return this.onClientConnected(input.connId, input.remoteAddress);
      case 'clientPacket': return this.onClientPacket(input.connId, input.packet, input.size);
      case 'clientClosed': return this.onClientClosed(input.connId);
      case 'persisted': return this.onPersisted(input.zxid);
      case 'tick': return this.onTick(input.nowMs);
    }
  }

  hasReady(): boolean {
    return this.out.clientOutput.length > 0 || this.out.persist.length > 0 || this.out.trace.length > 0;
  }

  /** Takes what the host must do now; the next call starts empty. */
  ready(): Ready {
    this.traceWatchChanges('connectionClosed');
    const r = this.out;
    this.out = emptyReady();
    return r;
  }

  /**
   * ZooKeeperServer.loadData for a standalone restart: the durable log is applied in order, its
   * sessions live again (their timers start now) and new zxids continue after the last one.
   */
  replayLog(log: readonly TxnEntry[]): void {
    assert(this.tree.lastProcessedZxid === 0n, 'replay into a fresh server only');
    for (const entry of log) {
      assert(entry.hdr.zxid > this.tree.lastProcessedZxid, 'the log must be in zxid order');
      this.tree.applyTxn(entry.hdr, entry.txn);
      if (entry.txn.type === 'createSession') this.sessions.add(entry.hdr.clientId, entry.txn.timeOut, this.now);
      if (entry.txn.type === 'closeSession') this.sessions.remove(entry.hdr.clientId);
    }
    this.nextZxidCounter = (this.tree.lastProcessedZxid & 0xffffffffn) + 1n;
    assert(log.length === 0 || this.tree.lastProcessedZxid === log[log.length - 1].hdr.zxid, 'replay reached the end of the log');
  }

  /** A four-letter word arrived on a fresh connection: NIOServerCnxn counts it as a packet received. */
  fourLetterWordReceived(): void {
    this.serverStats.packetsReceived++;
  }

  /** The reply to a four-letter word went out: counted as a packet sent (after the reply was computed). */
  fourLetterWordAnswered(): void {
    this.serverStats.packetsSent++;
  }

  /** `srst`: ServerStats.reset (latencies and packet counts). */
  resetServerStats(): void {
    this.serverStats.packetsReceived = 0;
    this.serverStats.packetsSent = 0;
    resetLatency(this.serverStats.latency);
  }

  /** `crst`: ServerCnxn.resetStats on every connection. */
  resetConnectionStats(): void {
    for (const c of this.cnxns.values()) {
      const s = c.stats;
      s.packetsReceived = 0;
      s.packetsSent = 0;
      s.lastOp = 'NA';
      s.lastCxid = -1;
      s.lastZxid = -1n;
      s.lastResponseTime = 0;
      s.lastLatency = 0;
      resetLatency(s.latency);
    }
  }

  lastProcessedZxid(): Zxid {
    return this.tree.lastProcessedZxid;
  }

  /** When the host should tick next (session buckets, container checks). */
  nextDeadline(): number {
    return Math.min(this.sessions.nextDeadline(), this.nextContainerCheck);
  }

  connectionIds(): ConnId[] {
    return [...this.cnxns.keys()];
  }

  connection(connId: ConnId): Readonly<Cnxn> | undefined {
    return this.cnxns.get(connId);
  }

  // ----- connections ---------------------------------------------------------------------

  protected onClientConnected(connId: ConnId, remoteAddress: string): void {
    assert(!this.cnxns.has(connId), `connection ${connId} already open`);
    assert(this.cnxns.size < connectionsMax, 'connections over connectionsMax');
    const perAddress = [...this.cnxns.values()].filter((c) => c.remoteAddress === remoteAddress).length;
    if (this.config.maxClientCnxns > 0 && perAddress >= this.config.maxClientCnxns) {
      this.log(`Too many connections from /${remoteAddress} - max is ${this.config.maxClientCnxns}`);
      this.out.clientOutput.push({ type: 'close', connId });
      return;
    }
    this.cnxns.set(connId, {
      connId, remoteAddress, sessionId: 0n, established: false,
      authInfo: [{ scheme: 'ip', id: remoteAddress }], queue: new Fifo(), connectTimeout: 0,
      stats: newCnxnStats(this.now),
    });
  }

  /** NIOServerCnxn.close -> ZKDatabase.removeCnxn: the connection's watches go with it, unfired. */
  protected onClientClosed(connId: ConnId, cause: WatchRemovalCause = 'connectionClosed'): void {
    const c = this.cnxns.get(connId);
    if (!c) return;
    this.traceWatchChanges('connectionClosed');
    this.dataWatches.removeWatcher(connId);
    this.childWatches.removeWatcher(connId);
    this.traceWatchChanges(cause);
    this.cnxns.delete(connId);
  }

  protected closeCnxn(c: Cnxn, cause: WatchRemovalCause = 'connectionClosed'): void {
    this.onClientClosed(c.connId, cause);
    this.out.clientOutput.push({ type: 'close', connId: c.connId });
  }

  /**
   * Moves what the watch tables journaled into the trace, in order: registrations, and removals
   * that were not a firing (for which `cause` says why). Runs right after every table change.
   */
  protected traceWatchChanges(cause: WatchRemovalCause): void {
    if (this.watchJournal.length === 0) return;
    for (const ch of this.watchJournal.splice(0)) {
      const sessionId = this.cnxns.get(ch.watcher)?.sessionId ?? 0n;
      const base = { connId: ch.watcher, sessionId, path: ch.path, table: ch.table, mode: ch.mode };
      if (ch.what === 'added') {
        this.out.trace.push({ type: 'watchRegistered', ...base, kind: describeWatchKind(ch.table, ch.mode) });
      } else {
        const text = describeWatchRemoval(ch.table, ch.mode, ch.path, cause, hex(sessionId));
        this.out.trace.push({ type: 'watchRemoved', ...base, cause, text });
      }
    }
  }

  protected send(c: Cnxn, packet: ServerPacket): void {
    c.stats.packetsSent++;
    this.serverStats.packetsSent++;
    this.out.clientOutput.push({ type: 'packet', connId: c.connId, packet });
  }

  /** FinalRequestProcessor.updateStats: the connection's last operation and both latencies. */
  protected recordResponse(c: Cnxn, op: Op | { readonly type: 'createSession' }, cxid: number, zxid: Zxid, receivedAt: number | undefined): void {
    const latency = this.now - (receivedAt ?? this.now);
    assert(latency >= 0, 'a response before its request');
    c.stats.lastOp = lastOpOf(op);
    if (cxid >= 0) c.stats.lastCxid = cxid;
    c.stats.lastZxid = zxid;
    c.stats.lastResponseTime = this.now;
    c.stats.lastLatency = latency;
    addLatency(c.stats.latency, latency);
    addLatency(this.serverStats.latency, latency);
  }

  protected onClientPacket(connId: ConnId, packet: ClientPacket, size: number): void {
    const c = this.cnxns.get(connId);
    if (!c) return; // connection already closed by us; late packet
    c.stats.packetsReceived++;
    this.serverStats.packetsReceived++;
    if (size < 0 || size > this.config.juteMaxBuffer) {
      // NIOServerCnxn.readLength: "Len error", the connection is closed
      this.log(`Len error ${size}: closing connection from ${c.remoteAddress}`);
      this.closeCnxn(c);
      return;
    }
    if (packet.type === 'connect') return this.onConnectRequest(c, packet.req);
    if (!c.established) {
      this.closeCnxn(c);
      return;
    }
    if (packet.op.type === 'auth') return this.onAuth(c, packet.op.scheme, packet.op.auth);
    this.submitRequest(c, packet.xid, packet.op);
  }

  /** ZooKeeperServer.processConnectRequest */
  protected onConnectRequest(c: Cnxn, req: ConnectRequest): void {
    if (c.established || c.sessionId !== 0n) {
      this.closeCnxn(c);
      return;
    }
    if (req.lastZxidSeen > this.tree.lastProcessedZxid) {
      this.log(`Refusing session request for client ${c.remoteAddress} as it has seen zxid ${hex(req.lastZxidSeen)} our last zxid is ${hex(this.tree.lastProcessedZxid)} client must try another server`);
      this.closeCnxn(c);
      return;
    }
    const timeout = Math.min(Math.max(req.timeOut, this.config.minSessionTimeout), this.config.maxSessionTimeout);
    c.connectTimeout = timeout;
    if (req.sessionId === 0n) return this.createSession(c, timeout);
    this.reopenSession(c, req, timeout);
  }

  protected createSession(c: Cnxn, timeout: number): void {
    const id = this.sessions.newSessionId();
    c.sessionId = id;
    this.sessions.add(id, timeout, this.now, c.connId);
    const entry = this.newEntry(id, 0, { type: 'createSession', timeOut: timeout });
    this.logTxn({ entry, err: Code.OK, connId: c.connId, pending: null });
  }

  protected reopenSession(c: Cnxn, req: ConnectRequest, timeout: number): void {
    const session = this.sessions.get(req.sessionId);
    const passwordOk = bytesEqual(req.passwd, sessionPassword(req.sessionId));
    if (!session || session.closing || !passwordOk || !this.sessions.touch(req.sessionId, this.now)) {
      // an expired or unknown session: timeOut 0 tells the client it has expired
      this.send(c, { type: 'connected', resp: { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false } });
      this.closeCnxn(c);
      return;
    }
    // close any other connection this server holds for the session
    for (const other of [...this.cnxns.values()]) {
      if (other !== c && other.sessionId === req.sessionId) this.closeCnxn(other);
    }
    c.sessionId = req.sessionId;
    this.sessions.setOwner(req.sessionId, c.connId);
    // revalidateSession touches with this connection's negotiated timeout, which the reply carries
    session.timeout = timeout;
    this.sessions.touch(req.sessionId, this.now);
    this.finishSessionInit(c, timeout);
  }

  protected finishSessionInit(c: Cnxn, timeout: number): void {
    c.established = true;
    this.recordResponse(c, { type: 'createSession' }, 0, this.tree.lastProcessedZxid, c.stats.establishedAt);
    this.send(c, {
      type: 'connected',
      resp: { protocolVersion: 0, timeOut: timeout, sessionId: c.sessionId, passwd: sessionPassword(c.sessionId), readOnly: false },
    });
  }

  /** The auth packet (xid -4) is handled on arrival, outside the request pipeline. */
  protected onAuth(c: Cnxn, scheme: string, auth: Uint8Array | null): void {
    const ids = authenticate(scheme, auth, this.config.superDigest, c.remoteAddress);
    if (ids === null) {
      this.send(c, { type: 'reply', xid: Xid.auth, zxid: this.tree.lastProcessedZxid, err: Code.AUTHFAILED, result: null });
      this.closeCnxn(c);
      return;
    }
    for (const id of ids) {
      if (!c.authInfo.some((x) => x.scheme === id.scheme && x.id === id.id)) c.authInfo = [...c.authInfo, id];
    }
    this.send(c, { type: 'reply', xid: Xid.auth, zxid: this.tree.lastProcessedZxid, err: Code.OK, result: { type: 'auth' } });
  }

  // ----- the pipeline --------------------------------------------------------------------

  protected submitRequest(c: Cnxn, xid: number, op: Op): void {
    const session = this.sessions.get(c.sessionId);
    if (!session || session.closing || !this.sessions.touch(c.sessionId, this.now)) {
      return; // ZooKeeperServer.submitRequestNow drops requests of a missing/closing session
    }
    assert(c.queue.length < requestsPendingPerSessionMax, 'requests over requestsPendingPerSessionMax');
    const needsCommit = isWriteOp(op) || op.type === 'closeSession';
    const pending: Pending = { xid, op, reply: null, needsCommit, receivedAt: this.now };
    c.queue.push(pending);
    if (needsCommit) this.prepare(c, pending);
    this.drain(c);
  }

  protected prepare(c: Cnxn, pending: Pending): void {
    const ctx = this.prepContext();
    const zxid = this.nextZxid();
    if (pending.op.type === 'closeSession') {
      const txn = prepCloseSession(ctx, c.sessionId, zxid);
      this.sessions.setClosing(c.sessionId);
      this.logTxn({ entry: this.entry(c.sessionId, pending.xid, zxid, txn), err: Code.OK, connId: c.connId, pending });
      return;
    }
    const prepared = prepWrite(ctx, { sessionId: c.sessionId, zxid, time: this.now, authInfo: c.authInfo, op: pending.op as WriteOp });
    this.logTxn({ entry: this.entry(c.sessionId, pending.xid, zxid, prepared.txn), err: prepared.err, connId: c.connId, pending });
  }

  protected prepContext(): PrepContext {
    return {
      tree: this.tree,
      changes: this.changes,
      config: this.config,
      checkSession: (id) => {
        const s = this.sessions.get(id);
        return !s || s.closing ? Code.SESSIONEXPIRED : Code.OK;
      },
      // a standalone server answers an enabled reconfig with Unimplemented
      reconfig: { enabled: this.config.reconfigEnabled, leader: null },
    };
  }

  protected nextZxid(): Zxid {
    const zxid = (this.epoch << 32n) | this.nextZxidCounter;
    this.nextZxidCounter++;
    return zxid;
  }

  protected newEntry(clientId: SessionId, cxid: number, txn: Txn): TxnEntry {
    return this.entry(clientId, cxid, this.nextZxid(), txn);
  }

  protected entry(clientId: SessionId, cxid: number, zxid: Zxid, txn: Txn): TxnEntry {
    return { hdr: { clientId, cxid, zxid, time: this.now }, txn };
  }

  /** SyncRequestProcessor: the txn goes to the log; it is applied once durable. */
  protected logTxn(f: InFlight): void {
    assert(this.inFlight.length < inFlightTxnsMax, 'txns over inFlightTxnsMax');
    const last = this.inFlight.last();
    assert(!last || last.entry.hdr.zxid < f.entry.hdr.zxid, 'zxids must increase');
    this.inFlight.push(f);
    this.out.persist.push(f.entry);
    this.out.trace.push({ type: 'txnLogged', zxid: f.entry.hdr.zxid, entry: f.entry });
  }

  protected onPersisted(zxid: Zxid): void {
    for (let f = this.inFlight.first(); f !== undefined && f.entry.hdr.zxid <= zxid; f = this.inFlight.first()) {
      this.commit(f);
      this.inFlight.shift();
    }
  }

  /** FinalRequestProcessor for a write: apply, fire watches, reply, then drain the session. */
  protected commit(f: InFlight): void {
    this.applyEntry(f.entry);
  }

  /** Applies one committed txn: the tree, watches, session bookkeeping, the waiting reply. */
  protected applyEntry(entry: TxnEntry): void {
    const { hdr, txn } = entry;
    const res = this.applyToTree(entry);
    this.changes.removeUpTo(hdr.zxid);
    this.out.trace.push({ type: 'txnApplied', zxid: hdr.zxid, text: describeTxn(entry), entry });
    this.fireTriggers(res.triggers);
    this.afterSessionTxn(entry);
    const c = this.waitingConnection(hdr.clientId, hdr.cxid);
    if (!c) return;
    if (res.err === Code.SESSIONMOVED) {
      // FinalRequestProcessor: session moved is a connection-level error, so the connection
      // is torn down instead of answered (ZOOKEEPER-710); the client sees ConnectionLoss
      this.log(`Session ${hex(c.sessionId)} moved: closing its connection ${c.connId}`);
      this.closeCnxn(c);
      return;
    }
    const pending = c.queue.first()!;
    pending.reply = { type: 'reply', xid: pending.xid, zxid: hdr.zxid, err: res.err, result: res.err === Code.OK || txn.type === 'multi' ? res.result : null };
    this.drain(c);
    if (txn.type === 'closeSession' && this.cnxns.get(c.connId)) this.closeCnxn(c, 'sessionEnded');
  }

  protected applyToTree(entry: TxnEntry): ApplyResult {
    return this.tree.applyTxn(entry.hdr, entry.txn);
  }

  /** The local connection whose oldest request is the write with this session and cxid. */
  protected waitingConnection(sessionId: SessionId, cxid: number): Cnxn | undefined {
    for (const c of this.cnxns.values()) {
      if (c.sessionId !== sessionId || !c.established) continue;
      const head = c.queue.find((p) => p.needsCommit && p.reply === null);
      if (head && head.xid === cxid) return c;
    }
    return undefined;
  }

  protected afterSessionTxn(entry: TxnEntry): void {
    const { hdr, txn } = entry;
    if (txn.type === 'createSession') {
      this.out.trace.push({ type: 'sessionCreated', sessionId: hdr.clientId, timeout: txn.timeOut });
      if (!this.sessions.get(hdr.clientId)) this.sessions.add(hdr.clientId, txn.timeOut, this.now);
      for (const c of this.cnxns.values()) {
        if (c.sessionId === hdr.clientId && !c.established) this.finishSessionInit(c, txn.timeOut);
      }
    } else if (txn.type === 'closeSession') {
      this.sessions.remove(hdr.clientId);
      this.out.trace.push({ type: 'sessionClosed', sessionId: hdr.clientId });
      for (const c of [...this.cnxns.values()]) {
        if (c.sessionId === hdr.clientId && !this.waitingConnection(hdr.clientId, hdr.cxid)) this.closeCnxn(c, 'sessionEnded');
      }
    }
  }

  /** Sends each fired watch to its connection, if that connection may READ the node (3.8.4+). */
  protected fireTriggers(triggers: readonly WatchTrigger[]): void {
    let suppress: Set<ConnId> | undefined;
    for (const t of triggers) {
      const table = t.table === 'data' ? this.dataWatches : this.childWatches;
      const fired = table.trigger(t.path, t.type, t.type === EventType.NodeDeleted && t.table === 'child' ? suppress : undefined);
      if (t.type === EventType.NodeDeleted && t.table === 'data') suppress = new Set(fired);
      for (const connId of fired) {
        const c = this.cnxns.get(connId);
        if (!c) continue;
        if (!this.config.skipACL && !checkAcl(t.acl, Perms.READ, c.authInfo)) continue;
        const event = { type: t.type, state: KeeperState.SyncConnected, path: t.path };
        this.send(c, { type: 'notification', zxid: -1n, event });
        this.out.trace.push({ type: 'watchFired', connId, sessionId: c.sessionId, event, table: t.table });
      }
    }
  }

  /** CommitProcessor: answer the session's requests in order; a read waits for earlier writes. */
  protected drain(c: Cnxn): void {
    for (let head = c.queue.first(); head !== undefined; head = c.queue.first()) {
      if (head.needsCommit) {
        if (head.reply === null) return;
        this.send(c, head.reply);
        if (head.reply.type === 'reply') this.recordResponse(c, head.op, head.xid, head.reply.zxid, head.receivedAt);
        c.queue.shift();
        continue;
      }
      c.queue.shift();
      this.answerRead(c, head);
    }
  }

  protected answerRead(c: Cnxn, p: Pending): void {
    const ctx: ReadContext = { tree: this.tree, dataWatches: this.dataWatches, childWatches: this.childWatches, skipACL: this.config.skipACL };
    const outcome = executeRead(ctx, { connId: c.connId, sessionId: c.sessionId, authInfo: c.authInfo }, p.op as never);
    // only removeWatches removes unfired watches on a read; the others register
    this.traceWatchChanges('removeWatches');
    const xid = p.op.type === 'ping' ? Xid.ping : p.op.type === 'setWatches' ? Xid.setWatches : p.xid;
    this.send(c, { type: 'reply', xid, zxid: this.tree.lastProcessedZxid, err: outcome.err, result: outcome.result });
    this.recordResponse(c, p.op, xid, this.tree.lastProcessedZxid, p.receivedAt);
    for (const event of outcome.events ?? []) {
      // SetWatches catch-up: fired like any other watch, so the trace says so too
      this.send(c, { type: 'notification', zxid: -1n, event });
      this.out.trace.push({ type: 'watchFired', connId: c.connId, sessionId: c.sessionId, event });
    }
  }

  // ----- time ----------------------------------------------------------------------------

  protected onTick(nowMs: number): void {
    assert(nowMs >= this.now, 'time must not go backwards');
    this.now = nowMs;
    for (const id of this.sessions.expire(nowMs)) this.expireSession(id);
    if (nowMs >= this.nextContainerCheck) {
      this.checkContainers();
      this.nextContainerCheck = nowMs + this.config.containerCheckIntervalMs;
    }
  }

  /** ZooKeeperServer.expire: closeSession through the pipeline, on the server's own behalf. */
  protected expireSession(id: SessionId): void {
    this.log(`Expiring session ${hex(id)}, timeout of ${this.sessions.get(id)?.timeout ?? 0}ms exceeded`);
    this.out.trace.push({ type: 'sessionExpired', sessionId: id });
    const zxid = this.nextZxid();
    const txn = prepCloseSession(this.prepContext(), id, zxid);
    this.logTxn({ entry: this.entry(id, 0, zxid, txn), err: Code.OK, connId: null, pending: null });
  }

  /** ContainerManager.checkContainers: delete empty used containers and expired TTL nodes. */
  protected checkContainers(): void {
    const perCheckMax = Math.max(1, Math.floor(this.config.containerMaxPerMinute * this.config.containerCheckIntervalMs / 60_000));
    let submitted = 0;
    for (const path of this.containerCandidates()) {
      if (submitted++ >= perCheckMax) break;
      const zxid = this.nextZxid();
      let txn: Txn;
      let err: Code = Code.OK;
      try {
        txn = this.prepDeleteContainer(path, zxid);
      } catch (e) {
        if (!(e instanceof KeeperError)) throw e;
        txn = { type: 'error', err: e.code };
        err = e.code;
      }
      this.logTxn({ entry: this.entry(0n, 0, zxid, txn), err, connId: null, pending: null });
    }
  }

  protected containerCandidates(): string[] {
    const out: string[] = [];
    for (const path of this.tree.containers) {
      const node = this.tree.get(path);
      if (!node || node.children.size > 0) continue;
      if (node.cversion > 0) out.push(path);
      else if (this.config.containerMaxNeverUsedIntervalMs !== 0 && this.now - node.mtime > this.config.containerMaxNeverUsedIntervalMs) out.push(path);
    }
    for (const path of this.tree.ttls) {
      const node = this.tree.get(path);
      if (!node || node.children.size > 0) continue;
      if (ephemeralKind(node.ephemeralOwner, this.config.extendedTypesEnabled) !== 'ttl') continue;
      const ttl = ttlOf(node.ephemeralOwner);
      if (ttl !== 0 && this.now - node.mtime > ttl) out.push(path);
    }
    return out;
  }

  /** PrepRequestProcessor for OpCode.deleteContainer (no session or ACL check). */
  protected prepDeleteContainer(path: string, zxid: Zxid): Txn {
    const parentName = path.slice(0, Math.max(path.lastIndexOf('/'), 1));
    const node = this.changes.get(this.tree, path);
    if (node === null || node.stat === null) throw new KeeperError(Code.NONODE);
    if (node.childCount > 0) throw new KeeperError(Code.NOTEMPTY);
    if (ephemeralKind(node.stat.ephemeralOwner, this.config.extendedTypesEnabled) === 'ephemeral') throw new KeeperError(Code.BADVERSION);
    const parent = this.changes.get(this.tree, parentName);
    if (parent && parent.stat) {
      this.changes.add({ ...parent, zxid, childCount: parent.childCount - 1, stat: { ...parent.stat, pzxid: zxid } });
    }
    this.changes.add({ zxid, path, stat: null, childCount: -1, acl: [], data: null });
    return { type: 'delete', path };
  }

  protected log(text: string): void {
    this.out.trace.push({ type: 'log', text });
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** AuthenticationProvider.handleAuthentication for the schemes we support; null = AuthFailed. */
export function authenticate(scheme: string, auth: Uint8Array | null, superDigest: string | null, remoteAddress: string): AuthInfo | null {
  // IPAuthenticationProvider ignores the credential and adds the connection's own address
  if (scheme === 'ip') return [{ scheme: 'ip', id: remoteAddress }];
  if (auth === null) return null;
  if (scheme === 'digest') {
    const id = digestAuthId(utf8Decode(auth));
    const ids = [{ scheme: 'digest', id }];
    if (superDigest !== null && id === superDigest) ids.push({ scheme: 'super', id: '' });
    return ids;
  }
  return null;
}
