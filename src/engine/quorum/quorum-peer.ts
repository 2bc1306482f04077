/**
 * QuorumPeer: one ZooKeeper server of an ensemble, as a sans-IO state machine. It serves
 * clients like a standalone server (ZkServer, which it extends) and runs Fast Leader Election
 * and Zab with its peers (reference §1, §2).
 *
 * Theory of operation (roles and Zab phases, reference §2.3-2.7):
 *
 *   LOOKING   --FLE decides--> LEADING | FOLLOWING | OBSERVING
 *   LEADING   discovery: FOLLOWERINFO from a quorum -> newEpoch = max(acceptedEpoch)+1,
 *                        acceptedEpoch written, LEADERINFO to each learner
 *             ACKEPOCH from a quorum -> currentEpoch written -> sync each learner
 *             (DIFF/TRUNC/SNAP + PROPOSAL/COMMIT, then NEWLEADER)
 *             NEWLEADER acked by a quorum -> broadcast: UPTODATE, serve clients,
 *             PROPOSAL/ACK/COMMIT (INFORM to observers), PING twice a tick; step down when
 *             the synced learners and itself are no longer a quorum
 *   FOLLOWING FOLLOWERINFO -> LEADERINFO -> acceptedEpoch written -> ACKEPOCH -> sync ->
 *             NEWLEADER: log the committed txns, fsync, write currentEpoch, then ACK ->
 *             UPTODATE: serve clients; PROPOSAL: log, ACK after fsync; COMMIT: apply
 *   any       leader/learner silent past the limit, or the connection broke -> LOOKING
 *
 * Dynamic reconfig (reconfigEnabled, reference §2.8; quorum-config.ts): the leader preps a
 * reconfig into a SetDataTxn of /zookeeper/config and makes it the "last seen" config; while
 * it is pending every proposal needs a quorum of the committed AND the last seen config. On
 * commit the leader activates it and sends COMMITANDACTIVATE (INFORMANDACTIVATE to observers)
 * naming the designated leader; a learner whose role or leader changes goes straight to
 * FOLLOWING/LEADING/OBSERVING that leader (no election); a leader that is no longer a voter
 * stops committing and follows the designated leader once its followers left. Servers left
 * out stay connected as non-voting followers, as ZooKeeper 3.8's do.
 *
 * Durability order (DESIGN.md 7, STYLE.md 5; the 2024 fixes ZOOKEEPER-4643/4646/4785): an
 * ACK leaves only after the `persisted` input for that zxid; ACKEPOCH only after
 * `epochWritten(acceptedEpoch)`; the NEWLEADER ACK only after the synced txns are persisted
 * and `epochWritten(currentEpoch)`; the leader counts its own ACK only after its own fsync.
 */
import type { Data, Op, WriteOp } from '../protocol/client-protocol.ts';
import { Code } from '../protocol/errors.ts';
import { hex, makeZxid, zxidCounter, zxidEpoch, type Epoch, type SessionId, type Sid, type Zxid } from '../protocol/ids.ts';
import type { Id } from '../protocol/records.ts';
import type { QuorumPacket } from '../protocol/quorum-packets.ts';
import type { Txn, TxnEntry } from '../protocol/txn.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';
import { assert } from '../util/assert.ts';
import type { ServerConfig } from '../server/server-config.ts';
import { ZkServer, type Cnxn, type InFlight, type Pending } from '../server/zk-server.ts';
import { prepCloseSession, prepWrite, type PrepContext } from '../server/prep-request.ts';
import type { Ready, ServerInput } from '../server/server-io.ts';
import type { ElectionPort, PeerState } from './election-port.ts';
import type { DataDirPort, DurableDatabase, EpochFile, PeerInput, PeerReady } from './peer-io.ts';
import { chooseSync } from './sync-decision.ts';
import { ZkDatabase } from './zk-database.ts';
import { Fifo } from '../util/fifo.ts';
import { restoreTree, snapshotTree, type TreeSnapshot } from './tree-snapshot.ts';
import {
  containsQuorum, designatedLeader, isMember, isVoter, nextQuorumConfig, quorumConfigFromText, quorumConfigOf, quorumConfigText,
  sameMembers, withVersion, type QuorumConfig,
} from './quorum-config.ts';

export interface EnsembleConfig {
  readonly sid: Sid;
  /** participants (voters) */
  readonly voters: readonly Sid[];
  readonly observers: readonly Sid[];
  /** zoo.cfg initLimit / syncLimit, in ticks */
  readonly initLimit: number;
  readonly syncLimit: number;
  /** QuorumVerifier.toString(): the text of /zookeeper/config (`server.N=...`, `version=0`) */
  readonly configText?: string;
}

/** What survives a crash: what storage made durable. */
export interface DurableState {
  readonly acceptedEpoch: Epoch;
  readonly currentEpoch: Epoch;
  /** the latest snapshot on disk (taken after a SNAP sync), or none */
  readonly snapshot?: { readonly data: TreeSnapshot; readonly zxid: Zxid } | null;
  /** the txn log after the snapshot */
  readonly log: readonly TxnEntry[];
}

type ReconfigOp = Extract<WriteOp, { type: 'reconfig' }>;

export type Role = 'looking' | 'leading' | 'following' | 'observing';
export type ZabPhase = 'election' | 'discovery' | 'synchronization' | 'broadcast';

interface LearnerHandler {
  readonly sid: Sid;
  readonly observer: boolean;
  acceptedEpoch: Epoch;
  stage: 'info' | 'leaderInfoSent' | 'epochAcked' | 'synced' | 'newLeaderAcked' | 'upToDate';
  lastZxid: Zxid;
  /** the learner must say something before this tick */
  tickOfNextAckDeadline: number;
  forwarding: boolean;
}

interface Proposal {
  readonly entry: TxnEntry;
  readonly acks: Set<Sid>;
  /** Proposal.qvAcksetPairs: the committed config, plus the last seen one while a reconfig is pending */
  readonly configs: readonly QuorumConfig[];
}

interface LeaderState {
  newEpoch: Epoch | null;
  readonly contributions: Map<Sid, Epoch>;
  readonly epochAcks: Set<Sid>;
  epochAckQuorum: boolean;
  readonly newLeaderAcks: Set<Sid>;
  readonly learners: Map<Sid, LearnerHandler>;
  readonly outstanding: Map<Zxid, Proposal>;
  lastProposed: Zxid;
  lastCommitted: Zxid;
  /** the leader's own log is durable up to here: its ACK is counted for every proposal <= it */
  selfAckedZxid: Zxid;
  tick: number;
  nextHalfTickAt: number;
  halfTicks: number;
  readonly limitAt: number;
  /** syncs waiting for a zxid to commit: learner sid + session/cxid */
  readonly pendingSyncs: { zxid: Zxid; sid: Sid; sessionId: SessionId; cxid: number }[];
  /** Leader.allowedToCommit: false once a reconfig handed leadership to another server */
  designatedLeader: Sid | null;
}

interface LearnerState {
  readonly leader: Sid;
  stage: 'connecting' | 'infoSent' | 'epochAcked' | 'syncing' | 'newLeaderPending' | 'serving';
  newEpoch: Epoch | null;
  syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null;
  readonly packetsNotLogged: TxnEntry[];
  readonly packetsCommitted: Zxid[];
  /** proposals logged but not yet committed, in zxid order (FollowerZooKeeperServer.pendingTxns) */
  readonly pendingTxns: Fifo<TxnEntry>;
  lastHeardAt: number;
  newLeaderZxid: Zxid;
  /** the NEWLEADER ack waits for these txns and the currentEpoch write */
  ackAfterPersist: Zxid | null;
  acksAfterPersist: Fifo<Zxid>;
  readonly touches: Map<SessionId, number>;
  readonly pendingRevalidations: Map<SessionId, number>;
  /** Learner.connectToLeader: failed connection attempts so far, when the first began, the next retry */
  connectTries: number;
  readonly connectStartedAt: number;
  reconnectAt: number | null;
}

/**
 * Learner.LeaderConnector (3.8.0): a refused connection to the leader's quorum port is retried
 * after zookeeper.leaderConnectDelayDuringRetryMs (100 ms), at most 5 tries, and not once
 * less than that delay is left of tickTime * initLimit; then the learner goes back to LOOKING.
 * Only a LEADING server listens on its quorum port (the Leader binds it when it is made), so a
 * follower that decided before its leader did is refused and retries.
 */
export const leaderConnectDelayDuringRetryMs = 100;
export const leaderConnectTriesMax = 5;

