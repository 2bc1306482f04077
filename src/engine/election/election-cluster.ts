/**
 * A deterministic little world of servers running Fast Leader Election, for tests, transcripts
 * and lessons: virtual time, one FIFO queue per directed link, and QuorumCnxManager's
 * connection rules (reference §1.6):
 *
 * - a message to myself is looped back at once (it still goes through the queue, in order);
 * - a message to a peer goes out on the connection if there is one; otherwise it waits in a
 *   send queue of capacity 1 (the newest replaces the older) and a connection is tried
 *   (`toSend` -> `connectOne`); a connection exists while both ends live and no partition
 *   separates them;
 * - when a connection comes up, each side sends its queued message, or else re-sends its last
 *   message (`SendWorker.run`), so duplicates happen as in ZooKeeper;
 * - a crash or partition breaks the connection and loses what was in flight on it;
 * - `haveDelivered` is true when some peer's send queue is empty.
 *
 * Simplified: connecting takes no time (ZooKeeper's "the larger sid dials back" handshake is
 * not modelled), and latency is a fixed number per link or drawn per message.
 *
 * Optional `zab` emulation, just enough for liveness checks: `checkAfterMs` after deciding
 * (initLimit × tickTime in ZooKeeper), a leader keeps its role only if a quorum of voters is
 * with it (then it establishes epoch max(currentEpoch)+1 and everyone with it runs
 * updateElectionVote), and a learner keeps its role only if its leader is alive and LEADING;
 * otherwise they go LOOKING again. A crashed leader sends its learners LOOKING at once.
 */
