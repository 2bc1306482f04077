/**
 * AsyncConsole: one zkCli process (ZooKeeperMain) over a browser ensemble, live or lockstep.
 * The same zkCli code as the terminal (src/zkcli) drives its effects here asynchronously: a
 * `call` resolves when the client session reports its result, whenever that is (in lockstep,
 * only as the user steps the run). Lines typed meanwhile wait their turn, as in a terminal.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import type { ClientSession } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import { KeeperState, type WatcherEvent } from '../../engine/protocol/records.ts';
import type { Effect, EffectResult } from '../../zkcli/effects.ts';
import { complete, parseMainArgs, ZkCliMain, type ZkCliState } from '../../zkcli/zkcli-main.ts';
import type { ConsoleHandle } from '../playground/api.ts';

/** A client session a conductor hosts (lockstep and live), with where its connections go. */
export interface ClientEntry {
  readonly id: number;
  readonly session: ClientSession;
  /** client connection number -> connection id on the wire, and the server it goes to */
  readonly conns: Map<number, { conn: number; sid: Sid }>;
  readonly onEvent: (e: WatcherEvent) => void;
  readonly onResult: (callId: number, r: CallResult) => void;
}

/** What a console needs from the ensemble it talks to (LockstepConductor, LiveEnsemble). */
export interface ClientHost {
  addClient(connectString: string, sessionTimeout: number, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): ClientSession;
  call(session: ClientSession, call: ClientCall): number;
  /** closes the session (closeSession request, then the connection) */
  closeClient(session: ClientSession): void;
  /** records a console line in the run's action log */
  recordLine?(console: string, line: string): void;
  /** a session restored from a checkpoint gets its console's callbacks (lockstep) */
  rebindClient?(session: ClientSession, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void): void;
}

/** A console between two commands, as a lockstep checkpoint keeps it. */
export interface ConsoleState {
  readonly cli: ZkCliState;
  readonly closed: boolean;
  /** the session it uses now (the session object is in the conductor's part of the checkpoint) */
  readonly session: ClientSession | null;
}

type Listener = (text: string, stream: 'out' | 'err') => void;

export class AsyncConsole implements ConsoleHandle {
  private readonly cli: ZkCliMain;
  private session: ClientSession | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly results = new Map<number, CallResult>();
  private readonly waiters = new Map<number, (r: CallResult) => void>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** tasks enqueued and not finished */
  private busy = 0;
  /** a `close` effect waiting for its session's Closed event */
  private closing: { readonly session: ClientSession; readonly done: () => void } | null = null;

  /** A new zkCli process (connects at once), or with `restored` the one a checkpoint kept. */
  constructor(readonly name: string, readonly connectString: string, private readonly host: ClientHost, restored?: ConsoleState) {
    const options = parseMainArgs(['-server', connectString]);
    this.cli = new ZkCliMain(options, { out: (t) => this.write(t, 'out'), err: (t) => this.write(t, 'err') });
    if (restored) {
      this.cli.restoreState(restored.cli);
      this.closed = restored.closed;
      if (restored.session) this.attach(restored.session);
    } else {
      this.enqueue(() => this.run(this.cli.connectInitial()));
    }
  }

  /** No command under way and no call waiting: a checkpoint can keep this console (state()). */
  isIdle(): boolean {
    return this.busy === 0 && this.waiters.size === 0;
  }

  state(): ConsoleState {
    return { cli: this.cli.checkpointState(), closed: this.closed, session: this.session };
  }

  private attach(session: ClientSession): void {
    this.session = session;
    this.host.rebindClient?.(session, (e) => this.onEvent(session, e), (id, r) => this.onResult(session, id, r));
  }

  private write(text: string, stream: 'out' | 'err'): void {
    for (const l of this.listeners) l(text, stream);
  }

  prompt(): string {
    return this.closed ? '' : this.cli.prompt(this.session ? this.session.state : 'CLOSED');
  }

