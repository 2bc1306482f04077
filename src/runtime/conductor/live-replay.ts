/**
 * LiveReplay: a live run's record replayed to the same run (issue 4 §2), then handed to a
 * LockstepConductor so the user goes on in lockstep from where it ended.
 *
 * The record (worker/live-schedule.ts) holds every host call each server incarnation made
 * (virtual now; which sources its inputs came from and how many) and every step of the main
 * thread (client-port batches, client timers, client calls, faults, user actions). Hosts are
 * pure (ServerHost), the main thread's clients are the same code as the live run's
 * (LiveClients), so feeding each its recorded calls in order gives the same outputs. A step is
 * taken once the envelopes it needs have been produced (causality: they were, in the live run),
 * earliest virtual time first; this thread's steps strictly in their order. Console operations
 * are not carried out by the driver: the replayed consoles make them (a recorded `action`
 * submits the line, the zkCli code then calls), and each is matched against the next recorded
 * step. Anything that does not match, or a step that can never be taken, stops the replay with
 * the reason: never a silently different run.
 *
 * What is compared: each server incarnation's trace events in the order it made them, with
 * their virtual times (every event its host reported, its recovery's included), and the main
 * thread's own events (client messages sent and delivered, faults). Left out: the interleaving
 * of those streams in the live trace (timing of postMessage), the `messageDropped` the live
 * thread adds when a killed worker is gone (what its trace table still thought in flight) and
 * a crashed worker's `log` (its error text comes from the browser).
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import type { ClientSession } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import type { RunAction, ServerStatus } from '../playground/api.ts';
import { combineStreams, decodeMain, decodeSteps, MainStep, srcClients, srcNet, srcTick, stepFlush, StreamHash, type DecodedMainStep, type DecodedStep, type IncarnationRecord, type LiveRunRecord } from '../worker/live-schedule.ts';
import { downStatus, type EventBody, type HostInput, type HostOutput, type NetState } from '../worker/server-host.ts';
import { isClientEndpoint, type Envelope } from '../worker/wire.ts';
import type { ClientHost } from './console.ts';
import { idSpacePerIncarnation, type HostLink, type HostSpawner } from './host-link.ts';
import { applyPartition, parsePartition, partitionEvent } from './live.ts';
import { LiveClients } from './live-clients.ts';
import type { AdoptedRun, ConductorOptions, LockstepConductor } from './lockstep.ts';

/** Lets every pending microtask run (a console's continuation), without setTimeout's 4 ms clamp. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (): void => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/** A FIFO of envelopes with a read position. */
class Queue {
  readonly items: Envelope[] = [];
  head = 0;

  available(): number {
    return this.items.length - this.head;
  }
}

interface Incarnation {
  readonly rec: IncarnationRecord;
  readonly sid: Sid;
  readonly steps: DecodedStep[];
  next: number;
  nets: number;
  readonly firsts: Map<number, number>;
  /** server sources this incarnation has taken from (its first envelope from each is in `firsts`) */
  readonly started: Set<number>;
  link: HostLink | null;
  /** the main thread killed it (its recorded steps still run to their end) */
  killed: boolean;
  /** its host is gone (killed and every step taken) */
  gone: boolean;
  flushPending: boolean;
}

export class LiveReplayError extends Error {}

/** What a finished replay gave. */
export interface LiveReplayResult {
  readonly hash: string;
  readonly expected: string;
  readonly events: number;
}

export class LiveReplay implements ClientHost {
  private readonly clients: LiveClients;
  private readonly main: DecodedMainStep[];
  private mainNext = 0;
  private readonly incs = new Map<number, Incarnation>();
  private readonly recs: Map<number, IncarnationRecord>;
  private incarnation = 0;
  /** sid -> its incarnation now (up) */
  private readonly up = new Map<Sid, number>();
  private readonly net = { down: new Set<Sid>(), cut: new Set<string>() };
  private readonly status = new Map<Sid, ServerStatus>();
  private readonly deadlines = new Map<Sid, number>();
  private readonly startFiles: Map<Sid, LiveRunRecord['startFiles'][number]['files']>;
  private readonly spawned = new Set<Sid>();
  /** server envelopes by `dest:srcInc`; client-bound ones by the sending incarnation; client-sent ones by the receiving incarnation */
  private readonly serverQ = new Map<string, Queue>();
  private readonly toMain = new Map<number, Queue>();
  private readonly toServer = new Map<number, Queue>();
  private readonly streams = new Map<number, StreamHash>([[0, new StreamHash()]]);
  readonly events: (EventBody & { t: number })[] = [];
  private now: number;
  private failure: string | null = null;
  /** after handOff: every client operation goes to the conductor */
  private target: LockstepConductor | null = null;