import type { Epoch, Sid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';
import * as fle from './fast-leader-election.ts';
import type { Election, ElectionConfig, ElectionDisk } from './fast-leader-election.ts';
import type { Rng } from './election-util.ts';
import { describeNotification, type DecidedState, type Notification, type Vote } from './notification.ts';
import { quorumMaj, half, isVotingMember, type QuorumVerifier } from './quorum-verifier.ts';

/** Bounds (STYLE.md 14). */
export const clusterStepsMax = 1_000_000;
export const clusterEventsMax = 200_000;
export const linkQueueLengthMax = 1_000;
export const decisionsMax = 10_000;

export interface ClusterOptions {
  readonly voters: readonly Sid[];
  readonly observers?: readonly Sid[];
  /** one-way latency of every link, ms (default 1) */
  readonly latencyMs?: number;
  /** when given, each message's latency is drawn from [latencyMsMin, latencyMsMax] */
  readonly rng?: Rng;
  readonly latencyMsMin?: number;
  readonly latencyMsMax?: number;
  readonly zab?: { readonly checkAfterMs: number };
  readonly election?: Partial<ElectionConfig>;
}

export type ClusterEventKind = 'deliver' | 'log' | 'decided' | 'net' | 'zab';

export interface ClusterEvent {
  readonly atMs: number;
  readonly kind: ClusterEventKind;
  readonly text: string;
}

export interface ClusterDecision {
  readonly atMs: number;
  readonly sid: Sid;
  readonly state: DecidedState;
  readonly vote: Vote;
}

interface SimServer {
  readonly sid: Sid;
  disk: ElectionDisk;
  alive: boolean;
  election: Election | null;
  /** epoch this server established as leader (zab emulation), else null */
  establishedEpoch: Epoch | null;
}

interface InFlight {
  readonly deliverMs: number;
  readonly seq: number;
  readonly msg: Notification;
}

interface SimLink {
  readonly from: Sid;
  readonly to: Sid;
  inflight: InFlight[];
  /** the capacity-1 send queue while there is no connection */
  pending: Notification | null;
  lastMessageSent: Notification | null;
  /** queueSendMap has an entry for this peer */
  hasQueue: boolean;
  latencyMs: number | null;
}

interface ZabCheck {
  readonly atMs: number;
  readonly sid: Sid;
  readonly decision: ClusterDecision;
}

export class ElectionCluster {
  nowMs = 0;
  readonly qv: QuorumVerifier;
  readonly decisions: ClusterDecision[] = [];
  private events: ClusterEvent[] = [];
  private readonly servers = new Map<Sid, SimServer>();
  private readonly links = new Map<string, SimLink>();
  private readonly connected = new Set<string>();
  private readonly cuts = new Set<string>();
  private zabChecks: ZabCheck[] = [];
  private seq = 0;

  constructor(readonly options: ClusterOptions) {
    this.qv = quorumMaj(options.voters, options.observers ?? []);
    for (const sid of [...this.qv.votingMembers, ...this.qv.observingMembers]) {
      this.servers.set(sid, { sid, disk: { lastLoggedZxid: 0n, currentEpoch: 0 }, alive: false, election: null, establishedEpoch: null });
    }
    assert(options.latencyMs === undefined || options.latencyMs >= 0, 'latency must be >= 0');
  }

  // ----- commands ----------------------------------------------------------------------

  sids(): Sid[] {
    return [...this.servers.keys()];
  }

  setDisk(sid: Sid, disk: Partial<ElectionDisk>): void {
    const s = this.server(sid);
    s.disk = { ...s.disk, ...disk };
  }

  disk(sid: Sid): ElectionDisk {
    return this.server(sid).disk;
  }

  /** The process boots (again): a fresh election state machine from what the disk holds. */
  start(sid: Sid): void {
    const s = this.server(sid);
    assert(!s.alive, `server ${sid} is already running`);
    s.alive = true;
    s.establishedEpoch = null;
    s.election = fle.createElection(fle.electionConfig(sid, this.qv, this.options.election), s.disk, this.nowMs);
    this.event('net', `${sid} started`);
    fle.startElection(s.election, s.disk, this.nowMs);
    this.afterInput(s);
  }

  /** The host left its role (Zab gave up): LOOKING again on the live state machine. */
  look(sid: Sid): void {
    const s = this.server(sid);
    assert(s.alive && s.election !== null, `server ${sid} is not running`);
    s.establishedEpoch = null;
    fle.startElection(s.election, s.disk, this.nowMs);
    this.afterInput(s);
  }

  crash(sid: Sid): void {
    const s = this.server(sid);
    assert(s.alive, `server ${sid} is not running`);
    const wasLeading = s.election?.state === 'LEADING';
    for (const other of this.servers.keys()) if (other !== sid) this.disconnect(sid, other);
    for (const link of this.links.values()) {
      if (link.from !== sid) continue;
      link.inflight = [];
      link.pending = null;
      link.lastMessageSent = null;
      link.hasQueue = false;
    }
    s.alive = false;
    s.election = null;
    s.establishedEpoch = null;
    this.event('net', `${sid} crashed`);
    if (wasLeading && this.options.zab) this.learnersLook(sid, `leader ${sid} crashed`);
  }

  partition(a: Sid, b: Sid): void {
    this.cuts.add(pairKey(a, b));
    this.disconnect(a, b);
    this.event('net', `partitioned ${Math.min(a, b)}-${Math.max(a, b)}`);
  }

  heal(a: Sid, b: Sid): void {
    this.cuts.delete(pairKey(a, b));
    this.event('net', `healed ${Math.min(a, b)}-${Math.max(a, b)}`);
  }

  healAll(): void {
    this.cuts.clear();
    this.event('net', 'healed all partitions');
  }

  setLatency(a: Sid, b: Sid, latencyMs: number): void {
    assert(Number.isInteger(latencyMs) && latencyMs >= 0, `bad latency ${latencyMs}`);
    this.link(a, b).latencyMs = latencyMs;
    this.link(b, a).latencyMs = latencyMs;
  }

  /** Hands a crafted notification to `to` now, as if it came over the link from msg.sid. */
  inject(to: Sid, msg: Notification): void {
    const s = this.server(to);
    assert(s.alive && s.election !== null, `server ${to} is not running`);
    this.event('deliver', `${to} <- ${msg.sid} ${describeNotification(msg)} (injected)`);
    fle.onNotification(s.election, msg, msg.sid, this.nowMs);
    this.afterInput(s);
  }

  /** Zab finished for everyone decided: currentEpoch = epoch and updateElectionVote. */
  establish(epoch: Epoch): void {
    for (const s of this.servers.values()) {
      if (!s.alive || s.election === null || s.election.state === 'LOOKING') continue;
      s.disk = { ...s.disk, currentEpoch: epoch };
      fle.updateElectionVote(s.election, epoch);
      this.afterInput(s);
    }
  }

  runFor(ms: number): void {
    this.runUntil(this.nowMs + ms);
  }

  runUntil(endMs: number): void {
    assert(endMs >= this.nowMs, `runUntil ${endMs} < now ${this.nowMs}`);
    for (let steps = 0; ; steps++) {
      assert(steps < clusterStepsMax, `more than ${clusterStepsMax} steps`);
      const atMs = this.nextEventMs();
      if (atMs === null || atMs > endMs) break;
      this.nowMs = atMs;
      this.fireOne();
    }
    this.nowMs = endMs;
  }

  /** Runs until nothing is in flight and every running server decided; false if `limitMs` passed first. */
  stabilize(limitMs: number): boolean {
    const endMs = this.nowMs + limitMs;
    for (let steps = 0; ; steps++) {
      assert(steps < clusterStepsMax, `more than ${clusterStepsMax} steps`);
      if (this.isQuiescent()) return true;
      const atMs = this.nextEventMs();
      if (atMs === null || atMs > endMs) {
        this.nowMs = Math.max(this.nowMs, Math.min(endMs, atMs ?? endMs));
        return this.isQuiescent();
      }
      this.nowMs = atMs;
      this.fireOne();
    }
  }

  isQuiescent(): boolean {
    for (const link of this.links.values()) if (link.inflight.length > 0) return false;
    if (this.zabChecks.length > 0) return false;
    for (const s of this.servers.values()) if (s.alive && s.election!.phase !== 'decided') return false;
    return true;
  }

  takeEvents(): ClusterEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  election(sid: Sid): Election | null {
    return this.server(sid).election;
  }

  isAlive(sid: Sid): boolean {
    return this.server(sid).alive;
  }

  /** The leader a running, decided server is with, or null. */
  leaderOf(sid: Sid): Sid | null {
    const e = this.server(sid).election;
    return e !== null && e.phase === 'decided' ? e.currentVote.id : null;
  }

  status(): string[] {
    return [...this.servers.values()].map((s) => (s.election === null ? `${s.sid} ${s.alive ? 'running' : 'down'}` : fle.describeElection(s.election)));
  }

  // ----- the world's clock -------------------------------------------------------------

  private nextEventMs(): number | null {
    let best: number | null = null;
    const consider = (t: number | null): void => {
      if (t !== null && (best === null || t < best)) best = t;
    };
    for (const link of this.links.values()) consider(link.inflight[0]?.deliverMs ?? null);
    for (const s of this.servers.values()) if (s.alive) consider(fle.nextDeadlineMs(s.election!));
    for (const c of this.zabChecks) consider(c.atMs);
    return best;
  }

  /** One event at `nowMs`: deliveries first (a poll returns a waiting message), then timers. */
  private fireOne(): void {
    let head: SimLink | null = null;
    for (const link of this.links.values()) {
      const m = link.inflight[0];
      if (m === undefined || m.deliverMs > this.nowMs) continue;
      if (head === null || m.seq < head.inflight[0].seq) head = link;
    }
    if (head !== null) return this.deliver(head);
    for (const s of this.servers.values()) {
      if (!s.alive || fle.nextDeadlineMs(s.election!) !== this.nowMs) continue;
      fle.tick(s.election!, this.nowMs, { haveDelivered: this.haveDelivered(s.sid) });
      return this.afterInput(s);
    }
    const check = this.zabChecks.find((c) => c.atMs === this.nowMs);
    assert(check !== undefined, `no event due at ${this.nowMs}`);
    this.zabChecks = this.zabChecks.filter((c) => c !== check);
    this.zabCheck(check);
  }

  private deliver(link: SimLink): void {
    const m = link.inflight.shift()!;
    const s = this.server(link.to);
    assert(s.alive, `delivery to dead server ${link.to}`);
    this.event('deliver', `${link.to} <- ${link.from} ${describeNotification(m.msg)}`);
    fle.onNotification(s.election!, m.msg, link.from, this.nowMs);
    this.afterInput(s);
  }

  /** Takes the election's Ready: the host's half of the contract. */
  private afterInput(s: SimServer): void {
    const e = s.election!;
    fle.checkInvariants(e);
    if (!fle.hasReady(e)) return;
    const r = fle.ready(e);
    for (const line of r.log) this.event('log', line);
    for (const out of r.send) this.toSend(s.sid, out.to, out.msg);
    if (r.connectAll) this.connectAll(s.sid);
    if (r.decided !== null) this.onDecided(s, r.decided.state, r.decided.vote);
  }

  private onDecided(s: SimServer, state: DecidedState, vote: Vote): void {
    assert(this.decisions.length < decisionsMax, `more than ${decisionsMax} decisions`);
    const decision = { atMs: this.nowMs, sid: s.sid, state, vote };
    this.decisions.push(decision);
    this.event('decided', `${s.sid} ${state} leader ${vote.id} round ${vote.electionEpoch}`);
    if (this.options.zab) this.zabChecks.push({ atMs: this.nowMs + this.options.zab.checkAfterMs, sid: s.sid, decision });
  }

  // ----- QuorumCnxManager --------------------------------------------------------------

  private toSend(from: Sid, to: Sid, msg: Notification): void {
    if (to === from) return this.transmit(this.link(from, to), msg, 0);
    if (!this.servers.has(to)) return; // "Invalid server id": nowhere to connect
    const link = this.link(from, to);
    link.hasQueue = true;
    if (this.connected.has(pairKey(from, to))) return this.transmit(link, msg, this.latencyOf(link));
    link.pending = msg;
    this.connectOne(from, to);
  }

  private connectOne(a: Sid, b: Sid): void {
    const key = pairKey(a, b);
    if (this.connected.has(key) || !this.reachable(a, b)) return;
    this.connected.add(key);
    this.event('net', `connected ${Math.min(a, b)}-${Math.max(a, b)}`);
    for (const link of [this.link(a, b), this.link(b, a)]) {
      link.hasQueue = true;
      const queued = link.pending;
      link.pending = null;
      const msg = queued ?? link.lastMessageSent;
      if (msg !== null) this.transmit(link, msg, this.latencyOf(link));
    }
  }

  private connectAll(sid: Sid): void {
    for (const link of this.links.values()) if (link.from === sid && link.to !== sid && link.hasQueue) this.connectOne(sid, link.to);
  }

  private haveDelivered(sid: Sid): boolean {
    for (const link of this.links.values()) {
      if (link.from === sid && link.to !== sid && link.hasQueue && link.pending === null) return true;
    }
    return false;
  }

  private disconnect(a: Sid, b: Sid): void {
    if (!this.connected.delete(pairKey(a, b))) return;
    this.link(a, b).inflight = [];
    this.link(b, a).inflight = [];
    this.event('net', `disconnected ${Math.min(a, b)}-${Math.max(a, b)}`);
  }

  private transmit(link: SimLink, msg: Notification, latencyMs: number): void {
    assert(link.inflight.length < linkQueueLengthMax, `link ${link.from}->${link.to} holds ${linkQueueLengthMax} messages`);
    const last = link.inflight[link.inflight.length - 1];
    const deliverMs = Math.max(this.nowMs + latencyMs, last?.deliverMs ?? 0); // FIFO, as TCP
    link.inflight.push({ deliverMs, seq: this.seq++, msg });
    if (link.from !== link.to) link.lastMessageSent = msg;
  }

  private reachable(a: Sid, b: Sid): boolean {
    return this.server(a).alive && this.server(b).alive && !this.cuts.has(pairKey(a, b));
  }

  private latencyOf(link: SimLink): number {
    if (link.latencyMs !== null) return link.latencyMs;
    const { rng, latencyMsMin, latencyMsMax } = this.options;
    if (rng !== undefined) return rng.int(latencyMsMin ?? 1, latencyMsMax ?? 10);
    return this.options.latencyMs ?? 1;
  }

  private link(from: Sid, to: Sid): SimLink {
    const key = `${from}>${to}`;
    let link = this.links.get(key);
    if (link === undefined) {
      link = { from, to, inflight: [], pending: null, lastMessageSent: null, hasQueue: false, latencyMs: null };
      this.links.set(key, link);
    }
    return link;
  }

  private server(sid: Sid): SimServer {
    const s = this.servers.get(sid);
    assert(s !== undefined, `no server ${sid}`);
    return s;
  }

  private event(kind: ClusterEventKind, text: string): void {
    assert(this.events.length < clusterEventsMax, `more than ${clusterEventsMax} events not taken`);
    this.events.push({ atMs: this.nowMs, kind, text });
  }

  // ----- zab emulation -----------------------------------------------------------------

  private zabCheck(check: ZabCheck): void {
    const s = this.server(check.sid);
    const e = s.election;
    if (!s.alive || e === null || e.phase !== 'decided' || e.currentVote !== check.decision.vote) return; // moved on
    if (e.state === 'LEADING') return this.zabCheckLeader(s);
    const leader = this.server(e.currentVote.id);
    if (!leader.alive || leader.election?.state !== 'LEADING') {
      this.event('zab', `${s.sid} gives up on leader ${leader.sid}: it is not LEADING`);
      return this.look(s.sid);
    }
    if (leader.establishedEpoch !== null) this.adoptEpoch(s, leader.establishedEpoch);
  }

  private zabCheckLeader(s: SimServer): void {
    const with_ = this.voterSids().filter((sid) => this.server(sid).alive && this.leaderOf(sid) === s.sid);
    if (with_.length <= half(this.qv)) {
      this.event('zab', `${s.sid} gives up leading: only ${with_.join(',')} with it`);
      this.learnersLook(s.sid, `leader ${s.sid} gave up`);
      return this.look(s.sid);
    }
    const team = [...this.servers.values()].filter((o) => o.alive && this.leaderOf(o.sid) === s.sid);
    const epoch = Math.max(...team.map((o) => o.disk.currentEpoch)) + 1;
    s.establishedEpoch = epoch;
    this.event('zab', `${s.sid} established epoch ${epoch} with ${with_.join(',')}`);
    for (const o of team) this.adoptEpoch(o, epoch);
  }

  private adoptEpoch(s: SimServer, epoch: Epoch): void {
    if (s.disk.currentEpoch === epoch) return;
    s.disk = { ...s.disk, currentEpoch: epoch };
    fle.updateElectionVote(s.election!, epoch);
    this.afterInput(s);
  }

  private learnersLook(leader: Sid, why: string): void {
    for (const o of this.servers.values()) {
      if (o.sid === leader || !o.alive || o.election?.phase !== 'decided' || o.election.currentVote.id !== leader) continue;
      this.event('zab', `${o.sid} LOOKING: ${why}`);
      this.look(o.sid);
    }
  }

  private voterSids(): Sid[] {
    return [...this.servers.keys()].filter((sid) => isVotingMember(this.qv, sid));
  }
}

function pairKey(a: Sid, b: Sid): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
