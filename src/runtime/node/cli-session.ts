/**
 * CliSession: one zkCli process (ZooKeeperMain) over a simulated world. It drives zkCli's
 * effect generators: a `call` goes to the ClientSession and the world runs in virtual time
 * until the reply (or ConnectionLoss) arrives, exactly as zkCli blocks on a synchronous call.
 * Watch events are printed the moment the world delivers them, so they land in the output
 * where a terminal would show them.
 */
import type { CallResult, ClientState } from '../../client/api.ts';
import { ClientSession } from '../../client/client-session.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import type { CommandRun, Effect, EffectResult, Output } from '../../zkcli/effects.ts';
import { ZkCliMain, parseMainArgs, type MainOptions } from '../../zkcli/zkcli-main.ts';
import type { ClientWorld } from '../sim/client-world.ts';

export type RunOutcome = { readonly kind: 'done' } | { readonly kind: 'quit'; readonly code: number } | { readonly kind: 'crash' };

/** How long (virtual ms) a blocked call may wait before we declare a livelock. */
export const callWaitMaxMs = 24 * 3600 * 1000;
/** -waitforconnection waits at most this long (virtual ms) before giving up. */
export const connectWaitMaxMs = 10 * 60 * 1000;

export class CliSession {
  readonly cli: ZkCliMain;
  readonly options: MainOptions;
  private clientId = 0;
  private session: ClientSession | null = null;
  private readonly results = new Map<number, CallResult>();

  /** `remoteAddress`: the IP this zkCli's machine connects from (default: the world's) */
  constructor(
    private readonly world: ClientWorld,
    argv: readonly string[],
    readonly output: Output,
    private readonly random: () => number,
    private readonly remoteAddress?: string,
  ) {
    this.options = parseMainArgs([...argv]);
    this.cli = new ZkCliMain(this.options, output);
  }

  /** zkCli's start: `Connecting to ...`, connect (and wait when -waitforconnection). */
  start(): RunOutcome {
    return this.run(this.cli.connectInitial());
  }

  state(): ClientState {
    return this.session ? this.session.state : 'CLOSED';
  }

  prompt(): string {
    return this.cli.prompt(this.state());
  }

  executeLine(line: string): RunOutcome {
    return this.run(this.cli.executeLine(line));
  }

  oneShot(args: readonly string[]): RunOutcome {
    return this.run(this.cli.runOneShot([...args]));
  }

  /** Drives a generator to its end, performing each effect. */
  run(gen: CommandRun): RunOutcome {
    let step = gen.next();
    for (let i = 0; !step.done; i++) {
      const effect: Effect = step.value;
      if (effect.kind === 'quit') return { kind: 'quit', code: effect.code };
      if (effect.kind === 'crash') return { kind: 'crash' };
      step = gen.next(this.perform(effect));
    }
    return { kind: 'done' };
  }

  private perform(effect: Exclude<Effect, { kind: 'quit' } | { kind: 'crash' }>): EffectResult {
    switch (effect.kind) {
      case 'call': return this.call(effect.call);
      case 'connect': return this.connect(effect.connectString);
      case 'close': return this.close();
      case 'state': return this.state();
    }
  }

  private call(call: Parameters<ClientSession['call']>[0]): CallResult {
    if (!this.session) return { kind: 'error', code: -112, path: 'path' in call ? call.path : null, result: null };
    const id = this.session.call(call);
    // ZooKeeper.addAuthInfo only queues the auth packet: zkCli does not wait for its answer
    if (call.type === 'addAuthInfo') return { kind: 'ok', result: { type: 'auth' } };
    this.world.run(this.world.now + callWaitMaxMs, () => this.results.has(id));
    const result = this.results.get(id);
    this.results.delete(id);
    if (!result) throw new Error(`call ${call.type} never completed`);
    return result;
  }

  private connect(connectString: string): void {
    this.closeSession();
    const session = new ClientSession(connectString, { sessionTimeout: this.options.timeout, random: this.random }, this.world.now);
    this.session = session;
    this.clientId = this.world.addClient(session, (e) => this.onEvent(e), (id, r) => this.results.set(id, r), this.remoteAddress);
    // Without -waitforconnection zkCli goes on at once; the connection completes (and its
    // SyncConnected event prints) only as the world runs, e.g. while the next call waits.
    if (this.options.waitForConnection) {
      // ZooKeeperMain.connectToZK: connectLatch.await(timeout) — it waits one session timeout
      const waitMs = Math.min(connectWaitMaxMs, this.options.timeout);
      this.world.run(this.world.now + waitMs, () => session.state === 'CONNECTED' || !session.isAlive());
    }
  }

  private close(): void {
    this.closeSession();
  }

  private closeSession(): void {
    const s = this.session;
    if (!s) return;
    if (s.isAlive()) {
      s.close();
      this.world.run(this.world.now + connectWaitMaxMs, () => !s.isAlive());
    }
  }

  /** Children of a path for Tab completion (no watch, nothing printed). */
  listChildren(path: string): string[] {
    if (!this.session || this.session.state !== 'CONNECTED') return [];
    const r = this.call({ type: 'getChildren', path, watch: false });
    return r.kind === 'ok' && r.result.type === 'getChildren' ? [...r.result.children] : [];
  }

  /** Stops the process: its connection goes away without a closeSession (kill -9 of zkCli). */
  exit(): void {
    if (this.clientId !== 0) this.world.removeClient(this.clientId);
    this.clientId = 0;
  }

  private onEvent(event: WatcherEvent): void {
    this.cli.onWatchedEvent(event);
  }
}
