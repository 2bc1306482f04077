/**
 * LockstepConductor: the main thread decides every delivery and every time advance, one at a
 * time (DESIGN.md decision 9), so a run is a pure function of (config, seed, actions). It is
 * host-agnostic: servers sit behind HostLinks (Web Workers in the browser, in-process in Node),
 * clients (ClientSessions) live here. Every message between servers, and between clients and
 * servers, waits in `inFlight` until the conductor is told what to do with it:
 *
 *   deliver(id?)  deliver that message (on a FIFO link — a quorum connection or a client
 *                 connection — the oldest message of that connection and direction goes first,
 *                 as TCP would); without an id, the oldest deliverable one
 *   drop(id)      an election notification is lost; on a Zab or client link the connection
 *                 breaks instead (both ends notice; everything in flight on it is lost)
 *   delay(id, ms) the message may not be delivered before now + ms
 *   advance()     virtual time jumps to the next timeout (a server's, a client's, a delay's end)
 *   kill / restart / partition (one-way too) / heal
 *
 * Operations are serialized (one at a time, in call order) because links answer asynchronously.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import { ClientSession, type ClientInput, type ClientReady } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import { assert } from '../../engine/util/assert.ts';
import { Rng } from '../../engine/util/rng.ts';
import { checkpointGraph, methodRef, restoreGraph } from '../../engine/util/checkpoint.ts';
import { checkpointRegistry } from '../host/checkpoint-registry.ts';
import type { DataDirFiles, ServerCheckpoint } from '../host/server-checkpoint.ts';
import { checkpointEveryDefault, checkpointObjectsPerAction, checkpointsSizeMax, thinCheckpoints, type CheckpointHooks, type RunCheckpoint } from './run-checkpoints.ts';
import { toHex, traceHashSeed, traceHashStep } from './trace-hash.ts';
import type { InFlightMessage, PlaygroundEvent, RunAction, ServerStatus } from '../playground/api.ts';
import { packetSize } from '../sim/packet-size.ts';
import { downStatus, linkCut, type Autopurge, type EventBody, type HostInput, type HostOutput, type NetState } from '../worker/server-host.ts';
import { clientEndpointBase, describeWire, isClientEndpoint, kindOf, linkOf, type Endpoint, type Envelope, type Wire } from '../worker/wire.ts';
import type { ClientEntry, ClientHost } from './console.ts';
import { idSpacePerIncarnation, type HostLink, type HostSpawner } from './host-link.ts';
import { clientPortBase } from '../worker/server-host.ts';

export interface EnsembleShape {
  readonly voters: readonly Sid[];
  readonly observers: readonly Sid[];
  /** zoo.cfg tickTime, ms */
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** zoo.cfg snapCount (zookeeper.snapCount), txns between snapshots; default 100000 */
  readonly snapCount?: number;
  /** zoo.cfg autopurge.*; absent or purgeInterval 0: no purge (ZooKeeper's default) */
  readonly autopurge?: Autopurge;
}

export interface ConductorOptions extends EnsembleShape {
  readonly seed: number;
  /** servers not started with the run (restart() starts them) */
  readonly initiallyDown?: readonly Sid[];
  /** virtual ms since the Unix epoch at the start of the run */
  readonly startMs: number;
}

interface Pending {
  readonly env: Envelope;
  notBefore: number;
}

/**
 * The trace a lockstep run keeps in memory: past lockstepEventsMax events the oldest go, down to
 * lockstepEventsKept (seq keeps counting; the trace hash still covers every event, it is
 * folded in as events go). The action log is kept whole: exports and share links need it.
 */
export const lockstepEventsMax = 400_000;
export const lockstepEventsKept = 300_000;

export { checkpointEveryDefault, checkpointsMax, thinCheckpoints, type CheckpointHooks, type RunCheckpoint } from './run-checkpoints.ts';
export { traceHash } from './trace-hash.ts';

/** Steps of one runUntil(); beyond it the run is stuck or livelocked. */
export const lockstepStepsMax = 1_000_000;
/** Rounds of client pumping in one go. */
const clientRoundsMax = 10_000;