export class QuorumPeer extends ZkServer {
  role: Role = 'looking';
  phase: ZabPhase = 'election';
  acceptedEpoch: Epoch;
  currentEpoch: Epoch;
  db: ZkDatabase;
  leaderSid: Sid | null = null;
  private leaderState: LeaderState | null = null;
  private learnerState: LearnerState | null = null;
  private peerOut = emptyPeerExtras();
  private readonly durableEpoch = { acceptedEpoch: 0, currentEpoch: 0 };
  /** QuorumPeer.quorumVerifier: the last committed membership */
  qc: QuorumConfig;
  /** QuorumPeer.lastSeenQuorumVerifier: newer than `qc` while a reconfig is in flight */
  lastSeenQc: QuorumConfig;

  constructor(config: ServerConfig, readonly ensemble: EnsembleConfig, private readonly election: ElectionPort, durable: DurableState, nowMs: number, private readonly dataDir: DataDirPort) {
    super(config, nowMs);
    this.qc = ensemble.configText === undefined ? quorumConfigOf(ensemble.voters, ensemble.observers) : quorumConfigFromText(ensemble.configText);
    this.lastSeenQc = this.qc;
    this.acceptedEpoch = durable.acceptedEpoch;
    this.currentEpoch = durable.currentEpoch;
    this.durableEpoch.acceptedEpoch = durable.acceptedEpoch;
    this.durableEpoch.currentEpoch = durable.currentEpoch;
    this.db = databaseOf(durable, config.extendedTypesEnabled);
    this.tree = this.db.tree;
    this.lastSeenQc = lastSeenInLog(this.qc, durable.log);
    this.initConfigNode();
    this.epoch = BigInt(zxidEpoch(this.db.lastLoggedZxid()));
    this.sessions.resetTo(this.db.sessions, nowMs);
    this.becomeLooking('startup');
  }

  /**
   * ZKDatabase.initConfigInZKDatabase: /zookeeper/config holds the quorum config, written with
   * setData(version -1, zxid = config version 0, time = now), outside any txn.
   */
  private initConfigNode(): void {
    const text = quorumConfigText(this.qc);
    const node = this.tree.get('/zookeeper/config');
    if (text === null || !node) return;
    node.data = utf8Encode(text);
    node.version = -1;
    node.mzxid = this.qc.version;
    node.mtime = this.now;
  }

  isObserver(): boolean {
    return this.qc.observers.includes(this.ensemble.sid);
  }

  override step(input: PeerInput): void {
    switch (input.type) {
      case 'notification': return this.onNotification(input.from, input.msg);
      case 'quorumPacket': return this.onQuorumPacket(input.from, input.packet);
      case 'quorumUp': return this.onQuorumUp(input.peer);
      case 'quorumDown': return this.onQuorumDown(input.peer);
      case 'epochWritten': return this.onEpochWritten(input.file, input.value);
      case 'persisted': return this.onPeerPersisted(input.zxid);
      case 'tick': return this.onPeerTick(input.nowMs);
      default: return super.step(input as ServerInput);
    }
  }

  override hasReady(): boolean {
    this.drainElection();
    const p = this.peerOut;
    return super.hasReady() || p.notifications.length + p.quorum.length + p.quorumConnect.length + p.quorumClose.length + p.epochWrites.length > 0 || p.truncate !== null || p.snapshot;
  }

  override ready(): PeerReady {
    this.drainElection();
    const base: Ready = super.ready();
    const x = this.peerOut;
    this.peerOut = emptyPeerExtras();
    // field by field rather than `{ ...base, ...x }`: the spread was a top self-time entry in
    // the simulator's profile (bench/README.md)
    return {
      clientOutput: base.clientOutput, persist: base.persist, trace: base.trace,
      notifications: x.notifications, quorum: x.quorum, quorumConnect: x.quorumConnect, quorumClose: x.quorumClose,
      epochWrites: x.epochWrites, truncate: x.truncate, snapshot: x.snapshot,
    };
  }

  override nextDeadline(): number {
    let t = this.election.nextDeadline();
    if (this.role === 'leading' && this.leaderState) t = Math.min(t, this.leaderState.nextHalfTickAt);
    if (this.learnerState) t = Math.min(t, this.learnerState.lastHeardAt + this.learnerTimeoutMs() + 1);
    if (this.learnerState?.reconnectAt != null) t = Math.min(t, this.learnerState.reconnectAt);
    if (this.role === 'leading' && this.phase === 'broadcast') t = Math.min(t, super.nextDeadline());
    return t;
  }

  /** Whether this server's quorum port is open to learners (a Leader exists only while LEADING). */
  acceptsLearners(): boolean {
    return this.role === 'leading';
  }

  isServing(): boolean {
    return this.phase === 'broadcast' && (this.role === 'leading' || this.learnerState?.stage === 'serving');
  }

  lastLoggedZxid(): Zxid {
    return this.db.lastLoggedZxid();
  }

  peerState(): PeerState {
    switch (this.role) {
      case 'looking': return 'LOOKING';
      case 'leading': return 'LEADING';
      case 'following': return 'FOLLOWING';
      case 'observing': return 'OBSERVING';
    }
  }

  // ----- roles ---------------------------------------------------------------------------

  private becomeLooking(reason: string): void {
    this.log(`${this.ensemble.sid} LOOKING: ${reason}`);
    this.leaveRole();
    this.role = 'looking';
    this.election.setState('LOOKING');
    this.election.start(this.now, this.db.lastLoggedZxid(), this.currentEpoch);
  }

  /**
   * QuorumPeer.updateServerState with reconfigFlag set: after a reconfig named a designated
   * leader, a server goes straight to LEADING or FOLLOWING it, without an election.
   */
  private becomeDesignated(leader: Sid, reason: string): void {
    this.log(`${this.ensemble.sid} ${reason}: designated leader ${leader}`);
    this.leaveRole();
    const state = leader === this.ensemble.sid ? 'LEADING' : this.isObserver() ? 'OBSERVING' : 'FOLLOWING';
    this.election.adoptVote(leader, this.db.lastLoggedZxid(), state);
    this.onDecided(state, leader);
  }

  /** What ending any role does: clients and quorum connections closed, speculative state dropped. */
  private leaveRole(): void {
    this.closeAllClients();
    for (const sid of this.connectedPeers()) this.peerOut.quorumClose.push(sid);
    this.role = 'looking';
    this.phase = 'election';
    this.leaderSid = null;
    this.leaderState = null;
    this.learnerState = null;
    this.changes.clear();
    this.inFlight.clear();
    this.db.fastForward();
    // the next role's ZooKeeperServer builds a fresh session tracker from the database
    // (createSessionTracker from zkDb.getSessionWithTimeOuts()): no closing marks, no owners
    this.sessions.resetTo(this.db.sessions, this.now);
  }

  private connectedPeers(): Sid[] {
    if (this.leaderState) return [...this.leaderState.learners.keys()];
    if (this.learnerState) return [this.learnerState.leader];
    return [];
  }

  private closeAllClients(): void {
    for (const c of [...this.cnxns.values()]) this.closeCnxn(c);
  }

  /** The election's current vote (QuorumPeer.getCurrentVote), null where the election port has none. */
  currentVote(): { readonly leader: Sid; readonly zxid: Zxid; readonly peerEpoch: Epoch; readonly electionEpoch: number } | null {
    return this.election.currentVote?.() ?? null;
  }

  private drainElection(): void {
    const out = this.election.drain();
    if (out.send.length === 0 && out.log.length === 0 && out.decided === null) return; // hasReady asks on every call
    // with reconfigEnabled a notification carries the sender's config (FastLeaderElection.buildMsg)
    const config = this.config.reconfigEnabled ? quorumConfigText(this.qc) ?? undefined : undefined;
    for (const s of out.send) this.peerOut.notifications.push(config === undefined ? s : { to: s.to, msg: { ...s.msg, config } });
    for (const l of out.log) this.log(l);
    if (out.decided && this.role === 'looking') this.onDecided(out.decided.state, out.decided.leader);
  }

  private onDecided(state: Exclude<PeerState, 'LOOKING'>, leader: Sid): void {
    this.leaderSid = leader;
    this.election.setState(state);
    // each role runs a new ZooKeeperServer (Leader/Follower/ObserverZooKeeperServer) with fresh ServerStats
    this.resetServerStats();
    if (state === 'LEADING') return this.becomeLeading();
    this.becomeLearner(state === 'OBSERVING' ? 'observing' : 'following', leader);
  }

  private becomeLeading(): void {
    this.role = 'leading';
    this.phase = 'discovery';
    const limitAt = this.now + this.ensemble.initLimit * this.config.tickTime;
    this.leaderState = {
      newEpoch: null, contributions: new Map([[this.ensemble.sid, this.acceptedEpoch]]), epochAcks: new Set([this.ensemble.sid]),
      epochAckQuorum: false, newLeaderAcks: new Set(), learners: new Map(), outstanding: new Map(),
      lastProposed: this.db.lastLoggedZxid(), lastCommitted: this.db.lastAppliedZxid, selfAckedZxid: 0n, tick: 0,
      nextHalfTickAt: this.now + this.config.tickTime / 2, halfTicks: 0, limitAt, pendingSyncs: [], designatedLeader: null,
    };
    this.log(`${this.ensemble.sid} LEADING (acceptedEpoch ${this.acceptedEpoch}, lastZxid ${hex(this.db.lastLoggedZxid())})`);
    this.maybeChooseEpoch();
  }

