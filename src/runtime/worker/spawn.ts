/**
 * Main-thread side of the server workers: creating one (Vite bundles server.worker.ts from the
 * URL below), talking to it with the protocol of protocol.ts, and the lockstep HostSpawner.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { ZnodeView } from '../playground/api.ts';
import { opfsLockstepRootName, opfsRootName, wipeOpfs } from '../storage/opfs-disk.ts';
import type { HostLink, HostSpawner } from '../conductor/host-link.ts';
import { workerProtocolVersion, type FromWorker, type StorageKind, type ToWorker } from './protocol.ts';
import type { HostConfig, HostInput, HostOutput } from './server-host.ts';
import type { DataDirFiles, ServerCheckpoint } from '../host/server-checkpoint.ts';
import { assert } from '../../engine/util/assert.ts';
import type { ScheduleChunk } from './live-schedule.ts';
import { decodeTrace } from './trace-codec.ts';

export function createServerWorker(sid: Sid): Worker {
  return new Worker(new URL('./server.worker.ts', import.meta.url), { type: 'module', name: `zk-server-${sid}` });
}

/** A started worker with request/reply on top of postMessage. */
export class ServerWorker {
  readonly worker: Worker;
  private nextReq = 1;
  private readonly pending = new Map<number, (m: FromWorker) => void>();
  private readonly rejects = new Map<number, (e: Error) => void>();
  /** unsolicited output (live mode: with its schedule chunk, `final` from a killed worker), the files it started from, and failures */
  onOutput: ((out: HostOutput, schedule: ScheduleChunk | null, final: boolean, hash: readonly [number, number, number] | null) => void) | null = null;
  onStarted: ((files: DataDirFiles | null, bytes: number) => void) | null = null;
  onFailed: ((message: string) => void) | null = null;
  alive = true;

  constructor(readonly sid: Sid) {
    this.worker = createServerWorker(sid);
    this.worker.onmessage = (e: MessageEvent<FromWorker>): void => this.onMessage(e.data);
    this.worker.onerror = (e: ErrorEvent): void => this.fail(e.message);
  }

  private fail(message: string): void {
    for (const r of this.rejects.values()) r(new Error(`server ${this.sid}: ${message}`));
    this.rejects.clear();
    this.pending.clear();
    this.onFailed?.(message);
  }

  private onMessage(m: FromWorker): void {
    if (m.v !== workerProtocolVersion) return;
    if (m.type === 'failed') {
      this.fail(m.message);
      return;
    }
    if (m.type === 'started') {
      this.onStarted?.(m.files, m.bytes);
      return;
    }
    const reqId = m.reqId;
    if (reqId !== null && this.pending.has(reqId)) {
      const r = this.pending.get(reqId)!;
      this.pending.delete(reqId);
      this.rejects.delete(reqId);
      r(m);
      return;
    }
    if (m.type === 'output') {
      if (m.trace) decodeTrace(m.trace, m.output.events);
      this.onOutput?.(m.output, m.schedule ?? null, m.final === true, m.hash ?? null);
    }
  }

  post(m: ToWorker, transfer: Transferable[] = []): void {
    if (this.alive) this.worker.postMessage(m, transfer);
  }

  /** Sends a start message and resolves with the first (lockstep) output. */
  request(m: ToWorker & { type: 'start' | 'handle' | 'flush' | 'sync' | 'inspect' | 'describeTree' | 'checkpoint' | 'restore' | 'readDataDir' | 'writeDataDir' }, transfer: Transferable[] = []): Promise<FromWorker> {
    const reqId = m.type === 'start' ? 0 : this.nextReq++;
    const msg = m.type === 'start' ? m : { ...m, reqId };
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, resolve);
      this.rejects.set(reqId, reject);
      this.post(msg, transfer);
    });
  }

  async inspect(path: string): Promise<ZnodeView | null> {
    const r = await this.request({ v: workerProtocolVersion, type: 'inspect', reqId: 0, path });
    return r.type === 'inspected' ? r.znode : null;
  }

  async describeTree(): Promise<string | null> {
    const r = await this.request({ v: workerProtocolVersion, type: 'describeTree', reqId: 0 });
    return r.type === 'tree' ? r.text : null;
  }

  terminate(): void {
    this.alive = false;
    this.worker.terminate();
  }
}

