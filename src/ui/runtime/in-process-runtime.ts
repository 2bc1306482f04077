/**
 * InProcessRuntime: the PlaygroundRuntime contract (src/runtime/playground/api.ts) served by
 * the real deterministic simulator (src/runtime/sim/ensemble.ts) on the main thread, until the
 * worker runtime and its conductor land. Nothing here makes up protocol behaviour: every event
 * is mapped from what the engine did —
 *
 *   messageSent       a notification or quorum packet in a peer's Ready
 *   messageDelivered  the same object entering the receiving peer's step()
 *   messageDropped    a cut link or dead receiver at send time, or a broken connection/kill
 *   roleChanged       QuorumPeer.status() differing after a Ready
 *   vote              a notification delivered (the receiver's recvset) or sent (its own vote)
 *   proposed/acked/committed   Proposal sent by / Ack delivered to / Commit sent by the leader
 *   applied, session, watch, log   the engine's trace events
 *
 * Lockstep here is coarse: the simulator picks delivery times from the seed, so `deliver()`
 * runs to the next delivery, and choosing, dropping or delaying one message is left to the
 * conductor (see README-contract.md).
 */
import { describeTree } from '../../engine/datatree/describe-tree.ts';
import { clientStat } from '../../engine/datatree/data-tree.ts';
import { describeNotification } from '../../engine/election/notification.ts';
import type { Notification } from '../../engine/election/notification.ts';
import { aclToZkCliText } from '../../engine/acl/acl-text.ts';
import { describeTxn } from '../../engine/protocol/describe.ts';
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import { describeWatchedEvent } from '../../engine/protocol/records.ts';
import type { PeerInput, PeerReady } from '../../engine/quorum/peer-io.ts';
import type { Ready, TraceEvent } from '../../engine/server/server-io.ts';
import {
  playgroundProtocolVersion,
  type ConsoleHandle, type InFlightMessage, type LinkKind, type MessageKind, type PlaygroundEvent, type PlaygroundRuntime,
  type BulkCreateHandle, type BulkCreateOptions, type RunAction, type RunConfig, type RunRecord, type ServerRole, type ServerStatus, type Vote, type ZnodeView,
} from '../../runtime/playground/api.ts';
import { Ensemble } from '../../runtime/sim/ensemble.ts';
import { ClientSession } from '../../client/client-session.ts';
import type { ClientHost } from '../../runtime/conductor/console.ts';
import { bulkBatchDefault, bulkWindowDefault, startBulkCreate } from '../../runtime/playground/bulk-create.ts';
import { statusVote } from '../../runtime/playground/status-vote.ts';
import { describeQuorumPacket, kindOfQuorumPacket } from '../../runtime/worker/wire.ts';
import { describeStat } from '../../zkcli/stat-printer.ts';
import { InProcessConsole } from './in-process-console.ts';
import { readEnsembleShape } from './zoo-cfg-lite.ts';

/** Live mode advances virtual time in slices of this many wall ms. */
export const liveSliceMs = 50;
/** Virtual ms a lockstep step may run looking for the next delivery. */
export const stepSearchMaxMs = 60_000;
/** Messages older than this (virtual ms) that never arrived are reported dropped. */
export const inFlightAgeMax = 120_000;
/** Events kept for rewind bookkeeping. */
export const eventsKeptMax = 200_000;