export class LockstepConductor implements ClientHost {
  now: number;
  readonly events: PlaygroundEvent[] = [];
  readonly actions: RunAction[] = [];
  private readonly inFlight: Pending[] = [];
  private readonly links = new Map<Sid, HostLink>();
  private readonly deadlines = new Map<Sid, number>();
  readonly status = new Map<Sid, ServerStatus>();
  private readonly clients = new Map<number, ClientEntry>();
  private rng: Rng;
  private net: { down: Set<Sid>; cut: Set<string> } = { down: new Set(), cut: new Set() };
  private incarnation = 0;
  private nextLocalId = 1;
  private nextClientId = 1;
  private chain: Promise<unknown> = Promise.resolve();
  /** checkpoints, oldest first (see RunCheckpoint) */
  readonly checkpoints: RunCheckpoint[] = [];
  /** actions between checkpoints; 0 turns them off */
  checkpointEvery = checkpointEveryDefault;
  checkpointHooks: CheckpointHooks | null = null;
  /** a down server's dataDir as the last checkpoint read it (it cannot change until a restart) */
  private readonly downFiles = new Map<Sid, DataDirFiles | null>();
  readonly listeners: ((events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void)[] = [];
  private emitted = 0;
  /** events dropped from the front of `events` (the seq of events[0]) */
  private eventsDropped = 0;
  /** the trace hash over the events before seq `upTo` (see traceHashStep) */
  private hashed = { upTo: 0, state: traceHashSeed() };
  /** the in-memory trace's bound (tests lower it) */
  eventsMax = lockstepEventsMax;
  eventsKept = lockstepEventsKept;

  constructor(readonly options: ConductorOptions, private readonly spawner: HostSpawner) {
    this.now = options.startMs;
    this.rng = new Rng(options.seed);
    for (const sid of this.sids()) this.status.set(sid, downStatus(sid, options.observers.includes(sid)));
  }

  sids(): Sid[] {
    return [...this.options.voters, ...this.options.observers];
  }

  isUp(sid: Sid): boolean {
    return this.links.has(sid);
  }

  /** Runs `fn` after every operation queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(async () => {
      const r = await fn();
      await this.maybeCheckpoint();
      return r;
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** the seq the next trace event gets */
  nextSeq(): number {
    return this.eventsDropped + this.events.length;
  }

  /** the seq of the next event when each action was recorded (rewind cuts the action log by event) */
  readonly actionEvents: number[] = [];

  private record(action: string): void {
    this.actions.push({ t: this.now, action });
    this.actionEvents.push(this.nextSeq());
  }

  // ----- servers ------------------------------------------------------------------------

  start(): Promise<void> {
    return this.serial(async () => {
      const down = this.options.initiallyDown ?? [];
      for (const sid of down) this.net.down.add(sid);
      for (const sid of this.sids()) if (!down.includes(sid)) await this.spawn(sid);
      this.publish();
    });
  }

  private async spawn(sid: Sid): Promise<void> {
    assert(!this.links.has(sid), `server ${sid} is already up`);
    this.downFiles.delete(sid);
    this.incarnation++;
    this.net.down.delete(sid);
    const o = this.options;
    const config = { sid, voters: o.voters, observers: o.observers, tickTime: o.tickTime, initLimit: o.initLimit, syncLimit: o.syncLimit, idBase: this.incarnation * idSpacePerIncarnation, snapCount: o.snapCount, autopurge: o.autopurge };
    const { link, first } = await this.spawner.spawn(config, [{ type: 'net', net: this.netState() }], this.now);
    this.links.set(sid, link);
    this.take(sid, first);
    await this.broadcastNet(sid);
  }

  private netState(): NetState {
    return { down: [...this.net.down].sort((a, b) => a - b), cut: [...this.net.cut].sort() };
  }

  private async broadcastNet(except?: Sid): Promise<void> {
    const net = this.netState();
    for (const sid of [...this.links.keys()].sort((a, b) => a - b)) {
      if (sid === except) continue;
      await this.handle(sid, [{ type: 'net', net }]);
    }
  }

  private async handle(sid: Sid, inputs: readonly HostInput[]): Promise<void> {
    const link = this.links.get(sid);
    if (!link) return;
    let out: HostOutput;
    try {
      out = await link.handle(inputs, this.now);
      // a deferFlush host (a replayed live run's): its group commit comes right after
      while (out.flushPending && link.flush) {
        this.take(sid, out);
        out = await link.flush(this.now);
      }
    } catch (e) {
      // a failed assertion or IO error crashes the server (STYLE.md 12, 13): it goes down
      this.push({ type: 'log', sid, text: `server ${sid} crashed: ${e instanceof Error ? e.message : String(e)}` }, this.now);
      await this.crash(sid);
      return;
    }
    this.take(sid, out);
  }

  /** Takes in a server's output: trace events, status, deadline, new messages in flight. */
  private take(sid: Sid, out: HostOutput): void {
    for (const e of out.events) this.push(e, e.t);
    this.status.set(sid, out.status);
    this.deadlines.set(sid, out.nextDeadline);
    for (const env of out.sent) this.enqueue(env);
  }

  private push(e: EventBody, t: number): void {
    this.events.push({ ...e, seq: this.nextSeq(), t } as PlaygroundEvent);
    if (this.events.length > this.eventsMax) this.trimEvents();
  }

  private enqueue(env: Envelope): void {
    this.inFlight.push({ env, notBefore: this.now });
    const server = !isClientEndpoint(env.to);
    if (server && !isClientEndpoint(env.from) && (this.net.down.has(env.to) || linkCut(this.netState(), env.from, env.to))) {
      this.lose(env.id);
    }
  }

  /** Forgets a message in flight (it is lost). */
  private lose(msgId: number): Envelope | null {
    const i = this.inFlight.findIndex((p) => p.env.id === msgId);
    if (i < 0) return null;
    const [p] = this.inFlight.splice(i, 1);
    this.push({ type: 'messageDropped', msgId }, this.now);
    return p.env;
  }

  kill(sid: Sid): Promise<void> {
    return this.serial(async () => {
      this.record(`kill ${sid}`);
      await this.crash(sid);
    });
  }

  /** The server's worker is gone: memory lost, peers and clients see their connections break. */
  private async crash(sid: Sid): Promise<void> {
    const link = this.links.get(sid);
    if (!link) return;
    link.kill();
    this.links.delete(sid);
    this.deadlines.delete(sid);
    this.net.down.add(sid);
    this.status.set(sid, downStatus(sid, this.options.observers.includes(sid), this.status.get(sid)));
    this.push({ type: 'fault', what: 'kill', text: `server ${sid} killed` }, this.now);
    for (const p of [...this.inFlight]) if (p.env.to === sid || p.env.from === sid) this.lose(p.env.id);
    for (const c of this.clients.values()) {
      for (const [connection, x] of [...c.conns]) {
        if (x.sid !== sid) continue;
        c.conns.delete(connection);
        this.stepClient(c, { type: 'transportDown', connection });
      }
    }
    await this.broadcastNet();
    this.pumpClients();
    this.publish();
  }

  restart(sid: Sid): Promise<void> {
    return this.serial(async () => {
      this.record(`restart ${sid}`);
      if (this.links.has(sid)) return;
      this.push({ type: 'fault', what: 'restart', text: `server ${sid} restarted` }, this.now);
      await this.spawn(sid);
      this.publish();
    });
  }

  partition(groups: readonly (readonly Sid[])[], oneWay = false): Promise<void> {
    return this.serial(async () => {
      this.record(`partition${oneWay ? '>' : ''} ${groups.map((g) => g.join(',')).join('|')}`);
      for (let i = 0; i < groups.length; i++) {
        for (let j = 0; j < groups.length; j++) {
          if (i === j || (oneWay && j < i)) continue;
          for (const a of groups[i]) for (const b of groups[j]) this.net.cut.add(`${a}>${b}`);
        }
      }
      const net = this.netState();
      this.push({ type: 'fault', what: 'partition', text: `partition ${oneWay ? '(one-way) ' : ''}${groups.map((g) => `{${g.join(',')}}`).join(' | ')}` }, this.now);
      for (const p of [...this.inFlight]) {
        const { from, to } = p.env;
        if (isClientEndpoint(from) || isClientEndpoint(to)) continue;
        if (linkCut(net, from, to) || (linkOf(p.env.wire) === 'quorum' && linkCut(net, to, from))) this.lose(p.env.id);
      }
      await this.broadcastNet();
      this.publish();
    });
  }

  heal(): Promise<void> {
    return this.serial(async () => {
      this.record('heal');
      this.net.cut.clear();
      this.push({ type: 'fault', what: 'heal', text: 'every link healed' }, this.now);
      await this.broadcastNet();
      this.publish();
    });
  }

  // ----- deliveries and time ------------------------------------------------------------

  inFlightMessages(): InFlightMessage[] {
    return this.inFlight.map(({ env }) => ({
      msgId: env.id, link: linkOf(env.wire), kind: kindOf(env.wire), from: env.from, to: env.to, text: describeWire(env.wire), sentAt: env.sentAt,
    }));
  }

  /** The message that goes when `msgId` is chosen: the oldest of its FIFO channel. */
  private headOf(p: Pending): Pending {
    if (linkOf(p.env.wire) === 'election') return p;
    const ch = channelOf(p.env);
    return this.inFlight.find((q) => channelOf(q.env) === ch) ?? p;
  }

  private deliverable(): Pending | null {
    for (const p of this.inFlight) {
      const head = this.headOf(p);
      if (head === p && p.notBefore <= this.now) return p;
    }
    return null;
  }

  deliver(msgId?: number): Promise<boolean> {
    return this.serial(async () => {
      const chosen = msgId === undefined ? this.deliverable() : this.inFlight.find((p) => p.env.id === msgId) ?? null;
      if (!chosen) return false;
      const p = this.headOf(chosen);
      this.record(msgId === undefined ? 'deliver' : `deliver ${msgId}`);
      if (p.notBefore > this.now) this.now = p.notBefore;
      await this.carry(p);
      this.publish();
      return true;
    });
  }

  private async carry(p: Pending): Promise<void> {
    this.inFlight.splice(this.inFlight.indexOf(p), 1);
    const env = p.env;
    if (!isClientEndpoint(env.to)) {
      if (!this.links.has(env.to)) {
        this.push({ type: 'messageDropped', msgId: env.id }, this.now);
        return;
      }
      await this.handle(env.to, [{ type: 'wire', env }]);
      this.pumpClients();
      return;
    }
    this.push({ type: 'messageDelivered', msgIds: [env.id] }, this.now);
    const c = this.clients.get(env.to - clientEndpointBase);
    if (!c) return;
    const connection = [...c.conns].find(([, x]) => x.conn === (env.wire as { conn: number }).conn)?.[0];
    if (connection === undefined) return;
    if (env.wire.type === 'serverPacket') this.stepClient(c, { type: 'packet', connection, packet: env.wire.packet });
    else if (env.wire.type === 'serverClose') {
      c.conns.delete(connection);
      this.stepClient(c, { type: 'transportDown', connection });
    }
    this.pumpClients();
    await Promise.resolve();
  }

  drop(msgId: number): Promise<void> {
    return this.serial(async () => {
      const p = this.inFlight.find((q) => q.env.id === msgId);
      if (!p) return;
      this.record(`drop ${msgId}`);
      const env = p.env;
      const link = linkOf(env.wire);
      if (link === 'election') {
        this.lose(msgId);
      } else if (link === 'quorum') {
        const conn = (env.wire as { conn: number }).conn;
        for (const q of [...this.inFlight]) if ((q.env.wire as { conn?: number }).conn === conn && linkOf(q.env.wire) === 'quorum') this.lose(q.env.id);
        this.push({ type: 'connectionBroken', link: 'quorum', a: env.from, b: env.to }, this.now);
        await this.handle(env.from, [{ type: 'breakConn', peer: env.to, conn }]);
        await this.handle(env.to, [{ type: 'breakConn', peer: env.from, conn }]);
      } else {
        await this.breakClientConn(env);
      }
      this.pumpClients();
      this.publish();
    });
  }

  private async breakClientConn(env: Envelope): Promise<void> {
    const conn = (env.wire as { conn: number }).conn;
    for (const q of [...this.inFlight]) if (linkOf(q.env.wire) === 'client' && (q.env.wire as { conn: number }).conn === conn) this.lose(q.env.id);
    const clientEnd = isClientEndpoint(env.from) ? env.from : env.to;
    const sid = isClientEndpoint(env.from) ? env.to : env.from;
    this.push({ type: 'connectionBroken', link: 'client', a: clientEnd, b: sid }, this.now);
    const c = this.clients.get(clientEnd - clientEndpointBase);
    const connection = c ? [...c.conns].find(([, x]) => x.conn === conn)?.[0] : undefined;
    if (c && connection !== undefined) {
      c.conns.delete(connection);
      this.stepClient(c, { type: 'transportDown', connection });
    }
    await this.handle(sid, [{ type: 'wire', env: { id: this.nextLocalId++, from: clientEnd, to: sid, sentAt: this.now, wire: { type: 'clientClose', conn } } }]);
  }

  delay(msgId: number, ms: number): Promise<void> {
    return this.serial(() => {
      const p = this.inFlight.find((q) => q.env.id === msgId);
      if (p) {
        this.record(`delay ${msgId} ${ms}`);
        p.notBefore = Math.max(p.notBefore, this.now + ms);
      }
      this.publish();
      return Promise.resolve();
    });
  }

  /** When the next timeout fires (a server's, a client's or a delayed message's). */
  nextTimeout(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const d of this.deadlines.values()) t = Math.min(t, d);
    for (const c of this.clients.values()) t = Math.min(t, c.session.nextDeadline());
    for (const p of this.inFlight) if (p.notBefore > this.now) t = Math.min(t, p.notBefore);
    return t;
  }