/** Lockstep: each server in a worker, stepped only on the conductor's requests. */
export class WorkerSpawner implements HostSpawner {
  readonly workers = new Map<Sid, ServerWorker>();

  constructor(private readonly storage: StorageKind) {}

  async spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number, noFirstHandle = false): Promise<{ link: HostLink; first: HostOutput }> {
    const w = new ServerWorker(config.sid);
    this.workers.set(config.sid, w);
    const net = inputs.find((i) => i.type === 'net');
    const first = await w.request({ v: workerProtocolVersion, type: 'start', config, mode: 'lockstep', storage: this.storage, net: net && net.type === 'net' ? net.net : { down: [], cut: [] }, nowMs, noFirstHandle });
    if (first.type !== 'output') throw new Error(`server ${config.sid} did not start`);
    return { link: this.link(config.sid, w), first: first.output };
  }

  private link(sid: Sid, w: ServerWorker): HostLink {
    return {
      handle: async (ins, now) => {
        const r = await w.request({ v: workerProtocolVersion, type: 'handle', reqId: 0, inputs: ins, nowMs: now });
        if (r.type !== 'output') throw new Error(`server ${sid}: no output`);
        return r.output;
      },
      flush: async (now) => {
        const r = await w.request({ v: workerProtocolVersion, type: 'flush', reqId: 0, nowMs: now });
        if (r.type !== 'output') throw new Error(`server ${sid}: no output`);
        return r.output;
      },
      kill: () => {
        w.terminate();
        if (this.workers.get(sid) === w) this.workers.delete(sid);
      },
      checkpoint: async () => {
        const r = await w.request({ v: workerProtocolVersion, type: 'checkpoint', reqId: 0 });
        if (r.type !== 'checkpoint') throw new Error(`server ${sid}: no checkpoint`);
        return r.checkpoint;
      },
      restore: async (checkpoint) => {
        const r = await w.request({ v: workerProtocolVersion, type: 'restore', reqId: 0, sid, storage: this.storage, checkpoint });
        if (r.type !== 'done') throw new Error(`server ${sid} was not restored`);
      },
    };
  }

  async restore(sid: Sid, checkpoint: ServerCheckpoint): Promise<HostLink> {
    const w = new ServerWorker(sid);
    this.workers.set(sid, w);
    const r = await w.request({ v: workerProtocolVersion, type: 'restore', reqId: 0, sid, storage: this.storage, checkpoint });
    if (r.type !== 'done') throw new Error(`server ${sid} was not restored`);
    return this.link(sid, w);
  }

  /** A down server's dataDir, by a worker of its own that starts no server. */
  async dataDir(sid: Sid): Promise<DataDirFiles | null> {
    const r = await this.dataDirWorker(sid, (reqId) => ({ v: workerProtocolVersion, type: 'readDataDir', reqId, sid, storage: this.storage }));
    return r.files;
  }

  async writeDataDir(sid: Sid, files: DataDirFiles): Promise<void> {
    await this.dataDirWorker(sid, (reqId) => ({ v: workerProtocolVersion, type: 'writeDataDir', reqId, sid, storage: this.storage, files }));
  }

  private async dataDirWorker(sid: Sid, message: (reqId: number) => ToWorker & { type: 'readDataDir' | 'writeDataDir' }): Promise<{ files: DataDirFiles | null }> {
    assert(!this.workers.has(sid), `server ${sid} is up: its own worker holds its dataDir`);
    const w = new ServerWorker(sid);
    try {
      const r = await w.request(message(0));
      if (r.type !== 'done') throw new Error(`server ${sid}: dataDir not ${message(0).type === 'readDataDir' ? 'read' : 'written'}`);
      return { files: r.files };
    } finally {
      w.terminate();
    }
  }

  async wipe(): Promise<void> {
    for (const w of this.workers.values()) w.terminate();
    this.workers.clear();
    if (this.storage === 'opfs') await wipeOpfs(opfsRootName);
    if (this.storage === 'opfs-lockstep') await wipeOpfs(opfsLockstepRootName);
  }
}
