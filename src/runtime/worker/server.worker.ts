/**
 * A ZooKeeper server in a module Web Worker: a ServerHost over an OPFS dataDir, plugged into
 * the MessageChannel mesh (live) or driven by the main thread's conductor (lockstep).
 *
 *   live       peers' and clients' envelopes arrive on ports and go out on ports directly, one
 *              postMessage per destination per turn; time follows the shared LiveClock, a
 *              timer wakes the host at its next deadline; while paused, input is held.
 *   lockstep   only `handle` requests from the main thread; every envelope goes back to it.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { openOpfsDisk, opfsLockstepRootName, opfsRootName, type OpfsDisk } from '../storage/opfs-disk.ts';
import type { Disk } from '../storage/disk.ts';
import { checkpointServer, dataDirFiles, restoreServer, writeDataDir } from '../host/server-checkpoint.ts';
import { packTexts, virtualNow, workerProtocolVersion, type FromWorker, type FromWorkerBody, type LiveClock, type ToWorker, type WireBatch } from './protocol.ts';
import { ServerHost, type HostEvent, type HostInput, type HostOutput } from './server-host.ts';
import { isClientEndpoint, type Envelope } from './wire.ts';

interface LiveState {
  clock: LiveClock;
  readonly peers: Map<Sid, MessagePort>;
  readonly clientPort: MessagePort;
  /** inputs held while paused, or past inputsPerTurnMax (arrival order) */
  held: HostInput[];
  timer: ReturnType<typeof setTimeout> | null;
}

let host: ServerHost | null = null;
let sid = 0;
let live: LiveState | null = null;
let opfs: OpfsDisk | null = null;
/** the dataDir the host runs on (a checkpoint records its files) */
let diskOfHost: Disk | null = null;
/** messages that arrived while the dataDir was still opening */
const early: ToWorker[] = [];
let starting = false;

const scope = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };

