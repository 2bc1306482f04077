/**
 * Ensemble: a simulated ZooKeeper ensemble in virtual time. Each server is a QuorumPeer with
 * an in-memory dataDir that distinguishes written from flushed (a crash loses what was not
 * flushed); peers talk over election links (notifications) and quorum connections (FIFO,
 * connection-oriented: a partition or a crash breaks them and both ends notice); clients
 * reach server N at 127.0.0.1:(2180+N) through the ClientWorld.
 *
 * Every delay comes from the seeded Rng, so a run is a pure function of (seed, actions).
 */
import type { Epoch, Sid, Zxid } from '../../engine/protocol/ids.ts';
import type { QuorumPacket } from '../../engine/protocol/quorum-packets.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import type { Notification } from '../../engine/quorum/election-port.ts';
import type { PeerReady } from '../../engine/quorum/peer-io.ts';
import { QuorumPeer, type DurableState, type EnsembleConfig } from '../../engine/quorum/quorum-peer.ts';
import { defaultServerConfig, type ServerConfig } from '../../engine/server/server-config.ts';
import type { Ready } from '../../engine/server/server-io.ts';
import { assert } from '../../engine/util/assert.ts';
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
  readonly serverConfig?: Partial<ServerConfig>;
}

interface Disk {
  durable: { acceptedEpoch: Epoch; currentEpoch: Epoch; log: TxnEntry[]; snapshot: DurableState['snapshot'] };
  /** written but not yet flushed */
  unflushed: TxnEntry[];
  pendingEpochs: { file: 'acceptedEpoch' | 'currentEpoch'; value: Epoch }[];
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
  readonly disks = new Map<Sid, Disk>();
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
  /** each server's quorum config on disk (zoo.cfg.dynamic.<version>), rewritten on every reconfig */
  readonly configOf = new Map<Sid, { version: bigint; text: string }>();

  constructor(readonly options: EnsembleOptions) {
    this.rng = new Rng(options.seed);
    this.world = new ClientWorld(options.startMs ?? Date.UTC(2026, 10, 22, 13, 0, 0));
    this.world.readyHook = (address, r) => this.onReady(address, r);
    const total = options.servers + (options.observers ?? 0);
    this.sids = Array.from({ length: total + (options.spares ?? 0) }, (_, i) => i + 1);
    const members = this.sids.slice(0, total);
    this.ensemble = {
      voters: members.slice(0, options.servers),
      observers: members.slice(options.servers),
      initLimit: options.initLimit ?? 10,
      syncLimit: options.syncLimit ?? 5,
      configText: members.map((s) => `server.${s}=127.0.0.1:${2880 + s}:${3880 + s}:${s <= options.servers ? 'participant' : 'observer'}\n`).join('') + 'version=0',
    };
    for (const sid of members) this.configOf.set(sid, { version: 0n, text: this.ensemble.configText! });
    const firstSpareObserver = this.sids.length - (options.spareObservers ?? 0) + 1;
    for (const sid of this.sids.slice(total)) {
      this.configOf.set(sid, { version: 0n, text: joinerConfigText(this.ensemble.configText!, sid, sid >= firstSpareObserver ? 'observer' : 'participant') });
    }
    this.tickTime = options.tickTime ?? 2000;
    this.serverConfig = options.serverConfig ?? {};
    for (const sid of this.sids) this.disks.set(sid, { durable: { acceptedEpoch: 0, currentEpoch: 0, log: [], snapshot: null }, unflushed: [], pendingEpochs: [] });
  }

  address(sid: Sid): string {
    return `127.0.0.1:${clientPortBase + sid}`;
  }

  sidOf(address: string): Sid {
    return Number(address.split(':')[1]) - clientPortBase;
  }

  /** a server outside the initial config (EnsembleOptions.spares) */
  isSpare(sid: Sid): boolean {
    return sid > this.ensemble.voters.length + this.ensemble.observers.length;
  }

  isUp(sid: Sid): boolean {
    return this.peers.has(sid);
  }