  advance(): Promise<boolean> {
    return this.serial(async () => {
      const t = this.nextTimeout();
      if (!Number.isFinite(t)) return false;
      this.record('advance');
      this.now = Math.max(this.now, t);
      for (const sid of [...this.links.keys()].sort((a, b) => a - b)) {
        if ((this.deadlines.get(sid) ?? Number.POSITIVE_INFINITY) <= this.now) await this.handle(sid, [{ type: 'tick' }]);
      }
      for (const c of this.clients.values()) if (c.session.nextDeadline() <= this.now) this.stepClient(c, { type: 'tick', nowMs: this.now });
      this.pumpClients();
      this.publish();
      return true;
    });
  }

  /** One step of an automatic run: the next deliverable message, or else the next timeout. */
  async step(): Promise<boolean> {
    if (await this.deliver()) return true;
    return this.advance();
  }

  /** Steps until `done()` holds; false if it never did within the bounds. */
  async runUntil(done: () => boolean, stepsMax = lockstepStepsMax, untilMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (let i = 0; i < stepsMax; i++) {
      if (done()) return true;
      if (this.now > untilMs) return false;
      if (!(await this.step())) return done();
    }
    return done();
  }

  /** Steps for `ms` of virtual time (deliveries in between). */
  async runFor(ms: number): Promise<void> {
    const end = this.now + ms;
    for (let i = 0; i < lockstepStepsMax; i++) {
      if (this.deliverable()) {
        await this.deliver();
        continue;
      }
      if (this.nextTimeout() > end) break;
      await this.advance();
    }
    this.now = Math.max(this.now, end);
  }

