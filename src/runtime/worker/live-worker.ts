/**
 * A live server worker's loop, apart from the Web Worker it runs in (server.worker.ts), so Node
 * tests run the same code in-process: peers' and clients' envelopes arrive on ports and go out
 * on ports directly, one postMessage per destination per turn; time follows the shared
 * LiveClock, a timer wakes the host at its next deadline; while paused, input is held.
 *
 * Every host call is recorded (live-schedule.ts) and its schedule goes to the main thread with
 * the output. `kill()` ends the schedule: the worker posts what it has not posted yet, marked
 * final, and takes nothing more (the main thread then terminates it); what it had not flushed
 * is lost with it, as with a bare terminate().
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import { postWires, takeWires, virtualNow, type FromWorkerBody, type LiveClock, type WireBatch } from './protocol.ts';
import { ScheduleRecorder, stepFlush, stepHandle, StreamHash } from './live-schedule.ts';
import { TraceEncoder } from './trace-codec.ts';
import type { HostInput, HostOutput, NetState, ServerHost } from './server-host.ts';
import { isClientEndpoint, type Envelope } from './wire.ts';

/** What the loop needs from where it runs. */
export interface LiveWorkerEnv {
  /** `transfer`: buffers the message hands over (the encoded trace's) */
  post(m: FromWorkerBody, transfer?: Transferable[]): void;
  wallNow(): number;
  /** `fn` in a task of its own, queued behind the messages already waiting for this worker */
  task(fn: () => void): void;
  /** `fn` after `ms` (a timer), for the trace's post (`queueOutput`); `task` where absent (Node tests) */
  later?(fn: () => void, ms: number): void;
}

