/**
 * A ZooKeeper server in a module Web Worker: a ServerHost over an OPFS dataDir, plugged into
 * the MessageChannel mesh (live) or driven by the main thread's conductor (lockstep).
 *
 *   live       peers' and clients' envelopes arrive on ports and go out on ports directly, one
 *              postMessage per destination per turn; time follows the shared LiveClock, a
 *              timer wakes the host at its next deadline; while paused, input is held.
 *   lockstep   only `handle` requests from the main thread; every envelope goes back to it.
 */
import { MemoryDisk } from '../storage/memory-disk.ts';
import { openOpfsDisk, opfsLockstepRootName, opfsRootName, type OpfsDisk } from '../storage/opfs-disk.ts';
import type { Disk } from '../storage/disk.ts';
import { checkpointServer, dataDirFiles, restoreServer, writeDataDir } from '../host/server-checkpoint.ts';
import { startFilesBytesMax, workerProtocolVersion, type FromWorker, type FromWorkerBody, type ToWorker } from './protocol.ts';
import { ServerHost } from './server-host.ts';
import { channelTasks, LiveWorker } from './live-worker.ts';

let host: ServerHost | null = null;
let sid = 0;
let live: LiveWorker | null = null;
let opfs: OpfsDisk | null = null;
/** the dataDir the host runs on (a checkpoint records its files) */
let diskOfHost: Disk | null = null;
/** messages that arrived while the dataDir was still opening */
const early: ToWorker[] = [];
let starting = false;

const scope = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };

function post(m: FromWorkerBody, transfer?: Transferable[]): void {
  scope.postMessage({ ...m, v: workerProtocolVersion, sid }, transfer);
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

scope.onmessage = (e: MessageEvent<ToWorker>): void => {
  const m = e.data;
  if (m.v !== workerProtocolVersion) {
    post({ type: 'failed', message: `worker protocol ${m.v}, expected ${workerProtocolVersion}` });
    return;
  }
  if (m.type === 'restore' && host && !starting) {
    // a rewind: this worker's server becomes the checkpoint's, over the same dataDir (OPFS
    // first readies a spare file for each file it will create; input waits meanwhile)
    starting = true;
    const rewind = async (): Promise<void> => {
      await opfs?.reserve(m.checkpoint.files.length);
      host = restoreServer(m.checkpoint, diskOfHost!);
      post({ type: 'done', reqId: m.reqId, files: null });
      starting = false;
      for (const x of early.splice(0)) onMessage(x);
    };
    void rewind().catch((err: unknown) => post({ type: 'failed', message: String(err instanceof Error ? err.stack ?? err.message : err) }));
    return;
  }
  if (m.type === 'start' || m.type === 'restore') {
    starting = true;
    void (m.type === 'start' ? start(m) : restore(m)).catch((err: unknown) => post({ type: 'failed', message: String(err instanceof Error ? err.stack ?? err.message : err) }));
    return;
  }
  if (m.type === 'readDataDir' || m.type === 'writeDataDir') {
    void dataDirOnly(m).catch((err: unknown) => post({ type: 'failed', message: String(err instanceof Error ? err.stack ?? err.message : err) }));
    return;
  }
  if (starting || !host) {
    early.push(m);
    return;
  }
  onMessage(m);
};

async function start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  sid = m.config.sid;
  let disk: Disk;
  if (m.storage === 'opfs' || m.storage === 'opfs-lockstep') {
    opfs = await openOpfsDisk(sid, m.storage === 'opfs' ? opfsRootName : opfsLockstepRootName);
    disk = opfs;
  } else {
    disk = new MemoryDisk();
  }
  diskOfHost = disk;
  if (m.mode === 'live') {
    // the files a replay of this run starts this server from (a reload brings the ensemble back)
    let bytes = 0;
    for (const path of disk.list()) bytes += disk.getSize(path);
    post({ type: 'started', files: bytes <= startFilesBytesMax ? dataDirFiles(disk) : null, bytes });
  }
  host = new ServerHost(m.mode === 'live' ? { ...m.config, deferFlush: true } : m.config, disk, m.nowMs);
  if (m.mode === 'live' && m.clock && m.clientPort) {
    live = new LiveWorker(host, m.clock, m.nowMs, m.clientPort, { post, wallNow, task: channelTasks(), later: (fn, ms) => void setTimeout(fn, ms) });
    for (const p of m.peers ?? []) live.attachPeer(p.sid, p.port);
    live.net(m.net);
  } else if (m.noFirstHandle === true) {
    post({ type: 'output', reqId: 0, output: host.output() });
  } else {
    post({ type: 'output', reqId: 0, output: host.handle([{ type: 'net', net: m.net }], m.nowMs) });
  }
  starting = false;
  for (const x of early.splice(0)) onMessage(x);
}

async function openDisk(storage: Extract<ToWorker, { type: 'start' }>['storage']): Promise<Disk> {
  if (storage === 'memory') return new MemoryDisk();
  opfs = await openOpfsDisk(sid, storage === 'opfs' ? opfsRootName : opfsLockstepRootName);
  return opfs;
}

/** Lockstep: the server of a checkpoint, over its dataDir rewritten to the checkpoint's files. */
async function restore(m: Extract<ToWorker, { type: 'restore' }>): Promise<void> {
  sid = m.sid;
  const disk = await openDisk(m.storage);
  await opfs?.reserve(m.checkpoint.files.length);
  host = restoreServer(m.checkpoint, disk);
  diskOfHost = disk;
  post({ type: 'done', reqId: m.reqId, files: null });
  starting = false;
  for (const x of early.splice(0)) onMessage(x);
}

/** A down server's dataDir, read or replaced by a worker that starts no server (then goes). */
async function dataDirOnly(m: Extract<ToWorker, { type: 'readDataDir' | 'writeDataDir' }>): Promise<void> {
  sid = m.sid;
  const disk = await openDisk(m.storage);
  let files = null;
  if (m.type === 'readDataDir') files = dataDirFiles(disk);
  else {
    await opfs?.reserve(m.files.length);
    writeDataDir(disk, m.files);
  }
  await opfs?.idle(); // the files at home before the worker goes (the journal would do too)
  opfs?.close();
  opfs = null;
  post({ type: 'done', reqId: m.reqId, files });
}

function onMessage(m: ToWorker): void {
  const h = host!;
  switch (m.type) {
    case 'handle':
      post({ type: 'output', reqId: m.reqId, output: h.handle(m.inputs, m.nowMs) });
      return;
    case 'flush':
      post({ type: 'output', reqId: m.reqId, output: h.flush(m.nowMs) });
      return;
    case 'net':
      live?.net(m.net);
      return;
    case 'clock':
      live?.setClock(m.clock);
      return;
    case 'peerPort':
      live?.attachPeer(m.sid, m.port);
      return;
    case 'kill':
      live?.kill();
      return;
    case 'sync':
      live?.sync();
      post({ type: 'done', reqId: m.reqId, files: null });
      return;
    case 'inspect':
      post({ type: 'inspected', reqId: m.reqId, znode: h.znode(m.path) });
      return;
    case 'describeTree':
      post({ type: 'tree', reqId: m.reqId, text: h.describeTree() });
      return;
    case 'checkpoint':
      post({ type: 'checkpoint', reqId: m.reqId, checkpoint: checkpointServer(h, diskOfHost!) });
      return;
    case 'start': case 'restore': case 'readDataDir': case 'writeDataDir':
      return;
  }
}
