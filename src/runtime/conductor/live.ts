/**
 * LiveEnsemble: the ensemble running concurrently, one Web Worker per server, the workers
 * talking straight to each other over a full mesh of MessageChannels (one channel per pair,
 * one port transferred to each end) and to this thread's clients over one client-port channel
 * per server. Virtual time = wall clock × speed (0.1×–10×); pause freezes it in every worker
 * (they hold their input until resume). Faults: kill = the worker ends its schedule (a `kill`
 * message: it posts what it has not reported, and takes nothing more), then terminate() (the
 * peers and the clients see their connections break), restart = a new worker recovering from
 * its OPFS dataDir, partitions (one-way too) and heal are broadcast to every worker, whose
 * hosts drop what crosses a cut link and break the quorum connections over it.
 *
 * Every worker records its host's schedule and this thread records its own steps (the client
 * sessions' inputs, faults, user actions), each with its virtual time (worker/live-schedule.ts),
 * and every trace stream (a server incarnation's events, hashed in its worker; this thread's) is hashed as it goes:
 * `exportLive()` is the run exactly, and a replay (live-replay.ts) is checked against the hash.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import type { ClientSession } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import type { InFlightMessage, PlaygroundEvent, RunAction, ServerStatus, ZnodeView } from '../playground/api.ts';
import type { DataDirFiles } from '../host/server-checkpoint.ts';
import { postWires, takeWires, virtualNow, workerProtocolVersion, type LiveClock, type StorageKind, type ToWorker, type WireBatch } from '../worker/protocol.ts';
import type { Envelope } from '../worker/wire.ts';
import { downStatus, type EventBody, type HostOutput, type NetState } from '../worker/server-host.ts';
import { ServerWorker } from '../worker/spawn.ts';
import { combineStreams, liveScheduleNumbersMax, MainRecorder, MainStep, StreamHash, type IncarnationRecord, type LiveRunRecord, type ScheduleChunk } from '../worker/live-schedule.ts';
import type { ClientHost } from './console.ts';
import { idSpacePerIncarnation } from './host-link.ts';
import { LiveClients } from './live-clients.ts';
import { LiveTrace } from './live-trace.ts';
import type { ConductorOptions } from './lockstep.ts';

export const speedMin = 0.1;
export const speedMax = 10;

/** What LiveEnsemble needs of a server worker (ServerWorker; Node tests run one in-process). */
export interface LiveWorkerHandle {
  onOutput: ((out: HostOutput, schedule: ScheduleChunk | null, final: boolean, hash: readonly [number, number, number] | null) => void) | null;
  onStarted: ((files: DataDirFiles | null, bytes: number) => void) | null;
  onFailed: ((message: string) => void) | null;
  post(m: ToWorker, transfer?: Transferable[]): void;
  terminate(): void;
  inspect(path: string): Promise<ZnodeView | null>;
  describeTree(): Promise<string | null>;
}

export type LiveWorkerFactory = (sid: Sid) => LiveWorkerHandle;

interface Server {
  readonly worker: LiveWorkerHandle;
  /** its incarnation: its message ids start at incarnation × idSpacePerIncarnation */
  readonly incarnation: number;
  /** this thread's end of the server's client port */
  readonly clientPort: MessagePort;
}

/** A killed worker that has not posted its final schedule yet. */
interface Dying {
  readonly worker: LiveWorkerHandle;
  readonly incarnation: number;
  readonly done: Promise<void>;
  finish(): void;
}