  private becomeLearner(role: 'following' | 'observing', leader: Sid): void {
    this.role = role;
    this.phase = 'discovery';
    this.learnerState = {
      leader, stage: 'connecting', newEpoch: null, syncMode: null, packetsNotLogged: [], packetsCommitted: [], pendingTxns: new Fifo(),
      lastHeardAt: this.now, newLeaderZxid: 0n, ackAfterPersist: null, acksAfterPersist: new Fifo(), touches: new Map(), pendingRevalidations: new Map(),
      connectTries: 0, connectStartedAt: this.now, reconnectAt: null,
    };
    this.log(`${this.ensemble.sid} ${role.toUpperCase()} ${leader}`);
    this.peerOut.quorumConnect.push(leader);
  }

  private quorum(members: Iterable<Sid>): boolean {
    return containsQuorum(this.qc, members);
  }

  private learnerTimeoutMs(): number {
    const ls = this.learnerState;
    const ticks = ls && ls.stage === 'serving' ? this.ensemble.syncLimit : this.ensemble.initLimit;
    return ticks * this.config.tickTime;
  }

  private sendQuorum(to: Sid, packet: QuorumPacket): void {
    this.peerOut.quorum.push({ to, packet });
  }

  private writeEpoch(file: EpochFile, value: Epoch): void {
    if (file === 'acceptedEpoch') this.acceptedEpoch = value;
    else this.currentEpoch = value;
    this.peerOut.epochWrites.push({ file, value });
  }

  // ----- inputs --------------------------------------------------------------------------

  private onNotification(from: Sid, msg: import('./election-port.ts').Notification): void {
    // the receiver looks at the config first; a restart drops this notification (the new
    // round asks everyone again)
    if (msg.config !== undefined && this.config.reconfigEnabled && this.role === 'looking' && this.adoptNotifiedConfig(msg.config)) return;
    this.election.onNotification(from, msg, this.now);
  }

  /**
   * FastLeaderElection's receiver: a LOOKING server that hears of a newer config adopts it
   * (processReconfig without restartLE) and, if the members differ, starts a new round.
   */
  private adoptNotifiedConfig(text: string): boolean {
    const next = quorumConfigFromText(text);
    if (next.version <= this.qc.version) return false;
    const changed = !sameMembers(this.qc, next);
    this.activateConfig(next);
    if (!changed) return false;
    this.log(`${this.ensemble.sid} restarting leader election: config version ${hex(next.version)}`);
    this.election.restart(this.now, this.db.lastLoggedZxid(), this.currentEpoch);
    return true;
  }

  private onQuorumUp(peer: Sid): void {
    const ls = this.learnerState;
    if (!ls || peer !== ls.leader || ls.stage !== 'connecting') return;
    ls.stage = 'infoSent';
    ls.lastHeardAt = this.now;
    const sid = this.ensemble.sid;
    this.sendQuorum(peer, this.role === 'observing' ? { type: 'ObserverInfo', acceptedEpoch: this.acceptedEpoch, sid } : { type: 'FollowerInfo', acceptedEpoch: this.acceptedEpoch, sid });
  }

  private onQuorumDown(peer: Sid): void {
    const ls = this.learnerState;
    if (ls && peer === ls.leader && ls.stage === 'connecting') return this.onLeaderConnectFailed(ls);
    if (ls && peer === ls.leader) return this.becomeLooking(`connection to leader ${peer} broke`);
    const lst = this.leaderState;
    if (!lst) return;
    const h = lst.learners.get(peer);
    if (!h) return;
    lst.learners.delete(peer);
    this.log(`${this.ensemble.sid} lost learner ${peer}`);
  }

  /** LeaderConnector: a refused (or unreachable) leader is tried again 100 ms later, up to 5 times. */
  private onLeaderConnectFailed(ls: LearnerState): void {
    assert(ls.stage === 'connecting', 'connect retry after the connection was up');
    assert(ls.reconnectAt === null, 'two connection attempts at once');
    const remainingMs = this.ensemble.initLimit * this.config.tickTime - (this.now - ls.connectStartedAt);
    const tries = ls.connectTries++;
    if (remainingMs <= leaderConnectDelayDuringRetryMs) return this.becomeLooking(`connectToLeader exceeded: tries=${tries}, remaining init limit=${remainingMs}, connecting to ${ls.leader}`);
    if (tries >= leaderConnectTriesMax - 1) return this.becomeLooking(`retries exceeded: tries=${tries}, remaining init limit=${remainingMs}, connecting to ${ls.leader}`);
    this.log(`${this.ensemble.sid} failed to connect to leader ${ls.leader}: tries=${tries}, remaining init limit=${remainingMs}, retrying in ${leaderConnectDelayDuringRetryMs} ms`);
    ls.reconnectAt = this.now + leaderConnectDelayDuringRetryMs;
  }

  private onQuorumPacket(from: Sid, packet: QuorumPacket): void {
    if (this.role === 'leading') return this.leaderReceive(from, packet);
    if (this.learnerState && from === this.learnerState.leader) return this.learnerReceive(packet);
    this.log(`${this.ensemble.sid} ignored ${packet.type} from ${from}: not my leader`);
  }

  private onEpochWritten(file: EpochFile, value: Epoch): void {
    this.durableEpoch[file] = value;
    if (this.role === 'leading') return this.leaderEpochWritten(file);
    const ls = this.learnerState;
    if (!ls) return;
    if (file === 'acceptedEpoch' && ls.stage === 'infoSent' && ls.newEpoch === value) {
      ls.stage = 'epochAcked';
      this.sendQuorum(ls.leader, { type: 'AckEpoch', lastLoggedZxid: this.db.lastLoggedZxid(), currentEpoch: this.currentEpoch });
    }
    if (file === 'currentEpoch') this.maybeAckNewLeader();
  }

  private onPeerPersisted(zxid: Zxid): void {
    if (this.role === 'leading') {
      this.onPersisted(zxid); // the leader's own log: counts as its ACK
      return;
    }
    const ls = this.learnerState;
    if (!ls) return;
    if (ls.ackAfterPersist !== null && zxid >= ls.ackAfterPersist) ls.ackAfterPersist = null;
    this.maybeAckNewLeader();
    if (ls.stage !== 'serving') return;
    for (let z = ls.acksAfterPersist.first(); z !== undefined && z <= zxid; z = ls.acksAfterPersist.first()) {
      ls.acksAfterPersist.shift();
      if (this.role === 'following') this.sendQuorum(ls.leader, { type: 'Ack', zxid: z });
    }
  }

  private onPeerTick(nowMs: number): void {
    this.now = Math.max(this.now, nowMs);
    this.election.tick(this.now);
    if (this.role === 'leading') this.leaderTick();
    const ls = this.learnerState;
    if (ls && ls.reconnectAt !== null && this.now >= ls.reconnectAt) {
      ls.reconnectAt = null;
      this.peerOut.quorumConnect.push(ls.leader);
    }
    if (ls && this.now - ls.lastHeardAt > this.learnerTimeoutMs()) {
      this.becomeLooking(`no word from leader ${ls.leader} for ${this.now - ls.lastHeardAt} ms`);
      return;
    }
    if (this.role === 'leading' && this.phase === 'broadcast') super.step({ type: 'tick', nowMs: this.now });
  }

  // ----- leader: discovery and synchronization -------------------------------------------

  private leaderReceive(from: Sid, packet: QuorumPacket): void {
    const lst = this.leaderState!;
    if (packet.type === 'FollowerInfo' || packet.type === 'ObserverInfo') return this.onLearnerInfo(from, packet.type === 'ObserverInfo', packet.acceptedEpoch);
    const h = lst.learners.get(from);
    if (!h) return this.log(`${this.ensemble.sid} ignored ${packet.type} from ${from}: no learner handler`);
    h.tickOfNextAckDeadline = lst.tick + this.ensemble.syncLimit;
    switch (packet.type) {
      case 'AckEpoch': return this.onAckEpoch(h, packet.lastLoggedZxid, packet.currentEpoch);
      case 'Ack': return zxidCounter(packet.zxid) === 0 ? this.onNewLeaderAck(h, packet.zxid) : this.processAck(from, packet.zxid);
      case 'Ping': return this.onLearnerPing(packet.touches);
      case 'Revalidate': return this.onRevalidateRequest(h, packet.sessionId, packet.timeout);
      case 'Request': return this.onLearnerRequest(h, packet);
      default: return this.log(`${this.ensemble.sid} ignored ${packet.type} from learner ${from}`);
    }
  }

