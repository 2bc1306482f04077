/**
 * Transcript commands for Fast Leader Election (STYLE.md 10): each line drives an
 * `ElectionCluster` and returns what happened, one event per line, as `t=<ms> <text>`. The file
 * format and the `UPDATE_TRANSCRIPTS=1` rewrite live in test/harness/datadriven.ts; the files
 * are test/transcripts/election/*.txt.
 *
 * Pure (no fs, no clock), so lessons in the UI can replay the same scripts.
 */
import type { Sid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';
import { ElectionCluster, type ClusterEvent, type ClusterEventKind } from './election-cluster.ts';
import { notificationVersionCurrent, serverStateOrdinal, serverStates, type Notification, type ServerState } from './notification.ts';

export type Verbosity = 'messages' | 'log' | 'decisions';

const shown: Record<Verbosity, readonly ClusterEventKind[]> = {
  messages: ['deliver', 'log', 'net', 'zab'],
  log: ['log', 'net', 'zab'],
  decisions: ['decided', 'zab'],
};

/** Default limit of `stabilize`, ms of virtual time. */
export const stabilizeMsDefault = 120_000;
/** Servers one command may name. */
export const commandSidsMax = 255;

interface Command {
  /** usage, then an example */
  readonly doc: string;
  readonly run: (t: ElectionTranscript, args: Args) => string[];
}

interface Args {
  readonly words: readonly string[];
  readonly kv: ReadonlyMap<string, string>;
}

const commands: Readonly<Record<string, Command>> = {
  /** A new world; nothing runs yet. `cluster voters=1,2,3 observers=4 latency=1 zab=20000` */
  cluster: { doc: 'cluster voters=1,2,3 [observers=4] [latency=ms] [zab=checkAfterMs]', run: (t, a) => t.newCluster(a) },
  /** What a server's storage holds: `set 1 zxid=0x100000005 epoch=1` */
  set: { doc: 'set <sid> [zxid=0x..] [epoch=N]', run: (t, a) => t.set(a) },
  /** Boot processes (fresh state machines, then lookForLeader): `start 1 2 3` */
  start: { doc: 'start <sid>...', run: (t, a) => t.each(a, (sid) => t.c.start(sid)) },
  /** The host leaves its role and looks again: `look 1 2` */
  look: { doc: 'look <sid>...', run: (t, a) => t.each(a, (sid) => t.c.look(sid)) },
  /** Kill processes: `crash 3` */
  crash: { doc: 'crash <sid>...', run: (t, a) => t.each(a, (sid) => t.c.crash(sid)) },
  /** Advance virtual time: `run 1000` */
  run: { doc: 'run <ms>', run: (t, a) => t.flush(() => t.c.runFor(int(a.words[0], 'ms'))) },
  /** Until nothing is in flight and every running server decided: `stabilize limit=60000` */
  stabilize: { doc: 'stabilize [limit=ms]', run: (t, a) => t.stabilize(a) },
  /** Cut the link between two servers: `partition 1 3` */
  partition: { doc: 'partition <a> <b>', run: (t, a) => t.flush(() => t.c.partition(sid(a.words[0]), sid(a.words[1]))) },
  /** `heal 1 3`, or `heal` for all */
  heal: { doc: 'heal [<a> <b>]', run: (t, a) => t.flush(() => (a.words.length === 0 ? t.c.healAll() : t.c.heal(sid(a.words[0]), sid(a.words[1])))) },
  /** One-way latency of both directions of a link: `latency 3 1 150` */
  latency: { doc: 'latency <a> <b> <ms>', run: (t, a) => t.flush(() => t.c.setLatency(sid(a.words[0]), sid(a.words[1]), int(a.words[2], 'ms'))) },
  /** `inject 1 from=3 state=LOOKING leader=3 zxid=0x0 round=0 peerEpoch=0` */
  inject: { doc: 'inject <to> from=<sid> state=<STATE> leader=<sid> zxid=0x.. round=N peerEpoch=N', run: (t, a) => t.inject(a) },
  /** Zab done for every decided server: `establish epoch=1` */
  establish: { doc: 'establish epoch=N', run: (t, a) => t.flush(() => t.c.establish(int(a.kv.get('epoch'), 'epoch'))) },
  /** describeElection of every server */
  status: { doc: 'status', run: (t) => t.c.status() },
  /** Which events print: `show messages` | `show log` | `show decisions` */
  show: { doc: 'show messages|log|decisions', run: (t, a) => t.show(a) },
};

export class ElectionTranscript {
  c = new ElectionCluster({ voters: [1, 2, 3] });
  verbosity: Verbosity = 'log';

  handle(line: string): string {
    const words = line.trim().split(/\s+/);
    const command = commands[words[0]];
    if (command === undefined) throw new Error(`unknown command ${words[0]}; known: ${Object.keys(commands).join(', ')}`);
    const rest = words.slice(1);
    const kv = new Map<string, string>();
    for (const w of rest) if (w.includes('=')) kv.set(w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1));
    return command.run(this, { words: rest.filter((w) => !w.includes('=')), kv }).join('\n');
  }

  newCluster(a: Args): string[] {
    const zab = a.kv.get('zab');
    this.c = new ElectionCluster({
      voters: sidList(a.kv.get('voters') ?? '1,2,3'),
      observers: sidList(a.kv.get('observers') ?? ''),
      latencyMs: a.kv.has('latency') ? int(a.kv.get('latency'), 'latency') : 1,
      zab: zab === undefined ? undefined : { checkAfterMs: int(zab, 'zab') },
    });
    return [this.c.qv.votingMembers.length + this.c.qv.observingMembers.length + ' servers, none running'];
  }

  set(a: Args): string[] {
    const s = sid(a.words[0]);
    if (a.kv.has('zxid')) this.c.setDisk(s, { lastLoggedZxid: BigInt(a.kv.get('zxid')!) });
    if (a.kv.has('epoch')) this.c.setDisk(s, { currentEpoch: int(a.kv.get('epoch'), 'epoch') });
    const d = this.c.disk(s);
    return [`${s} lastLoggedZxid=0x${d.lastLoggedZxid.toString(16)} currentEpoch=${d.currentEpoch}`];
  }

  each(a: Args, f: (sid: Sid) => void): string[] {
    assert(a.words.length > 0 && a.words.length <= commandSidsMax, 'name 1..255 servers');
    return this.flush(() => a.words.forEach((w) => f(sid(w))));
  }

  stabilize(a: Args): string[] {
    const limit = a.kv.has('limit') ? int(a.kv.get('limit'), 'limit') : stabilizeMsDefault;
    const startMs = this.c.nowMs;
    let stable = false;
    const lines = this.flush(() => {
      stable = this.c.stabilize(limit);
    });
    lines.push(stable ? `stable after ${this.c.nowMs - startMs} ms` : `not stable within ${limit} ms`);
    return lines;
  }

  inject(a: Args): string[] {
    const state = a.kv.get('state') ?? 'LOOKING';
    assert((serverStates as readonly string[]).includes(state), `bad state ${state}`);
    const msg: Notification = {
      type: 'Notification', version: notificationVersionCurrent, state: serverStateOrdinal(state as ServerState),
      leader: sid(a.kv.get('leader')), zxid: BigInt(a.kv.get('zxid') ?? '0'), electionEpoch: int(a.kv.get('round'), 'round'),
      peerEpoch: int(a.kv.get('peerEpoch') ?? '0', 'peerEpoch'), sid: sid(a.kv.get('from')),
    };
    return this.flush(() => this.c.inject(sid(a.words[0]), msg));
  }

  show(a: Args): string[] {
    const v = a.words[0];
    assert(v === 'messages' || v === 'log' || v === 'decisions', `show messages|log|decisions, not ${v}`);
    this.verbosity = v;
    return [];
  }

  /** Runs `f`, then prints the events it caused that the verbosity shows. */
  flush(f: () => void): string[] {
    f();
    return this.c.takeEvents().filter((ev) => shown[this.verbosity].includes(ev.kind)).map(describeEvent);
  }
}

export function describeEvent(ev: ClusterEvent): string {
  return `t=${ev.atMs} ${ev.text}`;
}

export function describeCommands(): string {
  return Object.values(commands).map((c) => c.doc).join('\n');
}

function sid(word: string | undefined): Sid {
  return int(word, 'sid');
}

function sidList(text: string): Sid[] {
  return text === '' ? [] : text.split(',').map(sid);
}

function int(word: string | undefined, what: string): number {
  assert(word !== undefined, `missing ${what}`);
  const n = Number(word);
  assert(Number.isInteger(n), `${what} ${word} is not an integer`);
  return n;
}