  leader(): Sid | null {
    for (const s of this.status.values()) if (s.role === 'leading' && s.phase === 'broadcast') return s.sid;
    return null;
  }

  // ----- clients ------------------------------------------------------------------------

  /**
   * A new client session. Its traffic enters the run at the next serialized point (after the
   * operation under way), so a run replays identically however its links answer.
   */
  addClient(connectString: string, sessionTimeout: number, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): ClientSession {
    this.record(`client ${this.nextClientId} connect ${connectString} ${sessionTimeout}`);
    const random = methodRef(this.rng, 'next');
    const session = new ClientSession(connectString, { sessionTimeout, random }, this.now);
    const entry: ClientEntry = { id: this.nextClientId++, session, conns: new Map(), onEvent, onResult };
    this.clients.set(entry.id, entry);
    void this.serialPump();
    return session;
  }

  /** Issues a call on a client (the reply arrives through its onResult as deliveries go on). */
  call(session: ClientSession, call: ClientCall): number {
    const id = session.call(call);
    void this.serialPump();
    return id;
  }

  /** Resolves once every client action issued so far has entered the run. */
  settled(): Promise<void> {
    return this.serial(() => Promise.resolve());
  }

  /**
   * Client traffic enters the run here, as a recorded action ("pump"): when it does depends on
   * when a console got around to its call (microtasks), which a replay cannot reproduce, so a
   * replay suppresses these and carries out the recorded ones instead.
   */
  private serialPump(): Promise<void> {
    return this.serial(() => {
      if (this.replaying || ![...this.clients.values()].some((c) => c.session.hasReady())) return Promise.resolve();
      this.record('pump');
      this.pumpClients();
      this.publish();
      return Promise.resolve();
    });
  }