  constructor(
    private readonly options: ConductorOptions,
    private readonly spawner: HostSpawner,
    private readonly record: LiveRunRecord,
    /** carries out a recorded user action (a console's open, line, close, completion; a bulk job) with this replay as the consoles' host */
    private readonly applyAction: (action: RunAction) => void,
  ) {
    this.now = options.startMs;
    this.main = decodeMain(record.main, options.startMs);
    this.recs = new Map(record.servers.map((r) => [r.inc, r]));
    this.startFiles = new Map(record.startFiles.map((f) => [f.sid, f.files]));
    this.clients = new LiveClients(options.seed, (e, t) => this.mainEvent(e, t), (sid) => this.up.has(sid));
    for (const sid of [...options.voters, ...options.observers]) this.status.set(sid, downStatus(sid, options.observers.includes(sid)));
    for (const sid of options.initiallyDown ?? []) this.net.down.add(sid);
  }

  // ----- the consoles' host -----------------------------------------------------------------

  /** The next main step, which a console's operation must be. */
  private expect(kind: number, what: string, clientId: number): DecodedMainStep {
    const s = this.main[this.mainNext];
    if (this.failure === null && (s === undefined || s.kind !== kind || (clientId > 0 && s.args[0] !== clientId))) {
      this.failure = `main step ${this.mainNext}: a client ${what} (client ${clientId}) where the run recorded ${s === undefined ? 'nothing more' : `step kind ${s.kind}`}`;
    }
    if (this.failure !== null) throw new LiveReplayError(this.failure);
    this.mainNext++;
    this.now = Math.max(this.now, s.t);
    return s;
  }

  addClient(connectString: string, sessionTimeout: number, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): ClientSession {
    if (this.target) return this.target.addClient(connectString, sessionTimeout, onEvent, onResult);
    const s = this.expect(MainStep.addClient, 'session', this.clients.nextClientId);
    const c = this.clients.add(connectString, sessionTimeout, onEvent, onResult, s.t);
    this.pump(s.t);
    return c.session;
  }

  call(session: ClientSession, call: ClientCall): number {
    if (this.target) return this.target.call(session, call);
    const s = this.expect(MainStep.call, 'call', this.clients.idOf(session));
    const id = this.clients.call(session, call, s.t);
    this.pump(s.t);
    return id;
  }

  closeClient(session: ClientSession): void {
    if (this.target) return this.target.closeClient(session);
    const s = this.expect(MainStep.closeClient, 'close', this.clients.idOf(session));
    this.clients.close(session);
    this.pump(s.t);
  }

  recordLine(console: string, line: string): void {
    this.target?.recordLine(console, line);
  }

  // ----- the run --------------------------------------------------------------------------

  private mainEvent(e: EventBody, t: number): void {
    this.streams.get(0)!.event(e, t);
    this.events.push({ ...e, t } as EventBody & { t: number });
  }

  private pump(t: number): void {
    for (const [sid, envs] of this.clients.pump(t)) {
      const inc = this.up.get(sid);
      if (inc === undefined) continue; // the live thread posts to an open client port only
      const q = queueOf(this.toServer, inc);
      for (const env of envs) q.items.push(env);
    }
  }

