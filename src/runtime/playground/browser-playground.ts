/**
 * BrowserPlayground: the PlaygroundRuntime of api.ts, served by servers in Web Workers.
 *
 *   live      LiveEnsemble: workers on a MessageChannel mesh, wall-clock time × speed, OPFS
 *             dataDirs that survive a page reload (start() recovers them; reset() wipes them)
 *   lockstep  LockstepConductor over WorkerSpawner: every delivery and time advance decided
 *             here; a fresh run (its dataDirs wiped) so it is a pure function of seed + actions;
 *             the conductor checkpoints the run every checkpointEvery actions (servers' state
 *             fetched from their workers, dataDirs, client sessions, these consoles); rewind
 *             restores the newest checkpoint at or before the point and replays only the
 *             actions after it (without one: the action log from the start); a share link
 *             replays a whole run
 *
 * Consoles are zkCli processes on this thread (AsyncConsole) attached to either.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import { AsyncConsole, type ClientHost, type ConsoleState } from '../conductor/console.ts';
import type { HostSpawner } from '../conductor/host-link.ts';
import { LiveEnsemble, type LiveWorkerFactory } from '../conductor/live.ts';
import { LockstepConductor } from '../conductor/lockstep.ts';
import { LiveReplay, LiveReplayError, macrotask } from '../conductor/live-replay.ts';
import type { LiveRunRecord } from '../worker/live-schedule.ts';
import { opfsLockstepRootName, opfsRootName, wipeOpfs } from '../storage/opfs-disk.ts';
import { WorkerSpawner } from '../worker/spawn.ts';
import {
  playgroundProtocolVersion,
  type BulkCreateHandle, type BulkCreateOptions, type ConsoleHandle, type InFlightMessage, type PlaygroundEvent, type PlaygroundRuntime, type ReplayCheck, type ReplayConsoleEvent, type RunAction, type RunConfig, type RunRecord,
  type ServerStatus, type TranscriptMark, type ZnodeView,
} from './api.ts';
import { openBenchClient, type BenchHooks } from './bench-client.ts';
import { bulkBatchDefault, bulkWindowDefault, startBulkCreate } from './bulk-create.ts';
import { ensembleOf } from './run-record.ts';

type Listener = (events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void;

/** A console the UI holds on to; a rewind rebinds it to a fresh client in the replayed run. */
class PlaygroundConsole implements ConsoleHandle {
  private inner: AsyncConsole;
  private readonly listeners = new Set<(text: string, stream: 'out' | 'err', ord?: number) => void>();
  private detach: () => void;
  private closed = false;
  /** outputs printed and lines taken in this run (a checkpoint keeps them; a rewind restores them) */
  private outputs = 0;
  private inputs = 0;

  /** `onClose` runs before the session closes (it records the `close NAME` action ahead of the closeSession's pump) */
  constructor(
    readonly name: string,
    readonly connectString: string,
    host: ClientHost,
    private readonly onClose: (c: PlaygroundConsole) => void,
    restored?: SavedConsole,
    /** records a user action of this console's (a tab completion: its calls are traffic of the run) */
    private readonly onAction: (action: string) => void = () => {},
  ) {
    this.inner = new AsyncConsole(name, connectString, host, restored?.state);
    this.detach = this.inner.onOutput((t, s) => this.emit(t, s));
    this.outputs = restored?.mark.outputs ?? 0;
    this.inputs = restored?.mark.inputs ?? 0;
  }

  /** Attached to another run: restored from a checkpoint (at its place in the transcript), or from the start. */
  rebind(host: ClientHost, restored?: SavedConsole): void {
    this.detach();
    this.inner = new AsyncConsole(this.name, this.connectString, host, restored?.state);
    this.detach = this.inner.onOutput((t, s) => this.emit(t, s));
    this.outputs = restored?.mark.outputs ?? 0;
    this.inputs = restored?.mark.inputs ?? 0;
  }

  mark(): TranscriptMark {
    return { outputs: this.outputs, inputs: this.inputs };
  }

  /** Between two commands (a checkpoint may keep it). */
  isIdle(): boolean {
    return this.inner.isIdle();
  }

  state(): ConsoleState {
    return this.inner.state();
  }

  private emit(text: string, stream: 'out' | 'err'): void {
    const ord = this.outputs++;
    for (const l of this.listeners) l(text, stream, ord);
  }

  prompt(): string {
    return this.inner.prompt();
  }

  connection(): { state: string; sessionId: bigint; address: string | null } {
    return this.inner.connection();
  }