/** How long a killed worker has to post its final schedule before it is terminated anyway. */
export const killGraceMs = 3000;

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
  private readonly dying = new Map<Sid, Dying>();
  private readonly clients: LiveClients;
  private clock: LiveClock;
  private net: { down: Set<Sid>; cut: Set<string> } = { down: new Set(), cut: new Set() };
  private incarnation = 0;
  private clientTimer: ReturnType<typeof setTimeout> | null = null;
  /** the client deadline `clientTimer` is set for, and the clock it was set under */
  private clientTimerAt = Number.NaN;
  private clientTimerClock: LiveClock | null = null;
  private publishQueued = false;
  /** client-port batches that came while paused, released in order on resume */
  private heldWires: { inc: number; envs: readonly Envelope[] }[] = [];
  // ----- the schedule (live-schedule.ts) -----
  private readonly main: MainRecorder;
  private readonly incarnations = new Map<number, IncarnationRecord>();
  private readonly streams = new Map<number, StreamHash>();
  private readonly startFiles = new Map<Sid, DataDirFiles | null>();
  private readonly firstIncarnation = new Map<Sid, number>();
  private recordedNumbers = 0;
  /** why this run cannot be replayed exactly any more, or null */
  private inexact: string | null = null;
  private readonly workerFactory: LiveWorkerFactory;

  constructor(readonly options: ConductorOptions, private readonly storage: StorageKind = 'opfs', workerFactory?: LiveWorkerFactory) {
    this.workerFactory = workerFactory ?? ((sid) => new ServerWorker(sid));
    this.clock = { virtualOrigin: options.startMs, wallOrigin: wallNow(), speed: 1, paused: false };
    this.main = new MainRecorder(options.startMs);
    this.streams.set(0, new StreamHash());
    this.clients = new LiveClients(options.seed, (e, t) => this.mainEvent(e, t), (sid) => this.servers.has(sid));
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

  private record(action: string, t: number): number {
    this.actions.push({ t, action });
    return this.actions.length - 1;
  }

  /** A step of this thread (live-schedule.ts MainStep), at virtual time t. */
  private step(kind: number, t: number, ...args: number[]): void {
    if (this.inexact !== null) return;
    this.main.step(kind, t, ...args);
    this.count(2 + args.length);
  }

  private count(n: number): void {
    this.recordedNumbers += n;
    if (this.recordedNumbers > liveScheduleNumbersMax) this.giveUp(`the run is too long to replay exactly (its schedule passed ${liveScheduleNumbersMax.toLocaleString('en')} numbers)`);
  }

  /** The run can no longer be replayed exactly: the schedule is dropped (its memory too). */
  private giveUp(reason: string): void {
    if (this.inexact !== null) return;
    this.inexact = reason;
    this.main.steps.length = 0;
    this.incarnations.clear();
    this.startFiles.clear();
  }

  /** A user action of the playground's (a console's open, line, close, completion; a bulk job): recorded in both logs. */
  recordAction(action: string): void {
    const t = this.now();
    const i = this.record(action, t);
    this.step(MainStep.action, t, i);
  }

  start(): void {
    const t = this.now();
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
      if (down.includes(sid)) continue;
      this.step(MainStep.spawn, t, sid);
      this.spawn(sid, ports.get(sid)!.filter((p) => !down.includes(p.sid)), t);
    }
  }

  private netState(): NetState {
    return { down: [...this.net.down].sort((a, b) => a - b), cut: [...this.net.cut].sort() };
  }

  private spawn(sid: Sid, peers: { sid: Sid; port: MessagePort }[], t: number): void {
    this.incarnation++;
    const inc = this.incarnation;
    this.net.down.delete(sid);
    const o = this.options;
    const config = { sid, voters: o.voters, observers: o.observers, tickTime: o.tickTime, initLimit: o.initLimit, syncLimit: o.syncLimit, idBase: inc * idSpacePerIncarnation, snapCount: o.snapCount, autopurge: o.autopurge };
    const worker = this.workerFactory(sid);
    const client = new MessageChannel();
    if (this.inexact === null) this.incarnations.set(inc, { inc, sid, steps: [], nets: [], firsts: [], ended: false });
    this.streams.set(inc, new StreamHash());
    const first = !this.firstIncarnation.has(sid);
    if (first) this.firstIncarnation.set(sid, inc);
    worker.onOutput = (out, schedule, final, hash): void => this.take(sid, inc, worker, out, schedule, final, hash);
    worker.onStarted = (files, bytes): void => {
      if (!first) return;
      if (files === null) this.giveUp(`server ${sid} started from a dataDir of ${bytes.toLocaleString('en')} bytes, too big to include (reset the ensemble to start from empty dataDirs)`);
      else if (files.length > 0 && this.inexact === null) this.startFiles.set(sid, files);
    };
    worker.onFailed = (message): void => {
      if (this.servers.get(sid)?.worker !== worker) return;
      // a failed assertion or IO error crashes the server (STYLE.md 12, 13): it goes down
      this.trace.push({ type: 'log', sid, text: `server ${sid} crashed: ${message}` }, this.now());
      this.kill(sid, message);
    };
    client.port2.onmessage = (e: MessageEvent<WireBatch>): void => {
      const envs = takeWires(e.data);
      if (envs !== null) this.onServerWires(inc, envs);
    };
    worker.post(
      { v: workerProtocolVersion, type: 'start', config, mode: 'live', storage: this.storage, net: this.netState(), nowMs: t, clock: this.clock, peers, clientPort: client.port1 },
      [...peers.map((p) => p.port), client.port1],
    );
    this.servers.set(sid, { worker, incarnation: inc, clientPort: client.port2 });
  }

  private take(sid: Sid, inc: number, worker: LiveWorkerHandle, out: HostOutput, schedule: ScheduleChunk | null, final: boolean, hash: readonly [number, number, number] | null): void {
    const current = this.servers.get(sid)?.worker === worker;
    const dying = this.dying.get(sid);
    if (!current && dying?.worker !== worker) return; // a terminated incarnation's last words
    const rec = this.incarnations.get(inc);
    if (rec && schedule) {
      for (const x of schedule.steps) rec.steps.push(x);
      for (const x of schedule.nets) rec.nets.push(x);
      for (const x of schedule.firsts) rec.firsts.push(x);
      this.count(schedule.steps.length + schedule.firsts.length + 4 * schedule.nets.length);
    }
    // the worker hashed its stream (off this thread): its state as of this output
    if (hash) this.streams.set(inc, StreamHash.from(hash));
    this.trace.take(out.events);
    if (current) this.status.set(sid, out.status);
    if (final && dying) {
      if (rec) rec.ended = true;
      dying.finish();
    }
    this.schedulePublish();
  }

  /** An event of this thread's stream (hashed). */
  private mainEvent(e: EventBody, t: number): void {
    this.streams.get(0)!.event(e, t);
    if (e.type === 'messageDelivered') this.trace.delivered(e.msgIds, t);
    else this.trace.push(e, t);
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
    const t = this.now();
    this.record(`kill ${sid}`, t);
    this.step(MainStep.kill, t, sid);
    // the worker ends its schedule (posts the rest, final), then goes
    let finish = (): void => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const d: Dying = { worker: s.worker, incarnation: s.incarnation, done, finish };
    this.dying.set(sid, d);
    const grace = setTimeout(() => {
      if (this.dying.get(sid) !== d) return;
      // no final schedule: what the worker did since its last report is unknown
      this.giveUp(`server ${sid}'s worker did not report its schedule when killed`);
      d.finish();
    }, killGraceMs);
    void done.then(() => {
      clearTimeout(grace);
      s.worker.terminate();
      if (this.dying.get(sid) === d) this.dying.delete(sid);
      this.trace.senderGone(s.incarnation);
      // what was on its way to the dead worker is gone with it
      for (const m of this.trace.inFlight()) if (m.to === sid) this.trace.push({ type: 'messageDropped', msgId: m.msgId }, this.now());
      this.schedulePublish();
    });
    s.worker.post({ v: workerProtocolVersion, type: 'kill' });
    s.clientPort.close();
    this.servers.delete(sid);
    this.net.down.add(sid);
    this.status.set(sid, downStatus(sid, this.options.observers.includes(sid), this.status.get(sid)));
    this.mainEvent({ type: 'fault', what: 'kill', text: crash === undefined ? `server ${sid} killed (worker terminated)` : `server ${sid} crashed (${crash.replace(/^Uncaught (Error: )?/, '')})` }, t);
    this.clients.serverDown(sid, t);
    this.broadcast();
    this.pumpClients(t);
    this.schedulePublish();
  }

  restart(sid: Sid): void {
    if (this.servers.has(sid)) return;
    const d = this.dying.get(sid);
    this.record(`restart ${sid}`, this.now());
    if (d) {
      // its dataDir is free once the killed worker has gone
      void d.done.then(() => Promise.resolve()).then(() => this.restartNow(sid));
      return;
    }
    this.restartNow(sid);
  }

  private restartNow(sid: Sid): void {
    if (this.servers.has(sid) || this.dying.has(sid)) return;
    const t = this.now();
    this.step(MainStep.restart, t, sid);
    this.mainEvent({ type: 'fault', what: 'restart', text: `server ${sid} restarted (new worker, recovering from its dataDir)` }, t);
    const peers: { sid: Sid; port: MessagePort }[] = [];
    for (const [other, s] of this.servers) {
      const ch = new MessageChannel();
      peers.push({ sid: other, port: ch.port1 });
      s.worker.post({ v: workerProtocolVersion, type: 'peerPort', sid, port: ch.port2 }, [ch.port2]);
    }
    this.spawn(sid, peers, t);
    this.broadcast();
    this.schedulePublish();
  }

  partition(groups: readonly (readonly Sid[])[], oneWay = false): void {
    const t = this.now();
    const i = this.record(`partition${oneWay ? '>' : ''} ${groups.map((g) => g.join(',')).join('|')}`, t);
    this.step(MainStep.partition, t, i);
    applyPartition(this.net.cut, groups, oneWay);
    this.mainEvent(partitionEvent(groups, oneWay), t);
    this.broadcast();
    this.schedulePublish();
  }

  heal(): void {
    const t = this.now();
    this.record('heal', t);
    this.step(MainStep.heal, t);
    this.net.cut.clear();
    this.mainEvent({ type: 'fault', what: 'heal', text: 'every link healed' }, t);
    this.broadcast();
    this.schedulePublish();
  }

  // ----- time -------------------------------------------------------------------------------

  private setClock(speed: number, paused: boolean): void {
    const now = this.now();
    this.clock = { virtualOrigin: now, wallOrigin: wallNow(), speed, paused };
    for (const s of this.servers.values()) s.worker.post({ v: workerProtocolVersion, type: 'clock', clock: this.clock });
    if (!paused && this.heldWires.length > 0) {
      // the client-port batches held while paused, in their order (each port is FIFO)
      const held = this.heldWires;
      this.heldWires = [];
      for (const h of held) this.onServerWires(h.inc, h.envs);
    }
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
    const t = this.now();
    const c = this.clients.add(connectString, sessionTimeout, onEvent, onResult, t);
    this.step(MainStep.addClient, t, c.id);
    this.pumpClients(t);
    return c.session;
  }

  call(session: ClientSession, call: ClientCall): number {
    const t = this.now();
    this.step(MainStep.call, t, this.clients.idOf(session));
    const id = this.clients.call(session, call, t);
    this.pumpClients(t);
    return id;
  }

  closeClient(session: ClientSession): void {
    const t = this.now();
    this.step(MainStep.closeClient, t, this.clients.idOf(session));
    this.clients.close(session);
    this.pumpClients(t);
  }

  recordLine(console: string, line: string): void {
    this.recordAction(`${console}> ${line}`);
  }

  private onServerWires(inc: number, envs: readonly Envelope[]): void {
    if (this.clock.paused || this.heldWires.length > 0) {
      // time is frozen: the replies wait for resume
      this.heldWires.push({ inc, envs });
      return;
    }
    const t = this.now();
    this.step(MainStep.wires, t, inc, envs.length);
    this.clients.wires(envs, t);
    this.pumpClients(t);
    this.schedulePublish();
  }

  private pumpClients(t: number): void {
    const outbox = this.clients.pump(t);
    for (const [sid, envs] of outbox) {
      const s = this.servers.get(sid);
      if (s) postWires(s.clientPort, envs);
    }
    this.scheduleClients();
    this.schedulePublish();
  }

  private scheduleClients(): void {
    const next = this.clients.nextDeadline();
    // a timer set for this deadline or an earlier one, under this clock, stays (each reply and
    // each request moves a session's deadline later; setting a timer again on every pump cost
    // ~15 µs of each reply's path): one that fires early finds no session due and sets the next
    if (this.clientTimer !== null && this.clientTimerClock === this.clock && this.clientTimerAt <= next && !this.clock.paused) return;
    if (this.clientTimer !== null) clearTimeout(this.clientTimer);
    this.clientTimer = null;
    if (this.clock.paused) return;
    if (!Number.isFinite(next)) return;
    const waitMs = Math.max(0, (next - this.now()) / this.clock.speed);
    this.clientTimerAt = next;
    this.clientTimerClock = this.clock;
    this.clientTimer = setTimeout(() => {
      this.clientTimer = null;
      const t = this.now();
      this.step(MainStep.timer, t);
      this.clients.timer(t);
      this.pumpClients(t);
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

  // ----- export -----------------------------------------------------------------------------

  /** The combined hash of the trace streams so far (combineStreams) and the events it covers. */
  streamsHash(): { hash: string; events: number } {
    let events = 0;
    for (const h of this.streams.values()) events += h.count;
    return { hash: combineStreams(this.streams), events };
  }

  /**
   * The run's exact record, or why there is none. The workers' reports lag their steps by a
   * task: for a consistent cut the run pauses (virtual time stands still), killed workers
   * finish, every worker posts what it has recorded (`sync`), then the run resumes.
   */
  async exportLive(): Promise<{ live: LiveRunRecord | null; inexact: string | null }> {
    await Promise.all([...this.dying.values()].map((d) => d.done));
    await new Promise<void>((r) => setTimeout(r, 0)); // a restart that waited for one of them starts first
    const wasPaused = this.clock.paused;
    if (!wasPaused) this.pause();
    try {
      await Promise.all([...this.servers.values()].map((s) => this.sync(s.worker)));
      if (this.inexact !== null) return { live: null, inexact: this.inexact };
      const { hash, events } = this.streamsHash();
      const live: LiveRunRecord = {
        format: 1,
        main: [...this.main.steps],
        actions: [...this.actions],
        servers: [...this.incarnations.values()].map((r) => ({ ...r, steps: [...r.steps], nets: [...r.nets], firsts: [...r.firsts] })),
        startFiles: [...this.startFiles].filter(([, f]) => f !== null && f.length > 0).map(([sid, files]) => ({ sid, files: files! })),
        hash,
        events,
      };
      return { live, inexact: null };
    } finally {
      if (!wasPaused) this.resume();
    }
  }

  private sync(worker: LiveWorkerHandle): Promise<void> {
    return new Promise((resolve) => {
      const w = worker as LiveWorkerHandle & { request?: (m: ToWorker & { type: 'sync' }) => Promise<unknown> };
      if (!w.request) {
        resolve();
        return;
      }
      void w.request({ v: workerProtocolVersion, type: 'sync', reqId: 0 }).then(() => resolve(), () => resolve());
    });
  }

  shutdown(): void {
    for (const s of this.servers.values()) {
      s.worker.terminate();
      s.clientPort.close();
    }
    for (const d of this.dying.values()) d.worker.terminate();
    this.dying.clear();
    this.servers.clear();
    if (this.clientTimer !== null) clearTimeout(this.clientTimer);
    this.clientTimer = null;
    this.clients.clients.clear();
  }
}

/** Cuts the links between the groups (oneWay: only from the first group to the others). */
export function applyPartition(cut: Set<string>, groups: readonly (readonly Sid[])[], oneWay: boolean): void {
  for (let i = 0; i < groups.length; i++) {
    for (let j = 0; j < groups.length; j++) {
      if (i === j || (oneWay && j < i)) continue;
      for (const a of groups[i]) for (const b of groups[j]) cut.add(`${a}>${b}`);
    }
  }
}

export function partitionEvent(groups: readonly (readonly Sid[])[], oneWay: boolean): EventBody {
  return { type: 'fault', what: 'partition', text: `partition ${oneWay ? '(one-way) ' : ''}${groups.map((g) => `{${g.join(',')}}`).join(' | ')}` };
}

/** "partition 1,2|3" or "partition> 1|2,3" as the groups and the direction. */
export function parsePartition(action: string): { groups: Sid[][]; oneWay: boolean } {
  const [verb, ...rest] = action.split(' ');
  return { groups: rest.join(' ').split('|').map((g) => g.split(',').map(Number)), oneWay: verb === 'partition>' };
}