type Listener = (events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void;
type EventBody = PlaygroundEvent extends infer E ? (E extends PlaygroundEvent ? Omit<E, 'seq' | 't'> : never) : never;



function voteOf(n: Notification): Vote {
  return { leader: n.leader, zxid: n.zxid, peerEpoch: BigInt(n.peerEpoch), round: n.electionEpoch };
}

const stateNames = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

interface Tracked { readonly id: number; readonly to: Sid }

export class InProcessRuntime implements PlaygroundRuntime {
  private ens: Ensemble | null = null;
  private config: RunConfig | null = null;
  private readonly listeners = new Set<Listener>();
  private pending: PlaygroundEvent[] = [];
  private seq = 0;
  private nextMsgId = 1;
  private readonly sentIds = new WeakMap<object, Tracked[]>();
  private readonly inflight = new Map<number, InFlightMessage>();
  private readonly recv = new Map<Sid, Map<Sid, { vote: Vote; state: string }>>();
  private readonly ownVote = new Map<Sid, Vote>();
  private readonly lastRole = new Map<Sid, string>();
  private readonly proposedZxids = new Set<bigint>();
  private readonly committedZxids = new Set<bigint>();
  private readonly consoles = new Set<InProcessConsole>();
  /** a down server's status reads its dataDir once (recovery is not free) */
  private readonly downCache = new Map<Sid, ServerStatus>();
  private actions: RunAction[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private speed = 1;
  private paused = false;
  private deliveredFlag = false;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener([], this.status());
    return () => this.listeners.delete(listener);
  }

  async start(config: RunConfig): Promise<void> {
    this.teardown();
    const { shape, errors } = readEnsembleShape(config.zooCfg);
    if (!shape) throw new Error(errors.join('\n'));
    this.config = config;
    this.actions = [];
    const ens = new Ensemble({
      servers: shape.participants, observers: shape.observers, seed: config.seed,
      tickTime: shape.tickTime, initLimit: shape.initLimit, syncLimit: shape.syncLimit,
      peerDelayMs: [4, 12], fsyncDelayMs: [1, 4],
    });
    this.ens = ens;
    const hook = ens.world.readyHook!;
    ens.world.readyHook = (address, r) => {
      const sid = ens.sidOf(address);
      if (ens.peers.has(sid)) this.onPeerReady(sid, r as PeerReady);
      const done = hook(address, r);
      this.checkRole(sid);
      return done;
    };
    ens.traceListeners.push((sid, trace) => this.onTrace(sid, trace));
    this.paused = config.mode === 'lockstep';
    this.timer = setInterval(() => this.liveSlice(), liveSliceMs);
    this.flush();
    const down = new Set(config.initiallyDown ?? []);
    this.startServers(ens.sids.filter((s) => !down.has(s)));
  }

  /** Start servers: a helper for the UI's "start all" and lessons (scenario verb `start`). */
  startServers(sids: readonly Sid[]): void {
    const ens = this.ens;
    if (!ens) return;
    for (const sid of sids) {
      if (ens.isUp(sid)) continue;
      this.record(`start ${sid}`);
      ens.start(sid);
      this.instrument(sid);
      this.emit({ type: 'fault', what: 'restart', text: `server ${sid} started` });
      this.checkRole(sid);
    }
    this.flush();
  }

  async reset(): Promise<void> {
    if (this.config) await this.start(this.config);
  }

  kill(sid: Sid): void {
    const ens = this.ens;
    if (!ens || !ens.isUp(sid)) return;
    this.record(`kill ${sid}`);
    ens.kill(sid);
    this.emit({ type: 'fault', what: 'kill', text: `server ${sid} killed: memory gone, unflushed writes lost` });
    for (const m of [...this.inflight.values()]) if (m.from === sid || m.to === sid) this.dropMsg(m.msgId);
    this.checkRole(sid);
    this.flush();
  }

  restart(sid: Sid): void {
    const ens = this.ens;
    if (!ens || ens.isUp(sid)) return;
    this.record(`restart ${sid}`);
    ens.start(sid);
    this.instrument(sid);
    this.emit({ type: 'fault', what: 'restart', text: `server ${sid} restarted from its dataDir` });
    this.checkRole(sid);
    this.flush();
  }

  partition(groups: readonly (readonly Sid[])[], oneWay = false): void {
    const ens = this.ens;
    if (!ens) return;
    const text = groups.map((g) => g.join(',')).join(oneWay ? ' -> ' : ' | ');
    this.record(`partition ${text}`);
    ens.partition(groups, oneWay);
    this.emit({ type: 'fault', what: 'partition', text: `partition ${text}` });
    for (const m of [...this.inflight.values()]) if (!ens.linkUp(m.from, m.to)) this.dropMsg(m.msgId);
    this.flush();
  }

  heal(): void {
    if (!this.ens) return;
    this.record('heal');
    this.ens.heal();
    this.emit({ type: 'fault', what: 'heal', text: 'heal: every link restored' });
    this.flush();
  }

  setSpeed(factor: number): void {
    this.speed = Math.max(0.01, Math.min(100, factor));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  inFlight(): readonly InFlightMessage[] {
    return [...this.inflight.values()];
  }

  async deliver(_msgId?: number): Promise<void> {
    const ens = this.ens;
    if (!ens) return;
    this.deliveredFlag = false;
    ens.world.run(ens.world.now + stepSearchMaxMs, () => this.deliveredFlag);
    this.flush();
  }

  async drop(msgId: number): Promise<void> {
    this.emit({ type: 'log', sid: this.inflight.get(msgId)?.to ?? 0, text: `drop of message ${msgId} needs the lockstep conductor (not in the in-process adapter)` });
    this.flush();
  }

  async delay(msgId: number, ms: number): Promise<void> {
    this.emit({ type: 'log', sid: this.inflight.get(msgId)?.to ?? 0, text: `delay of message ${msgId} by ${ms} ms needs the lockstep conductor` });
    this.flush();
  }

  async advanceToNextTimeout(): Promise<void> {
    const ens = this.ens;
    if (!ens) return;
    const before = this.seq + this.pending.length;
    ens.world.run(ens.world.now + stepSearchMaxMs, () => this.seq + this.pending.length > before);
    this.flush();
  }

  /** Advance virtual time by `ms` (the UI's "step 100 ms" and lessons' `run`). */
  runFor(ms: number): void {
    const ens = this.ens;
    if (!ens) return;
    ens.run(ms);
    this.flush();
  }

  async rewind(_seq: number): Promise<void> {
    // deterministic replay needs the conductor's checkpoints; the adapter only restarts
    if (this.config) await this.start(this.config);
  }

  exportRun(): RunRecord {
    const config = this.config ?? { zooCfg: '', seed: 1, mode: 'live' as const };
    return { version: playgroundProtocolVersion, config, actions: [...this.actions] };
  }

  openConsole(name: string, connectString: string): ConsoleHandle {
    const ens = this.ens;
    if (!ens) throw new Error('no ensemble');
    const c = new InProcessConsole(name, ens, connectString, () => this.flush(), (line) => this.record(`${name}> ${line}`), (h) => this.consoles.delete(h));
    this.consoles.add(c);
    this.record(`client ${name} ${connectString}`);
    return c;
  }

  async znode(sid: Sid, path: string): Promise<ZnodeView | null> {
    return this.znodeSync(sid, path);
  }

  znodeSync(sid: Sid, path: string): ZnodeView | null {
    const peer = this.ens?.peers.get(sid);
    const node = peer?.tree.get(path);
    if (!peer || !node) return null;
    const statText = describeStat(clientStat(node, peer.config.extendedTypesEnabled));
    const stat: Record<string, string> = {};
    for (const line of statText.split('\n')) {
      const i = line.indexOf(' = ');
      if (i > 0) stat[line.slice(0, i)] = line.slice(i + 3);
    }
    return { path, data: node.data ?? new Uint8Array(0), stat, acl: aclToZkCliText(node.acl), children: [...node.children].sort(), ephemeralOwner: node.ephemeralOwner };
  }

  /** The user part of a server's tree, one line per znode (for the "differs" view). */
  async describeTree(sid: Sid): Promise<string | null> {
    const peer = this.ens?.peers.get(sid);
    return peer ? describeTree(peer.tree, '/', { userOnly: true }) : null;
  }

  /** Steps (deliveries) until `done()` holds, at most `stepsMax` of them. */
  async runUntil(done: () => boolean, stepsMax = 10_000): Promise<boolean> {
    for (let i = 0; i < stepsMax && this.ens; i++) {
      if (done()) return true;
      await this.step();
    }
    return done();
  }

  /** bulk-create.ts over this ensemble's simulated clients (live mode advances it) */
  bulkCreate(options: BulkCreateOptions): BulkCreateHandle {
    const ens = this.ens;
    if (!ens) throw new Error('no ensemble');
    this.record(`bulk ${options.parent} ${options.count} ${options.batch ?? bulkBatchDefault} ${options.window ?? bulkWindowDefault} ${options.connectString}`);
    const world = ens.world;
    const ids = new Map<ClientSession, number>();
    const host: ClientHost = {
      addClient: (cs, sessionTimeout, onEvent, onResult) => {
        const session = new ClientSession(cs, { sessionTimeout, random: () => ens.rng.next() }, world.now);
        ids.set(session, world.addClient(session, onEvent, onResult));
        return session;
      },
      call: (session, call) => {
        const id = session.call(call);
        world.pump();
        return id;
      },
      closeClient: (session) => {
        if (session.isAlive()) session.close();
        world.pump();
        this.flush();
      },
    };
    return startBulkCreate(host, options);
  }

  /** One lockstep step: the next delivery (the simulator picks which). */
  async step(): Promise<boolean> {
    await this.deliver();
    return this.ens !== null;
  }

  now(): number {
    return this.ens?.world.now ?? 0;
  }

  dispose(): void {
    this.teardown();
    this.listeners.clear();
  }

  // ----- internals --------------------------------------------------------------------

  private teardown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of [...this.consoles]) c.close();
    this.consoles.clear();
    this.ens = null;
    this.inflight.clear();
    this.recv.clear();
    this.ownVote.clear();
    this.lastRole.clear();
    this.proposedZxids.clear();
    this.committedZxids.clear();
    this.downCache.clear();
    this.pending = [];
    this.seq = 0;
  }

  private record(action: string): void {
    this.actions.push({ t: this.now(), action });
  }

  private liveSlice(): void {
    const ens = this.ens;
    if (!ens || this.paused) return;
    try {
      ens.run(Math.max(1, Math.round(liveSliceMs * this.speed)));
    } catch (e) {
      this.paused = true;
      this.emit({ type: 'log', sid: 0, text: `simulator stopped: ${e instanceof Error ? e.message : String(e)}` });
    }
    const old = ens.world.now - inFlightAgeMax;
    for (const m of [...this.inflight.values()]) if (m.sentAt < old) this.dropMsg(m.msgId);
    this.flush();
  }

  private emit(body: EventBody): void {
    this.pending.push({ ...body, seq: this.seq + this.pending.length, t: this.now() } as PlaygroundEvent);
  }

  private flush(): void {
    const events = this.pending;
    this.pending = [];
    this.seq += events.length;
    const status = this.status();
    for (const l of this.listeners) l(events, status);
  }

  private instrument(sid: Sid): void {
    const peer = this.ens!.peers.get(sid)!;
    const step = peer.step.bind(peer);
    peer.step = (input: PeerInput): void => {
      this.onPeerInput(sid, input);
      step(input);
    };
  }

  private track(obj: object, to: Sid): number {
    const id = this.nextMsgId++;
    const list = this.sentIds.get(obj) ?? [];
    list.push({ id, to });
    this.sentIds.set(obj, list);
    return id;
  }

  private takeTracked(obj: object, to: Sid): number | null {
    const list = this.sentIds.get(obj);
    if (!list) return null;
    const i = list.findIndex((x) => x.to === to && this.inflight.has(x.id));
    if (i < 0) return null;
    const [x] = list.splice(i, 1);
    return x.id;
  }

  private send(from: Sid, to: Sid, obj: object, link: LinkKind, kind: MessageKind, text: string): void {
    const ens = this.ens!;
    const msgId = this.track(obj, to);
    const m: InFlightMessage = { msgId, link, kind, from, to, text, sentAt: this.now() };
    this.inflight.set(msgId, m);
    this.emit({ type: 'messageSent', msgId, link, kind, from, to, text });
    if (!ens.linkUp(from, to) || !ens.isUp(to)) this.dropMsg(msgId);
  }

  private dropMsg(msgId: number): void {
    if (!this.inflight.delete(msgId)) return;
    this.emit({ type: 'messageDropped', msgId });
  }

  private onPeerReady(sid: Sid, r: PeerReady): void {
    for (const n of r.notifications ?? []) {
      if (n.to === sid) {
        this.setOwnVote(sid, voteOf(n.msg));
        continue;
      }
      this.send(sid, n.to, n.msg, 'election', 'notification', describeNotification(n.msg));
    }
    const peer = this.ens!.peers.get(sid)!;
    for (const q of r.quorum ?? []) {
      const p = q.packet;
      this.send(sid, q.to, p, 'quorum', kindOfQuorumPacket(p), describeQuorumPacket(p));
      if (p.type === 'Proposal' && peer.role === 'leading' && !this.proposedZxids.has(p.zxid)) {
        this.proposedZxids.add(p.zxid);
        this.emit({ type: 'proposed', sid, zxid: p.zxid, text: describeTxn(p.entry) });
      }
      if (p.type === 'Commit' && !this.committedZxids.has(p.zxid)) {
        this.committedZxids.add(p.zxid);
        this.emit({ type: 'committed', sid, zxid: p.zxid });
      }
    }
    for (const e of r.persist) this.emit({ type: 'persisted', sid, what: 'txns', zxid: e.hdr.zxid, flushed: false });
    for (const w of r.epochWrites ?? []) this.emit({ type: 'persisted', sid, what: w.file, zxid: BigInt(w.value) << 32n, flushed: false });
    // a truncation and a snapshot are done (and synced) within handleStorage, as a live worker's
    if (r.truncate !== null && r.truncate !== undefined) this.emit({ type: 'persisted', sid, what: 'truncate', zxid: r.truncate, flushed: true });
    if (r.snapshot) this.emit({ type: 'persisted', sid, what: 'snapshot', zxid: peer.lastLoggedZxid(), flushed: true });
  }

  private setOwnVote(sid: Sid, vote: Vote): void {
    const old = this.ownVote.get(sid);
    if (old && old.leader === vote.leader && old.zxid === vote.zxid && old.peerEpoch === vote.peerEpoch && old.round === vote.round) return;
    this.ownVote.set(sid, vote);
    this.emitVote(sid, `${sid} votes for ${vote.leader} (round ${vote.round}, peerEpoch ${vote.peerEpoch}, zxid ${hex(vote.zxid)})`);
  }

  private emitVote(sid: Sid, text: string): void {
    const vote = this.ownVote.get(sid);
    if (!vote) return;
    const table = this.recv.get(sid) ?? new Map();
    const recv = [...table.entries()].sort((a, b) => a[0] - b[0]).map(([from, v]) => ({ from, vote: v.vote, state: v.state }));
    this.emit({ type: 'vote', sid, vote, recv, text });
  }

  private onPeerInput(sid: Sid, input: PeerInput): void {
    if (input.type === 'notification') {
      if (input.from === sid) return;
      const id = this.takeTracked(input.msg, sid);
      if (id !== null) this.delivered(id);
      const table = this.recv.get(sid) ?? new Map();
      this.recv.set(sid, table);
      const state = stateNames[input.msg.state] ?? '?';
      table.set(input.from, { vote: voteOf(input.msg), state });
      this.emitVote(sid, `${sid} received from ${input.from} (${state}): ${describeNotification(input.msg)}`);
    } else if (input.type === 'quorumPacket') {
      const id = this.takeTracked(input.packet, sid);
      if (id !== null) this.delivered(id);
      const p = input.packet;
      if (p.type === 'Ack' && this.ens!.peers.get(sid)?.role === 'leading') this.emit({ type: 'acked', sid, from: input.from, zxid: p.zxid });
    } else if (input.type === 'persisted') {
      // the ensemble's fsync of this server's log completed (group commit: every txn up to zxid)
      this.emit({ type: 'persisted', sid, what: 'txns', zxid: input.zxid, flushed: true });
    } else if (input.type === 'epochWritten') {
      this.emit({ type: 'persisted', sid, what: input.file, zxid: BigInt(input.value) << 32n, flushed: true });
    } else if (input.type === 'quorumDown') {
      for (const m of [...this.inflight.values()]) {
        if (m.link === 'quorum' && ((m.from === sid && m.to === input.peer) || (m.to === sid && m.from === input.peer))) this.dropMsg(m.msgId);
      }
      this.emit({ type: 'connectionBroken', link: 'quorum', a: sid, b: input.peer });
    }
  }

  private delivered(msgId: number): void {
    if (!this.inflight.delete(msgId)) return;
    this.deliveredFlag = true;
    this.emit({ type: 'messageDelivered', msgIds: [msgId] });
  }

  private checkRole(sid: Sid): void {
    const peer = this.ens?.peers.get(sid);
    const role: ServerRole = peer ? peer.role : 'down';
    const phase = peer ? peer.phase : null;
    const key = `${role}/${phase}`;
    if (this.lastRole.get(sid) === key) return;
    this.lastRole.set(sid, key);
    if (role === 'looking') this.recv.set(sid, new Map());
    this.emit({ type: 'roleChanged', sid, role, phase, epoch: BigInt(peer ? peer.currentEpoch : 0) });
  }

  private onTrace(sid: Sid, trace: readonly TraceEvent[]): void {
    const peer = this.ens!.peers.get(sid);
    for (const ev of trace) {
      switch (ev.type) {
        case 'txnApplied': this.emit({ type: 'applied', sid, zxid: ev.zxid, text: ev.text }); break;
        case 'txnLogged': break;
        case 'sessionCreated': this.emit({ type: 'session', sid, what: 'created', sessionId: ev.sessionId, timeout: ev.timeout }); break;
        case 'sessionExpired': this.emit({ type: 'session', sid, what: 'expired', sessionId: ev.sessionId }); break;
        case 'sessionClosed': this.emit({ type: 'session', sid, what: 'closed', sessionId: ev.sessionId }); break;
        case 'watchRegistered': {
          const sessionId = ev.sessionId !== 0n ? ev.sessionId : peer?.connection(ev.connId)?.sessionId ?? 0n;
          this.emit({ type: 'watch', sid, what: 'registered', sessionId, path: ev.path, text: `${ev.kind} watch on ${ev.path} for session ${hex(sessionId)}`, table: ev.table, mode: ev.mode });
          break;
        }
        case 'watchFired':
          this.emit({ type: 'watch', sid, what: 'fired', sessionId: ev.sessionId, path: ev.event.path ?? '', text: describeWatchedEvent(ev.event), table: ev.table });
          break;
        case 'watchRemoved':
          this.emit({ type: 'watch', sid, what: 'removed', sessionId: ev.sessionId, path: ev.path, text: ev.text, table: ev.table, mode: ev.mode });
          break;
        case 'log': this.emit({ type: 'log', sid, text: ev.text }); break;
      }
    }
  }


  status(): ServerStatus[] {
    const ens = this.ens;
    if (!ens) return [];
    return ens.sids.map((sid): ServerStatus => {
      const peer = ens.peers.get(sid);
      const observer = ens.ensemble.observers.includes(sid);
      const disk = ens.disks.get(sid)!;
      if (!peer) {
        const cached = this.downCache.get(sid);
        if (cached) return cached;
        const durable = disk.durable;
        const last = durable.log.at(-1)?.hdr.zxid ?? 0n;
        const down: ServerStatus = {
          sid, role: 'down', phase: null, observer, acceptedEpoch: BigInt(durable.acceptedEpoch), currentEpoch: BigInt(durable.currentEpoch),
          lastZxid: last, committedZxid: last, vote: null, leader: null, treeDigest: '', treeDigestZxid: 0n, znodeCount: 0, sessionCount: 0, watchCount: 0,
          clientAddress: ens.address(sid),
        };
        this.downCache.set(sid, down);
        return down;
      }
      this.downCache.delete(sid);
      const s = peer.status();
      return {
        sid, role: s.role, phase: s.phase, observer, acceptedEpoch: BigInt(s.acceptedEpoch), currentEpoch: BigInt(s.currentEpoch),
        lastZxid: s.lastLoggedZxid, committedZxid: s.lastAppliedZxid, vote: statusVote(s.role, this.ownVote.get(sid) ?? null, peer), leader: s.leader,
        treeDigest: peer.tree.digestHex(), treeDigestZxid: s.lastAppliedZxid, znodeCount: peer.tree.nodeCount(), sessionCount: peer.sessions.count(),
        watchCount: peer.dataWatches.count() + peer.childWatches.count(), clientAddress: ens.address(sid),
      };
    });
  }
}

export type { Ready };