  submit(line: string): void {
    this.inputs++;
    this.inner.submit(line);
  }

  /** Resolves when every line submitted so far has finished (tests). */
  idle(): Promise<void> {
    return this.inner.idle();
  }

  complete(line: string): Promise<string[]> {
    this.onAction(`complete ${this.name} ${line}`);
    return this.inner.complete(line);
  }

  /** A replayed completion (not recorded again). */
  replayComplete(line: string): void {
    void this.inner.complete(line);
  }

  onOutput(listener: (text: string, stream: 'out' | 'err', ord?: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A replayed `close`: the session ends, the console stays for a later `open` of its name to rebind. */
  endSession(): void {
    this.inner.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.inner.close();
  }
}

export interface BrowserPlaygroundOptions {
  /** where lockstep servers run (default: Web Workers over OPFS; tests pass in-process ones) */
  readonly lockstepSpawner?: () => HostSpawner;
  /** lockstep: actions between checkpoints (default checkpointEveryDefault; 0: none, rewind replays from the start) */
  readonly checkpointEvery?: number;
  /** where live servers run (default: Web Workers over OPFS; Node tests pass in-process ones) */
  readonly liveWorkers?: LiveWorkerFactory;
}

/** What the last rewind did (tests and the benchmarks read it). */
export interface RewindStats {
  /** actions kept (the run now has these, replayed or restored) */
  readonly actions: number;
  /** actions the restored checkpoint covered, or null: none, the run replayed from its start */
  readonly checkpointAt: number | null;
  /** actions carried out again after the restore */
  readonly replayed: number;
}

/** A console as a checkpoint keeps it. */
interface SavedConsole {
  readonly name: string;
  readonly connectString: string;
  readonly state: ConsoleState;
  /** its place in the transcript */
  readonly mark: TranscriptMark;
}

export class BrowserPlayground implements PlaygroundRuntime {
  private config: RunConfig | null = null;
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly options: BrowserPlaygroundOptions = {}) {}

  private live: LiveEnsemble | null = null;
  private lockstep: LockstepConductor | null = null;
  private spawner: HostSpawner | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly consoles = new Map<string, PlaygroundConsole>();
  /** the bulk job under way (a replay cancels it where the run recorded `bulkcancel`) */
  private bulkJob: BulkCreateHandle | null = null;
  /** consoles opened (name, connect string) in order, with the action index they came at */
  private consoleOpens: { name: string; connectString: string; at: number }[] = [];
  /** `npm run bench`: a client with many requests outstanding, on the consoles' client path (bench-client.ts) */
  readonly bench: BenchHooks = { client: (connectString, options) => openBenchClient(this.host(), connectString, options) };

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    const ens = this.live ?? this.lockstep;
    if (ens) listener(ens.events, ens.sids().map((s) => ens.status.get(s)!));
    return () => this.listeners.delete(listener);
  }

  private fanOut: Listener = (events, status) => {
    for (const l of this.listeners) l(events, status);
  };

  mode(): RunConfig['mode'] | null {
    return this.config?.mode ?? null;
  }

  /** The running ensemble's whole trace so far. */
  events(): readonly PlaygroundEvent[] {
    return (this.live ?? this.lockstep)?.events ?? [];
  }

  status(): readonly ServerStatus[] {
    const ens = this.live ?? this.lockstep;
    return ens ? ens.sids().map((s) => ens.status.get(s)!) : [];
  }

  leader(): Sid | null {
    return (this.live ?? this.lockstep)?.leader() ?? null;
  }

  /** Starts a run; a start or reset asked for meanwhile waits for this one. */
  start(config: RunConfig): Promise<void> {
    this.liveBase = null;
    this.lastReplay = null;
    const p = this.starting.then(() => this.startRun(config, true));
    this.starting = p.catch(() => undefined);
    return p;
  }

