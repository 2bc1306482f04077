/**
 * The one versioned union of messages between the main thread and a server worker, and
 * between workers (STYLE.md 17). Bump `workerProtocolVersion` when a shape changes; a worker
 * refuses a message of another version.
 *
 *   main -> worker   start, handle (lockstep), net, clock (live), peerPort (live), inspect;
 *                    lockstep checkpoints: checkpoint (the server's whole state and dataDir),
 *                    restore (start from one instead of from the dataDir), readDataDir /
 *                    writeDataDir (a down server's dataDir, in a worker that starts no server)
 *   worker -> main   output (trace, status, deadline, and in lockstep the sent envelopes),
 *                    inspected, checkpoint, done (restore, readDataDir, writeDataDir), failed
 *   worker <-> worker and worker <-> main's client port (live): wires (a batch of envelopes,
 *                    one postMessage per destination per turn: stack.md's transport figures),
 *                    packed by wire-codec.ts into one transferred ArrayBuffer
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { DataDirFiles, ServerCheckpoint } from '../host/server-checkpoint.ts';
import type { RunMode, ZnodeView } from '../playground/api.ts';
import type { HostConfig, HostInput, HostOutput, NetState } from './server-host.ts';
import type { Envelope } from './wire.ts';
import { packWires, unpackWires, type PackedWires } from './wire-codec.ts';
import type { ScheduleChunk } from './live-schedule.ts';
import type { EncodedTrace } from './trace-codec.ts';

export const workerProtocolVersion = 6;

/** Live mode's clock: virtual now = origin + (wall now − wallOrigin) × speed, or frozen. */
export interface LiveClock {
  readonly virtualOrigin: number;
  /** performance.timeOrigin + performance.now() at virtualOrigin (same in every worker) */
  readonly wallOrigin: number;
  readonly speed: number;
  readonly paused: boolean;
}

export function virtualNow(clock: LiveClock, wallNow: number): number {
  if (clock.paused) return clock.virtualOrigin;
  return Math.floor(clock.virtualOrigin + (wallNow - clock.wallOrigin) * clock.speed);
}

/** opfs: the live dataDirs (kept across reloads); opfs-lockstep: a lockstep run's own; memory: gone with the worker */
export type StorageKind = 'opfs' | 'opfs-lockstep' | 'memory';

export type ToWorker = { readonly v: typeof workerProtocolVersion } & (
  | {
      readonly type: 'start';
      readonly config: HostConfig;
      readonly mode: RunMode;
      readonly storage: StorageKind;
      readonly net: NetState;
      readonly nowMs: number;
      /** live: the clock and the ports to every other server and to the main thread's clients */
      readonly clock?: LiveClock;
      readonly peers?: readonly { readonly sid: Sid; readonly port: MessagePort }[];
      readonly clientPort?: MessagePort;
      /** lockstep: no first handle() (a live run's replay: its schedule says when the host is called) */
      readonly noFirstHandle?: boolean;
    }
  | { readonly type: 'handle'; readonly reqId: number; readonly inputs: readonly HostInput[]; readonly nowMs: number }
  /** lockstep: the deferred fsync of a deferFlush host (ServerHost.flush) */
  | { readonly type: 'flush'; readonly reqId: number; readonly nowMs: number }
  /** live: the schedule ends (post the rest of it, final, and take nothing more; terminate follows) */
  | { readonly type: 'kill' }
  /** live: post what has been recorded now (an output), then `done` */
  | { readonly type: 'sync'; readonly reqId: number }
  | { readonly type: 'net'; readonly net: NetState }
  | { readonly type: 'clock'; readonly clock: LiveClock }
  | { readonly type: 'peerPort'; readonly sid: Sid; readonly port: MessagePort }
  | { readonly type: 'inspect'; readonly reqId: number; readonly path: string }
  /** the user part of the tree, one line per znode (describeTree) */
  | { readonly type: 'describeTree'; readonly reqId: number }
  /** lockstep, between two handles: the server's checkpoint */
  | { readonly type: 'checkpoint'; readonly reqId: number }
  /** lockstep: start server `sid` from a checkpoint (its dataDir made to hold the checkpoint's files) */
  | { readonly type: 'restore'; readonly reqId: number; readonly sid: Sid; readonly storage: StorageKind; readonly checkpoint: ServerCheckpoint }
  /** a worker that starts no server: read, or replace, server `sid`'s dataDir */
  | { readonly type: 'readDataDir'; readonly reqId: number; readonly sid: Sid; readonly storage: StorageKind }
  | { readonly type: 'writeDataDir'; readonly reqId: number; readonly sid: Sid; readonly storage: StorageKind; readonly files: DataDirFiles }
);

export type FromWorkerBody =
  /**
   * live outputs carry the schedule recorded since the last one (live-schedule.ts) and the
   * hash of the worker's trace stream so far (StreamHash, folded in the worker, off the main
   * thread); the last one of a killed worker is `final`. `trace` (live): the output's events,
   * encoded (trace-codec.ts; `output.events` is empty), its buffer transferred. Lockstep
   * outputs carry their events as they are.
   */
  | { readonly type: 'output'; readonly reqId: number | null; readonly output: HostOutput; readonly trace?: EncodedTrace | null; readonly schedule?: ScheduleChunk | null; readonly final?: boolean; readonly hash?: readonly [number, number, number] }
  /** live: the dataDir the server started from (files when at most startFilesBytesMax bytes, else null) and its size */
  | { readonly type: 'started'; readonly files: DataDirFiles | null; readonly bytes: number }
  | { readonly type: 'inspected'; readonly reqId: number; readonly znode: ZnodeView | null }
  | { readonly type: 'tree'; readonly reqId: number; readonly text: string }
  | { readonly type: 'checkpoint'; readonly reqId: number; readonly checkpoint: ServerCheckpoint }
  | { readonly type: 'done'; readonly reqId: number; readonly files: DataDirFiles | null }
  | { readonly type: 'failed'; readonly message: string };

export type FromWorker = { readonly v: typeof workerProtocolVersion; readonly sid: Sid } & FromWorkerBody;

/** A live worker reports the files it started from up to this many bytes (a replay starts from them). */
export const startFilesBytesMax = 512 * 1024;

/** What travels on a peer port or a client port in live mode: envelopes packed by wire-codec.ts. */
export interface WireBatch extends PackedWires {
  readonly v: typeof workerProtocolVersion;
  readonly type: 'wires';
}

/** Posts a batch of envelopes on a peer or client port, its buffer transferred. */
export function postWires(port: { postMessage(m: unknown, transfer: Transferable[]): void }, envs: readonly Envelope[]): void {
  const p = packWires(envs);
  port.postMessage({ v: workerProtocolVersion, type: 'wires', buf: p.buf, strs: p.strs, rest: p.rest } satisfies WireBatch, [p.buf]);
}

/** The envelopes of a batch taken from a port, in their order (null: another protocol version). */
export function takeWires(batch: WireBatch): Envelope[] | null {
  if (batch.v !== workerProtocolVersion) return null;
  return unpackWires(batch);
}
