/**
 * Ensemble: a simulated ZooKeeper ensemble in virtual time. Each server is a QuorumPeer driven
 * by a PeerHost over its own MemoryDisk dataDir (myid, version-2/acceptedEpoch, currentEpoch,
 * log.<zxid>, snapshot.<zxid>): appends are buffered, an fsync completes after a seeded
 * latency, a crash loses every unflushed byte, and a restart recovers the server from its
 * newest snapshot plus the txn log, as ZooKeeper does. Peers talk over election links
 * (notifications) and quorum connections (FIFO, connection-oriented: a partition or a crash
 * breaks them and both ends notice); clients reach server N at 127.0.0.1:(2180+N) through the
 * ClientWorld, or, when the ensemble comes from a zoo.cfg (`members`), at the client address
 * and with the ids that file gives. A `standalone` ensemble is one ZkServer, as ZooKeeper runs
 * a config with a single participant; its txn log is kept as a list of durable and unflushed
 * txns (`standaloneLogs`).
 *
 * Every delay comes from the seeded Rng, so a run is a pure function of (seed, actions).
 */
import type { Epoch, Sid, Zxid } from '../../engine/protocol/ids.ts';
import type { QuorumPacket } from '../../engine/protocol/quorum-packets.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import type { Notification } from '../../engine/quorum/election-port.ts';
import type { PeerReady } from '../../engine/quorum/peer-io.ts';
import type { EnsembleConfig, QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import { defaultServerConfig, type ServerConfig } from '../../engine/server/server-config.ts';
import { ZkServer } from '../../engine/server/zk-server.ts';
import type { Ready } from '../../engine/server/server-io.ts';
import { recover } from '../../engine/storage/recover.ts';
import { LogIterator, logRecordsReadMax } from '../../engine/storage/txn-log.ts';
import { assert } from '../../engine/util/assert.ts';
import { PeerHost } from '../host/peer-host.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { ClientWorld } from './client-world.ts';
import { Rng } from './rng.ts';
import { createElection } from './election-factory.ts';
import { isMember, quorumConfigFromText, quorumConfigText } from '../../engine/quorum/quorum-config.ts';

/** A joiner's zoo.cfg: the initial members, then itself as a participant with a client port. */
function joinerConfigText(membersText: string, sid: Sid, type: 'participant' | 'observer' = 'participant'): string {
  const lines = membersText.split('\n').filter((l) => !l.startsWith('version='));
  return [...lines, `server.${sid}=127.0.0.1:${2880 + sid}:${3880 + sid}:${type};127.0.0.1:${clientPortBase + sid}`, 'version=0'].join('\n');
}

export interface EnsembleOptions {
  readonly servers: number;
  readonly observers?: number;
  /**
   * servers outside the initial config (sids after the members): each starts with the config
   * a joiner needs, the initial members plus itself, and waits to be reconfigured in
   */
  readonly spares?: number;
  /** how many of the spares (the last ones) join as observers */
  readonly spareObservers?: number;
  readonly seed: number;
  readonly tickTime?: number;
  readonly initLimit?: number;
  readonly syncLimit?: number;
  readonly startMs?: number;
  /** one-way delay of peer messages, virtual ms [min, max] */
  readonly peerDelayMs?: readonly [number, number];
  /** fsync latency, virtual ms [min, max] */
  readonly fsyncDelayMs?: readonly [number, number];
  /** zoo.cfg `snapCount` (zookeeper.snapCount), txns between snapshots; default 100000 */
  readonly snapCount?: number;
  /** a crash keeps a random prefix of the unflushed writes, the last one maybe torn */
  readonly tornWrites?: boolean;
  readonly serverConfig?: Partial<ServerConfig>;
  /** the servers of a zoo.cfg (ids 1-255 in any order); default server.1..N at 127.0.0.1:2180+N */
  readonly members?: readonly EnsembleMember[];
  /** the text of /zookeeper/config (QuorumVerifier.toString) when `members` is given */
  readonly configText?: string;
  /** a single ZkServer, not a quorum peer (zoo.cfg with one participant and standaloneEnabled) */
  readonly standalone?: boolean;
}

export interface EnsembleMember {
  readonly sid: Sid;
  readonly observer: boolean;
  /** where clients reach it, "host:port" */
  readonly clientAddress: string;
}

/** What a server's dataDir holds durably (survives a crash now), for tests and checkers. */
export interface DurableView {
  readonly acceptedEpoch: Epoch;
  readonly currentEpoch: Epoch;
  /** the newest snapshot's zxid (0: none but the empty snapshot.0) */
  readonly snapshotZxid: Zxid;
  /** every durable txn log record, across log files, in file order */
  readonly log: TxnEntry[];
  /** file names under the dataDir */
  readonly files: string[];
}

/**
 * One server's dataDir in the simulator: the MemoryDisk its PeerHost writes (it outlives the
 * server's crashes) and a read-only view of what it holds durably.
 */
export class SimDataDir {
  readonly disk = new MemoryDisk();

  constructor(readonly sid: Sid, private readonly extendedTypesEnabled: boolean) {
    PeerHost.format(this.disk, sid);
  }

  /** What survives a crash now: the epoch files, the newest snapshot, every durable log record. */
  get durable(): DurableView {
    const files = this.disk.durableFiles();
    const r = recover(files, { extendedTypesEnabled: this.extendedTypesEnabled });
    const log: TxnEntry[] = [];
    const it = new LogIterator(files, 0n);
    for (let rec = it.seek(0n), i = 0; rec !== null && i < logRecordsReadMax; rec = it.next(), i++) log.push(rec.entry);
    return { acceptedEpoch: r.acceptedEpoch, currentEpoch: r.currentEpoch, snapshotZxid: r.snapshotZxid, log, files: [...files.keys()] };
  }
}

interface QuorumConn {
  readonly a: Sid;
  readonly b: Sid;
  readonly id: number;
}

export const clientPortBase = 2180;

export class Ensemble {
  readonly world: ClientWorld;
  readonly rng: Rng;
  readonly sids: Sid[];
  readonly ensemble: Omit<EnsembleConfig, 'sid'>;
  readonly peers = new Map<Sid, QuorumPeer>();
  readonly hosts = new Map<Sid, PeerHost>();
  /** each server's dataDir; it outlives the server's crashes */
  readonly disks = new Map<Sid, SimDataDir>();
  /** starts per server, to seed each incarnation's snapshot schedule */
  private readonly starts = new Map<Sid, number>();
  /** per server: when its last queued fsync completes (fsyncs complete in order) */
  private readonly lastFsyncAt = new Map<Sid, number>();
  private readonly conns = new Map<string, QuorumConn>();
  private nextConnId = 1;
  /** directed links that are cut: "a>b" */
  private readonly cut = new Set<string>();
  private readonly tickTime: number;
  /** called just before a quorum packet is delivered (bug scenarios crash servers here) */
  beforeDeliver: ((from: Sid, to: Sid, packet: QuorumPacket) => void) | null = null;
  /** per-server fsync latency override, virtual ms [min, max] */
  readonly fsyncDelayOf = new Map<Sid, readonly [number, number]>();
  private readonly serverConfig: Partial<ServerConfig>;
  /** client address <-> sid */
  private readonly addresses = new Map<Sid, string>();
  private readonly sidsByAddress = new Map<string, Sid>();
  /** the running standalone servers (a `standalone` ensemble) */
  readonly standalones = new Map<Sid, ZkServer>();
  /** a standalone server's txn log: what is durable and what a crash would lose */
  readonly standaloneLogs = new Map<Sid, { durable: TxnEntry[]; unflushed: TxnEntry[] }>();
  /** each server's quorum config on disk (zoo.cfg.dynamic.<version>), rewritten on every reconfig */
  readonly configOf = new Map<Sid, { version: bigint; text: string }>();

  constructor(readonly options: EnsembleOptions) {
    this.rng = new Rng(options.seed);
    this.world = new ClientWorld(options.startMs ?? Date.UTC(2026, 10, 22, 13, 0, 0));
    this.world.readyHook = (address, r) => this.onReady(address, r);
    const total = options.servers + (options.observers ?? 0);
    const base: readonly EnsembleMember[] = options.members ??
      Array.from({ length: total }, (_, i) => ({ sid: i + 1, observer: i >= options.servers, clientAddress: `127.0.0.1:${clientPortBase + i + 1}` }));
    // spares: servers outside the initial config, numbered after the members, for `reconfig -add`
    const spares = options.spares ?? 0;
    const spareObservers = options.spareObservers ?? 0;
    const maxSid = base.reduce((m, b) => Math.max(m, b.sid), 0);
    const spareMembers = Array.from({ length: spares }, (_, i) => ({ sid: maxSid + i + 1, observer: i >= spares - spareObservers, clientAddress: `127.0.0.1:${clientPortBase + maxSid + i + 1}` }));
    const all = [...base, ...spareMembers];
    this.sids = all.map((m) => m.sid);
    for (const m of all) {
      assert(!this.sidsByAddress.has(m.clientAddress), `two servers at ${m.clientAddress}`);
      this.addresses.set(m.sid, m.clientAddress);
      this.sidsByAddress.set(m.clientAddress, m.sid);
    }
    this.ensemble = {
      voters: base.filter((m) => !m.observer).map((m) => m.sid),
      observers: base.filter((m) => m.observer).map((m) => m.sid),
      initLimit: options.initLimit ?? 10,
      syncLimit: options.syncLimit ?? 5,
      configText: options.configText ?? base.map((m) => `server.${m.sid}=127.0.0.1:${2880 + m.sid}:${3880 + m.sid}:${m.observer ? 'observer' : 'participant'}\n`).join('') + 'version=0',
    };
    for (const m of base) this.configOf.set(m.sid, { version: 0n, text: this.ensemble.configText! });
    for (const m of spareMembers) {
      this.configOf.set(m.sid, { version: 0n, text: joinerConfigText(this.ensemble.configText!, m.sid, m.observer ? 'observer' : 'participant') });
    }
    this.tickTime = options.tickTime ?? 2000;
    this.serverConfig = options.serverConfig ?? {};
    for (const sid of this.sids) this.disks.set(sid, new SimDataDir(sid, this.serverConfig.extendedTypesEnabled ?? false));
  }

  address(sid: Sid): string {
    const a = this.addresses.get(sid);
    assert(a !== undefined, `no server.${sid}`);
    return a;
  }

  sidOf(address: string): Sid {
    const sid = this.sidsByAddress.get(address);
    assert(sid !== undefined, `no server at ${address}`);
    return sid;
  }

  /** a server outside the initial config (EnsembleOptions.spares) */
  isSpare(sid: Sid): boolean {
    return !this.ensemble.voters.includes(sid) && !this.ensemble.observers.includes(sid);
  }

  isUp(sid: Sid): boolean {
    return this.peers.has(sid) || this.standalones.has(sid);
  }

  start(sid: Sid): void {
    if (this.options.standalone) return this.startStandalone(sid);
    assert(!this.peers.has(sid), `server ${sid} already running`);
    const disk = this.disks.get(sid)!.disk;
    const config = defaultServerConfig({ ...this.serverConfig, sid, tickTime: this.tickTime });
    // a server a reconfig removed is restarted the way an operator would, as a joiner again
    const saved = this.configOf.get(sid)!.text;
    const text = isMember(quorumConfigFromText(saved), sid) ? saved : joinerConfigText(saved, sid);
    const qc = quorumConfigFromText(text);
    const view = { ...this.ensemble, voters: qc.voters, observers: qc.observers, configText: text };
    const election = createElection(sid, view, this.rng.fork());
    const incarnation = (this.starts.get(sid) ?? 0) + 1;
    this.starts.set(sid, incarnation);
    // its own generator, so snapshots do not shift the draws of the network and the disk
    const snapRng = new Rng((this.options.seed * 31 + sid * 1009 + incarnation * 7919) >>> 0);
    const host = new PeerHost({
      disk, config, ensemble: { ...view, sid }, election, nowMs: this.world.now,
      snapCount: this.options.snapCount, random: () => snapRng.next(),
    });
    this.hosts.set(sid, host);
    this.peers.set(sid, host.peer);
    this.world.addServer(this.address(sid), host.peer);
    this.world.pump();
  }

  /** A standalone server recovers from its log (ZooKeeperServer.loadData) and serves at once. */
  private startStandalone(sid: Sid): void {
    assert(!this.standalones.has(sid), `server ${sid} already running`);
    const config = defaultServerConfig({ ...this.serverConfig, sid, tickTime: this.tickTime });
    const server = new ZkServer(config, this.world.now);
    server.replayLog(this.standaloneLog(sid).durable);
    this.standalones.set(sid, server);
    this.world.addServer(this.address(sid), server);
    this.world.pump();
  }

  /** Crash: memory gone, unflushed writes lost, every connection breaks. */
  kill(sid: Sid): void {
    if (this.standalones.delete(sid)) {
      this.world.removeServer(this.address(sid));
      this.standaloneLog(sid).unflushed = [];
      this.lastFsyncAt.delete(sid);
      return;
    }
    if (!this.peers.has(sid)) return;
    this.peers.delete(sid);
    this.hosts.delete(sid);
    this.lastFsyncAt.delete(sid);
    this.world.removeServer(this.address(sid));
    const disk = this.disks.get(sid)!.disk;
    if (this.options.tornWrites) disk.crash(() => this.rng.next());
    else disk.crash();
    for (const [key, c] of this.conns) {
      if (c.a !== sid && c.b !== sid) continue;
      this.conns.delete(key);
      const other = c.a === sid ? c.b : c.a;
      this.deliverPeer(other, { type: 'quorumDown', peer: sid }, 0);
    }
  }

  /** Cut every link between the groups (both directions); `oneWay` cuts only from -> to. */
  partition(groups: readonly (readonly Sid[])[], oneWay = false): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = 0; j < groups.length; j++) {
        if (i === j || (oneWay && j < i)) continue;
        for (const a of groups[i]) for (const b of groups[j]) this.cut.add(`${a}>${b}`);
      }
    }
    for (const [key, c] of this.conns) {
      if (this.linkUp(c.a, c.b) && this.linkUp(c.b, c.a)) continue;
      this.conns.delete(key);
      this.deliverPeer(c.a, { type: 'quorumDown', peer: c.b }, 0);
      this.deliverPeer(c.b, { type: 'quorumDown', peer: c.a }, 0);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  linkUp(from: Sid, to: Sid): boolean {
    return !this.cut.has(`${from}>${to}`);
  }

  run(ms: number): void {
    this.world.run(this.world.now + ms);
  }

  leader(): Sid | null {
    for (const [sid, p] of this.peers) if (p.role === 'leading' && p.isServing()) return sid;
    return null;
  }

  // ----- the hosts' side of a peer's Ready -----------------------------------------------

  /** Observers of every trace event (checkers, the UI's trace stream). */
  readonly traceListeners: ((sid: Sid, events: Ready['trace']) => void)[] = [];

  private onReady(address: string, r: Ready): boolean {
    const sid = this.sidOf(address);
    const peer = this.peers.get(sid) ?? this.standalones.get(sid);
    if (!peer) return true;
    const pr = r as PeerReady;
    if (r.trace.length > 0) for (const l of this.traceListeners) l(sid, r.trace);
    this.storage(sid, pr);
    const running = this.peers.get(sid);
    if (!running) return true;
    this.saveConfig(sid, running);
    for (const n of pr.notifications ?? []) this.sendNotification(sid, n.to, n.msg);
    for (const to of pr.quorumClose ?? []) this.closeConn(sid, to);
    for (const to of pr.quorumConnect ?? []) this.openConn(sid, to);
    for (const q of pr.quorum ?? []) this.sendQuorum(sid, q.to, q.packet);
    return true;
  }

  /** QuorumPeer.setQuorumVerifier(qv, true) writes the new dynamic config file at once. */
  private saveConfig(sid: Sid, peer: QuorumPeer): void {
    const saved = this.configOf.get(sid)!;
    if (peer.qc.version === saved.version) return;
    const text = quorumConfigText(peer.qc);
    if (text !== null) this.configOf.set(sid, { version: peer.qc.version, text });
  }

  /**
   * The storage part of a Ready, through the server's PeerHost. A Ready that asks for
   * durability gets an fsync that completes after the seeded latency (in order per server).
   */
  private storage(sid: Sid, r: PeerReady): void {
    const standalone = this.standalones.get(sid);
    if (standalone) return this.standaloneStorage(sid, standalone, r);
    const host = this.hosts.get(sid)!;
    if (!host.handleStorage(r)) {
      if (host.failure !== null) this.kill(sid); // ZooKeeper exits when it cannot truncate
      return;
    }
    const [lo, hi] = this.fsyncDelayOf.get(sid) ?? this.options.fsyncDelayMs ?? [0, 2];
    const at = Math.max(this.world.now + this.rng.int(lo, hi), this.lastFsyncAt.get(sid) ?? 0);
    this.lastFsyncAt.set(sid, at);
    this.world.schedule(at, () => {
      if (this.hosts.get(sid) !== host || host.pendingFlushes() === 0) return;
      host.completeFlush();
      this.world.pump();
    });
  }

  /** A standalone server's txns: durable after the seeded fsync latency, in order. */
  private standaloneStorage(sid: Sid, server: ZkServer, r: Ready): void {
    if (r.persist.length === 0) return;
    const log = this.standaloneLog(sid);
    log.unflushed.push(...r.persist);
    const entries = [...r.persist];
    const [lo, hi] = this.fsyncDelayOf.get(sid) ?? this.options.fsyncDelayMs ?? [0, 2];
    const at = Math.max(this.world.now + this.rng.int(lo, hi), this.lastFsyncAt.get(sid) ?? 0);
    this.lastFsyncAt.set(sid, at);
    this.world.schedule(at, () => {
      if (this.standalones.get(sid) !== server) return;
      log.durable.push(...entries);
      log.unflushed.splice(0, entries.length);
      server.step({ type: 'persisted', zxid: entries[entries.length - 1].hdr.zxid });
      this.world.pump();
    });
  }

  private standaloneLog(sid: Sid): { durable: TxnEntry[]; unflushed: TxnEntry[] } {
    let log = this.standaloneLogs.get(sid);
    if (!log) {
      log = { durable: [], unflushed: [] };
      this.standaloneLogs.set(sid, log);
    }
    return log;
  }

  private delay(): number {
    const [lo, hi] = this.options.peerDelayMs ?? [1, 3];
    return this.rng.int(lo, hi);
  }

  private deliverPeer(to: Sid, input: Parameters<QuorumPeer['step']>[0], delay: number, check?: () => boolean): void {
    this.world.schedule(this.world.now + delay, () => {
      const peer = this.peers.get(to);
      if (!peer || (check && !check())) return;
      peer.step({ type: 'tick', nowMs: this.world.now });
      peer.step(input);
      this.world.pump();
    });
  }

  private sendNotification(from: Sid, to: Sid, msg: Notification): void {
    if (from === to) return this.deliverPeer(to, { type: 'notification', from, msg }, 0);
    if (!this.linkUp(from, to) || !this.peers.has(to)) return;
    this.deliverPeer(to, { type: 'notification', from, msg }, this.delay(), () => this.linkUp(from, to));
  }

  private connKey(a: Sid, b: Sid): string {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  /** connection attempts on their way (the SYN travelling), by connKey */
  private readonly connecting = new Map<string, object>();

  /**
   * A learner connects to its leader's quorum port: the attempt arrives after one link delay
   * and is refused there (an RST back, one more delay) unless the target is up, reachable and
   * LEADING (only a Leader listens: Learner.LeaderConnector retries); accepted, the target
   * sees the connection at once and the learner one delay later (the SYN-ACK).
   */
  private openConn(from: Sid, to: Sid): void {
    const key = this.connKey(from, to);
    const old = this.conns.get(key);
    if (old) {
      this.conns.delete(key);
      this.deliverPeer(to, { type: 'quorumDown', peer: from }, 0);
    }
    if (!this.peers.has(to) || !this.linkUp(from, to) || !this.linkUp(to, from)) {
      this.deliverPeer(from, { type: 'quorumDown', peer: to }, this.delay());
      return;
    }
    const attempt = {};
    const learner = this.peers.get(from);
    this.connecting.set(key, attempt);
    this.world.schedule(this.world.now + this.delay(), () => {
      if (this.connecting.get(key) !== attempt) return;
      this.connecting.delete(key);
      if (this.peers.get(from) !== learner) return; // the learner died meanwhile
      const target = this.peers.get(to);
      if (!target || !this.linkUp(from, to) || !this.linkUp(to, from) || !target.acceptsLearners()) {
        this.deliverPeer(from, { type: 'quorumDown', peer: to }, this.delay());
        return;
      }
      const conn = { a: from, b: to, id: this.nextConnId++ };
      this.conns.set(key, conn);
      this.knownConn.set(`${from}>${to}`, conn.id);
      const alive = (): boolean => this.conns.get(key) === conn;
      this.deliverPeer(to, { type: 'quorumUp', peer: from }, 0, alive);
      this.deliverPeer(from, { type: 'quorumUp', peer: to }, this.delay(), alive);
    });
  }

  private closeConn(from: Sid, to: Sid): void {
    const key = this.connKey(from, to);
    this.connecting.delete(key);
    if (!this.conns.has(key)) return;
    this.conns.delete(key);
    // the other end reads EOF before anything `from` sends on a new connection can arrive
    this.deliverPeer(to, { type: 'quorumDown', peer: from }, 0);
  }

  /**
   * The connection each end writes to ("a>b" -> conn id): the one it opened, or the one it
   * last read from. A packet written to an older socket than the pair's current connection
   * is lost with that socket (the leader writing to a learner that has just reconnected).
   */
  private readonly knownConn = new Map<string, number>();

  /** FIFO per connection: each packet is delivered no earlier than the one sent before it. */
  private readonly lastDelivery = new Map<string, number>();

  private sendQuorum(from: Sid, to: Sid, packet: QuorumPacket): void {
    const key = this.connKey(from, to);
    const conn = this.conns.get(key);
    if (!conn) return;
    const dir = `${from}>${to}`;
    const known = this.knownConn.get(dir);
    if (known !== undefined && known !== conn.id) return;
    const at = Math.max(this.world.now + this.delay(), this.lastDelivery.get(dir) ?? 0);
    this.lastDelivery.set(dir, at);
    this.world.schedule(at, () => {
      if (this.conns.get(key) !== conn) return;
      if (this.beforeDeliver) this.beforeDeliver(from, to, packet);
      const peer = this.peers.get(to);
      if (!peer || this.conns.get(key) !== conn) return;
      this.knownConn.set(`${to}>${from}`, conn.id);
      peer.step({ type: 'tick', nowMs: this.world.now });
      peer.step({ type: 'quorumPacket', from, packet });
      this.world.pump();
    });
  }
}