  private async startRun(config: RunConfig, rebindConsoles: boolean, startServers = true): Promise<void> {
    this.stop();
    this.config = config;
    this.consoleOpens = [];
    const options = ensembleOf(config);
    if (config.mode === 'live') {
      this.live = new LiveEnsemble(options, 'opfs', this.options.liveWorkers);
      this.live.listeners.push(this.fanOut);
      this.live.start();
    } else {
      this.spawner = this.options.lockstepSpawner ? this.options.lockstepSpawner() : new WorkerSpawner('opfs-lockstep');
      await this.spawner.wipe();
      this.lockstep = new LockstepConductor(options, this.spawner);
      if (this.options.checkpointEvery !== undefined) this.lockstep.checkpointEvery = this.options.checkpointEvery;
      // a bulk job under way keeps no checkpoint (its client's driver is not part of one)
      this.lockstep.checkpointHooks = { ready: () => this.consolesIdle() && !(this.bulkJob !== null && !this.bulkJob.progress().done), capture: () => this.saveConsoles() };
      this.lockstep.listeners.push(this.fanOut);
      if (startServers) await this.lockstep.start();
    }
    if (rebindConsoles) {
      for (const c of this.consoles.values()) {
        // a live run's replay makes the console again from its open
        if (this.live) this.live.recordAction(`open ${c.name} ${c.connectString}`);
        c.rebind(this.host());
      }
    }
  }

  /** Stops the run (its servers and clients go). */
  shutdown(): void {
    this.stop();
  }

  private stop(): void {
    this.bulkJob = null; // its session belonged to the ensemble going away
    this.live?.shutdown();
    this.lockstep?.shutdown();
    this.live = null;
    this.lockstep = null;
  }

  async reset(): Promise<void> {
    const config = this.config;
    this.stop();
    await wipeOpfs(opfsRootName);
    await wipeOpfs(opfsLockstepRootName);
    if (config) await this.start(config);
  }

  private host(): ClientHost {
    const h = this.live ?? this.lockstep;
    if (!h) throw new Error('the ensemble is not started');
    return h;
  }

  private requireLockstep(): LockstepConductor {
    if (!this.lockstep) throw new Error('not a lockstep run');
    return this.lockstep;
  }

  kill(sid: Sid): void {
    if (this.live) this.live.kill(sid);
    else void this.lockstep?.kill(sid);
  }

  restart(sid: Sid): void {
    if (this.live) this.live.restart(sid);
    else void this.lockstep?.restart(sid);
  }

  /** starts servers that are down (the UI's lessons start them one by one) */
  startServers(sids: readonly Sid[]): void {
    for (const sid of sids) this.restart(sid);
  }

  partition(groups: readonly (readonly Sid[])[], oneWay?: boolean): void {
    if (this.live) this.live.partition(groups, oneWay);
    else void this.lockstep?.partition(groups, oneWay);
  }

  heal(): void {
    if (this.live) this.live.heal();
    else void this.lockstep?.heal();
  }

  setSpeed(factor: number): void {
    this.live?.setSpeed(factor);
  }

  pause(): void {
    this.live?.pause();
  }

  resume(): void {
    this.live?.resume();
  }

  /** lockstep: the conductor's queue; live: sent and not yet reported delivered or dropped */
  inFlight(): readonly InFlightMessage[] {
    return (this.lockstep ?? this.live)?.inFlightMessages() ?? [];
  }

  async deliver(msgId?: number): Promise<void> {
    await this.requireLockstep().deliver(msgId);
  }

  drop(msgId: number): Promise<void> {
    return this.requireLockstep().drop(msgId);
  }

  delay(msgId: number, ms: number): Promise<void> {
    return this.requireLockstep().delay(msgId, ms);
  }

  async advanceToNextTimeout(): Promise<void> {
    await this.requireLockstep().advance();
  }

  /** Lockstep: one step (the next message, or else the next timeout). */
  step(): Promise<boolean> {
    return this.requireLockstep().step();
  }

  /** Lockstep: steps until `done()` holds (or stepsMax steps). */
  runUntil(done: () => boolean, stepsMax?: number): Promise<boolean> {
    return this.requireLockstep().runUntil(done, stepsMax);
  }

  traceHash(): string {
    return this.requireLockstep().traceHash();
  }

  /** What the last rewind did: the checkpoint it restored and the actions it replayed. */
  lastRewind: RewindStats | null = null;