  private onLearnerInfo(sid: Sid, observer: boolean, acceptedEpoch: Epoch): void {
    const lst = this.leaderState!;
    const h: LearnerHandler = {
      sid, observer, acceptedEpoch, stage: 'info', lastZxid: -1n, forwarding: false,
      tickOfNextAckDeadline: lst.tick + this.ensemble.initLimit + this.ensemble.syncLimit,
    };
    lst.learners.set(sid, h);
    if (lst.newEpoch === null) {
      if (!observer) lst.contributions.set(sid, acceptedEpoch);
      this.maybeChooseEpoch();
    } else if (this.durableEpoch.acceptedEpoch === lst.newEpoch) {
      this.sendLeaderInfo(h);
    }
  }

  /** Leader.getEpochToPropose: once a quorum contributed, newEpoch = max(acceptedEpoch) + 1. */
  private maybeChooseEpoch(): void {
    const lst = this.leaderState!;
    if (lst.newEpoch !== null || !this.quorum(lst.contributions.keys())) return;
    let max = -1;
    for (const e of lst.contributions.values()) max = Math.max(max, e);
    lst.newEpoch = max + 1;
    this.log(`${this.ensemble.sid} proposes epoch ${lst.newEpoch} (max acceptedEpoch ${max} of ${[...lst.contributions.keys()].join(',')})`);
    // Leader.lead (ZOOKEEPER-1783): an initial config (version 0) takes the zxid the leader
    // starts its epoch at as its version, so a config on disk can be told from this one
    if (this.config.reconfigEnabled && this.qc.version === 0n && this.lastSeenQc.version === 0n) {
      this.lastSeenQc = withVersion(this.qc, makeZxid(lst.newEpoch, 0));
    }
    this.writeEpoch('acceptedEpoch', lst.newEpoch);
  }

  private leaderEpochWritten(file: EpochFile): void {
    const lst = this.leaderState;
    if (!lst || lst.newEpoch === null) return;
    if (file === 'acceptedEpoch') {
      for (const h of lst.learners.values()) if (h.stage === 'info') this.sendLeaderInfo(h);
      this.maybeEpochAckQuorum();
    } else if (file === 'currentEpoch') {
      lst.newLeaderAcks.add(this.ensemble.sid);
      for (const h of lst.learners.values()) if (h.stage === 'epochAcked') this.syncLearner(h);
      this.maybeNewLeaderQuorum();
    }
  }

  private sendLeaderInfo(h: LearnerHandler): void {
    h.stage = 'leaderInfoSent';
    this.sendQuorum(h.sid, { type: 'LeaderInfo', newEpoch: this.leaderState!.newEpoch! });
  }

  /** Leader.waitForEpochAck; a learner more recent than the leader ends this leadership. */
  private onAckEpoch(h: LearnerHandler, lastZxid: Zxid, learnerCurrentEpoch: Epoch): void {
    const lst = this.leaderState!;
    h.lastZxid = lastZxid;
    h.stage = 'epochAcked';
    if (learnerCurrentEpoch !== -1) {
      const mine = this.db.lastLoggedZxid();
      if (learnerCurrentEpoch > this.currentEpoch || (learnerCurrentEpoch === this.currentEpoch && lastZxid > mine)) {
        return this.becomeLooking(`follower ${h.sid} is ahead of the leader (epoch ${learnerCurrentEpoch}, zxid ${hex(lastZxid)})`);
      }
      if (!h.observer) lst.epochAcks.add(h.sid);
    }
    if (lst.epochAckQuorum) {
      if (this.durableEpoch.currentEpoch === lst.newEpoch) this.syncLearner(h);
      return;
    }
    this.maybeEpochAckQuorum();
  }

  private maybeEpochAckQuorum(): void {
    const lst = this.leaderState!;
    if (lst.epochAckQuorum || this.durableEpoch.acceptedEpoch !== lst.newEpoch || !this.quorum(lst.epochAcks)) return;
    lst.epochAckQuorum = true;
    this.phase = 'synchronization';
    this.writeEpoch('currentEpoch', lst.newEpoch!);
  }

  /** LearnerHandler.syncFollower + startForwarding + NEWLEADER. */
  private syncLearner(h: LearnerHandler): void {
    const lst = this.leaderState!;
    const plan = chooseSync({ peerLastZxid: h.lastZxid, lastProcessedZxid: this.db.lastAppliedZxid, committedLog: this.db.committedLog });
    this.log(`${this.ensemble.sid} syncs ${h.sid} with ${plan.kind} ${hex(plan.zxid)} (peer at ${hex(h.lastZxid)})`);
    this.out.trace.push({ type: 'learnerSync', leader: this.ensemble.sid, learner: h.sid, mode: plan.kind, zxid: plan.zxid, peerLastZxid: h.lastZxid });
    if (plan.kind === 'SNAP') {
      this.sendQuorum(h.sid, { type: 'Snap', zxid: this.db.lastAppliedZxid, snapshot: { data: snapshotTree(this.db.tree, this.snapshotSessions()), lastProcessedZxid: this.db.lastAppliedZxid } });
    } else {
      this.sendQuorum(h.sid, plan.kind === 'DIFF' ? { type: 'Diff', zxid: plan.zxid } : { type: 'Trunc', zxid: plan.zxid });
      for (const e of plan.proposals) {
        this.sendQuorum(h.sid, { type: 'Proposal', zxid: e.hdr.zxid, entry: e });
        this.sendQuorum(h.sid, { type: 'Commit', zxid: e.hdr.zxid });
      }
    }
    // startForwarding: proposals not yet committed go out as PROPOSAL (participants only)
    if (!h.observer) {
      for (const p of [...lst.outstanding.values()].sort((a, b) => (a.entry.hdr.zxid < b.entry.hdr.zxid ? -1 : 1))) {
        this.sendQuorum(h.sid, { type: 'Proposal', zxid: p.entry.hdr.zxid, entry: p.entry });
      }
    }
    h.forwarding = true;
    h.stage = 'synced';
    const config = this.config.reconfigEnabled ? quorumConfigText(this.lastSeenQc) ?? undefined : undefined;
    this.sendQuorum(h.sid, { type: 'NewLeader', zxid: makeZxid(lst.newEpoch!, 0), config });
  }

  private onNewLeaderAck(h: LearnerHandler, zxid: Zxid): void {
    const lst = this.leaderState!;
    if (zxid !== makeZxid(lst.newEpoch ?? -1, 0) || h.stage !== 'synced') return; // ACK of UPTODATE etc.
    h.stage = 'newLeaderAcked';
    if (!h.observer) lst.newLeaderAcks.add(h.sid);
    if (this.phase === 'broadcast') return this.sendUpToDate(h);
    this.maybeNewLeaderQuorum();
  }

  private maybeNewLeaderQuorum(): void {
    const lst = this.leaderState!;
    if (this.phase === 'broadcast' || !lst.newLeaderAcks.has(this.ensemble.sid) || !this.quorum(lst.newLeaderAcks)) return;
    // newLeaderProposal.addQuorumVerifier(lastSeen): a pending reconfig needs its quorum too
    if (this.config.reconfigEnabled && !containsQuorum(this.lastSeenQc, lst.newLeaderAcks)) return;
    // Leader.startZkServer
    this.phase = 'broadcast';
    this.epoch = BigInt(lst.newEpoch!);
    this.nextZxidCounter = 1n;
    lst.lastCommitted = makeZxid(lst.newEpoch!, 0);
    this.election.updateVote(lst.newEpoch!);
    for (const s of this.sessions.all()) this.sessions.touch(s.id, this.now); // a new leader starts every session's timer afresh
    this.log(`${this.ensemble.sid} leads epoch ${lst.newEpoch} (NEWLEADER acked by ${[...lst.newLeaderAcks].join(',')})`);
    if (this.config.reconfigEnabled) this.activateConfig(this.lastSeenQc); // Leader.startZkServer: processReconfig
    for (const h of lst.learners.values()) if (h.stage === 'newLeaderAcked') this.sendUpToDate(h);
  }

  private sendUpToDate(h: LearnerHandler): void {
    h.stage = 'upToDate';
    this.sendQuorum(h.sid, { type: 'UpToDate' });
  }

  // ----- leader: broadcast ---------------------------------------------------------------