  /** While true, client traffic waits for recorded "pump" actions (see serialPump). */
  replaying = false;

  closeClient(session: ClientSession): void {
    if (session.isAlive()) session.close();
    void this.serialPump();
  }

  recordLine(console: string, line: string): void {
    this.record(`${console}> ${line}`);
  }

  private stepClient(c: ClientEntry, input: ClientInput): void {
    if (input.type !== 'tick') c.session.step({ type: 'tick', nowMs: this.now });
    c.session.step(input);
  }

  private pumpClients(): void {
    for (let round = 0; round < clientRoundsMax; round++) {
      let busy = false;
      for (const c of this.clients.values()) {
        if (!c.session.hasReady()) continue;
        busy = true;
        this.onClientReady(c, c.session.ready());
      }
      if (!busy) return;
    }
    assert(false, 'client pump over clientRoundsMax');
  }

  private onClientReady(c: ClientEntry, r: ClientReady): void {
    const from: Endpoint = clientEndpointBase + c.id;
    for (const connection of r.close) {
      const x = c.conns.get(connection);
      if (!x) continue;
      c.conns.delete(connection);
      this.sendFromClient(from, x.sid, { type: 'clientClose', conn: x.conn });
    }
    for (const o of r.open) {
      const sid = Number(o.address.split(':')[1]) - clientPortBase;
      if (!this.links.has(sid) || !o.address.replace(/^localhost/, '127.0.0.1').startsWith('127.0.0.1:')) {
        c.session.step({ type: 'transportDown', connection: o.connection });
        continue;
      }
      const conn = this.nextLocalId++;
      c.conns.set(o.connection, { conn, sid });
      this.sendFromClient(from, sid, { type: 'clientConnect', conn });
      c.session.step({ type: 'transportUp', connection: o.connection });
    }
    for (const s of r.send) {
      const x = c.conns.get(s.connection);
      if (!x) continue;
      this.sendFromClient(from, x.sid, { type: 'clientPacket', conn: x.conn, packet: s.packet, size: packetSize(s.packet) });
    }
    for (const e of r.events) c.onEvent(e);
    for (const res of r.results) c.onResult(res.callId, res.result);
  }

