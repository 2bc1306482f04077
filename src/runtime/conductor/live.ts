/**
 * LiveEnsemble: the ensemble running concurrently, one Web Worker per server, the workers
 * talking straight to each other over a full mesh of MessageChannels (one channel per pair,
 * one port transferred to each end) and to this thread's clients over one client-port channel
 * per server. Virtual time = wall clock × speed (0.1×–10×); pause freezes it in every worker
 * (they hold their input until resume). Faults: kill = worker.terminate() (the peers and the
 * clients see their connections break), restart = a new worker recovering from its OPFS
 * dataDir, partitions (one-way too) and heal are broadcast to every worker, whose hosts drop
 * what crosses a cut link and break the quorum connections over it.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import { ClientSession, type ClientInput, type ClientReady } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import { Rng } from '../../engine/util/rng.ts';
import type { InFlightMessage, PlaygroundEvent, RunAction, ServerStatus, ZnodeView } from '../playground/api.ts';
import { packetSize } from '../sim/packet-size.ts';
import { virtualNow, workerProtocolVersion, type LiveClock, type StorageKind, type WireBatch } from '../worker/protocol.ts';
import { clientPortBase, downStatus, type EventBody, type HostOutput, type NetState } from '../worker/server-host.ts';
import { ServerWorker } from '../worker/spawn.ts';
import { clientEndpointBase, describeWire, kindOf, type Envelope, type Wire } from '../worker/wire.ts';
import type { ClientHost } from './console.ts';
import { idSpacePerIncarnation } from './host-link.ts';
import { LiveTrace } from './live-trace.ts';
import type { ConductorOptions } from './lockstep.ts';

export const speedMin = 0.1;
export const speedMax = 10;

interface Server {
  readonly worker: ServerWorker;
  /** its incarnation: its message ids start at incarnation × idSpacePerIncarnation */
  readonly incarnation: number;
  /** this thread's end of the server's client port */
  readonly clientPort: MessagePort;
}

