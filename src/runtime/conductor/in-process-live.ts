/**
 * Live servers in-process (Node tests): the live worker loop (LiveWorker, the code the Web
 * Worker runs) over a MemoryDisk per server, behind LiveEnsemble's worker interface. Every
 * message into a worker (from the main thread, from a peer's port, from the client port) and
 * every report out of it waits a random number of tasks (FIFO per channel, as MessagePorts
 * are), so runs interleave differently from one generator seed to the next, as concurrent
 * workers do. terminate() crashes the disk: what was not flushed is lost.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { ZnodeView } from '../playground/api.ts';
import { dataDirFiles, type DataDirFiles } from '../host/server-checkpoint.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { channelTasks, LiveWorker, type PortLike } from '../worker/live-worker.ts';
import type { ScheduleChunk } from '../worker/live-schedule.ts';
import { startFilesBytesMax, type FromWorkerBody, type ToWorker } from '../worker/protocol.ts';
import { ServerHost, type HostOutput } from '../worker/server-host.ts';
import { decodeTrace } from '../worker/trace-codec.ts';
import type { LiveWorkerFactory, LiveWorkerHandle } from './live.ts';

/** A FIFO channel whose every message waits 0..maxHops random tasks. */
class Delayed<T> {
  private readonly queue: T[] = [];
  private draining = false;
  closed = false;

  constructor(private readonly random: () => number, private readonly deliver: (m: T) => void, private readonly task: (fn: () => void) => void, private readonly maxHops = 3) {}

  push(m: T): void {
    if (this.closed) return;
    this.queue.push(m);
    if (!this.draining) this.drain();
  }

  private drain(): void {
    this.draining = true;
    let hops = Math.floor(this.random() * (this.maxHops + 1));
    const hop = (): void => {
      if (this.closed) return;
      if (hops-- > 0) {
        this.task(hop);
        return;
      }
      const m = this.queue.shift()!;
      this.deliver(m);
      if (this.queue.length > 0) this.drain();
      else this.draining = false;
    };
    this.task(hop);
  }
}

/** A MessagePort whose incoming messages are delayed (Delayed). */
class DelayedPort implements PortLike {
  private handler: ((e: MessageEvent) => void) | null = null;
  private readonly inbox: Delayed<unknown>;

  constructor(private readonly port: MessagePort, random: () => number, task: (fn: () => void) => void) {
    this.inbox = new Delayed(random, (data) => this.handler?.({ data } as MessageEvent), task);
    port.onmessage = (e: MessageEvent): void => this.inbox.push(e.data);
    (port as unknown as { unref?: () => void }).unref?.();
  }

  postMessage(m: unknown, transfer: Transferable[]): void {
    this.port.postMessage(m, transfer);
  }

  get onmessage(): ((e: MessageEvent) => void) | null {
    return this.handler;
  }

  set onmessage(h: ((e: MessageEvent) => void) | null) {
    this.handler = h;
  }

  close(): void {
    this.inbox.closed = true;
    this.port.close();
  }
}

class InProcessLiveWorker implements LiveWorkerHandle {
  onOutput: ((out: HostOutput, schedule: ScheduleChunk | null, final: boolean, hash: readonly [number, number, number] | null) => void) | null = null;
  onStarted: ((files: DataDirFiles | null, bytes: number) => void) | null = null;
  onFailed: ((message: string) => void) | null = null;
  private host: ServerHost | null = null;
  private live: LiveWorker | null = null;
  private terminated = false;
  private readonly inbox: Delayed<ToWorker>;
  private readonly outbox: Delayed<FromWorkerBody>;
  private readonly waiters = new Map<number, () => void>();
  private nextReq = 1;

  constructor(readonly sid: Sid, private readonly disk: MemoryDisk, private readonly random: () => number, private readonly task: (fn: () => void) => void) {
    this.inbox = new Delayed(random, (m) => this.onMessage(m), task);
    this.outbox = new Delayed(random, (m) => this.onPosted(m), task);
  }

  post(m: ToWorker): void {
    if (!this.terminated) this.inbox.push(m);
  }

  request(m: ToWorker & { type: 'sync' }): Promise<void> {
    const reqId = this.nextReq++;
    return new Promise((resolve) => {
      this.waiters.set(reqId, resolve);
      this.post({ ...m, reqId });
    });
  }

  private send(m: FromWorkerBody): void {
    if (!this.terminated) this.outbox.push(structuredClone(m));
  }

  private onPosted(m: FromWorkerBody): void {
    if (this.terminated) return;
    if (m.type === 'output') {
      if (m.trace) decodeTrace(m.trace, m.output.events);
      this.onOutput?.(m.output, m.schedule ?? null, m.final === true, m.hash ?? null);
    }
    else if (m.type === 'started') this.onStarted?.(m.files, m.bytes);
    else if (m.type === 'done') {
      this.waiters.get(m.reqId)?.();
      this.waiters.delete(m.reqId);
    } else if (m.type === 'failed') this.onFailed?.(m.message);
  }

  private wrap(port: MessagePort): PortLike {
    return new DelayedPort(port, this.random, this.task);
  }

  private onMessage(m: ToWorker): void {
    if (this.terminated) return;
    try {
      switch (m.type) {
        case 'start': {
          let bytes = 0;
          for (const path of this.disk.list()) bytes += this.disk.getSize(path);
          this.send({ type: 'started', files: bytes <= startFilesBytesMax ? dataDirFiles(this.disk) : null, bytes });
          this.host = new ServerHost({ ...m.config, deferFlush: true }, this.disk, m.nowMs);
          this.live = new LiveWorker(this.host, m.clock!, m.nowMs, this.wrap(m.clientPort!), { post: (x) => this.send(x), wallNow, task: this.task });
          for (const p of m.peers ?? []) this.live.attachPeer(p.sid, this.wrap(p.port));
          this.live.net(m.net);
          return;
        }
        case 'net': this.live?.net(m.net); return;
        case 'clock': this.live?.setClock(m.clock); return;
        case 'peerPort': this.live?.attachPeer(m.sid, this.wrap(m.port)); return;
        case 'kill': this.live?.kill(); return;
        case 'sync':
          this.live?.sync();
          this.send({ type: 'done', reqId: m.reqId, files: null });
          return;
        default: return;
      }
    } catch (e) {
      this.send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  terminate(): void {
    if (this.terminated) return;
    this.live?.kill();
    this.terminated = true;
    this.inbox.closed = true;
    this.outbox.closed = true;
    this.disk.crash();
  }

  inspect(path: string): Promise<ZnodeView | null> {
    return Promise.resolve(this.host?.znode(path) ?? null);
  }

  describeTree(): Promise<string | null> {
    return Promise.resolve(this.host?.describeTree() ?? null);
  }
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Live servers in-process, one MemoryDisk per server id (kept across restarts). */
export function inProcessLiveWorkers(random: () => number, disks = new Map<Sid, MemoryDisk>()): LiveWorkerFactory {
  const task = channelTasks();
  return (sid) => {
    let disk = disks.get(sid);
    if (!disk) {
      disk = new MemoryDisk();
      disks.set(sid, disk);
    }
    return new InProcessLiveWorker(sid, disk, random, task);
  };
}