  start(sid: Sid): void {
    assert(!this.peers.has(sid), `server ${sid} already running`);
    const disk = this.disks.get(sid)!;
    const durable: DurableState = { acceptedEpoch: disk.durable.acceptedEpoch, currentEpoch: disk.durable.currentEpoch, snapshot: disk.durable.snapshot, log: [...disk.durable.log] };
    const config = defaultServerConfig({ ...this.serverConfig, sid, tickTime: this.tickTime });
    // a server a reconfig removed is restarted the way an operator would, as a joiner again
    const saved = this.configOf.get(sid)!.text;
    const text = isMember(quorumConfigFromText(saved), sid) ? saved : joinerConfigText(saved, sid);
    const qc = quorumConfigFromText(text);
    const view = { ...this.ensemble, voters: qc.voters, observers: qc.observers, configText: text };
    const election = createElection(sid, view, this.rng.fork());
    const peer = new QuorumPeer(config, { ...view, sid }, election, durable, this.world.now);
    this.peers.set(sid, peer);
    this.world.addServer(this.address(sid), peer);
    this.world.pump();
  }

  /** Crash: memory gone, unflushed writes lost, every connection breaks. */
  kill(sid: Sid): void {
    if (!this.peers.has(sid)) return;
    this.peers.delete(sid);
    this.world.removeServer(this.address(sid));
    const disk = this.disks.get(sid)!;
    disk.unflushed = [];
    disk.pendingEpochs = [];
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
    const peer = this.peers.get(sid);
    if (!peer) return true;
    const pr = r as PeerReady;
    if (r.trace.length > 0) for (const l of this.traceListeners) l(sid, r.trace);
    this.storage(sid, pr);
    this.saveConfig(sid, peer);
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

  private storage(sid: Sid, r: PeerReady): void {
    const disk = this.disks.get(sid)!;
    if (r.truncate !== null && r.truncate !== undefined) {
      const z: Zxid = r.truncate;
      disk.durable.log = disk.durable.log.filter((e) => e.hdr.zxid <= z);
      disk.unflushed = disk.unflushed.filter((e) => e.hdr.zxid <= z);
    }
    if (r.snapshot) {
      // the learner's snapshot after a SNAP sync, written (and synced) before it acks NEWLEADER
      disk.durable.snapshot = this.peers.get(sid)!.takeSnapshot();
      disk.durable.log = [];
      disk.unflushed = [];
    }
    if (r.persist.length === 0 && r.epochWrites.length === 0) return;
    disk.unflushed.push(...r.persist);
    const entries = [...r.persist];
    const epochs = [...r.epochWrites];
    const [lo, hi] = this.fsyncDelayOf.get(sid) ?? this.options.fsyncDelayMs ?? [0, 2];
    const at = this.world.now + this.rng.int(lo, hi);
    this.world.schedule(at, () => {
      const peer = this.peers.get(sid);
      if (!peer) return;
      for (const e of entries) {
        const i = disk.unflushed.indexOf(e);
        if (i >= 0) disk.unflushed.splice(i, 1);
        if (!disk.durable.log.some((x) => x.hdr.zxid === e.hdr.zxid)) disk.durable.log.push(e);
      }
      disk.durable.log.sort((a, b) => (a.hdr.zxid < b.hdr.zxid ? -1 : a.hdr.zxid > b.hdr.zxid ? 1 : 0));
      if (entries.length > 0) peer.step({ type: 'persisted', zxid: entries[entries.length - 1].hdr.zxid });
      for (const w of epochs) {
        disk.durable[w.file] = w.value;
        peer.step({ type: 'epochWritten', file: w.file, value: w.value });
      }
      this.world.pump();
    });
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
    const conn = { a: from, b: to, id: this.nextConnId++ };
    this.conns.set(key, conn);
    this.knownConn.set(`${from}>${to}`, conn.id);
    const alive = (): boolean => this.conns.get(key) === conn;
    this.deliverPeer(to, { type: 'quorumUp', peer: from }, this.delay(), alive);
    this.deliverPeer(from, { type: 'quorumUp', peer: to }, this.delay(), alive);
  }

  private closeConn(from: Sid, to: Sid): void {
    const key = this.connKey(from, to);
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