  /** Replays the whole record; throws LiveReplayError where it cannot. */
  async run(): Promise<LiveReplayResult> {
    for (;;) {
      if (this.failure !== null) throw new LiveReplayError(this.failure);
      const m = this.main[this.mainNext];
      let best: { inc: Incarnation | null; t: number } | null = null;
      if (m !== undefined && this.mainRunnable(m)) best = { inc: null, t: m.t };
      for (const inc of this.incs.values()) {
        const s = inc.steps[inc.next];
        if (s === undefined || inc.link === null) continue;
        if (best !== null && s.nowMs >= best.t) continue;
        if (this.inputsOf(inc, s, false) !== null) best = { inc, t: s.nowMs };
      }
      if (best === null) {
        if (m === undefined && [...this.incs.values()].every((i) => i.next >= i.steps.length)) break;
        throw new LiveReplayError(this.stuck());
      }
      if (best.inc === null) await this.mainStep(m!);
      else await this.serverStep(best.inc);
    }
    const hash = combineStreams(this.streams);
    let events = 0;
    for (const h of this.streams.values()) events += h.count;
    return { hash, expected: this.record.hash, events };
  }

  private stuck(): string {
    const m = this.main[this.mainNext];
    const parts: string[] = [];
    if (m !== undefined) parts.push(`main step ${this.mainNext} (kind ${m.kind} at +${m.t - this.options.startMs} ms) waits`);
    for (const [n, inc] of this.incs) if (inc.next < inc.steps.length) parts.push(`server ${inc.sid} (incarnation ${n}) step ${inc.next} of ${inc.steps.length} waits`);
    return `the replay cannot go on: ${parts.join('; ')}`;
  }

  private mainRunnable(m: DecodedMainStep): boolean {
    switch (m.kind) {
      case MainStep.wires: return (this.toMain.get(m.args[0])?.available() ?? 0) >= m.args[1];
      case MainStep.restart: {
        // the previous incarnation has taken every step (its dataDir is what it left)
        for (const inc of this.incs.values()) if (inc.sid === m.args[0] && !inc.gone) return false;
        return true;
      }
      case MainStep.addClient: case MainStep.call: case MainStep.closeClient:
        this.failure = `main step ${this.mainNext}: the run recorded a client operation (kind ${m.kind}, client ${m.args[0]}) that no replayed console or job made`;
        return false;
      default: return true;
    }
  }

  private async mainStep(m: DecodedMainStep): Promise<void> {
    this.mainNext++;
    const t = m.t;
    this.now = Math.max(this.now, t);
    switch (m.kind) {
      case MainStep.wires: {
        const q = this.toMain.get(m.args[0])!;
        const envs = q.items.slice(q.head, q.head + m.args[1]);
        q.head += m.args[1];
        this.clients.wires(envs, t);
        this.pump(t);
        break;
      }
      case MainStep.timer:
        this.clients.timer(t);
        this.pump(t);
        break;
      case MainStep.kill: {
        const sid = m.args[0];
        const n = this.up.get(sid);
        if (n === undefined) throw new LiveReplayError(`main step ${this.mainNext - 1}: kill ${sid}, which is down`);
        this.up.delete(sid);
        this.incs.get(n)!.killed = true;
        this.net.down.add(sid);
        this.status.set(sid, downStatus(sid, this.options.observers.includes(sid), this.status.get(sid)));
        this.deadlines.delete(sid);
        this.mainEvent({ type: 'fault', what: 'kill', text: `server ${sid} killed (worker terminated)` }, t);
        this.clients.serverDown(sid, t);
        this.pump(t);
        this.maybeGone(this.incs.get(n)!);
        break;
      }
      case MainStep.restart:
        this.mainEvent({ type: 'fault', what: 'restart', text: `server ${m.args[0]} restarted (new worker, recovering from its dataDir)` }, t);
        await this.spawn(m.args[0], t);
        break;
      case MainStep.spawn:
        await this.spawn(m.args[0], t);
        break;
      case MainStep.partition: {
        const a = this.record.actions[m.args[0]];
        if (!a) throw new LiveReplayError(`main step ${this.mainNext - 1}: no action ${m.args[0]}`);
        const { groups, oneWay } = parsePartition(a.action);
        applyPartition(this.net.cut, groups, oneWay);
        this.mainEvent(partitionEvent(groups, oneWay), t);
        break;
      }
      case MainStep.heal:
        this.net.cut.clear();
        this.mainEvent({ type: 'fault', what: 'heal', text: 'every link healed' }, t);
        break;
      case MainStep.action: {
        const a = this.record.actions[m.args[0]];
        if (!a) throw new LiveReplayError(`main step ${this.mainNext - 1}: no action ${m.args[0]}`);
        this.applyAction(a);
        break;
      }
      default:
        throw new LiveReplayError(`main step ${this.mainNext - 1}: kind ${m.kind} cannot be replayed here`);
    }
    // steps made in the same run of code as this one follow at once; then what they set off
    // in the consoles (their next calls) happens, as it did then
    const next = this.main[this.mainNext];
    if (next !== undefined && next.sync && driverKinds.has(next.kind) && this.mainRunnable(next)) {
      await this.mainStep(next);
      return;
    }
    await macrotask();
  }