  /** ZkServer.logTxn on the leader also proposes (Leader.propose). */
  protected override logTxn(f: InFlight): void {
    if (this.role !== 'leading') return super.logTxn(f);
    const lst = this.leaderState!;
    super.logTxn(f);
    this.db.append(f.entry);
    // Leader.propose: a reconfig becomes the last seen config; while it is newer than the
    // committed one, every proposal needs a quorum of both
    if (f.entry.txn.type === 'reconfig' && f.entry.txn.data !== null) this.lastSeenQc = quorumConfigFromText(utf8Decode(f.entry.txn.data));
    const configs = this.lastSeenQc.version > this.qc.version ? [this.qc, this.lastSeenQc] : [this.qc];
    lst.outstanding.set(f.entry.hdr.zxid, { entry: f.entry, acks: new Set(), configs });
    lst.lastProposed = f.entry.hdr.zxid;
    // Leader.propose: one PROPOSAL packet, sent to every forwarding follower (sendPacket)
    let proposal: QuorumPacket | null = null;
    for (const h of lst.learners.values()) {
      if (h.forwarding && !h.observer) this.sendQuorum(h.sid, proposal ??= { type: 'Proposal', zxid: f.entry.hdr.zxid, entry: f.entry });
    }
  }

  /** The leader's own fsync completed: its ACK for every logged proposal up to zxid. */
  protected override onPersisted(zxid: Zxid): void {
    if (this.role !== 'leading') return;
    const lst = this.leaderState!;
    if (zxid <= lst.selfAckedZxid) return;
    const from = lst.selfAckedZxid;
    lst.selfAckedZxid = zxid;
    // outstanding and inFlight hold the same proposals, in zxid order: ack only the ones this
    // fsync made durable (walking every outstanding proposal per fsync was quadratic with
    // many writes in flight: bench/README.md)
    const zxids: Zxid[] = [];
    for (let i = firstAfter(this.inFlight, from); i < this.inFlight.length; i++) {
      const z = this.inFlight.at(i)!.entry.hdr.zxid;
      if (z > zxid) break;
      zxids.push(z);
    }
    for (const z of zxids) this.processAck(this.ensemble.sid, z);
  }

  /** Leader.processAck + tryToCommit: strictly in zxid order, on a quorum of ACKs. */
  private processAck(sid: Sid, zxid: Zxid): void {
    const lst = this.leaderState!;
    const p = lst.outstanding.get(zxid);
    if (!p) return;
    p.acks.add(sid); // each config counts only its own voters (containsQuorum)
    for (let i = 0; i < 1_000_000; i++) {
      const next = this.inFlight.first();
      if (!next || lst.designatedLeader !== null) return; // allowedToCommit
      const np = lst.outstanding.get(next.entry.hdr.zxid);
      if (!np || !hasAckQuorums(np)) return;
      this.commitProposal(next);
    }
  }

  private commitProposal(f: InFlight): void {
    const lst = this.leaderState!;
    const zxid = f.entry.hdr.zxid;
    const p = lst.outstanding.get(zxid)!;
    lst.outstanding.delete(zxid);
    this.inFlight.shift();
    lst.lastCommitted = zxid;
    if (f.entry.txn.type === 'reconfig') return this.commitReconfig(f, p);
    // Leader.commit / inform: one COMMIT packet for the followers, one INFORM for the observers
    let commit: QuorumPacket | null = null;
    let inform: QuorumPacket | null = null;
    for (const h of lst.learners.values()) {
      if (!h.forwarding) continue;
      this.sendQuorum(h.sid, h.observer ? inform ??= { type: 'Inform', zxid, entry: f.entry } : commit ??= { type: 'Commit', zxid });
    }
    this.commit(f);
    this.answerPendingSyncs(zxid);
  }

  /**
   * Leader.tryToCommit for a reconfig: activate the new config, tell followers with
   * COMMITANDACTIVATE (observers with INFORMANDACTIVATE) who leads now; if that is not this
   * server, stop committing (allowedToCommit = false) and hand over once the followers leave.
   */
  private commitReconfig(f: InFlight, p: Proposal): void {
    const lst = this.leaderState!;
    const zxid = f.entry.hdr.zxid;
    const next = p.configs[p.configs.length - 1];
    const designated = designatedLeader(next, this.ensemble.sid, p.acks);
    this.activateConfig(next);
    if (designated !== this.ensemble.sid) {
      lst.designatedLeader = designated;
      this.log(`${this.ensemble.sid} is not the designated leader anymore (${designated} is): allowedToCommit=false`);
    }
    for (const h of lst.learners.values()) {
      if (!h.forwarding) continue;
      this.sendQuorum(h.sid, h.observer ? { type: 'InformAndActivate', zxid, entry: f.entry, designatedLeader: designated } : { type: 'CommitAndActivate', zxid, designatedLeader: designated });
    }
    this.commit(f);
    this.answerPendingSyncs(zxid);
  }

  private answerPendingSyncs(zxid: Zxid): void {
    const lst = this.leaderState!;
    for (let i = lst.pendingSyncs.length - 1; i >= 0; i--) {
      const s = lst.pendingSyncs[i];
      if (s.zxid > zxid) continue;
      this.sendQuorum(s.sid, { type: 'Sync', sessionId: s.sessionId, cxid: s.cxid });
      lst.pendingSyncs.splice(i, 1);
    }
  }

  protected override applyToTree(entry: TxnEntry): import('../datatree/data-tree.ts').ApplyResult {
    return this.db.applyCommitted(entry);
  }

  private onLearnerPing(touches: readonly { sessionId: SessionId; timeout: number }[]): void {
    for (const t of touches) this.sessions.touch(t.sessionId, this.now);
  }

  private onRevalidateRequest(h: LearnerHandler, sessionId: SessionId, timeout: number): void {
    const s = this.sessions.get(sessionId);
    const valid = !!s && !s.closing && this.sessions.touch(sessionId, this.now);
    if (valid) {
      this.sessions.setOwner(sessionId, h.sid);
      s!.timeout = timeout;
    }
    this.sendQuorum(h.sid, { type: 'Revalidate', sessionId, timeout, valid });
  }

  /** A write (or sync, or session change) a learner forwarded: into the leader's Prep. */
  private onLearnerRequest(h: LearnerHandler, req: Extract<QuorumPacket, { type: 'Request' }>): void {
    if (this.phase !== 'broadcast') return;
    const lst = this.leaderState!;
    const op = req.op as Op | { type: 'createSession'; timeOut: number };
    if (op.type === 'sync') {
      if (lst.outstanding.size === 0) this.sendQuorum(h.sid, { type: 'Sync', sessionId: req.sessionId, cxid: req.cxid });
      else lst.pendingSyncs.push({ zxid: lst.lastProposed, sid: h.sid, sessionId: req.sessionId, cxid: req.cxid });
      return;
    }
    this.sessions.touch(req.sessionId, this.now);
    const zxid = this.nextZxid();
    const txn = this.prepForLearner(h.sid, req.sessionId, zxid, op, req.authInfo);
    this.logTxn({ entry: { hdr: { clientId: req.sessionId, cxid: req.cxid, zxid, time: this.now }, txn }, err: Code.OK, connId: null, pending: null });
  }

  private prepForLearner(owner: Sid, sessionId: SessionId, zxid: Zxid, op: Op | { type: 'createSession'; timeOut: number }, authInfo: readonly Id[]): Txn {
    if (op.type === 'createSession') {
      // PrepRequestProcessor: trackSession, then setOwner(the learner that forwarded it)
      this.sessions.add(sessionId, op.timeOut, this.now);
      this.sessions.setOwner(sessionId, owner);
      return { type: 'createSession', timeOut: op.timeOut };
    }
    if (op.type === 'closeSession') {
      const txn = prepCloseSession(super.prepContext(), sessionId, zxid);
      this.sessions.setClosing(sessionId);
      return txn;
    }
    return prepWrite(this.ownerContext(owner), { sessionId, zxid, time: this.now, authInfo, op: op as WriteOp }).txn;
  }

  /**
   * The leader's PrepRequestProcessor checks a write's session against its owner
   * (SessionTrackerImpl.checkSession): the server the session last connected through — the
   * learner that forwarded its createSession or REVALIDATE, or the leader itself for its own
   * connections (ServerCnxn.me). A write still arriving through another server after the
   * session moved becomes an error txn with SESSIONMOVED; a session without an owner (one
   * rebuilt from the log) takes the first one it is checked with.
   */
  private ownerContext(owner: Sid): PrepContext {
    const base = this.reconfigContext(super.prepContext());
    return {
      ...base,
      checkSession: (id) => {
        const code = base.checkSession(id);
        if (code !== Code.OK) return code;
        const s = this.sessions.get(id)!;
        if (s.owner === null) s.owner = owner;
        return s.owner === owner ? Code.OK : Code.SESSIONMOVED;
      },
    };
  }