function post(m: FromWorkerBody): void {
  scope.postMessage({ ...m, v: workerProtocolVersion, sid });
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
  host = new ServerHost(m.mode === 'live' ? { ...m.config, deferFlush: true, digestCostFactor: 20 } : m.config, disk, m.nowMs);
  if (m.mode === 'live' && m.clock && m.clientPort) {
    const peers = new Map<Sid, MessagePort>();
    live = { clock: m.clock, peers, clientPort: m.clientPort, held: [], timer: null };
    for (const p of m.peers ?? []) attachPeer(p.sid, p.port);
    m.clientPort.onmessage = (ev: MessageEvent<WireBatch>): void => onWires(ev.data);
    liveHandle([{ type: 'net', net: m.net }]);
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

function attachPeer(peer: Sid, port: MessagePort): void {
  live!.peers.get(peer)?.close();
  live!.peers.set(peer, port);
  port.onmessage = (ev: MessageEvent<WireBatch>): void => onWires(ev.data);
}

function onWires(batch: WireBatch): void {
  if (batch.v !== workerProtocolVersion) return;
  liveHandle(batch.envs.map((env) => ({ type: 'wire', env }) as HostInput));
}

function onMessage(m: ToWorker): void {
  const h = host!;
  switch (m.type) {
    case 'handle':
      post({ type: 'output', reqId: m.reqId, output: h.handle(m.inputs, m.nowMs) });
      return;
    case 'net':
      liveHandle([{ type: 'net', net: m.net }]);
      return;
    case 'clock':
      if (!live) return;
      live.clock = m.clock;
      liveHandle([]);
      return;
    case 'peerPort':
      if (live) attachPeer(m.sid, m.port);
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

/**
 * Live: inputs taken into the host in one turn at most; the rest waits (in arrival order, with
 * whatever arrives meanwhile behind it) for a task of its own. ZooKeeper reads a connection a
 * buffer at a time and stops reading past globalOutstandingLimit (1000) requests; taking
 * 20,000 pipelined requests in one turn made every stage of the ensemble wait for the whole
 * batch (the stages never overlapped and the first reply came after all 20,000 were through).
 */
const inputsPerTurnMax = 1000;
let backlogQueued = false;
const backlogWake = new MessageChannel();
backlogWake.port1.onmessage = (): void => {
  backlogQueued = false;
  liveHandle([]);
};

/** Live: runs the host on these inputs now (or holds them while paused), then routes the output. */
function liveHandle(inputs: HostInput[]): void {
  const l = live;
  const h = host;
  if (!l || !h) return;
  if (l.clock.paused) {
    if (inputs.length > 0) l.held = l.held.concat(inputs);
    if (l.timer !== null) clearTimeout(l.timer);
    l.timer = null;
    return;
  }
  let all = l.held.length > 0 ? l.held.concat(inputs) : inputs;
  l.held = [];
  if (all.length > inputsPerTurnMax) {
    l.held = all.slice(inputsPerTurnMax);
    all = all.slice(0, inputsPerTurnMax);
  }
  const out = h.handle(all, virtualNow(l.clock, wallNow()));
  // the fsync's task is queued before the trace's (route): a write's ACK waits for the one,
  // not for the structured clone of the other
  if (out.flushPending) scheduleFlush();
  route(out);
  schedule(out.nextDeadline);
  if (l.held.length > 0 && !backlogQueued) {
    backlogQueued = true;
    backlogWake.port2.postMessage(0);
  }
}

let flushQueued = false;

/**
 * Group commit: the fsync runs in a task of its own, after every message already queued for
 * this worker has been taken in, so all their appends share it; a kill before it loses them.
 */
function scheduleFlush(): void {
  if (flushQueued) return;
  flushQueued = true;
  const ch = new MessageChannel();
  ch.port1.onmessage = (): void => {
    ch.port1.close();
    flushQueued = false;
    const l = live;
    const h = host;
    if (!l || !h) return;
    const out = h.flush(virtualNow(l.clock, wallNow()));
    if (out.flushPending) scheduleFlush();
    route(out);
    schedule(out.nextDeadline);
  };
  ch.port2.postMessage(0);
}

function route(out: HostOutput): void {
  const l = live!;
  const byDest = new Map<number, Envelope[]>();
  for (const env of out.sent) {
    const key = isClientEndpoint(env.to) ? -1 : env.to;
    const list = byDest.get(key) ?? [];
    list.push(env);
    byDest.set(key, list);
  }
  for (const [dest, envs] of byDest) {
    const port = dest === -1 ? l.clientPort : l.peers.get(dest);
    port?.postMessage({ v: workerProtocolVersion, type: 'wires', envs } satisfies WireBatch);
  }
  queueOutput(out);
  scheduleDigest();
}

/**
 * Live: the trace and status of every handle() in a row of tasks go to the main thread in one
 * message, posted from a task of its own queued behind the messages already waiting here
 * (like the group commit): under load one post carries the output of many handle() calls,
 * so the main thread takes one message and one status per batch instead of one per wire batch.
 * The wires themselves left at once (route); only the trace waits, a task at most.
 */
const pendingOut: { events: HostEvent[]; last: HostOutput | null; queued: boolean } = { events: [], last: null, queued: false };
const outputWake = new MessageChannel();
outputWake.port1.onmessage = (): void => postOutput();

function queueOutput(out: HostOutput): void {
  const p = pendingOut;
  for (const e of out.events) p.events.push(e);
  p.last = out;
  if (p.queued) return;
  p.queued = true;
  outputWake.port2.postMessage(0);
}

function postOutput(): void {
  const p = pendingOut;
  p.queued = false;
  if (p.last === null) return;
  const { status, nextDeadline, flushPending } = p.last;
  const texts = packTexts(p.events);
  post({ type: 'output', reqId: null, output: { sent: [], events: p.events, status, nextDeadline, flushPending }, texts });
  p.events = [];
  p.last = null;
}

let digestTimer: ReturnType<typeof setTimeout> | null = null;

/** Live: a status whose tree digest was left stale (digestCostFactor) gets a fresh one later. */
function scheduleDigest(): void {
  const wait = host?.digestStaleMs() ?? null;
  if (wait === null || digestTimer !== null) return;
  digestTimer = setTimeout(() => {
    digestTimer = null;
    liveHandle([]);
  }, wait + 1);
}

function schedule(deadline: number): void {
  const l = live!;
  if (l.timer !== null) clearTimeout(l.timer);
  l.timer = null;
  if (!Number.isFinite(deadline) || l.clock.paused) return;
  const waitMs = Math.max(0, (deadline - virtualNow(l.clock, wallNow())) / l.clock.speed);
  l.timer = setTimeout(() => {
    l.timer = null;
    liveHandle([{ type: 'tick' }]);
  }, Math.min(waitMs + 1, 2 ** 31 - 1));
}