  private sendFromClient(from: Endpoint, to: Sid, wire: Wire): void {
    const env: Envelope = { id: this.nextLocalId++, from, to, sentAt: this.now, wire };
    this.push({ type: 'messageSent', msgId: env.id, link: 'client', kind: kindOf(wire), from, to, text: describeWire(wire) }, this.now);
    this.inFlight.push({ env, notBefore: this.now });
  }

  // ----- replay -----------------------------------------------------------------------------

  /**
   * Carries out one recorded conductor action (see api.ts for the grammar). Returns false for
   * an action that is not the conductor's (a console's `open` or `NAME> line`, `client ...`).
   */
  async applyAction(action: string): Promise<boolean> {
    const [verb, ...rest] = action.split(' ');
    const n = (i: number): number => Number(rest[i]);
    switch (verb) {
      case 'deliver': await this.deliver(rest.length > 0 ? n(0) : undefined); return true;
      case 'drop': await this.drop(n(0)); return true;
      case 'delay': await this.delay(n(0), n(1)); return true;
      case 'advance': await this.advance(); return true;
      case 'pump':
        await this.serial(() => {
          this.record('pump');
          this.pumpClients();
          this.publish();
          return Promise.resolve();
        });
        return true;
      case 'kill': await this.kill(n(0)); return true;
      case 'restart': await this.restart(n(0)); return true;
      case 'heal': await this.heal(); return true;
      case 'partition': case 'partition>':
        await this.partition(rest.join(' ').split('|').map((g) => g.split(',').map(Number)), verb === 'partition>');
        return true;
      default: return false;
    }
  }

  // ----- checkpoints ------------------------------------------------------------------------

  private canCheckpoint(): boolean {
    const s = this.spawner;
    return this.checkpointEvery > 0 && s.restore !== undefined && s.dataDir !== undefined && s.writeDataDir !== undefined;
  }

  private async maybeCheckpoint(): Promise<void> {
    if (!this.canCheckpoint()) return;
    const last = this.checkpoints.at(-1);
    // the size a checkpoint would have now, from the servers' znode counts (~3 objects each):
    // a tree grown by a bulk create spaces checkpoints out before one is taken, and one that
    // would not fit the budget is not taken (rewind then replays from an older one, or all)
    const estimate = this.estimateCheckpointSize();
    if (estimate > checkpointsSizeMax) return;
    const every = Math.max(this.checkpointEvery, Math.ceil(Math.max(last?.size ?? 0, estimate) / checkpointObjectsPerAction));
    if (this.actions.length - (last?.actions ?? 0) < every) return;
    if (this.checkpointHooks && !this.checkpointHooks.ready()) return;
    try {
      await this.takeCheckpoint();
    } catch {
      // a server that failed to answer (its worker died): no checkpoint this time; the run and
      // the operation that was under way go on (the next handle() reports the crash)
      this.checkpointFailures++;
    }
  }

  private estimateCheckpointSize(): number {
    let size = 0;
    for (const sid of this.links.keys()) size += 500 + 3 * (this.status.get(sid)?.znodeCount ?? 0);
    return size;
  }

  /** checkpoints that could not be taken (see maybeCheckpoint) */
  checkpointFailures = 0;

  /**
   * Takes a checkpoint now (inside a serialized operation, or with none under way). The
   * conductor's state is captured first, synchronously, so a client action arriving while
   * the servers answer belongs after the checkpoint.
   */
  async takeCheckpoint(): Promise<RunCheckpoint> {
    const actions = this.actions.length;
    const events = this.nextSeq();
    const hash = this.hashTo(events);
    const extra = this.checkpointHooks?.capture() ?? null;
    const state = checkpointGraph({ conductor: this.conductorState(), extra }, checkpointRegistry());
    const servers: { sid: Sid; server: ServerCheckpoint | null; files: DataDirFiles | null }[] = [];
    for (const sid of this.sids()) {
      const link = this.links.get(sid);
      if (link) {
        assert(link.checkpoint !== undefined, 'a spawner with checkpoints has links that take them');
        servers.push({ sid, server: await link.checkpoint(), files: null });
      } else {
        if (!this.downFiles.has(sid)) this.downFiles.set(sid, (await this.spawner.dataDir?.(sid)) ?? null);
        servers.push({ sid, server: null, files: this.downFiles.get(sid)! });
      }
    }
    let size = state.nodes.length;
    for (const x of servers) {
      size += x.server?.host.nodes.length ?? 0;
      for (const [, bytes] of x.server?.files ?? x.files ?? []) size += Math.ceil(bytes.length / 300);
    }
    const cp: RunCheckpoint = { actions, events, hash, size, state, servers };
    while (this.checkpoints.length > 0 && this.checkpoints[this.checkpoints.length - 1].actions > actions) this.checkpoints.pop();
    this.checkpoints.push(cp);
    thinCheckpoints(this.checkpoints);
    return cp;
  }

