/**
 * A scripted host for zkCli unit tests: it answers each ClientCall with a canned CallResult from a
 * test-supplied function and records the calls. There is no ZooKeeper tree here on purpose (the
 * real engine is tested against the golden corpus); a test states exactly what the server says.
 *
 * connect/close behave like the real host with a reachable server: connect closes the current
 * session (Closed event if it was alive) and connects (SyncConnected event); close closes.
 */
import type { CallResult, ClientCall, ClientState } from '../client/api.ts';
import type { OpResult } from '../engine/protocol/client-protocol.ts';
import { Code } from '../engine/protocol/errors.ts';
import { EventType, KeeperState, type Stat } from '../engine/protocol/records.ts';
import type { CommandRun, Effect, Output } from './effects.ts';
import { ZkCliMain, parseMainArgs } from './zkcli-main.ts';

export type Responder = (call: ClientCall) => CallResult;
export type Outcome = { kind: 'done' } | { kind: 'quit'; code: number } | { kind: 'crash' };

export const ok = (result: OpResult): CallResult => ({ kind: 'ok', result });
export const fail = (code: Code, path: string | null = null): CallResult => ({ kind: 'error', code, path, result: null });
export const illegal = (message: string): CallResult => ({ kind: 'illegalArgument', message });

/** A Stat with recognisable values; ctime/mtime are 2026-11-22 13:04:09 UTC. */
export function stat(overrides: Partial<Stat> = {}): Stat {
  return {
    czxid: 2n, mzxid: 3n, ctime: 1795352649000, mtime: 1795352649000, version: 1, cversion: 0, aversion: 0,
    ephemeralOwner: 0n, dataLength: 5, numChildren: 0, pzxid: 2n, ...overrides,
  };
}

export const statText = [
  'cZxid = 0x2',
  'ctime = Sun Nov 22 13:04:09 UTC 2026',
  'mZxid = 0x3',
  'mtime = Sun Nov 22 13:04:09 UTC 2026',
  'pZxid = 0x2',
  'cversion = 0',
  'dataVersion = 1',
  'aclVersion = 0',
  'ephemeralOwner = 0x0',
  'dataLength = 5',
  'numChildren = 0',
].join('\n') + '\n';

const noResponder: Responder = (call) => {
  throw new Error(`unexpected call ${JSON.stringify(call, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
};

export class FakeHost {
  readonly calls: ClientCall[] = [];
  readonly effects: Effect['kind'][] = [];
  /** stdout and stderr interleaved, as a terminal shows them. */
  text = '';
  out = '';
  err = '';
  state: ClientState = 'CLOSED';
  /** The state a connect ends in (a dead server: 'CONNECTING'). */
  connectState: ClientState = 'CONNECTED';
  readonly cli: ZkCliMain;
  readonly output: Output = {
    out: (t) => {
      this.out += t;
      this.text += t;
    },
    err: (t) => {
      this.err += t;
      this.text += t;
    },
  };

  constructor(argv: string[] = ['-server', '127.0.0.1:2181', '-waitforconnection'], public respond: Responder = noResponder) {
    this.cli = new ZkCliMain(parseMainArgs(argv), this.output);
  }

  /** Starts an interactive zkCli as the golden runner does: header, welcome, first prompt. */
  start(): this {
    this.run(this.cli.connectInitial());
    this.cli.printWelcome();
    this.text += this.cli.prompt(this.state);
    return this;
  }

  /** Types a line: the echo, what zkCli prints, then the next prompt (unless it exited). */
  type(line: string): Outcome {
    this.text += `${line}\n`;
    const outcome = this.run(this.cli.executeLine(line));
    if (outcome.kind === 'done') this.text += this.cli.prompt(this.state);
    return outcome;
  }

  /** Clears the recorded text and calls. */
  reset(): this {
    this.text = this.out = this.err = '';
    this.calls.length = 0;
    this.effects.length = 0;
    return this;
  }

  run(gen: CommandRun): Outcome {
    let step = gen.next();
    for (let i = 0; !step.done; i++) {
      if (i > 100_000) throw new Error('runaway command');
      const effect = step.value;
      this.effects.push(effect.kind);
      switch (effect.kind) {
        case 'quit': return { kind: 'quit', code: effect.code };
        case 'crash': return { kind: 'crash' };
        case 'call':
          this.calls.push(effect.call);
          step = gen.next(this.respond(effect.call));
          break;
        case 'state':
          step = gen.next(this.state);
          break;
        case 'connect':
          this.close();
          this.state = this.connectState;
          if (this.state === 'CONNECTED') this.event(KeeperState.SyncConnected);
          step = gen.next();
          break;
        case 'close':
          this.close();
          step = gen.next();
          break;
      }
    }
    return { kind: 'done' };
  }

  event(state: KeeperState, type: EventType = EventType.None, path: string | null = null): void {
    this.cli.onWatchedEvent({ state, type, path });
  }

  private close(): void {
    if (this.state === 'CLOSED' || this.state === 'AUTH_FAILED') return;
    this.state = 'CLOSED';
    this.event(KeeperState.Closed);
  }
}

export const header = [
  'Connecting to 127.0.0.1:2181',
  '',
  'WATCHER::',
  '',
  'WatchedEvent state:SyncConnected type:None path:null',
  'Welcome to ZooKeeper!',
  'JLine support is enabled',
  '',
].join('\n');

export { Code };