  /**
   * Rewind to just after event `seq`: the newest checkpoint at or before the last action
   * recorded by then is restored and the actions after it are replayed (without a checkpoint,
   * a fresh run replays them all). Later actions are gone: the next one forks the run.
   */
  async rewind(seq: number): Promise<void> {
    const ls = this.requireLockstep();
    let keep = 0;
    while (keep < ls.actions.length && ls.actionEvents[keep] <= seq) keep++;
    const actions = ls.actions.slice(0, keep);
    const cp = ls.checkpointAtOrBefore(keep);
    if (!cp) {
      await this.replay(this.baseRecord(actions));
      this.lastRewind = { actions: keep, checkpointAt: null, replayed: keep };
      return;
    }
    const opens = this.consoleOpens;
    let saved: readonly SavedConsole[] | null;
    try {
      saved = (await ls.restoreCheckpoint(cp)) as readonly SavedConsole[] | null;
    } catch {
      // a server could not be restored (a worker failed): a fresh run replays every action
      await this.replay(this.baseRecord(actions));
      this.lastRewind = { actions: keep, checkpointAt: null, replayed: keep };
      return;
    }
    for (const c of saved ?? []) {
      const existing = this.consoles.get(c.name);
      if (existing) existing.rebind(ls, c);
      else this.newConsole(c.name, c.connectString, ls, c);
    }
    await this.replayActions(ls, actions.slice(cp.actions), opens);
    this.lastRewind = { actions: keep, checkpointAt: cp.actions, replayed: keep - cp.actions };
  }

  /** The run's record with these actions (a replayed live run's schedule first, if it went on from one). */
  private baseRecord(actions: RunAction[]): RunRecord {
    return this.liveBase ? { version: playgroundProtocolVersion, config: this.config!, actions, live: this.liveBase } : { version: playgroundProtocolVersion, config: this.config!, actions };
  }

  private consolesIdle(): boolean {
    for (const c of this.consoles.values()) if (!c.isIdle()) return false;
    return true;
  }

  private saveConsoles(): SavedConsole[] {
    return [...this.consoles.values()].map((c) => ({ name: c.name, connectString: c.connectString, state: c.state(), mark: c.mark() }));
  }

  /**
   * The run as data. A live run's is its actions only (exportRunExact adds its schedule); a
   * lockstep run that goes on from a replayed live run carries that run's schedule (`live`) and
   * its own actions after it.
   */
  exportRun(): RunRecord {
    const ens = this.live ?? this.lockstep;
    const config = this.config ?? { zooCfg: '', seed: 0, mode: 'lockstep' as const };
    const actions = ens ? [...ens.actions] : [];
    if (this.live) return { version: playgroundProtocolVersion, config, actions, inexact: 'a live run exported without its schedule (exportRunExact has it)' };
    if (this.liveBase) return { version: playgroundProtocolVersion, config, actions, live: this.liveBase };
    return { version: playgroundProtocolVersion, config, actions };
  }

  /** A live run with its schedule (the run pauses a moment for a consistent cut); else exportRun(). */
  async exportRunExact(): Promise<RunRecord> {
    if (!this.live) return this.exportRun();
    const live = this.live;
    const config = this.config!;
    const { live: record, inexact } = await live.exportLive();
    if (record) return { version: playgroundProtocolVersion, config, actions: [], live: record };
    return { version: playgroundProtocolVersion, config, actions: [...live.actions], inexact: inexact ?? 'no schedule' };
  }

  /** What the last replay gave (null: none since the run started). */
  replayCheck(): ReplayCheck | null {
    return this.lastReplay;
  }

  /** the live run a lockstep run went on from (its record), or null */
  private liveBase: LiveRunRecord | null = null;
  private lastReplay: ReplayCheck | null = null;
  /** while a live run's record replays: the consoles' host */
  private replayHost: LiveReplay | null = null;
  private readonly replayConsoleListeners = new Set<(e: ReplayConsoleEvent) => void>();
  /** consoles a replay opened (no pane of the UI's): their lines are announced as typed */
  private readonly replayOpened = new Set<string>();

  onReplayConsole(listener: (e: ReplayConsoleEvent) => void): () => void {
    this.replayConsoleListeners.add(listener);
    return () => this.replayConsoleListeners.delete(listener);
  }

  /** A console the replay opens: announced, so the UI can give it a pane. */
  private replayOpen(name: string, connectString: string, open: () => ConsoleHandle): void {
    const handle = open();
    this.replayOpened.add(name);
    for (const l of this.replayConsoleListeners) l({ type: 'open', handle, connectString });
  }

  /** A line the replay types into a console: announced first (a pane echoes it), then run. */
  private replayLine(name: string, line: string): void {
    const c = this.consoles.get(name);
    if (!c) return;
    if (this.replayOpened.has(name)) for (const l of this.replayConsoleListeners) l({ type: 'line', name, line });
    c.submit(line);
  }