  private conductorState(): ConductorState {
    return {
      now: this.now, inFlight: this.inFlight, deadlines: this.deadlines, status: this.status, rng: this.rng, net: this.net,
      incarnation: this.incarnation, nextLocalId: this.nextLocalId, nextClientId: this.nextClientId,
      clients: [...this.clients.values()].map((c) => ({ id: c.id, session: c.session, conns: c.conns })),
    };
  }

  /** The newest checkpoint taken after at most `actions` actions, or null. */
  checkpointAtOrBefore(actions: number): RunCheckpoint | null {
    for (let i = this.checkpoints.length - 1; i >= 0; i--) if (this.checkpoints[i].actions <= actions) return this.checkpoints[i];
    return null;
  }

  /**
   * Puts the run back where `cp` was taken: servers restored into fresh hosts (rebuilt from
   * their images, in the worker they have now when they are up, which saves starting one),
   * down servers' dataDirs rewritten, the trace and
   * the action log cut to the checkpoint's length, later checkpoints dropped (what follows
   * forks the run). Clients' callbacks are no-ops until `rebindClient`. Listeners get the
   * whole trace again (a stream starting at seq 0: a new run). Resolves with the hooks'
   * `extra`, restored (its sessions are the run's restored sessions).
   */
  restoreCheckpoint(cp: RunCheckpoint): Promise<unknown> {
    assert(this.checkpoints.includes(cp), 'a checkpoint of this run');
    return this.serial(async () => {
      this.downFiles.clear();
      const { conductor: s, extra } = restoreGraph<{ conductor: ConductorState; extra: unknown }>(cp.state, checkpointRegistry());
      this.now = s.now;
      replaceArray(this.inFlight, s.inFlight);
      replaceMap(this.deadlines, s.deadlines);
      replaceMap(this.status, s.status);
      this.rng = s.rng;
      this.net = s.net;
      this.incarnation = s.incarnation;
      this.nextLocalId = s.nextLocalId;
      this.nextClientId = s.nextClientId;
      this.clients.clear();
      for (const c of s.clients) this.clients.set(c.id, { ...c, onEvent: () => {}, onResult: () => {} });
      if (cp.events >= this.eventsDropped) {
        this.events.length = cp.events - this.eventsDropped;
      } else {
        this.events.length = 0;
        this.eventsDropped = cp.events;
      }
      this.hashed = { upTo: cp.events, state: cp.hash.slice() };
      this.actions.length = cp.actions;
      this.actionEvents.length = cp.actions;
      this.checkpoints.splice(this.checkpoints.indexOf(cp) + 1);
      // every server at once (each is its own worker); links keep sid order
      const settled = await Promise.allSettled(cp.servers.map(async (x): Promise<HostLink | null> => {
        const link = this.links.get(x.sid);
        if (x.server && link?.restore) {
          await link.restore(x.server);
          return link;
        }
        link?.kill();
        if (x.server) return this.spawner.restore!(x.sid, x.server);
        await this.spawner.writeDataDir!(x.sid, x.files ?? []);
        return null;
      }));
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) {
        // no half-restored run: every server goes down (the caller starts a fresh run)
        for (const r of settled) if (r.status === 'fulfilled') r.value?.kill();
        for (const link of this.links.values()) link.kill();
        this.links.clear();
        throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
      }
      const restored = settled.map((r) => (r.status === 'fulfilled' ? r.value : null));
      this.links.clear();
      cp.servers.forEach((x, i) => {
        const link = restored[i];
        if (link) this.links.set(x.sid, link);
      });
      this.emitted = 0;
      this.publish();
      return extra;
    });
  }

  /**
   * Takes over where a live run's replay (live-replay.ts) ended: its servers (links), the
   * envelopes still on their way, the client sessions and their random generator, the trace.
   * The run goes on in lockstep from here; its action log starts empty.
   */
  adopt(s: AdoptedRun): Promise<void> {
    return this.serial(async () => {
      assert(this.links.size === 0 && this.actions.length === 0, 'adopt into a conductor that has not started');
      this.now = s.now;
      for (const [sid, link] of s.links) this.links.set(sid, link);
      replaceMap(this.deadlines, s.deadlines);
      replaceMap(this.status, s.status);
      this.rng = s.rng;
      this.net = { down: new Set(s.net.down), cut: new Set(s.net.cut) };
      this.incarnation = s.incarnation;
      this.nextLocalId = s.nextLocalId;
      this.nextClientId = s.nextClientId;
      for (const c of s.clients) this.clients.set(c.id, c);
      for (const e of s.events) this.push(e, e.t);
      for (const env of s.inFlight) this.inFlight.push({ env, notBefore: this.now });
      // group commits the live run had not done yet
      for (const sid of s.flushPending) {
        const link = this.links.get(sid);
        if (link?.flush) this.take(sid, await link.flush(this.now));
      }
      this.pumpClients();
      this.publish();
    });
  }

  /** Client `id` of the run (after a restore: its restored session). */
  clientSession(id: number): ClientSession | null {
    return this.clients.get(id)?.session ?? null;
  }

  clientIdOf(session: ClientSession): number | null {
    for (const c of this.clients.values()) if (c.session === session) return c.id;
    return null;
  }

  /** Gives a restored client its owner's callbacks again. */
  rebindClient(session: ClientSession, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): void {
    const id = this.clientIdOf(session);
    assert(id !== null, 'rebind a client of this run');
    const c = this.clients.get(id)!;
    this.clients.set(id, { ...c, onEvent, onResult });
  }

  // ----- output ---------------------------------------------------------------------------

  private publish(): void {
    const fresh = this.events.slice(this.emitted);
    this.emitted = this.events.length;
    const status = this.sids().map((s) => this.status.get(s)!);
    for (const l of this.listeners) l(fresh, status);
  }

  /** A hash of the whole trace, dropped events included: equal hashes, equal runs (the determinism proof). */
  traceHash(): string {
    return toHex(this.hashTo(this.nextSeq()));
  }

  /** The trace hash over the events before `seq` (folding in those not folded yet). */
  private hashTo(seq: number): Uint8Array {
    assert(seq >= this.hashed.upTo && seq <= this.nextSeq(), `trace hash to ${seq}: folded to ${this.hashed.upTo}, next ${this.nextSeq()}`);
    let h = this.hashed.state;
    for (let s = this.hashed.upTo; s < seq; s++) h = traceHashStep(h, this.events[s - this.eventsDropped]);
    this.hashed = { upTo: seq, state: h };
    return h.slice();
  }

  /** Drops the oldest events down to eventsKept (their hash folded in first). */
  private trimEvents(): void {
    const cut = this.events.length - this.eventsKept;
    if (this.hashed.upTo < this.eventsDropped + cut) this.hashTo(this.eventsDropped + cut);
    this.events.splice(0, cut);
    this.eventsDropped += cut;
    this.emitted = Math.max(0, this.emitted - cut);
  }

  shutdown(): void {
    for (const link of this.links.values()) link.kill();
    this.links.clear();
  }
}