  /** The session's state and server now (for the UI's console header). */
  connection(): { state: string; sessionId: bigint; address: string | null } {
    const s = this.session;
    if (!s) return { state: 'CLOSED', sessionId: 0n, address: null };
    return { state: s.state, sessionId: s.sessionId, address: s.state === 'CONNECTED' ? s.currentHost() : null };
  }

  submit(line: string): void {
    if (this.closed) return;
    this.host.recordLine?.(this.name, line);
    this.enqueue(async () => {
      const r = await this.run(this.cli.executeLine(line));
      if (r !== 'done') this.close();
    });
  }

  /** Resolves when every line submitted so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  complete(line: string): Promise<string[]> {
    return new Promise((resolve) => {
      this.enqueue(async () => {
        const gen = complete(line, line.length);
        let step = gen.next();
        for (let i = 0; !step.done && i < 1000; i++) step = gen.next(await this.perform(step.value));
        resolve(step.done ? [...step.value.candidates] : []);
      });
    });
  }

  onOutput(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.session) this.host.closeClient(this.session);
  }

  private enqueue(fn: () => Promise<unknown>): void {
    this.busy++;
    this.chain = this.chain.then(fn).then(
      () => {
        this.busy--;
      },
      (e: unknown) => {
        this.busy--;
        this.write(`${e instanceof Error ? e.message : String(e)}\n`, 'err');
      },
    );
  }

  private async run(gen: Generator<Effect, void, EffectResult>): Promise<'done' | 'quit'> {
    let step = gen.next();
    while (!step.done) {
      const effect = step.value;
      if (effect.kind === 'quit' || effect.kind === 'crash') return 'quit';
      step = gen.next(await this.perform(effect));
    }
    return 'done';
  }

  private perform(effect: Effect): Promise<EffectResult> {
    switch (effect.kind) {
      case 'call': return this.call(effect.call);
      case 'connect': this.connect(effect.connectString); return Promise.resolve();
      case 'close': return this.closeSession();
      case 'state': return Promise.resolve(this.session ? this.session.state : 'CLOSED');
      default: return Promise.resolve();
    }
  }

  private call(call: ClientCall): Promise<CallResult> {
    const s = this.session;
    if (!s) return Promise.resolve({ kind: 'error', code: -112, path: 'path' in call ? call.path : null, result: null });
    const id = this.host.call(s, call);
    if (call.type === 'addAuthInfo') return Promise.resolve({ kind: 'ok', result: { type: 'auth' } } as CallResult);
    const ready = this.results.get(id);
    if (ready) {
      this.results.delete(id);
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  private connect(connectString: string): void {
    if (this.session) this.host.closeClient(this.session);
    const holder: { s: ClientSession | null } = { s: null };
    holder.s = this.host.addClient(connectString, this.cli.options.timeout, (e) => this.onEvent(holder.s, e), (id, r) => this.onResult(holder.s, id, r));
    this.session = holder.s;
  }

  /**
   * ZooKeeper.close() blocks until the session is closed, so its `Closed` event prints before
   * the next output (a `connect` closes the old session first, the same way).
   */
  private closeSession(): Promise<EffectResult> {
    const s = this.session;
    if (!s || !s.isAlive()) {
      this.session = null;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.closing = {
        session: s,
        done: () => {
          if (this.session === s) this.session = null;
          resolve();
        },
      };
      this.host.closeClient(s);
    });
  }

  private onEvent(session: ClientSession | null, e: WatcherEvent): void {
    if (session === null || session === this.session) this.cli.onWatchedEvent(e);
    const c = this.closing;
    if (c !== null && session === c.session && e.state === KeeperState.Closed) {
      this.closing = null;
      c.done();
    }
  }

  private onResult(session: ClientSession | null, id: number, r: CallResult): void {
    if (session !== null && session !== this.session) return;
    const w = this.waiters.get(id);
    if (w) {
      this.waiters.delete(id);
      w(r);
    } else {
      this.results.set(id, r);
    }
  }
}