  /**
   * On the leader every request of its own connections passes PrepRequestProcessor's
   * checkSession, reads and pings included; a session that moved to a learner gets its old
   * connection here closed (FinalRequestProcessor rethrows SessionMovedException). Learners
   * serve reads without the check, as in ZooKeeper.
   */
  protected override answerRead(c: Cnxn, p: Pending): void {
    const owner = this.role === 'leading' ? this.sessions.get(c.sessionId)?.owner ?? null : null;
    if (owner === null || owner === this.ensemble.sid) return super.answerRead(c, p);
    this.log(`Session ${hex(c.sessionId)} moved: closing its connection ${c.connId}`);
    this.closeCnxn(c);
    c.queue.clear();
  }

  /** The leader's own connections are one owner (ServerCnxn.me in ZooKeeper). */
  protected override prepContext(): PrepContext {
    return this.role === 'leading' ? this.ownerContext(this.ensemble.sid) : this.reconfigContext(super.prepContext());
  }

  /** Twice a tick: PING every learner; once a tick: step down without a synced quorum. */
  private leaderTick(): void {
    const lst = this.leaderState!;
    if (this.phase !== 'broadcast' && this.now >= lst.limitAt) {
      return this.becomeLooking(`no quorum formed within initLimit (${this.phase})`);
    }
    for (let i = 0; i < 1000 && this.now >= lst.nextHalfTickAt; i++) {
      lst.nextHalfTickAt += this.config.tickTime / 2;
      lst.halfTicks++;
      if (lst.halfTicks % 2 === 0) {
        lst.tick++;
        if (this.phase === 'broadcast' && !this.syncedQuorum()) return;
      }
      for (const h of lst.learners.values()) this.sendQuorum(h.sid, { type: 'Ping', zxid: lst.lastProposed, touches: [] });
    }
  }

  private syncedQuorum(): boolean {
    const lst = this.leaderState!;
    const synced = [this.ensemble.sid];
    for (const h of lst.learners.values()) if (!h.observer && lst.tick <= h.tickOfNextAckDeadline) synced.push(h.sid);
    if (this.quorum(synced) && lst.designatedLeader === null) return true;
    const why = `Not sufficient followers synced, only synced with sids: [ ${synced.join(',')} ]`;
    if (lst.designatedLeader !== null) this.becomeDesignated(lst.designatedLeader, why);
    else this.becomeLooking(why);
    return false;
  }

  /** Leader.isQuorumSynced: the leader (if it votes in `qc`) and its synced followers. */
  private isQuorumSynced(qc: QuorumConfig): boolean {
    const lst = this.leaderState!;
    const ids: Sid[] = isVoter(qc, this.ensemble.sid) ? [this.ensemble.sid] : [];
    for (const h of lst.learners.values()) {
      if (h.forwarding && !h.observer && lst.tick <= h.tickOfNextAckDeadline && isVoter(qc, h.sid)) ids.push(h.sid);
    }
    return containsQuorum(qc, ids);
  }

  /** The reconfig hook of PrepRequestProcessor: on the leader, the new config's text. */
  private reconfigContext(base: PrepContext): PrepContext {
    const leader = this.role === 'leading' && this.leaderState !== null
      ? (op: ReconfigOp, zxid: Zxid): Data => {
        const ctx = { committed: this.qc, lastSeen: this.lastSeenQc, standaloneEnabled: true, isQuorumSynced: (qc: QuorumConfig) => this.isQuorumSynced(qc) };
        return utf8Encode(quorumConfigText(nextQuorumConfig(ctx, op, zxid))!);
      }
      : null;
    return { ...base, reconfig: { enabled: this.config.reconfigEnabled, leader } };
  }

  /**
   * QuorumPeer.processReconfig without the restart: the committed config (and the last seen
   * one, if older) becomes `next`, /zookeeper/config shows it, the election counts its voters.
   */
  private activateConfig(next: QuorumConfig): void {
    const changed = !sameMembers(this.qc, next);
    this.qc = next;
    if (this.lastSeenQc.version < next.version) this.lastSeenQc = next;
    this.initConfigNode();
    this.election.setQuorumConfig(next.voters, next.observers, next.version);
    this.log(`${this.ensemble.sid} config version ${hex(next.version)}: voters ${next.voters.join(',')}${next.observers.length > 0 ? ` observers ${next.observers.join(',')}` : ''}${changed ? '' : ' (same members)'}`);
  }

  // ----- learner -------------------------------------------------------------------------

  private learnerReceive(packet: QuorumPacket): void {
    const ls = this.learnerState!;
    ls.lastHeardAt = this.now;
    switch (packet.type) {
      case 'LeaderInfo': return this.onLeaderInfo(packet.newEpoch);
      case 'Diff': case 'Trunc': case 'Snap': return this.onSyncStart(packet);
      case 'Proposal': return this.onProposal(packet.entry);
      case 'Commit': return this.onCommit(packet.zxid);
      case 'Inform': return this.onInform(packet.entry);
      case 'CommitAndActivate': return this.onCommitAndActivate(packet.zxid, packet.designatedLeader);
      case 'InformAndActivate': return this.onInformAndActivate(packet.entry, packet.designatedLeader);
      case 'NewLeader': return this.onNewLeader(packet.zxid, packet.config);
      case 'UpToDate': return this.onUpToDate();
      case 'Ping': return this.sendPingReply();
      case 'Revalidate': return this.onRevalidateReply(packet.sessionId, packet.valid === true);
      case 'Sync': return this.onSyncReply(packet.sessionId, packet.cxid);
      default: return this.log(`${this.ensemble.sid} ignored ${packet.type} from leader`);
    }
  }

  /** Learner.registerWithLeader: accept a newer epoch (durably) before ACKEPOCH. */
  private onLeaderInfo(newEpoch: Epoch): void {
    const ls = this.learnerState!;
    if (ls.stage !== 'infoSent') return;
    ls.newEpoch = newEpoch;
    if (newEpoch > this.acceptedEpoch) {
      this.writeEpoch('acceptedEpoch', newEpoch); // ACKEPOCH after it is durable (onEpochWritten)
    } else if (newEpoch === this.acceptedEpoch) {
      ls.stage = 'epochAcked';
      this.sendQuorum(ls.leader, { type: 'AckEpoch', lastLoggedZxid: this.db.lastLoggedZxid(), currentEpoch: -1 });
    } else {
      this.becomeLooking(`leader's epoch ${newEpoch} is less than our accepted epoch ${this.acceptedEpoch}`);
    }
  }

  private onSyncStart(packet: Extract<QuorumPacket, { type: 'Diff' | 'Trunc' | 'Snap' }>): void {
    const ls = this.learnerState!;
    ls.stage = 'syncing';
    this.phase = 'synchronization';
    ls.syncMode = packet.type === 'Diff' ? 'DIFF' : packet.type === 'Trunc' ? 'TRUNC' : 'SNAP';
    this.log(`${this.ensemble.sid} sync ${ls.syncMode} ${hex(packet.zxid)} from ${ls.leader}`);
    if (packet.type === 'Trunc') this.truncateTo(packet.zxid);
    if (packet.type === 'Snap') this.loadSnapshot(packet.snapshot.data, packet.snapshot.lastProcessedZxid);
  }

  /**
   * TRUNC: ZKDatabase.truncateLog: the dataDir drops every logged txn after zxid and the
   * database is reloaded from it (the peer keeps no history of its own in memory).
   */
  private truncateTo(zxid: Zxid): void {
    const base = this.db.baseZxid;
    if (base !== null && zxid < base) {
      // the log files before that snapshot are gone (a SNAP sync deletes them): FileTxnLog.truncate
      // finds no log to truncate and ZooKeeper exits here
      return this.becomeLooking(`cannot truncate to ${hex(zxid)}: it is before the snapshot at ${hex(base)}`);
    }
    const reloaded = this.dataDir.truncateAndReload(zxid);
    if (reloaded === null) return this.becomeLooking(`Not able to truncate the log ${hex(zxid)}`);
    this.db = databaseOf(reloaded, this.config.extendedTypesEnabled);
    // the dataDir has no txn log before the old base either
    if (base !== null && (this.db.baseZxid === null || this.db.baseZxid < base)) this.db.baseZxid = base;
    this.tree = this.db.tree;
    // ZKDatabase.truncateLog reloads the sessions with the tree (clear(), loadDataBase()): a
    // session whose closeSession was truncated lives again, one whose createSession was is gone
    this.sessions.resetTo(this.db.sessions, this.now);
    this.lastSeenQc = lastSeenInLog(this.qc, reloaded.log); // a truncated reconfig proposal is forgotten
    this.initConfigNode();
    this.peerOut.truncate = zxid;
  }

  private loadSnapshot(data: unknown, lastZxid: Zxid): void {
    const restored = restoreTree(data, this.config.extendedTypesEnabled);
    this.db = ZkDatabase.fromSnapshot(this.config.extendedTypesEnabled, restored.tree, lastZxid, restored.sessions);
    this.tree = this.db.tree;
    this.initConfigNode();
    // ZKDatabase.deserializeSnapshot: the leader's sessions replace ours
    this.sessions.resetTo(this.db.sessions, this.now);
    // nothing reaches the disk before NEWLEADER (ZOOKEEPER-3642): the snapshot is taken there
  }

