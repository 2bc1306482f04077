/**
 * A live run's schedule: what makes it replayable exactly (issue 4 §2). A server host is a pure
 * function of its calls (ServerHost.handle(inputs, nowMs) and flush(nowMs)), so each live worker
 * records, per call, its virtual now and where each input came from, as numbers:
 *
 *   step      [dt, runs × 4 + kind]  then `runs` pairs [source, count]
 *             dt: nowMs − the previous step's (the first: − the incarnation's start time)
 *             kind: 0 handle, 1 flush (the deferred group commit)
 *   source    ≥ 1   envelopes from the server incarnation of that number (the id's base,
 *                   idSpacePerIncarnation): per-source FIFO makes "the next `count` envelopes
 *                   that incarnation sent to this server" exact, so no contents are recorded
 *             0     envelopes from the main thread's clients (this incarnation's client port)
 *             −1    a timer tick
 *             −2    a net change (its NetState is the next of `nets`)
 *   firsts    pairs [source, envelope id]: the first envelope this incarnation took from a
 *             server source. A restarted server gets a new port: what its predecessor left
 *             unread is lost, so its first envelope is not the successor of the last one read.
 *
 * The main thread records its own steps (the client sessions' inputs) likewise, one number
 * array, each step [kind, dt, ...args] (MainStep). Both go into the run record; a replay feeds
 * the same calls in the same order to the same hosts (conductor/live-replay.ts).
 *
 * `StreamHash` folds a stream of trace events (one per server incarnation, one for the main
 * thread) into 64 bits: what a replay is checked against.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import { idSpacePerIncarnation } from '../conductor/host-link.ts';
import type { HostInput, NetState } from './server-host.ts';
import { isClientEndpoint } from './wire.ts';

export const srcClients = 0;
export const srcTick = -1;
export const srcNet = -2;

export const stepHandle = 0;
export const stepFlush = 1;

/** What a worker adds to its schedule between two output posts. */
export interface ScheduleChunk {
  readonly steps: number[];
  readonly nets: NetState[];
  readonly firsts: number[];
}

/** The source of one input (see the header). */
export function sourceOf(input: HostInput): number {
  switch (input.type) {
    case 'tick': return srcTick;
    case 'net': return srcNet;
    case 'breakConn': return srcTick; // lockstep only: never in a live schedule
    case 'wire': return isClientEndpoint(input.env.from) ? srcClients : Math.floor(input.env.id / idSpacePerIncarnation);
  }
}

/** In a worker: the schedule of its host, in chunks posted with its output. */
export class ScheduleRecorder {
  private steps: number[] = [];
  private nets: NetState[] = [];
  private firsts: number[] = [];
  private readonly seen = new Set<number>();
  private prevNow: number;

  constructor(startMs: number) {
    this.prevNow = startMs;
  }

  /** One host call about to be made. */
  step(kind: number, nowMs: number, inputs: readonly HostInput[]): void {
    const s = this.steps;
    s.push(nowMs - this.prevNow, 0);
    this.prevNow = nowMs;
    const head = s.length - 1;
    let runs = 0;
    let src = NaN;
    for (const input of inputs) {
      const x = sourceOf(input);
      if (x === srcNet && input.type === 'net') this.nets.push(input.net);
      if (x > 0 && !this.seen.has(x) && input.type === 'wire') {
        this.seen.add(x);
        this.firsts.push(x, input.env.id);
      }
      if (x === src) {
        s[s.length - 1]++;
        continue;
      }
      src = x;
      runs++;
      s.push(x, 1);
    }
    s[head] = runs * 4 + kind;
  }

  /** What was recorded since the last take, or null. */
  take(): ScheduleChunk | null {
    if (this.steps.length === 0) return null;
    const c = { steps: this.steps, nets: this.nets, firsts: this.firsts };
    this.steps = [];
    this.nets = [];
    this.firsts = [];
    return c;
  }
}

/** The main thread's steps: [kind, dt, ...args]. */
export const MainStep = {
  /** a batch of envelopes from a server's client port: [inc, count] */
  wires: 1,
  /** the client timer fired */
  timer: 2,
  /** a client session made / called / closed: [client id] */
  addClient: 3,
  call: 4,
  closeClient: 5,
  /** a server killed / started (restart; `spawn` at the run's start, no fault event): [sid] */
  kill: 6,
  restart: 7,
  spawn: 8,
  /** a partition: [action index]; heal: [] */
  partition: 9,
  heal: 10,
  /** a user action of the run's action log, carried out by the playground: [action index] */
  action: 11,
} as const;

export const mainStepArgs: Record<number, number> = { 1: 2, 2: 0, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 0, 11: 1 };

/** One server incarnation of a live run, as recorded. */
export interface IncarnationRecord {
  readonly inc: number;
  readonly sid: Sid;
  /** the steps, nets and firsts of its ScheduleChunks, concatenated */
  readonly steps: number[];
  readonly nets: NetState[];
  readonly firsts: number[];
  /** its worker reported its whole schedule (it was killed and said so, or the run is exported while it runs) */
  ended: boolean;
}

/** Decodes one incarnation's steps. */
export interface DecodedStep {
  readonly kind: number;
  readonly nowMs: number;
  /** pairs [source, count] */
  readonly runs: readonly number[];
}

export function decodeSteps(steps: readonly number[], startMs: number): DecodedStep[] {
  const out: DecodedStep[] = [];
  let now = startMs;
  let i = 0;
  while (i < steps.length) {
    now += steps[i];
    const head = steps[i + 1];
    const runs = Math.floor(head / 4);
    out.push({ kind: head % 4, nowMs: now, runs: steps.slice(i + 2, i + 2 + 2 * runs) });
    i += 2 + 2 * runs;
  }
  return out;
}