  private async spawn(sid: Sid, t: number): Promise<void> {
    const n = ++this.incarnation;
    const rec = this.recs.get(n);
    if (!rec || rec.sid !== sid) throw new LiveReplayError(`incarnation ${n} (server ${sid}) is not in the record`);
    if (!this.spawned.has(sid)) {
      this.spawned.add(sid);
      const files = this.startFiles.get(sid);
      if (files && files.length > 0) {
        if (!this.spawner.writeDataDir) throw new LiveReplayError(`server ${sid} started from a dataDir this host cannot write`);
        await this.spawner.writeDataDir(sid, files);
      }
    }
    const o = this.options;
    const config = { sid, voters: o.voters, observers: o.observers, tickTime: o.tickTime, initLimit: o.initLimit, syncLimit: o.syncLimit, idBase: n * idSpacePerIncarnation, snapCount: o.snapCount, autopurge: o.autopurge, deferFlush: true };
    this.net.down.delete(sid);
    this.up.set(sid, n);
    const inc: Incarnation = {
      rec, sid, steps: decodeSteps(rec.steps, t), next: 0, nets: 0,
      firsts: new Map(pairs(rec.firsts)), started: new Set(), link: null, killed: false, gone: false, flushPending: false,
    };
    this.incs.set(n, inc);
    this.streams.set(n, new StreamHash());
    const { link, first } = await this.spawner.spawn(config, [], t, true);
    inc.link = link;
    this.take(n, inc, first);
  }

  /**
   * The inputs of step `s` if every envelope it needs has been produced (take: consume them),
   * else null.
   */
  private inputsOf(inc: Incarnation, s: DecodedStep, take: boolean): HostInput[] | null {
    const inputs: HostInput[] = [];
    const used = new Map<Queue, number>();
    const n = this.incNumber(inc);
    for (let i = 0; i < s.runs.length; i += 2) {
      const src = s.runs[i];
      const count = s.runs[i + 1];
      if (src === srcTick) {
        for (let k = 0; k < count; k++) inputs.push({ type: 'tick' });
        continue;
      }
      if (src === srcNet) {
        for (let k = 0; k < count; k++) {
          const net = inc.rec.nets[inc.nets + (used.get(netsKey) ?? 0)];
          if (net === undefined) throw new LiveReplayError(`server ${inc.sid}: a net input the record does not hold`);
          inputs.push({ type: 'net', net });
          used.set(netsKey, (used.get(netsKey) ?? 0) + 1);
        }
        continue;
      }
      const q = src === srcClients ? queueOf(this.toServer, n) : this.serverQueue(inc, src);
      const from = q.head + (used.get(q) ?? 0);
      if (q.items.length - from < count) return null;
      for (let k = 0; k < count; k++) inputs.push({ type: 'wire', env: q.items[from + k] });
      used.set(q, (used.get(q) ?? 0) + count);
    }
    if (take) {
      for (const [q, k] of used) {
        if (q === netsKey) inc.nets += k;
        else q.head += k;
      }
    }
    return inputs;
  }

  private incNumber(inc: Incarnation): number {
    return inc.rec.inc;
  }

  /** The queue of envelopes from incarnation `src` to this server, its lost head skipped (see `firsts`). */
  private serverQueue(inc: Incarnation, src: number): Queue {
    const q = queueOf(this.serverQ, `${inc.sid}:${src}`);
    if (!inc.started.has(src)) {
      const first = inc.firsts.get(src);
      if (first === undefined) throw new LiveReplayError(`server ${inc.sid}: envelopes from incarnation ${src} without a first id`);
      while (q.head < q.items.length && q.items[q.head].id < first) q.head++;
      if (q.head < q.items.length && q.items[q.head].id === first) inc.started.add(src);
    }
    return q;
  }