  /**
   * Replays a run (a share link, an exported JSON, a rewind) in lockstep. A live run's record
   * with its schedule replays to the same run (LiveReplay, checked against the recorded hash),
   * then its `actions` go on in lockstep; without one (`inexact`), its actions replay in
   * lockstep, a different run, and replayCheck() says why.
   */
  async replay(run: RunRecord): Promise<void> {
    const opens = this.consoleOpens;
    this.lastReplay = null;
    this.liveBase = null;
    await this.startRun({ ...run.config, mode: 'lockstep' }, false, run.live === undefined);
    this.consoleOpens = [];
    if (run.live) {
      this.lastReplay = await this.replayLive(run.live, opens);
      this.liveBase = run.live;
    } else if (run.inexact !== undefined || run.config.mode === 'live') {
      this.lastReplay = { exact: false, expected: null, got: null, reason: run.inexact ?? 'a live run without its schedule: its actions replay in lockstep, a different run' };
    }
    await this.replayActions(this.lockstep!, run.actions, opens);
  }

  /** A live run's schedule replayed (LiveReplay), the lockstep conductor taking over where it ends. */
  private async replayLive(live: LiveRunRecord, opens: readonly { name: string; connectString: string }[]): Promise<ReplayCheck> {
    const ls = this.lockstep!;
    const replay = new LiveReplay(ensembleOf(this.config!), this.spawner!, live, (a) => this.applyLiveAction(a, opens));
    this.replayHost = replay;
    let check: ReplayCheck;
    try {
      const r = await replay.run();
      check = { exact: r.hash === r.expected, expected: r.expected, got: r.hash, reason: r.hash === r.expected ? null : `the replay's trace differs from the live run's (${r.events} events)` };
    } catch (e) {
      const reason = e instanceof LiveReplayError ? e.message : `the replay failed: ${e instanceof Error ? e.message : String(e)}`;
      check = { exact: false, expected: live.hash, got: null, reason };
    } finally {
      this.replayHost = null;
    }
    // the user goes on in lockstep from where the replay stopped (its end, or where it failed);
    // the check first: what the adopted trace's subscribers render may ask for it
    this.lastReplay = check;
    await ls.adopt(replay.handOff(ls));
    if (this.consolesIdle()) await ls.takeCheckpoint().catch(() => null);
    return check;
  }

  private applyLiveAction(a: RunAction, opens: readonly { name: string; connectString: string }[]): void {
    const host = this.replayHost!;
    const [verb, ...rest] = a.action.split(' ');
    switch (verb) {
      case 'open': {
        const name = rest[0];
        const cs = rest[1] ?? opens.find((o) => o.name === name)?.connectString ?? '127.0.0.1:2181';
        const existing = this.consoles.get(name);
        if (existing) existing.rebind(host);
        else this.replayOpen(name, cs, () => this.newConsole(name, cs, host));
        return;
      }
      case 'close': this.consoles.get(rest[0])?.endSession(); return;
      case 'complete': this.consoles.get(rest[0])?.replayComplete(rest.slice(1).join(' ')); return;
      case 'bulk': {
        const [parent, count, batch, window, connectString] = rest;
        this.bulkCreate({ parent, count: Number(count), batch: Number(batch), window: Number(window), connectString: connectString ?? '127.0.0.1:2181' });
        return;
      }
      case 'bulkcancel': this.bulkJob?.cancel(); return;
      default: {
        const m = /^(\S+)> (.*)$/.exec(a.action);
        if (m) this.replayLine(m[1], m[2]);
      }
    }
  }

  private async replayActions(ls: LockstepConductor, actions: readonly RunRecord['actions'][number][], opens: readonly { name: string; connectString: string }[]): Promise<void> {
    ls.replaying = true;
    try {
      for (const a of actions) {
        await macrotask();
        await this.applyAction(ls, a.action, opens);
        await ls.settled();
      }
      await macrotask();
    } finally {
      ls.replaying = false;
    }
  }