/** A MessagePort as far as the loop uses it (a test may wrap one). */
export interface PortLike {
  postMessage(m: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
  close(): void;
}

/**
 * Live: inputs taken into the host in one turn at most; the rest waits (in arrival order, with
 * whatever arrives meanwhile behind it) for a task of its own. ZooKeeper reads a connection a
 * buffer at a time and stops reading past globalOutstandingLimit (1000) requests; taking
 * 20,000 pipelined requests in one turn made every stage of the ensemble wait for the whole
 * batch (the stages never overlapped and the first reply came after all 20,000 were through).
 */
export const inputsPerTurnMax = 1000;

/**
 * Live: a worker posts its trace and status to the main thread at most this often while its
 * batches are small (`queueOutput`), one frame of the page. Each post wakes the main thread (the
 * message, the trace's decoding and intake, the listeners): posted after every row of tasks, a
 * sync write sent it 5-6 of them (0.7-0.9 with the timer), and in about half of the writes the page was taking one when
 * the client's reply came (110-180 µs on average; bench/README.md fix 29).
 */
export const outputBatchMs = 16;
/**
 * ... and when this many events wait, the batch goes from a task at once, as before the timer:
 * under saturating writes a row of tasks carries hundreds of events already, and holding them
 * for the timer cost ~7 % more CPU per write (thread-cpu.ts, three paired rounds; fix 29).
 */
export const outputBatchEvents = 256;

export class LiveWorker {
  private readonly peers = new Map<Sid, PortLike>();
  /** inputs held while paused, or past inputsPerTurnMax (arrival order) */
  private held: HostInput[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** the deadline `timer` wakes the host at, and the clock it was set under */
  private timerDeadline = Number.NaN;
  private timerClock: LiveClock | null = null;
  private backlogQueued = false;
  private flushQueued = false;
  /** the output not posted yet: its last status, how many events, and whether a task or a timer will post it */
  private readonly pendingOut = { last: null as HostOutput | null, queued: false, events: 0, taskSet: false, timerSet: false };
  private readonly recorder: ScheduleRecorder;
  /** this incarnation's trace stream, hashed as it goes (what a replay is checked against) */
  private readonly hash = new StreamHash();
  /** the events not posted yet, encoded (and hashed) as they were queued */
  private readonly trace = new TraceEncoder(this.hash);
  private dead = false;

  constructor(private readonly host: ServerHost, private clock: LiveClock, startMs: number, private readonly clientPort: PortLike, private readonly env: LiveWorkerEnv) {
    this.recorder = new ScheduleRecorder(startMs);
    clientPort.onmessage = (ev): void => this.onWires(ev.data as WireBatch);
  }

  attachPeer(peer: Sid, port: PortLike): void {
    this.peers.get(peer)?.close();
    this.peers.set(peer, port);
    port.onmessage = (ev): void => this.onWires(ev.data as WireBatch);
  }

  onWires(batch: WireBatch): void {
    const envs = takeWires(batch);
    if (envs === null) return;
    this.liveHandle(envs.map((env) => ({ type: 'wire', env }) as HostInput));
  }

  net(net: NetState): void {
    this.liveHandle([{ type: 'net', net }]);
  }

  setClock(clock: LiveClock): void {
    this.clock = clock;
    this.liveHandle([]);
  }

  /** The schedule ends here: what is not posted yet goes now, marked final; nothing more is taken. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.postOutput(true);
    for (const p of this.peers.values()) p.onmessage = null;
    this.clientPort.onmessage = null;
  }

  /** Posts what has been recorded and not posted yet (an export's consistent cut). */
  sync(): void {
    if (this.dead) return;
    // a host that has not been called yet (started while paused) still reports its recovery
    const out = this.host.output();
    if (out.events.length > 0) this.queueOutput(out);
    this.postOutput(false);
  }

  /** Runs the host on these inputs now (or holds them while paused), then routes the output. */
  liveHandle(inputs: HostInput[]): void {
    if (this.dead) return;
    const h = this.host;
    if (this.clock.paused) {
      if (inputs.length > 0) this.held = this.held.concat(inputs);
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    let all = this.held.length > 0 ? this.held.concat(inputs) : inputs;
    this.held = [];
    if (all.length > inputsPerTurnMax) {
      this.held = all.slice(inputsPerTurnMax);
      all = all.slice(0, inputsPerTurnMax);
    }
    const now = virtualNow(this.clock, this.env.wallNow());
    this.recorder.step(stepHandle, now, all);
    const out = h.handle(all, now);
    this.route(out, out.flushPending);
    this.schedule(out.nextDeadline);
    if (this.held.length > 0 && !this.backlogQueued) {
      this.backlogQueued = true;
      this.env.task(() => {
        this.backlogQueued = false;
        this.liveHandle([]);
      });
    }
  }

  /**
   * Group commit: the fsync runs in a task of its own, after every message already queued for
   * this worker has been taken in, so all their appends share it; a kill before it loses them.
   */
  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.env.task(() => {
      this.flushQueued = false;
      // paused: the fsync waits too (the resume's handle() finds it pending), so a paused
      // ensemble takes no step at all (an export's consistent cut relies on it)
      if (this.dead || this.clock.paused) return;
      const now = virtualNow(this.clock, this.env.wallNow());
      this.recorder.step(stepFlush, now, []);
      const out = this.host.flush(now);
      this.route(out, out.flushPending);
      this.schedule(out.nextDeadline);
    });
  }

  /**
   * The wires go first (ZooKeeper's leader sends a PROPOSAL before its own log flush; a client's
   * reply before the COMMITs, which no reply waits for), then the fsync's task is queued (when
   * `flush`), then the trace's: a write's ACK waits for the one, not for the other's encoding.
   */
  private route(out: HostOutput, flush = false): void {
    const byDest = new Map<number, Envelope[]>();
    for (const env of out.sent) {
      const key = isClientEndpoint(env.to) ? -1 : env.to;
      const list = byDest.get(key) ?? [];
      list.push(env);
      byDest.set(key, list);
    }
    const replies = byDest.get(-1);
    if (replies) postWires(this.clientPort, replies);
    for (const [dest, envs] of byDest) {
      const port = dest === -1 ? null : this.peers.get(dest);
      if (port) postWires(port, envs);
    }
    if (flush) this.scheduleFlush();
    this.queueOutput(out);
  }

  /**
   * Live: the trace and status of every handle() within outputBatchMs go to the main thread in
   * one message, posted from a timer (with `env.later`; else from a task of its own queued behind
   * the messages already waiting here): one post carries the output of many handle() calls, so
   * the main thread takes one message and one status per batch instead of one per wire batch,
   * and is not woken on a write's path. The wires themselves left at once (route); only the
   * trace waits.
   */
  private queueOutput(out: HostOutput): void {
    const p = this.pendingOut;
    for (const e of out.events) this.trace.add(e);
    p.last = out;
    p.queued = true;
    p.events += out.events.length;
    if (this.env.later === undefined || p.events >= outputBatchEvents) {
      if (p.taskSet) return;
      p.taskSet = true;
      this.env.task(() => {
        p.taskSet = false;
        if (p.queued) this.postOutput(false);
      });
    } else if (!p.timerSet) {
      p.timerSet = true;
      this.env.later(() => {
        p.timerSet = false;
        if (p.queued) this.postOutput(false);
      }, outputBatchMs);
    }
  }

  private postOutput(final: boolean): void {
    const p = this.pendingOut;
    p.queued = false;
    p.events = 0;
    if (this.dead && !final) return;
    const schedule = this.recorder.take();
    if (p.last === null) {
      if (final || schedule) this.env.post({ type: 'output', reqId: null, output: { sent: [], events: [], status: this.host.status(), nextDeadline: Number.POSITIVE_INFINITY, flushPending: false }, schedule, final, hash: this.hash.state() });
      return;
    }
    const { status, nextDeadline, flushPending } = p.last;
    // the events go encoded (trace-codec.ts), their buffer transferred; the stream hash folded
    // them as they were encoded, in queueOutput
    const trace = this.trace.take();
    this.env.post({ type: 'output', reqId: null, output: { sent: [], events: [], status, nextDeadline, flushPending }, trace, schedule, final, hash: this.hash.state() }, trace ? [trace.buf] : []);
    p.last = null;
  }

  private schedule(deadline: number): void {
    // a timer set for this deadline or an earlier one, under this clock, stays: clearing and
    // setting one on every turn costs a few µs of each write's path, and most turns only move
    // the deadline later (a follower's read timeout follows each packet). One that fires early
    // finds nothing due (its tick is recorded and replays the same) and sets the next.
    if (this.timer !== null && this.clock === this.timerClock && this.timerDeadline <= deadline && !this.clock.paused && !this.dead) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!Number.isFinite(deadline) || this.clock.paused || this.dead) return;
    const waitMs = Math.max(0, (deadline - virtualNow(this.clock, this.env.wallNow())) / this.clock.speed);
    this.timerDeadline = deadline;
    this.timerClock = this.clock;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.liveHandle([{ type: 'tick' }]);
    }, Math.min(waitMs + 1, 2 ** 31 - 1));
  }
}

/** A task queue over one MessageChannel: each `task(fn)` runs in a task of its own, in order. */
export function channelTasks(): (fn: () => void) => void {
  const ch = new MessageChannel();
  (ch.port1 as unknown as { unref?: () => void }).unref?.(); // Node: not what keeps a process alive
  const queue: (() => void)[] = [];
  ch.port1.onmessage = (): void => {
    const fn = queue.shift();
    fn?.();
  };
  return (fn) => {
    queue.push(fn);
    ch.port2.postMessage(0);
  };
}