export interface DecodedMainStep {
  readonly kind: number;
  /** made in the same synchronous run of code as the step before it (no microtask between) */
  readonly sync: boolean;
  readonly t: number;
  readonly args: readonly number[];
}

export function decodeMain(steps: readonly number[], startMs: number): DecodedMainStep[] {
  const out: DecodedMainStep[] = [];
  let t = startMs;
  let i = 0;
  while (i < steps.length) {
    const kind = steps[i] & (mainSyncFlag - 1);
    const sync = (steps[i] & mainSyncFlag) !== 0;
    const n = mainStepArgs[kind];
    if (n === undefined) throw new Error(`live schedule: unknown main step ${kind} at ${i}`);
    t += steps[i + 1];
    out.push({ kind, sync, t, args: steps.slice(i + 2, i + 2 + n) });
    i += 2 + n;
  }
  return out;
}

/** Added to a main step's kind when it was made in the same synchronous run as the step before. */
export const mainSyncFlag = 32;

/**
 * The main thread's recorder: [kind, dt, ...args]. It also notes which steps were made in one
 * synchronous run of code (a test's evaluate opening a console and typing a line; the
 * console's session comes in a microtask after both): a replay makes those without letting
 * microtasks run between them, as they were.
 */
export class MainRecorder {
  readonly steps: number[] = [];
  private prev: number;
  private turnOpen = false;

  constructor(startMs: number) {
    this.prev = startMs;
  }

  step(kind: number, t: number, ...args: number[]): void {
    const sync = this.turnOpen;
    if (!sync) {
      this.turnOpen = true;
      queueMicrotask(() => {
        this.turnOpen = false;
      });
    }
    this.steps.push(sync ? kind | mainSyncFlag : kind, t - this.prev, ...args);
    this.prev = t;
  }
}

// ----- stream hashes ------------------------------------------------------------------------

/**
 * 64 bits folded over a stream of trace events, each walked field by field (seq left out: it
 * numbers the merged trace, whose interleaving of streams is timing). Cheap, since the live main
 * thread folds every event it takes: strings go through one 32-bit FNV-1a lane char by char,
 * each field's result into two lanes.
 */
export class StreamHash {
  a = 0x811c9dc5;
  b = 0x6a09e667;
  count = 0;

  /** One event: its fields but seq, then t. */
  event(e: object, t: number): void {
    const o = e as Record<string, unknown>;
    for (const k in o) {
      if (k === 'seq' || k === 't') continue;
      this.mix(strHash(k));
      this.value(o[k]);
    }
    this.mix(t | 0);
    this.mix((t / 4294967296) | 0);
    this.count++;
  }

  mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995) ^ (this.b >>> 15);
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'string': return this.mix(strHash(v));
      case 'number':
        this.mix(v | 0);
        return this.mix((v / 4294967296) | 0);
      case 'bigint':
        this.mix(Number(BigInt.asIntN(32, v)));
        return this.mix(Number(BigInt.asIntN(32, v >> 32n)));
      case 'boolean': return this.mix(v ? 0x71 : 0x70);
      case 'undefined': return this.mix(0x75);
      case 'object':
        if (v === null) return this.mix(0x6e);
        if (Array.isArray(v)) {
          this.mix(0x5b00 | (v.length & 0xff));
          for (const x of v) this.value(x);
          return;
        }
        this.mix(0x7b);
        for (const k in v) {
          this.mix(strHash(k));
          this.value((v as Record<string, unknown>)[k]);
        }
        return;
      default: return this.mix(0x3f);
    }
  }

  /** The state, to send (a live worker reports its stream's hash with its output). */
  state(): [number, number, number] {
    return [this.a, this.b, this.count];
  }

  static from(s: readonly [number, number, number]): StreamHash {
    const h = new StreamHash();
    [h.a, h.b, h.count] = s;
    return h;
  }

  hex(): string {
    return `${(this.a >>> 0).toString(16).padStart(8, '0')}${(this.b >>> 0).toString(16).padStart(8, '0')}`;
  }
}

/** The 32-bit FNV-1a lane StreamHash folds every string through (length first). */
export function strHash(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Stream hashes by key (0: the main thread, n ≥ 1: server incarnation n), combined in key order. */
export function combineStreams(streams: ReadonlyMap<number, StreamHash>): string {
  const h = new StreamHash();
  for (const k of [...streams.keys()].sort((x, y) => x - y)) {
    const s = streams.get(k)!;
    if (s.count === 0) continue;
    h.event({ k, n: s.count, h: s.hex() }, 0);
  }
  return h.hex();
}

/** The exact part of a live run's record (RunRecord.live). */
export interface LiveRunRecord {
  /** the schedule format */
  readonly format: 1;
  /** the main thread's steps (MainRecorder) */
  readonly main: number[];
  /** the live run's user actions (MainStep.action and .partition point into them) */
  readonly actions: readonly { readonly t: number; readonly action: string }[];
  /** every server incarnation, in incarnation order */
  readonly servers: IncarnationRecord[];
  /** the files each server's first incarnation started from (a page reload keeps the live dataDirs), where not empty */
  readonly startFiles: { readonly sid: Sid; readonly files: readonly (readonly [string, Uint8Array])[] }[];
  /** combineStreams of the run's streams at export: what the replay must give */
  readonly hash: string;
  /** trace events the hash covers */
  readonly events: number;
}

/** Numbers a live run records before it gives up exact replay (~16 MB of JSON, a link of a few MB). */
export const liveScheduleNumbersMax = 2_000_000;