  private async applyAction(ls: LockstepConductor, action: string, opens: readonly { name: string; connectString: string }[]): Promise<void> {
    if (await ls.applyAction(action)) return;
    const [verb, ...rest] = action.split(' ');
    if (verb === 'client') return; // a console's session: the console's own lines recreate it
    if (verb === 'bulk') {
      const [parent, count, batch, window, connectString] = rest;
      this.bulkCreate({ parent, count: Number(count), batch: Number(batch), window: Number(window), connectString: connectString ?? '127.0.0.1:2181' });
      return;
    }
    if (verb === 'bulkcancel') {
      this.bulkJob?.cancel();
      return;
    }
    if (verb === 'complete') {
      this.consoles.get(rest[0])?.complete(rest.slice(1).join(' '));
      return;
    }
    if (verb === 'open') {
      const name = rest[0];
      const cs = rest[1] ?? opens.find((o) => o.name === name)?.connectString ?? '127.0.0.1:2181';
      const existing = this.consoles.get(name);
      if (!existing) {
        this.replayOpen(name, cs, () => this.openConsole(name, cs));
        return;
      }
      // the replayed run records the open as the original did (a later rewind or export needs it)
      ls.actions.push({ t: ls.now, action });
      ls.actionEvents.push(ls.nextSeq());
      existing.rebind(ls);
      return;
    }
    if (verb === 'close') {
      // the console the run closed ends its session (its closeSession enters the run at the next
      // recorded pump) and the close is recorded again; the console stays, so that a later
      // `open` of the same name rebinds it (the pane a person reopened keeps working)
      const c = this.consoles.get(rest[0]);
      if (!c) return;
      ls.actions.push({ t: ls.now, action });
      ls.actionEvents.push(ls.nextSeq());
      c.endSession();
      return;
    }
    const m = /^(\S+)> (.*)$/.exec(action);
    if (m) this.replayLine(m[1], m[2]);
  }

  /** A user action into the run's log (live: its place in the schedule too). */
  private recordAction(action: string): void {
    if (this.replayHost) return; // a live run's replay: its record is the run's
    if (this.live) {
      this.live.recordAction(action);
      return;
    }
    if (!this.lockstep) return;
    this.lockstep.actions.push({ t: this.lockstep.now, action });
    this.lockstep.actionEvents.push(this.lockstep.nextSeq());
  }

  openConsole(name: string, connectString: string): ConsoleHandle & { idle(): Promise<void>; connection(): { state: string; sessionId: bigint; address: string | null } } {
    const host = this.host();
    this.recordAction(`open ${name} ${connectString}`);
    this.consoleOpens.push({ name, connectString, at: (this.live ?? this.lockstep!).actions.length });
    return this.newConsole(name, connectString, host);
  }

  private newConsole(name: string, connectString: string, host: ClientHost, restored?: SavedConsole): PlaygroundConsole {
    const c = new PlaygroundConsole(name, connectString, host, (x) => this.closeConsole(x), restored, (a) => this.recordAction(a));
    this.consoles.set(name, c);
    return c;
  }

  /** A console closed (its pane): recorded as `close NAME`, so a replay closes its session at the same point. */
  private closeConsole(c: PlaygroundConsole): void {
    if (this.consoles.get(c.name) !== c) return;
    this.consoles.delete(c.name);
    this.replayOpened.delete(c.name);
    this.recordAction(`close ${c.name}`);
  }

  /**
   * Many znodes as real traffic (bulk-create.ts): recorded as a `bulk` action, so a lockstep
   * replay makes the same requests; its cancel is recorded as `bulkcancel`.
   */
  bulkCreate(options: BulkCreateOptions): BulkCreateHandle {
    const ens = this.replayHost ?? this.live ?? this.lockstep;
    if (!ens) throw new Error('the ensemble is not started');
    const record = (action: string): void => this.recordAction(action);
    record(`bulk ${options.parent} ${options.count} ${options.batch ?? bulkBatchDefault} ${options.window ?? bulkWindowDefault} ${options.connectString}`);
    const job = startBulkCreate(ens, options);
    const handle: BulkCreateHandle = {
      progress: () => job.progress(),
      onProgress: (l) => job.onProgress(l),
      cancel: () => {
        if (job.progress().done) return;
        record('bulkcancel');
        job.cancel();
      },
      done: job.done,
    };
    this.bulkJob = handle;
    return handle;
  }

  now(): number {
    if (this.live) return this.live.now();
    return this.lockstep?.now ?? 0;
  }

  runFor(ms: number): Promise<void> {
    return this.requireLockstep().runFor(ms);
  }

  describeTree(sid: Sid): Promise<string | null> {
    if (this.live) return this.live.describeTree(sid);
    if (!this.lockstep?.isUp(sid)) return Promise.resolve(null);
    const w = this.spawner instanceof WorkerSpawner ? this.spawner.workers.get(sid) : undefined;
    return w ? w.describeTree() : Promise.resolve(null);
  }

  znode(sid: Sid, path: string): Promise<ZnodeView | null> {
    if (this.live) return this.live.znode(sid, path);
    const w = this.spawner instanceof WorkerSpawner ? this.spawner.workers.get(sid) : undefined;
    return w ? w.inspect(path) : Promise.resolve(null);
  }
}
