/**
 * ServerHost: one ZooKeeper server (a QuorumPeer) with its dataDir and its links, as a pure,
 * synchronous object — the whole of a server worker except the postMessage plumbing, so it runs
 * unchanged inside a Web Worker (live or lockstep) and in-process in Node (tests, the Node side
 * of the determinism proof).
 *
 *   handle(inputs, nowMs) -> HostOutput { sent envelopes, trace events, status, nextDeadline }
 *
 * What it does with a peer's Ready, in the simulator's order (runtime/sim/ensemble.ts):
 *   storage (truncate, snapshot, appends, epoch files; one flush per Ready, then the
 *   completions are stepped), notifications, quorum closes, quorum connects, quorum packets,
 *   client output. Quorum connections are connection-oriented: connect/accept/close on the
 *   wire, packets tagged with the connection id; a partition or a dead peer breaks them and
 *   this side notices on its own (`net` input), as TCP's both ends do.
 *
 * The trace is derived here from the Ready and the peer's fields (DESIGN.md decision 11): the
 * UI never reconstructs protocol state itself.
 */
import { snapRetainCountMin } from '../../engine/storage/purge.ts';
import { describeTree } from '../../engine/datatree/describe-tree.ts';
import { describeNotification, type Notification } from '../../engine/election/notification.ts';
import { hex, type Sid, type Zxid } from '../../engine/protocol/ids.ts';
import { describeWatchedEvent } from '../../engine/protocol/records.ts';
import type { PeerInput, PeerReady } from '../../engine/quorum/peer-io.ts';
import type { QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import { flePort } from '../../engine/quorum/fle-port.ts';
import { defaultServerConfig } from '../../engine/server/server-config.ts';
import { assert } from '../../engine/util/assert.ts';
import { clientStat } from '../../engine/datatree/data-tree.ts';
import { aclToZkCliText } from '../../engine/acl/acl-text.ts';
import { describeStat } from '../../zkcli/stat-printer.ts';
import type { PlaygroundEvent, ServerRole, ServerStatus, Vote, ZnodeView } from '../playground/api.ts';
import { statusVote } from '../playground/status-vote.ts';
import { PeerHost } from '../host/peer-host.ts';
import type { Disk } from '../storage/disk.ts';
import { Rng } from '../../engine/util/rng.ts';
import { methodRef } from '../../engine/util/checkpoint.ts';
import { describeWire, isClientEndpoint, kindOf, linkOf, type Endpoint, type Envelope, type Wire } from './wire.ts';

export const clientPortBase = 2180;

export interface HostConfig {
  readonly sid: Sid;
  readonly voters: readonly Sid[];
  readonly observers: readonly Sid[];
  /** zoo.cfg tickTime, ms */
  readonly tickTime: number;
  /** zoo.cfg initLimit / syncLimit, ticks */
  readonly initLimit: number;
  readonly syncLimit: number;
  /** message and connection ids this incarnation makes start here (unique per incarnation) */
  readonly idBase: number;
  /**
   * Live mode: fsync later, in a task of its own (`flush()`), so every txn appended meanwhile
   * shares one fsync (group commit) and a worker killed before it loses them (never acked).
   * Otherwise (lockstep, tests) each Ready is fsynced at once.
   */
  readonly deferFlush?: boolean;
  /** zoo.cfg snapCount (zookeeper.snapCount), txns between snapshots; default 100000 */
  readonly snapCount?: number;
  /** zoo.cfg autopurge.*: DatadirCleanupManager; absent or purgeInterval 0: never */
  readonly autopurge?: Autopurge;
}

/** zoo.cfg `autopurge.snapRetainCount` (raised to 3) and `autopurge.purgeInterval` (hours). */
export interface Autopurge {
  readonly snapRetainCount: number;
  readonly purgeInterval: number;
}

const hourMs = 3_600_000;

/** Which servers are down and which directed server links ("a>b") are cut. */
export interface NetState {
  readonly down: readonly Sid[];
  readonly cut: readonly string[];
}

/** a `persisted` event of txns that a run of appends updates in place (ServerHost.tracePersist) */
type AppendedEvent = { -readonly [K in keyof Extract<HostEvent, { type: 'persisted' }>]: Extract<HostEvent, { type: 'persisted' }>[K] };

export type HostInput =
  | { readonly type: 'wire'; readonly env: Envelope }
  | { readonly type: 'tick' }
  | { readonly type: 'net'; readonly net: NetState }
  /** the conductor dropped a packet of this quorum connection: it breaks (TCP) */
  | { readonly type: 'breakConn'; readonly peer: Sid; readonly conn: number };

/** A trace event's own fields (without seq and t). */
export type EventBody = PlaygroundEvent extends infer E ? (E extends unknown ? Omit<E, 'seq' | 't'> : never) : never;
/** A trace event before the runtime numbers it. */
export type HostEvent = EventBody & { readonly t: number };

export interface HostOutput {
  readonly sent: Envelope[];
  readonly events: HostEvent[];
  readonly status: ServerStatus;
  readonly nextDeadline: number;
  /** appends wait for an fsync: call flush() soon (deferFlush only) */
  readonly flushPending: boolean;
}

/** Ready rounds in one handle(); more means a livelock (a bug). */
export const readyRoundsMax = 100_000;

interface QuorumConn {
  readonly id: number;
  up: boolean;
}

export function emptyNet(): NetState {
  return { down: [], cut: [] };
}

export function linkCut(net: NetState, from: Sid, to: Sid): boolean {
  // asked for every message sent and received: no key string while nothing is cut
  return net.cut.length > 0 && net.cut.includes(`${from}>${to}`);
}

export class ServerHost {
  readonly peer: QuorumPeer;
  private now: number;
  private nextId: number;
  private net: NetState = emptyNet();
  private readonly conns = new Map<Sid, QuorumConn>();
  private readonly clientConns = new Map<number, Endpoint>();
  /** client connections whose ConnectRequest carried a session id, until the server answers */
  private readonly reattaching = new Map<number, bigint>();
  private sent: Envelope[] = [];
  private events: HostEvent[] = [];
  /** this task's `persisted` of appended txns (live), while later appends may move its zxid on */
  private appended: AppendedEvent | null = null;
  private lastRole: { role: ServerRole; phase: string | null } = { role: 'down', phase: null };
  private myVote: Vote | null = null;
  private readonly recv = new Map<Sid, { vote: Vote; state: string }>();
  /** the last quorum packet described and its text (wireText) */
  private describedPacket: object | null = null;
  private describedText = '';

  private readonly dataDir: PeerHost;
  /** the next autopurge (virtual ms; Infinity: none scheduled) */
  private nextPurgeAt = Infinity;

  /** Starts the server on `disk`, its dataDir (formatted with myid when empty), recovering what it holds. */
  constructor(readonly config: HostConfig, disk: Disk, nowMs: number) {
    this.now = nowMs;
    this.nextId = config.idBase;
    PeerHost.format(disk, config.sid);
    const serverConfig = defaultServerConfig({ sid: config.sid, tickTime: config.tickTime });
    const configText = [...config.voters, ...config.observers]
      .map((s) => `server.${s}=127.0.0.1:${2880 + s}:${3880 + s}:${config.voters.includes(s) ? 'participant' : 'observer'}\n`).join('') + 'version=0';
    const ensemble = { sid: config.sid, voters: config.voters, observers: config.observers, initLimit: config.initLimit, syncLimit: config.syncLimit, configText };
    const rng = new Rng(config.sid);
    this.dataDir = new PeerHost({ disk, config: serverConfig, ensemble, election: flePort(config.sid, config.voters, config.observers, nowMs), nowMs, random: methodRef(rng, 'next'), snapCount: config.snapCount });
    this.peer = this.dataDir.peer;
    const r = this.dataDir.recovery;
    this.event({ type: 'log', sid: config.sid, text: `server ${config.sid} started from its dataDir: acceptedEpoch ${r.acceptedEpoch} currentEpoch ${r.currentEpoch} snapshot ${hex(r.snapshotZxid)} + ${r.txnsReplayed} txns, lastZxid ${hex(this.peer.lastLoggedZxid())}`, t: this.now });
    this.drainNotes();
    this.startPurgeTask();
  }

  /**
   * DatadirCleanupManager.start: with a purgeInterval the PurgeTask runs at once and then every
   * purgeInterval hours (Timer.scheduleAtFixedRate, delay 0), in virtual time.
   */
  private startPurgeTask(): void {
    const a = this.config.autopurge;
    if (a === undefined || a.purgeInterval <= 0) return;
    this.event({ type: 'log', sid: this.sid, text: `autopurge.snapRetainCount set to ${Math.max(snapRetainCountMin, a.snapRetainCount)}`, t: this.now });
    this.event({ type: 'log', sid: this.sid, text: `autopurge.purgeInterval set to ${a.purgeInterval}`, t: this.now });
    this.nextPurgeAt = this.now;
    this.purgeIfDue();
  }

  private purgeIfDue(): void {
    const a = this.config.autopurge;
    if (a === undefined || this.now < this.nextPurgeAt) return;
    const every = a.purgeInterval * hourMs;
    while (this.nextPurgeAt <= this.now) this.nextPurgeAt += every;
    this.dataDir.purge(a.snapRetainCount);
    this.drainNotes();
  }

  get sid(): Sid {
    return this.config.sid;
  }

  handle(inputs: readonly HostInput[], nowMs: number): HostOutput {
    this.now = Math.max(this.now, nowMs);
    this.peer.step({ type: 'tick', nowMs: this.now });
    this.pump();
    this.purgeIfDue();
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].type === 'wire' && (i === 0 || inputs[i - 1].type !== 'wire')) this.reportDelivered(inputs, i);
      this.onInput(inputs[i]);
      this.pump();
    }
    return this.flushOutput();
  }

  /** Deferred fsync (deferFlush): one group commit of everything appended, then what it releases. */
  flush(nowMs: number): HostOutput {
    this.now = Math.max(this.now, nowMs);
    this.completeFlushes();
    this.pump();
    return this.flushOutput();
  }

  /** What the host has to say without being stepped (after the constructor: its recovery's events). */
  output(): HostOutput {
    return this.flushOutput();
  }

  /**
   * Every queued flush, as one group commit: one `persisted` (flushed) for the txns of all of
   * them, up to the last; an epoch file's write in its place among them.
   */
  private completeFlushes(): void {
    const live = this.config.deferFlush === true;
    let txnsUpTo: Zxid | null = null;
    while (this.dataDir.pendingFlushes() > 0) {
      for (const done of this.dataDir.completeFlush()) {
        if (!live) continue;
        if (done.type === 'persisted') txnsUpTo = done.zxid;
        else if (done.type === 'epochWritten') {
          if (txnsUpTo !== null) this.persistedEvent({ type: 'persisted', sid: this.sid, what: 'txns', zxid: txnsUpTo, flushed: true, t: this.now });
          txnsUpTo = null;
          this.persistedEvent({ type: 'persisted', sid: this.sid, what: done.file, zxid: BigInt(done.value) << 32n, flushed: true, t: this.now });
        }
      }
    }
    if (txnsUpTo !== null) this.persistedEvent({ type: 'persisted', sid: this.sid, what: 'txns', zxid: txnsUpTo, flushed: true, t: this.now });
  }

  private flushOutput(): HostOutput {
    this.appended = null;
    const out = { sent: this.sent, events: this.events, status: this.status(), nextDeadline: Math.min(this.peer.nextDeadline(), this.nextPurgeAt), flushPending: this.dataDir.pendingFlushes() > 0 };
    this.sent = [];
    this.events = [];
    return out;
  }

  private onInput(input: HostInput): void {
    switch (input.type) {
      case 'tick': return;
      case 'net': return this.onNet(input.net);
      case 'breakConn': {
        const c = this.conns.get(input.peer);
        if (!c || c.id !== input.conn) return;
        this.conns.delete(input.peer);
        return this.peer.step({ type: 'quorumDown', peer: input.peer });
      }
      case 'wire': return this.onWire(input.env);
    }
  }

  private onNet(net: NetState): void {
    this.net = net;
    for (const [peer] of [...this.conns]) {
      if (!this.reachable(peer)) {
        this.conns.delete(peer);
        this.event({ type: 'connectionBroken', link: 'quorum', a: this.sid, b: peer, t: this.now });
        this.peer.step({ type: 'quorumDown', peer });
      }
    }
  }

  private reachable(peer: Sid): boolean {
    return !this.net.down.includes(peer) && !linkCut(this.net, this.sid, peer) && !linkCut(this.net, peer, this.sid);
  }

  /** A wire from a server that is down, or over a cut link, never arrives. */
  private lost(env: Envelope): boolean {
    return !isClientEndpoint(env.from) && (this.net.down.includes(env.from) || linkCut(this.net, env.from, this.sid));
  }

  /**
   * The wires from inputs[from] to the next input of another kind arrive together: one
   * messageDelivered for those that are not lost, before what handling them does (api.ts,
   * version 3). Only a `net` input changes what is lost, and none comes between them.
   */
  private reportDelivered(inputs: readonly HostInput[], from: number): void {
    const msgIds: number[] = [];
    for (let i = from; i < inputs.length; i++) {
      const input = inputs[i];
      if (input.type !== 'wire') break;
      if (!this.lost(input.env)) msgIds.push(input.env.id);
    }
    if (msgIds.length > 0) this.event({ type: 'messageDelivered', msgIds, t: this.now });
  }

  private onWire(env: Envelope): void {
    if (env.to !== this.sid) assert(false, `envelope for ${env.to} delivered to ${this.sid}`);
    const from = env.from;
    if (this.lost(env)) {
      this.event({ type: 'messageDropped', msgId: env.id, t: this.now });
      return;
    }
    const w = env.wire;
    switch (w.type) {
      case 'notification': return this.onNotification(from, w.msg);
      case 'connect': return this.onConnect(from, w.conn);
      case 'accept': return this.onAccept(from, w.conn);
      case 'close': return this.onClose(from, w.conn);
      case 'packet': {
        if (this.conns.get(from)?.id !== w.conn) return;
        this.traceReceived(from, w.packet);
        return this.peer.step({ type: 'quorumPacket', from, packet: w.packet });
      }
      case 'clientConnect':
        this.clientConns.set(w.conn, from);
        return this.peer.step({ type: 'clientConnected', connId: w.conn, remoteAddress: '127.0.0.1' });
      case 'clientPacket':
        if (!this.clientConns.has(w.conn)) return;
        // a ConnectRequest with a session id: the session comes (back) to this server
        if (w.packet.type === 'connect' && w.packet.req.sessionId !== 0n) this.reattaching.set(w.conn, w.packet.req.sessionId);
        return this.peer.step({ type: 'clientPacket', connId: w.conn, packet: w.packet, size: w.size });
      case 'clientClose':
        this.reattaching.delete(w.conn);
        if (!this.clientConns.delete(w.conn)) return;
        return this.peer.step({ type: 'clientClosed', connId: w.conn });
      case 'serverPacket': case 'serverClose':
        assert(false, `a server got ${w.type}`);
    }
  }

  private onNotification(from: Sid, msg: Notification): void {
    if (this.peer.role === 'looking') {
      this.recv.set(from, { vote: voteOf(msg), state: describeNotification(msg).split(' ')[2]?.slice(6) ?? '' });
      this.voteEvent(`received from ${from}: ${describeNotification(msg)}`);
    }
    this.peer.step({ type: 'notification', from, msg });
  }

  private onConnect(from: Sid, conn: number): void {
    // only a LEADING server listens on its quorum port: anyone else refuses at once, as a
    // closed TCP port does (the learner retries, Learner.LeaderConnector)
    if (!this.peer.acceptsLearners()) {
      this.send(from, { type: 'close', conn });
      return;
    }
    if (this.conns.has(from)) {
      this.conns.delete(from);
      this.peer.step({ type: 'quorumDown', peer: from });
    }
    this.conns.set(from, { id: conn, up: true });
    this.send(from, { type: 'accept', conn });
    this.peer.step({ type: 'quorumUp', peer: from });
  }

  private onAccept(from: Sid, conn: number): void {
    const c = this.conns.get(from);
    if (!c || c.id !== conn || c.up) {
      this.send(from, { type: 'close', conn });
      return;
    }
    c.up = true;
    this.peer.step({ type: 'quorumUp', peer: from });
  }

  private onClose(from: Sid, conn: number): void {
    if (this.conns.get(from)?.id !== conn) return;
    this.conns.delete(from);
    this.event({ type: 'connectionBroken', link: 'quorum', a: from, b: this.sid, t: this.now });
    this.peer.step({ type: 'quorumDown', peer: from });
  }

  // ----- the peer's Ready ------------------------------------------------------------------

  private pump(): void {
    for (let round = 0; round < readyRoundsMax; round++) {
      this.checkRole();
      if (!this.peer.hasReady()) return;
      const r = this.peer.ready();
      const later = this.carryOut(r);
      for (const input of later) this.peer.step(input);
    }
    assert(false, 'ServerHost.pump over readyRoundsMax');
  }

  private carryOut(r: PeerReady): PeerInput[] {
    this.traceEngine(r);
    // the storage of this Ready, then its fsync at once (OPFS flush() is synchronous): the
    // completions are stepped into the peer now; what they release goes out in the next Ready
    this.dataDir.handleStorage(r);
    if (this.dataDir.failure !== null) throw new Error(`server ${this.sid} stops: ${this.dataDir.failure}`);
    if (this.config.deferFlush !== true) this.completeFlushes();
    this.tracePersist(r);
    this.drainNotes();
    const later: PeerInput[] = [];
    if (r.notifications.length > 0) this.onOwnVote(r.notifications[0].msg);
    for (const n of r.notifications) {
      if (n.to === this.sid) later.push({ type: 'notification', from: this.sid, msg: n.msg });
      else this.send(n.to, { type: 'notification', msg: n.msg });
    }
    for (const to of r.quorumClose) this.closeConn(to);
    for (const to of r.quorumConnect) this.openConn(to, later);
    // Leader.propose sends one PROPOSAL object to every follower: one `proposed` for it (a
    // learner's sync sends its own objects, each reported)
    let proposal: unknown = null;
    for (const q of r.quorum) {
      const c = this.conns.get(q.to);
      if (!c) continue;
      const wire: Wire = { type: 'packet', conn: c.id, packet: q.packet };
      if (q.packet.type === 'Proposal' && q.packet !== proposal) {
        proposal = q.packet;
        this.event({ type: 'proposed', sid: this.sid, zxid: q.packet.zxid, text: this.wireText(wire), t: this.now });
      }
      this.send(q.to, wire);
    }
    for (const o of r.clientOutput) {
      const to = this.clientConns.get(o.connId);
      if (to === undefined) continue;
      if (o.type === 'packet') {
        const moved = this.reattaching.get(o.connId);
        if (moved !== undefined && o.packet.type === 'connected') {
          this.reattaching.delete(o.connId);
          if (o.packet.resp.timeOut > 0) this.event({ type: 'session', sid: this.sid, what: 'moved', sessionId: moved, timeout: o.packet.resp.timeOut, t: this.now });
        }
        this.send(to, { type: 'serverPacket', conn: o.connId, packet: o.packet });
      } else {
        this.clientConns.delete(o.connId);
        this.send(to, { type: 'serverClose', conn: o.connId });
      }
    }
    return later;
  }

  private drainNotes(): void {
    if (this.dataDir.notes.length > 0) for (const text of this.dataDir.notes.splice(0)) this.event({ type: 'log', sid: this.sid, text, t: this.now });
    // the trace reports storage itself (tracePersist): nothing here reads the PeerHost's
    // StorageEvents, and a checkpoint would copy up to 10,000 of them
    this.dataDir.events.length = 0;
  }

  private openConn(to: Sid, later: PeerInput[]): void {
    const old = this.conns.get(to);
    if (old) {
      this.conns.delete(to);
      this.send(to, { type: 'close', conn: old.id });
    }
    if (!this.reachable(to)) {
      later.push({ type: 'quorumDown', peer: to });
      return;
    }
    const conn = this.nextId++;
    this.conns.set(to, { id: conn, up: false });
    this.send(to, { type: 'connect', conn });
  }

  private closeConn(to: Sid): void {
    const c = this.conns.get(to);
    if (!c) return;
    this.conns.delete(to);
    this.send(to, { type: 'close', conn: c.id });
  }

  private send(to: Endpoint, wire: Wire): void {
    const env: Envelope = { id: this.nextId++, from: this.sid, to, sentAt: this.now, wire };
    this.event({ type: 'messageSent', msgId: env.id, link: linkOf(wire), kind: kindOf(wire), from: this.sid, to, text: this.wireText(wire), t: this.now });
    // to a dead server or over a cut link it is lost at once (nobody would report its fate)
    if (!isClientEndpoint(to) && (this.net.down.includes(to) || linkCut(this.net, this.sid, to))) {
      this.event({ type: 'messageDropped', msgId: env.id, t: this.now });
      return;
    }
    this.sent.push(env);
  }

  /**
   * describeWire, once per quorum packet: the leader sends the same Proposal (or Commit) packet
   * object to every follower (QuorumPeer.logTxn, commitProposal) and traces it as `proposed`
   * too, and a Proposal's text prints its txn.
   */
  private wireText(wire: Wire): string {
    if (wire.type !== 'packet') return describeWire(wire);
    if (wire.packet !== this.describedPacket) {
      this.describedText = describeWire(wire);
      this.describedPacket = wire.packet;
    }
    return this.describedText;
  }

  /**
   * Queues `e`, a fresh literal of the caller's with `t: this.now` as its last key (written in
   * the literal rather than stamped here: a key added to a literal after it is made goes to an
   * out-of-object property store, an allocation and a shape change per event).
   */
  private event(e: HostEvent): void {
    this.events.push(e);
  }

  // ----- trace derived from the Ready and the peer ------------------------------------------

  private traceEngine(r: PeerReady): void {
    const sid = this.sid;
    for (const t of r.trace) {
      switch (t.type) {
        case 'txnLogged': break;
        case 'txnApplied':
          if (this.peer.role === 'leading') this.event({ type: 'committed', sid, zxid: t.zxid, t: this.now });
          this.event({ type: 'applied', sid, zxid: t.zxid, text: t.text, t: this.now });
          break;
        case 'sessionCreated': this.event({ type: 'session', sid, what: 'created', sessionId: t.sessionId, timeout: t.timeout, t: this.now }); break;
        case 'sessionExpired': this.event({ type: 'session', sid, what: 'expired', sessionId: t.sessionId, t: this.now }); break;
        case 'sessionClosed': this.event({ type: 'session', sid, what: 'closed', sessionId: t.sessionId, t: this.now }); break;
        case 'watchRegistered': {
          const sessionId = t.sessionId !== 0n ? t.sessionId : this.peer.connection(t.connId)?.sessionId ?? 0n;
          this.event({ type: 'watch', sid, what: 'registered', sessionId, path: t.path, text: `${t.kind} watch on ${t.path} for session ${hex(sessionId)}`, table: t.table, mode: t.mode, t: this.now });
          break;
        }
        case 'watchFired':
          this.event({ type: 'watch', sid, what: 'fired', sessionId: t.sessionId, path: t.event.path ?? '', text: describeWatchedEvent(t.event), table: t.table, t: this.now });
          break;
        case 'watchRemoved':
          this.event({ type: 'watch', sid, what: 'removed', sessionId: t.sessionId, path: t.path, text: t.text, table: t.table, mode: t.mode, t: this.now });
          break;
        case 'log': this.event({ type: 'log', sid, text: t.text, t: this.now }); break;
      }
    }
  }

  /**
   * What this Ready wrote: flushed at once, or buffered until flush() (deferFlush). Live
   * (deferFlush): one `persisted` (txns appended, fsync in the next task) per run of
   * appends, in the place of the first: each later append moves its zxid on, until another
   * persisted event, a flush or the end of the task. A pipelined follower appends once per
   * PROPOSAL, and the event covers every txn up to its zxid (view-models.ts reads it so).
   */
  private tracePersist(r: PeerReady): void {
    const sid = this.sid;
    const flushed = this.config.deferFlush !== true;
    if (r.truncate !== null && r.truncate !== undefined) this.persistedEvent({ type: 'persisted', sid, what: 'truncate', zxid: r.truncate, flushed: true, t: this.now });
    if (r.snapshot) this.persistedEvent({ type: 'persisted', sid, what: 'snapshot', zxid: this.peer.status().lastAppliedZxid, flushed: true, t: this.now });
    if (r.persist.length > 0) {
      const zxid = r.persist[r.persist.length - 1].hdr.zxid;
      if (!flushed && this.appended !== null) this.appended.zxid = zxid;
      else {
        const e: AppendedEvent = { type: 'persisted', sid, what: 'txns', zxid, flushed, t: this.now };
        this.persistedEvent(e);
        if (!flushed) this.appended = e;
      }
    }
    for (const w of r.epochWrites) this.persistedEvent({ type: 'persisted', sid, what: w.file, zxid: BigInt(w.value) << 32n, flushed, t: this.now });
  }

  private persistedEvent(e: Extract<HostEvent, { type: 'persisted' }>): void {
    this.appended = null;
    this.event(e);
  }

  private traceReceived(from: Sid, packet: { type: string; zxid?: Zxid }): void {
    if (packet.type === 'Ack' && packet.zxid !== undefined && (packet.zxid & 0xffffffffn) !== 0n) {
      this.event({ type: 'acked', sid: this.sid, from, zxid: packet.zxid, t: this.now });
    }
    if (packet.type === 'Commit' && packet.zxid !== undefined) this.event({ type: 'committed', sid: this.sid, zxid: packet.zxid, t: this.now });
  }

  private onOwnVote(msg: Notification): void {
    const v = voteOf(msg);
    const old = this.myVote;
    if (old && old.leader === v.leader && old.zxid === v.zxid && old.peerEpoch === v.peerEpoch && old.round === v.round) return;
    this.myVote = v;
    this.voteEvent(`votes for ${v.leader} (zxid ${hex(v.zxid)}, peerEpoch ${v.peerEpoch}, round ${v.round})`);
  }

  private voteEvent(text: string): void {
    if (!this.myVote) return;
    const recv = [...this.recv].sort((a, b) => a[0] - b[0]).map(([from, r]) => ({ from, vote: r.vote, state: r.state }));
    this.event({ type: 'vote', sid: this.sid, vote: this.myVote, recv, text, t: this.now });
  }

  private checkRole(): void {
    const role = this.peer.role;
    const phase = this.peer.phase;
    if (role === this.lastRole.role && phase === this.lastRole.phase) return;
    if (role === 'looking' && this.lastRole.role !== 'looking') this.recv.clear();
    this.lastRole = { role, phase };
    this.event({ type: 'roleChanged', sid: this.sid, role, phase, epoch: BigInt(this.peer.currentEpoch), t: this.now });
  }

  /** The user part of this server's tree, one line per znode. */
  describeTree(): string {
    return describeTree(this.peer.tree, '/', { userOnly: true });
  }

  /** The znode at `path` as this server has it (the UI's tree view). */
  znode(path: string): ZnodeView | null {
    const node = this.peer.tree.get(path);
    if (!node) return null;
    const statText = describeStat(clientStat(node, this.peer.config.extendedTypesEnabled));
    const stat: Record<string, string> = {};
    for (const line of statText.split('\n')) {
      const i = line.indexOf(' = ');
      if (i > 0) stat[line.slice(0, i)] = line.slice(i + 3);
    }
    return { path, data: node.data ?? new Uint8Array(0), stat, acl: aclToZkCliText(node.acl), children: [...node.children].sort(), ephemeralOwner: node.ephemeralOwner };
  }

  status(): ServerStatus {
    const p = this.peer;
    const s = p.status();
    return {
      sid: this.sid, role: s.role, phase: s.phase, observer: p.isObserver(),
      acceptedEpoch: BigInt(s.acceptedEpoch), currentEpoch: BigInt(s.currentEpoch),
      lastZxid: s.lastLoggedZxid, committedZxid: s.lastAppliedZxid,
      vote: statusVote(s.role, this.myVote, p), leader: s.leader, treeDigest: p.tree.digestHex(), treeDigestZxid: s.lastAppliedZxid, znodeCount: p.tree.nodeCount(),
      sessionCount: p.sessions.count(), watchCount: p.dataWatches.count() + p.childWatches.count(),
      clientAddress: `127.0.0.1:${clientPortBase + this.sid}`,
    };
  }
}

function voteOf(msg: Notification): Vote {
  return { leader: msg.leader, zxid: msg.zxid, peerEpoch: BigInt(msg.peerEpoch), round: msg.electionEpoch };
}

/**
 * A down server's status: what the UI shows for a killed worker. With `last` (its status
 * before it went down) the epochs and zxids stay: every Ready is fsynced before its messages
 * go out, so they are what its dataDir brings back at restart.
 */
export function downStatus(sid: Sid, observer: boolean, last?: ServerStatus): ServerStatus {
  return {
    sid, role: 'down', phase: null, observer,
    acceptedEpoch: last?.acceptedEpoch ?? 0n, currentEpoch: last?.currentEpoch ?? 0n,
    lastZxid: last?.lastZxid ?? 0n, committedZxid: last?.committedZxid ?? 0n,
    vote: null, leader: null, treeDigest: '', treeDigestZxid: 0n, znodeCount: 0, sessionCount: 0, watchCount: 0, clientAddress: `127.0.0.1:${clientPortBase + sid}`,
  };
}