/** A replayed live run, handed to a conductor (adopt). */
export interface AdoptedRun {
  readonly now: number;
  readonly links: ReadonlyMap<Sid, HostLink>;
  readonly deadlines: ReadonlyMap<Sid, number>;
  readonly status: ReadonlyMap<Sid, ServerStatus>;
  readonly rng: Rng;
  readonly net: NetState;
  readonly incarnation: number;
  readonly nextLocalId: number;
  readonly nextClientId: number;
  readonly clients: readonly ClientEntry[];
  /** the replay's trace, in its order */
  readonly events: readonly (EventBody & { readonly t: number })[];
  /** envelopes sent and not taken by the replayed steps, oldest first */
  readonly inFlight: readonly Envelope[];
  /** servers whose host has appends waiting for their group commit */
  readonly flushPending: readonly Sid[];
}

/** The conductor's part of a checkpoint (clients without their owners' callbacks). */
interface ConductorState {
  readonly now: number;
  readonly inFlight: Pending[];
  readonly deadlines: Map<Sid, number>;
  readonly status: Map<Sid, ServerStatus>;
  readonly rng: Rng;
  readonly net: { down: Set<Sid>; cut: Set<string> };
  readonly incarnation: number;
  readonly nextLocalId: number;
  readonly nextClientId: number;
  readonly clients: { readonly id: number; readonly session: ClientSession; readonly conns: Map<number, { conn: number; sid: Sid }> }[];
}

function replaceArray<T>(target: T[], items: readonly T[]): void {
  target.length = 0;
  target.push(...items);
}

function replaceMap<K, V>(target: Map<K, V>, from: ReadonlyMap<K, V>): void {
  target.clear();
  for (const [k, v] of from) target.set(k, v);
}

function channelOf(env: Envelope): string {
  const conn = (env.wire as { conn?: number }).conn ?? 0;
  return `${linkOf(env.wire)}:${conn}:${env.from}>${env.to}`;
}