  private onProposal(entry: TxnEntry): void {
    const ls = this.learnerState!;
    if (ls.stage !== 'serving') {
      ls.packetsNotLogged.push(entry);
      return;
    }
    this.logProposal(entry);
  }

  private logProposal(entry: TxnEntry): void {
    const ls = this.learnerState!;
    // Follower.processPacket: a reconfig proposal is the last seen config from now on
    if (entry.txn.type === 'reconfig' && entry.txn.data !== null) this.lastSeenQc = quorumConfigFromText(utf8Decode(entry.txn.data));
    this.db.append(entry);
    ls.pendingTxns.push(entry);
    ls.acksAfterPersist.push(entry.hdr.zxid);
    this.out.persist.push(entry);
    this.out.trace.push({ type: 'txnLogged', zxid: entry.hdr.zxid, entry });
  }

  private onCommit(zxid: Zxid): void {
    const ls = this.learnerState!;
    if (ls.stage === 'serving') return this.commitPending(zxid);
    const head = ls.packetsNotLogged[0];
    if ((ls.syncMode === 'SNAP' || ls.syncMode === 'TRUNC') && ls.newLeaderZxid === 0n && head && head.hdr.zxid === zxid) {
      // Learner.syncWithLeader, writeToTxnLog false: applied in memory only; the snapshot taken
      // at NEWLEADER makes it durable
      ls.packetsNotLogged.shift();
      this.db.append(head);
      this.applyEntry(head);
      return;
    }
    ls.packetsCommitted.push(zxid);
  }

  /** FollowerZooKeeperServer.commit: the zxid must be the head of pendingTxns. */
  private commitPending(zxid: Zxid): void {
    const ls = this.learnerState!;
    const head = ls.pendingTxns.first();
    if (!head || head.hdr.zxid !== zxid) {
      return this.becomeLooking(`Committing zxid ${hex(zxid)} but next pending txn ${head ? hex(head.hdr.zxid) : 'none'}`);
    }
    ls.pendingTxns.shift();
    this.applyEntry(head);
  }

  private onInform(entry: TxnEntry): void {
    const ls = this.learnerState!;
    if (ls.stage !== 'serving') {
      ls.packetsNotLogged.push(entry);
      ls.packetsCommitted.push(entry.hdr.zxid);
      return;
    }
    this.db.append(entry);
    this.out.persist.push(entry);
    this.applyEntry(entry);
  }

  /**
   * COMMITANDACTIVATE (Follower.processPacket): the pending reconfig is the committed config
   * now. If this server's role or leader changes, it leaves and goes straight to the
   * designated leader (QuorumPeer.updateServerState); otherwise it keeps following.
   */
  private onCommitAndActivate(zxid: Zxid, designated: Sid): void {
    const ls = this.learnerState!;
    const head = ls.pendingTxns.first();
    if (ls.stage !== 'serving' || !head || head.hdr.zxid !== zxid || head.txn.type !== 'reconfig' || head.txn.data === null) {
      // during sync the NEWLEADER config carries the outcome
      return this.onCommit(zxid);
    }
    const major = this.processReconfig(quorumConfigFromText(utf8Decode(head.txn.data)), designated);
    this.commitPending(zxid);
    if (major) this.becomeDesignated(designated, 'changes proposed in reconfig');
  }

  /** INFORMANDACTIVATE: an observer's COMMITANDACTIVATE, with the txn. */
  private onInformAndActivate(entry: TxnEntry, designated: Sid): void {
    const ls = this.learnerState!;
    if (ls.stage !== 'serving' || entry.txn.type !== 'reconfig' || entry.txn.data === null) return this.onInform(entry);
    const major = this.processReconfig(quorumConfigFromText(utf8Decode(entry.txn.data)), designated);
    this.onInform(entry);
    if (major) this.becomeDesignated(designated, 'changes proposed in reconfig');
  }

  /**
   * QuorumPeer.processReconfig on a learner: adopt `next`; true when this server's learner type
   * changes (updateLearnerType) or the designated leader is not the one it follows (updateVote).
   */
  private processReconfig(next: QuorumConfig, designated: Sid | null): boolean {
    if (!this.config.reconfigEnabled || next.version <= this.qc.version) return false;
    const wasObserver = this.isObserver();
    this.activateConfig(next);
    const sid = this.ensemble.sid;
    // a server left out of the config stays a non-voting participant
    const roleChange = isMember(next, sid) ? wasObserver !== this.isObserver() : wasObserver;
    const leaderChange = designated !== null && designated !== this.leaderSid;
    return roleChange || leaderChange;
  }

  /** NEWLEADER: log + apply the committed txns, fsync, write currentEpoch, then ACK. */
  private onNewLeader(zxid: Zxid, config?: string): void {
    const ls = this.learnerState!;
    if (config !== undefined) this.processReconfig(quorumConfigFromText(config), null); // Learner.syncWithLeader
    ls.newLeaderZxid = zxid;
    ls.stage = 'newLeaderPending';
    for (const cz of ls.packetsCommitted) {
      const idx = ls.packetsNotLogged.findIndex((e) => e.hdr.zxid === cz);
      if (idx < 0) continue;
      const [e] = ls.packetsNotLogged.splice(0, idx + 1).slice(-1);
      this.db.append(e);
      this.out.persist.push(e);
      this.applyEntry(e);
    }
    ls.packetsCommitted.length = 0;
    // Learner.syncWithLeader: SNAP and TRUNC take their snapshot here, just before currentEpoch
    // (3.8.0 has no updatingEpoch file: a crash between the two leaves a dataDir that does not load)
    if (ls.syncMode === 'SNAP' || ls.syncMode === 'TRUNC') {
      this.peerOut.snapshot = true;
      this.db.baseZxid = this.db.lastAppliedZxid; // the host drops the log files before it
    }
    ls.ackAfterPersist = this.out.persist.length > 0 ? this.out.persist[this.out.persist.length - 1].hdr.zxid : null;
    this.writeEpoch('currentEpoch', zxidEpoch(zxid));
  }

  private maybeAckNewLeader(): void {
    const ls = this.learnerState;
    if (!ls || ls.stage !== 'newLeaderPending' || ls.ackAfterPersist !== null) return;
    if (this.durableEpoch.currentEpoch !== zxidEpoch(ls.newLeaderZxid)) return;
    ls.stage = 'syncing';
    this.sendQuorum(ls.leader, { type: 'Ack', zxid: ls.newLeaderZxid });
  }

  private onUpToDate(): void {
    const ls = this.learnerState!;
    ls.stage = 'serving';
    this.phase = 'broadcast';
    this.epoch = BigInt(zxidEpoch(ls.newLeaderZxid));
    this.election.updateVote(zxidEpoch(ls.newLeaderZxid));
    this.log(`${this.ensemble.sid} is up to date with leader ${ls.leader} (epoch ${zxidEpoch(ls.newLeaderZxid)})`);
    const rest = ls.packetsNotLogged.splice(0);
    const committed = new Set(ls.packetsCommitted.splice(0));
    for (const e of rest) {
      if (this.role === 'observing') {
        this.db.append(e);
        this.out.persist.push(e);
        this.applyEntry(e);
      } else {
        this.logProposal(e);
      }
    }
    for (const e of rest) if (committed.has(e.hdr.zxid) && this.role === 'following') this.commitPending(e.hdr.zxid);
  }

  private sendPingReply(): void {
    const ls = this.learnerState!;
    if (this.role === 'observing' || ls.stage !== 'serving') {
      this.sendQuorum(ls.leader, { type: 'Ping', zxid: this.db.lastLoggedZxid(), touches: [] });
      return;
    }
    const touches = [...ls.touches].map(([sessionId, timeout]) => ({ sessionId, timeout }));
    ls.touches.clear();
    this.sendQuorum(ls.leader, { type: 'Ping', zxid: this.db.lastLoggedZxid(), touches });
  }

  // ----- client-facing overrides ---------------------------------------------------------

  protected override onClientConnected(connId: number, remoteAddress: string): void {
    if (!this.isServing()) {
      this.out.clientOutput.push({ type: 'close', connId });
      return;
    }
    super.onClientConnected(connId, remoteAddress);
  }

  protected override createSession(c: Cnxn, timeout: number): void {
    if (this.role === 'leading') {
      super.createSession(c, timeout);
      this.sessions.setOwner(c.sessionId, this.ensemble.sid);
      return;
    }
    const ls = this.learnerState!;
    const id = this.sessions.newSessionId();
    c.sessionId = id;
    this.sendQuorum(ls.leader, { type: 'Request', sessionId: id, cxid: 0, op: { type: 'createSession', timeOut: timeout } as unknown as Op, authInfo: [], owner: this.ensemble.sid });
  }