  private async serverStep(inc: Incarnation): Promise<void> {
    const s = inc.steps[inc.next];
    const inputs = this.inputsOf(inc, s, true)!;
    inc.next++;
    this.now = Math.max(this.now, s.nowMs);
    const out = s.kind === stepFlush ? await inc.link!.flush!(s.nowMs) : await inc.link!.handle(inputs, s.nowMs);
    this.take(inc.rec.inc, inc, out);
    this.maybeGone(inc);
  }

  private take(n: number, inc: Incarnation, out: HostOutput): void {
    const h = this.streams.get(n)!;
    for (const e of out.events) {
      h.event(e, e.t);
      this.events.push(e);
    }
    inc.flushPending = out.flushPending;
    if (this.up.get(inc.sid) === n) {
      this.status.set(inc.sid, out.status);
      this.deadlines.set(inc.sid, out.nextDeadline);
    }
    for (const env of out.sent) {
      if (isClientEndpoint(env.to)) queueOf(this.toMain, n).items.push(env);
      else queueOf(this.serverQ, `${env.to}:${n}`).items.push(env);
    }
  }

  /** A killed incarnation whose steps are all taken: its host goes (unflushed writes lost). */
  private maybeGone(inc: Incarnation): void {
    if (!inc.killed || inc.gone || inc.next < inc.steps.length) return;
    inc.gone = true;
    inc.link?.kill();
    inc.link = null;
  }

  // ----- the hand-off -----------------------------------------------------------------------

  /**
   * The run so far, for a LockstepConductor to go on from (adopt). In flight: what the replayed
   * steps left untaken, to servers that are up from senders that are up (a dead sender's or
   * receiver's envelopes go with it, as in lockstep), oldest first.
   */
  handOff(conductor: LockstepConductor): AdoptedRun {
    this.target = conductor;
    const links = new Map<Sid, HostLink>();
    const flushPending: Sid[] = [];
    for (const [sid, n] of this.up) {
      const inc = this.incs.get(n)!;
      links.set(sid, inc.link!);
      if (inc.flushPending) flushPending.push(sid);
    }
    const upIncs = new Set(this.up.values());
    const inFlight: Envelope[] = [];
    for (const [key, q] of this.serverQ) {
      const [dest, src] = key.split(':').map(Number);
      const n = this.up.get(dest);
      if (n === undefined || !upIncs.has(src)) continue;
      const inc = this.incs.get(n)!;
      const first = inc.firsts.get(src);
      for (let i = q.head; i < q.items.length; i++) if (first === undefined || inc.started.has(src) || q.items[i].id >= first) inFlight.push(q.items[i]);
    }
    for (const [n, q] of this.toServer) if (upIncs.has(n)) inFlight.push(...q.items.slice(q.head));
    for (const [n, q] of this.toMain) if (upIncs.has(n)) inFlight.push(...q.items.slice(q.head));
    inFlight.sort((a, b) => a.sentAt - b.sentAt || a.id - b.id);
    let now = this.now;
    for (const e of this.events) now = Math.max(now, e.t);
    const net: NetState = { down: [...this.net.down].sort((a, b) => a - b), cut: [...this.net.cut].sort() };
    return {
      now, links, deadlines: this.deadlines, status: this.status, rng: this.clients.rng, net, incarnation: this.incarnation,
      nextLocalId: this.clients.nextLocalId, nextClientId: this.clients.nextClientId, clients: [...this.clients.clients.values()],
      events: this.events, inFlight, flushPending,
    };
  }

  /** Every host of the replay goes (a replay that failed). */
  shutdown(): void {
    for (const inc of this.incs.values()) inc.link?.kill();
  }
}

const netsKey = new Queue();

/** Main steps the driver takes (the others, client operations, the replayed consoles make). */
const driverKinds = new Set<number>([MainStep.wires, MainStep.timer, MainStep.kill, MainStep.restart, MainStep.spawn, MainStep.partition, MainStep.heal, MainStep.action]);

function queueOf<K>(m: Map<K, Queue>, k: K): Queue {
  let q = m.get(k);
  if (!q) {
    q = new Queue();
    m.set(k, q);
  }
  return q;
}

function pairs(xs: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i], xs[i + 1]]);
  return out;
}