interface LiveClient {
  readonly id: number;
  readonly session: ClientSession;
  readonly conns: Map<number, { conn: number; sid: Sid }>;
  readonly onEvent: (e: WatcherEvent) => void;
  readonly onResult: (callId: number, r: CallResult) => void;
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export class LiveEnsemble implements ClientHost {
  readonly trace = new LiveTrace();
  /** the trace kept so far (LiveTrace bounds it) */
  readonly events: PlaygroundEvent[] = this.trace.events;
  readonly actions: RunAction[] = [];
  readonly status = new Map<Sid, ServerStatus>();
  readonly listeners: ((events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void)[] = [];
  private readonly servers = new Map<Sid, Server>();
  private readonly clients = new Map<number, LiveClient>();
  private clock: LiveClock;
  private net: { down: Set<Sid>; cut: Set<string> } = { down: new Set(), cut: new Set() };
  private incarnation = 0;
  private nextLocalId = 1;
  private nextClientId = 1;
  private clientTimer: ReturnType<typeof setTimeout> | null = null;
  private publishQueued = false;
  private readonly rng: Rng;

  constructor(readonly options: ConductorOptions, private readonly storage: StorageKind = 'opfs') {
    this.clock = { virtualOrigin: options.startMs, wallOrigin: wallNow(), speed: 1, paused: false };
    this.rng = new Rng(options.seed);
    for (const sid of this.sids()) this.status.set(sid, downStatus(sid, options.observers.includes(sid)));
  }

  sids(): Sid[] {
    return [...this.options.voters, ...this.options.observers];
  }

  now(): number {
    return virtualNow(this.clock, wallNow());
  }

  isUp(sid: Sid): boolean {
    return this.servers.has(sid);
  }

  private record(action: string): void {
    this.actions.push({ t: this.now(), action });
  }

  start(): void {
    const sids = this.sids();
    const ports = new Map<Sid, { sid: Sid; port: MessagePort }[]>(sids.map((s) => [s, []]));
    for (let i = 0; i < sids.length; i++) {
      for (let j = i + 1; j < sids.length; j++) {
        const ch = new MessageChannel();
        ports.get(sids[i])!.push({ sid: sids[j], port: ch.port1 });
        ports.get(sids[j])!.push({ sid: sids[i], port: ch.port2 });
      }
    }
    const down = this.options.initiallyDown ?? [];
    for (const sid of down) this.net.down.add(sid);
    for (const sid of sids) {
      if (!down.includes(sid)) this.spawn(sid, ports.get(sid)!.filter((p) => !down.includes(p.sid)));
    }
  }

  private netState(): NetState {
    return { down: [...this.net.down].sort((a, b) => a - b), cut: [...this.net.cut].sort() };
  }

  private spawn(sid: Sid, peers: { sid: Sid; port: MessagePort }[]): void {
    this.incarnation++;
    this.net.down.delete(sid);
    const o = this.options;
    const config = { sid, voters: o.voters, observers: o.observers, tickTime: o.tickTime, initLimit: o.initLimit, syncLimit: o.syncLimit, idBase: this.incarnation * idSpacePerIncarnation, snapCount: o.snapCount, autopurge: o.autopurge };
    const worker = new ServerWorker(sid);
    const client = new MessageChannel();
    worker.onOutput = (out): void => this.take(sid, worker, out);
    worker.onFailed = (message): void => {
      if (this.servers.get(sid)?.worker !== worker) return;
      // a failed assertion or IO error crashes the server (STYLE.md 12, 13): it goes down
      this.push({ type: 'log', sid, text: `server ${sid} crashed: ${message}` }, this.now());
      this.kill(sid, message);
    };
    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => this.onServerWires(e.data);
    worker.post(
      { v: workerProtocolVersion, type: 'start', config, mode: 'live', storage: this.storage, net: this.netState(), nowMs: this.now(), clock: this.clock, peers, clientPort: client.port1 },
      [...peers.map((p) => p.port), client.port1],
    );
    this.servers.set(sid, { worker, incarnation: this.incarnation, clientPort: client.port2 });
  }

  private take(sid: Sid, worker: ServerWorker, out: HostOutput): void {
    if (this.servers.get(sid)?.worker !== worker) return; // a killed incarnation's last words
    this.trace.take(out.events);
    this.status.set(sid, out.status);
    this.schedulePublish();
  }

  private push(e: EventBody, t: number): void {
    this.trace.push(e, t);
  }

  /** What is on the wire now, as far as the workers have reported (oldest first). */
  inFlightMessages(): InFlightMessage[] {
    return this.trace.inFlight();
  }

  private schedulePublish(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    queueMicrotask(() => {
      this.publishQueued = false;
      this.publish();
    });
  }

  private publish(): void {
    const fresh = this.trace.fresh();
    const status = this.sids().map((s) => this.status.get(s)!);
    for (const l of this.listeners) l(fresh, status);
  }

  private broadcast(): void {
    const net = this.netState();
    for (const s of this.servers.values()) s.worker.post({ v: workerProtocolVersion, type: 'net', net });
  }

  // ----- faults -----------------------------------------------------------------------------

  /** Kills the server's worker; `crash`: why the server died on its own (recorded as a kill all the same). */
  kill(sid: Sid, crash?: string): void {
    const s = this.servers.get(sid);
    if (!s) return;
    this.record(`kill ${sid}`);
    s.worker.terminate();
    s.clientPort.close();
    this.servers.delete(sid);
    this.trace.senderGone(s.incarnation);
    this.net.down.add(sid);
    this.status.set(sid, downStatus(sid, this.options.observers.includes(sid), this.status.get(sid)));
    this.push({ type: 'fault', what: 'kill', text: crash === undefined ? `server ${sid} killed (worker terminated)` : `server ${sid} crashed (${crash.replace(/^Uncaught (Error: )?/, '')})` }, this.now());
    // what was on its way to the dead worker is gone with it
    for (const m of this.trace.inFlight()) if (m.to === sid) this.push({ type: 'messageDropped', msgId: m.msgId }, this.now());
    for (const c of this.clients.values()) {
      for (const [connection, x] of [...c.conns]) {
        if (x.sid !== sid) continue;
        c.conns.delete(connection);
        this.stepClient(c, { type: 'transportDown', connection });
      }
    }
    this.broadcast();
    this.pumpClients();
    this.schedulePublish();
  }

  restart(sid: Sid): void {
    if (this.servers.has(sid)) return;
    this.record(`restart ${sid}`);
    this.push({ type: 'fault', what: 'restart', text: `server ${sid} restarted (new worker, recovering from its dataDir)` }, this.now());
    const peers: { sid: Sid; port: MessagePort }[] = [];
    for (const [other, s] of this.servers) {
      const ch = new MessageChannel();
      peers.push({ sid: other, port: ch.port1 });
      s.worker.post({ v: workerProtocolVersion, type: 'peerPort', sid, port: ch.port2 }, [ch.port2]);
    }
    this.spawn(sid, peers);
    this.broadcast();
    this.schedulePublish();
  }

  partition(groups: readonly (readonly Sid[])[], oneWay = false): void {
    this.record(`partition${oneWay ? '>' : ''} ${groups.map((g) => g.join(',')).join('|')}`);
    for (let i = 0; i < groups.length; i++) {
      for (let j = 0; j < groups.length; j++) {
        if (i === j || (oneWay && j < i)) continue;
        for (const a of groups[i]) for (const b of groups[j]) this.net.cut.add(`${a}>${b}`);
      }
    }
    this.push({ type: 'fault', what: 'partition', text: `partition ${oneWay ? '(one-way) ' : ''}${groups.map((g) => `{${g.join(',')}}`).join(' | ')}` }, this.now());
    this.broadcast();
    this.schedulePublish();
  }

  heal(): void {
    this.record('heal');
    this.net.cut.clear();
    this.push({ type: 'fault', what: 'heal', text: 'every link healed' }, this.now());
    this.broadcast();
    this.schedulePublish();
  }

  // ----- time -------------------------------------------------------------------------------

  private setClock(speed: number, paused: boolean): void {
    const now = this.now();
    this.clock = { virtualOrigin: now, wallOrigin: wallNow(), speed, paused };
    for (const s of this.servers.values()) s.worker.post({ v: workerProtocolVersion, type: 'clock', clock: this.clock });
    this.scheduleClients();
  }

  setSpeed(factor: number): void {
    this.setClock(Math.min(speedMax, Math.max(speedMin, factor)), this.clock.paused);
  }

  pause(): void {
    this.setClock(this.clock.speed, true);
  }

  resume(): void {
    this.setClock(this.clock.speed, false);
  }

  speed(): number {
    return this.clock.speed;
  }

  paused(): boolean {
    return this.clock.paused;
  }

  // ----- clients ----------------------------------------------------------------------------

  addClient(connectString: string, sessionTimeout: number, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): ClientSession {
    const session = new ClientSession(connectString, { sessionTimeout, random: () => this.rng.next() }, this.now());
    const c: LiveClient = { id: this.nextClientId++, session, conns: new Map(), onEvent, onResult };
    this.clients.set(c.id, c);
    this.pumpClients();
    return session;
  }

  call(session: ClientSession, call: ClientCall): number {
    session.step({ type: 'tick', nowMs: this.now() });
    const id = session.call(call);
    this.pumpClients();
    return id;
  }

  closeClient(session: ClientSession): void {
    if (session.isAlive()) session.close();
    this.pumpClients();
  }

  recordLine(console: string, line: string): void {
    this.record(`${console}> ${line}`);
  }

  private stepClient(c: LiveClient, input: ClientInput): void {
    if (input.type !== 'tick') c.session.step({ type: 'tick', nowMs: this.now() });
    c.session.step(input);
  }

  private onServerWires(batch: WireBatch): void {
    if (batch.v !== workerProtocolVersion) return;
    if (this.clock.paused) {
      // time is frozen: hold the replies until resume
      setTimeout(() => this.onServerWires(batch), 50);
      return;
    }
    for (const env of batch.envs) {
      const c = this.clients.get(env.to - clientEndpointBase);
      this.trace.delivered(env.id, this.now());
      if (!c) continue;
      const conn = (env.wire as { conn: number }).conn;
      let connection: number | undefined;
      for (const [k, x] of c.conns) {
        if (x.conn !== conn) continue;
        connection = k;
        break;
      }
      if (connection === undefined) continue;
      if (env.wire.type === 'serverPacket') this.stepClient(c, { type: 'packet', connection, packet: env.wire.packet });
      else if (env.wire.type === 'serverClose') {
        c.conns.delete(connection);
        this.stepClient(c, { type: 'transportDown', connection });
      }
    }
    this.pumpClients();
    this.schedulePublish();
  }

  private pumpClients(): void {
    const outbox = new Map<Sid, Envelope[]>();
    for (let round = 0; round < 10_000; round++) {
      let busy = false;
      for (const c of this.clients.values()) {
        if (!c.session.hasReady()) continue;
        busy = true;
        this.onClientReady(c, c.session.ready(), outbox);
      }
      if (!busy) break;
    }
    for (const [sid, envs] of outbox) this.servers.get(sid)?.clientPort.postMessage({ v: workerProtocolVersion, type: 'wires', envs } satisfies WireBatch);
    this.scheduleClients();
    this.schedulePublish();
  }

  private onClientReady(c: LiveClient, r: ClientReady, outbox: Map<Sid, Envelope[]>): void {
    const from = clientEndpointBase + c.id;
    const send = (to: Sid, wire: Wire): void => {
      const env: Envelope = { id: this.nextLocalId++, from, to, sentAt: this.now(), wire };
      this.push({ type: 'messageSent', msgId: env.id, link: 'client', kind: kindOf(wire), from, to, text: describeWire(wire) }, env.sentAt);
      const list = outbox.get(to) ?? [];
      list.push(env);
      outbox.set(to, list);
    };
    for (const connection of r.close) {
      const x = c.conns.get(connection);
      if (!x) continue;
      c.conns.delete(connection);
      send(x.sid, { type: 'clientClose', conn: x.conn });
    }
    for (const o of r.open) {
      const sid = Number(o.address.split(':')[1]) - clientPortBase;
      if (!this.servers.has(sid)) {
        c.session.step({ type: 'transportDown', connection: o.connection });
        continue;
      }
      const conn = this.nextLocalId++;
      c.conns.set(o.connection, { conn, sid });
      send(sid, { type: 'clientConnect', conn });
      c.session.step({ type: 'transportUp', connection: o.connection });
    }
    for (const s of r.send) {
      const x = c.conns.get(s.connection);
      if (x) send(x.sid, { type: 'clientPacket', conn: x.conn, packet: s.packet, size: packetSize(s.packet) });
    }
    for (const e of r.events) c.onEvent(e);
    for (const res of r.results) c.onResult(res.callId, res.result);
  }

  private scheduleClients(): void {
    if (this.clientTimer !== null) clearTimeout(this.clientTimer);
    this.clientTimer = null;
    if (this.clock.paused) return;
    let t = Number.POSITIVE_INFINITY;
    for (const c of this.clients.values()) t = Math.min(t, c.session.nextDeadline());
    if (!Number.isFinite(t)) return;
    const waitMs = Math.max(0, (t - this.now()) / this.clock.speed);
    this.clientTimer = setTimeout(() => {
      this.clientTimer = null;
      const now = this.now();
      for (const c of this.clients.values()) if (c.session.nextDeadline() <= now) c.session.step({ type: 'tick', nowMs: now });
      this.pumpClients();
    }, Math.min(waitMs + 1, 2 ** 31 - 1));
  }

  leader(): Sid | null {
    for (const s of this.status.values()) if (s.role === 'leading' && s.phase === 'broadcast') return s.sid;
    return null;
  }

  znode(sid: Sid, path: string): Promise<ZnodeView | null> {
    const s = this.servers.get(sid);
    return s ? s.worker.inspect(path) : Promise.resolve(null);
  }

  describeTree(sid: Sid): Promise<string | null> {
    const s = this.servers.get(sid);
    return s ? s.worker.describeTree() : Promise.resolve(null);
  }

  shutdown(): void {
    for (const s of this.servers.values()) {
      s.worker.terminate();
      s.clientPort.close();
    }
    this.servers.clear();
    if (this.clientTimer !== null) clearTimeout(this.clientTimer);
    this.clients.clear();
  }
}