  protected override reopenSession(c: Cnxn, req: import('../protocol/client-protocol.ts').ConnectRequest, timeout: number): void {
    if (this.role === 'leading') {
      super.reopenSession(c, req, timeout);
      if (c.sessionId === req.sessionId) this.sessions.setOwner(req.sessionId, this.ensemble.sid);
      return;
    }
    const ls = this.learnerState!;
    c.sessionId = req.sessionId;
    c.connectTimeout = timeout;
    ls.pendingRevalidations.set(req.sessionId, c.connId);
    this.sendQuorum(ls.leader, { type: 'Revalidate', sessionId: req.sessionId, timeout });
  }

  private onRevalidateReply(sessionId: SessionId, valid: boolean): void {
    const ls = this.learnerState!;
    const connId = ls.pendingRevalidations.get(sessionId);
    ls.pendingRevalidations.delete(sessionId);
    const c = connId === undefined ? undefined : this.cnxns.get(connId);
    if (!c) return;
    if (!valid) {
      this.send(c, { type: 'connected', resp: { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false } });
      this.closeCnxn(c);
      return;
    }
    for (const other of [...this.cnxns.values()]) if (other !== c && other.sessionId === sessionId) this.closeCnxn(other);
    if (!this.sessions.get(sessionId)) this.sessions.add(sessionId, c.connectTimeout, this.now);
    this.finishSessionInit(c, c.connectTimeout);
  }

  /** On a learner, writes (and sync) go to the leader; the reply waits for the COMMIT. */
  protected override prepare(c: Cnxn, pending: import('../server/zk-server.ts').Pending): void {
    if (this.role === 'leading') return super.prepare(c, pending);
    const ls = this.learnerState!;
    if (pending.op.type === 'closeSession') this.sessions.setClosing(c.sessionId);
    this.sendQuorum(ls.leader, { type: 'Request', sessionId: c.sessionId, cxid: pending.xid, op: pending.op, authInfo: c.authInfo, owner: this.ensemble.sid });
  }

  protected override submitRequest(c: Cnxn, xid: number, op: Op): void {
    if (this.learnerState) this.learnerState.touches.set(c.sessionId, this.sessions.get(c.sessionId)?.timeout ?? 0);
    if (op.type === 'sync' && this.learnerState) {
      // a learner forwards sync and answers it when the leader's SYNC arrives (matchSyncs)
      c.queue.push({ xid, op, reply: null, needsCommit: true });
      this.sendQuorum(this.learnerState.leader, { type: 'Request', sessionId: c.sessionId, cxid: xid, op, authInfo: c.authInfo, owner: this.ensemble.sid });
      return;
    }
    super.submitRequest(c, xid, op);
  }

  private onSyncReply(sessionId: SessionId, cxid: number): void {
    for (const c of this.cnxns.values()) {
      if (c.sessionId !== sessionId) continue;
      const p = c.queue.find((q) => q.xid === cxid && q.op.type === 'sync');
      if (!p) continue;
      p.reply = { type: 'reply', xid: cxid, zxid: this.tree.lastProcessedZxid, err: Code.OK, result: { type: 'sync', path: (p.op as { path: string }).path } };
      this.drain(c);
    }
  }

  /** Only the leader expires sessions (and reaps containers); learners keep their touch table. */
  protected override onTick(nowMs: number): void {
    if (this.role === 'leading' && this.phase === 'broadcast') super.onTick(nowMs);
  }

  /** What a SNAP-synced learner writes to disk (Learner.syncWithLeader takes a snapshot). */
  takeSnapshot(): { data: TreeSnapshot; zxid: Zxid } {
    return { data: snapshotTree(this.db.tree, this.snapshotSessions()), zxid: this.db.lastAppliedZxid };
  }

  /**
   * The sessions a snapshot (or a SNAP) carries: ZKDatabase.sessionsWithTimeouts, the sessions
   * of the tree as applied — not the tracker's, which on a leader already holds sessions whose
   * createSession is not committed yet (trackSession at Prep, commitSession on apply).
   */
  snapshotSessions(): { id: SessionId; timeout: number }[] {
    return [...this.db.sessions].map(([id, timeout]) => ({ id, timeout }));
  }

  /** status(): a read-only summary for 4lw, the UI and checkers. */
  status(): { sid: Sid; role: Role; phase: ZabPhase; leader: Sid | null; acceptedEpoch: Epoch; currentEpoch: Epoch; lastLoggedZxid: Zxid; lastAppliedZxid: Zxid; serving: boolean } {
    return {
      sid: this.ensemble.sid, role: this.role, phase: this.phase, leader: this.leaderSid, acceptedEpoch: this.acceptedEpoch,
      currentEpoch: this.currentEpoch, lastLoggedZxid: this.db.lastLoggedZxid(), lastAppliedZxid: this.db.lastAppliedZxid, serving: this.isServing(),
    };
  }

  /** What the four-letter words read beyond status(): the leader's learner gauges, the sync in progress. */
  fourLetterFacts(): QuorumFourLetterFacts {
    const lst = this.leaderState;
    const handlers = lst ? [...lst.learners.values()] : [];
    const upToDate = handlers.filter((h) => h.stage === 'upToDate');
    return {
      learners: handlers.length,
      syncedFollowers: upToDate.filter((h) => !h.observer).length,
      syncedObservers: upToDate.filter((h) => h.observer).length,
      pendingSyncs: lst ? lst.pendingSyncs.length : 0,
      syncMode: this.phase === 'synchronization' ? this.learnerState?.syncMode ?? null : null,
      proposals: lst && lst.newEpoch !== null ? this.proposalsOfEpoch(lst.newEpoch, lst) : [],
    };
  }

  /** The proposals this leader made in its epoch and still holds (committedLog window + outstanding). */
  private proposalsOfEpoch(epoch: Epoch, lst: LeaderState): TxnEntry[] {
    const committed = this.db.committedLog.filter((e) => zxidEpoch(e.hdr.zxid) === epoch);
    const outstanding = [...lst.outstanding.values()].map((p) => p.entry).filter((e) => e.hdr.zxid > this.db.lastAppliedZxid);
    return [...committed, ...outstanding];
  }
}

export interface QuorumFourLetterFacts {
  readonly learners: number;
  readonly syncedFollowers: number;
  readonly syncedObservers: number;
  readonly pendingSyncs: number;
  readonly syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null;
  /** the proposals of this leader's epoch, oldest first (for `Proposal sizes`) */
  readonly proposals: readonly TxnEntry[];
}

/**
 * zoo.cfg.dynamic.next: a reconfig proposal logged but not known committed is the last seen
 * config after a restart (the newest reconfig txn in the log, if newer than the saved config).
 */
function lastSeenInLog(committed: QuorumConfig, log: readonly TxnEntry[]): QuorumConfig {
  let seen = committed;
  for (const e of log) {
    if (e.txn.type !== 'reconfig' || e.txn.data === null || e.hdr.zxid <= seen.version) continue;
    seen = quorumConfigFromText(utf8Decode(e.txn.data));
  }
  return seen;
}

function emptyPeerExtras(): Omit<PeerReady, keyof Ready> & { truncate: Zxid | null; snapshot: boolean } {
  return { notifications: [], quorum: [], quorumConnect: [], quorumClose: [], epochWrites: [], truncate: null, snapshot: false };
}

export { assert, zxidCounter };

/** Proposal.hasAllQuorums: a quorum of ACKs in each of its configs. */
function hasAckQuorums(p: Proposal): boolean {
  for (const c of p.configs) if (!containsQuorum(c, p.acks)) return false;
  return true;
}

/** Index of the first entry with zxid > `zxid` in a zxid-ordered in-flight list (binary search). */
function firstAfter(list: Fifo<InFlight>, zxid: Zxid): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.at(mid)!.entry.hdr.zxid <= zxid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The database a dataDir holds (restart, TRUNC's reload): the snapshot's tree plus every txn logged after it. */
function databaseOf(durable: DurableDatabase | DurableState, extendedTypesEnabled: boolean): ZkDatabase {
  const snapshot = durable.snapshot ?? null;
  if (snapshot === null) return new ZkDatabase(extendedTypesEnabled, durable.log);
  const restored = restoreTree(snapshot.data, extendedTypesEnabled);
  const db = ZkDatabase.fromSnapshot(extendedTypesEnabled, restored.tree, snapshot.zxid, restored.sessions);
  for (const e of durable.log) {
    if (e.hdr.zxid <= snapshot.zxid) continue;
    db.log.push(e);
    db.applyCommitted(e);
  }
  return db;
}
