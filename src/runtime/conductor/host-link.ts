/**
 * How a conductor reaches a server, wherever it runs: in a Web Worker (browser) or in-process
 * (Node tests). Both carry the same ServerHost, so a lockstep run is the same run in both.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { DataDirFiles, ServerCheckpoint } from '../host/server-checkpoint.ts';
import type { HostConfig, HostInput, HostOutput } from '../worker/server-host.ts';

export interface HostLink {
  /** steps the server with these inputs at virtual time nowMs */
  handle(inputs: readonly HostInput[], nowMs: number): Promise<HostOutput>;
  /** a deferFlush host's deferred fsync (ServerHost.flush): the replay of a live run, and the lockstep run after it */
  flush?(nowMs: number): Promise<HostOutput>;
  /** crash: memory gone, unflushed writes lost (worker.terminate()) */
  kill(): void;
  /** the server's whole state and its dataDir's bytes, between two handle() calls (checkpoints) */
  checkpoint?(): Promise<ServerCheckpoint>;
  /** replaces the server's state and dataDir with a checkpoint's, in the same worker (a rewind) */
  restore?(cp: ServerCheckpoint): Promise<void>;
}

export interface HostSpawner {
  /**
   * starts a server (recovering from its dataDir) and returns its first output: handle(inputs),
   * or with noFirstHandle only what its constructor reported (a live run's replay)
   */
  spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number, noFirstHandle?: boolean): Promise<{ readonly link: HostLink; readonly first: HostOutput }>;
  /** wipes every dataDir (before a fresh run or a rewind's replay) */
  wipe(): Promise<void>;
  /**
   * Checkpoints (a spawner without these three gives a run without checkpoints; rewind then
   * replays from the start): a server rebuilt from its checkpoint over a dataDir holding the
   * checkpoint's files; the files of a server that is down (null: it never had a dataDir);
   * a down server's dataDir made to hold `files`.
   */
  restore?(sid: Sid, cp: ServerCheckpoint): Promise<HostLink>;
  dataDir?(sid: Sid): Promise<DataDirFiles | null>;
  writeDataDir?(sid: Sid, files: DataDirFiles): Promise<void>;
}

/** Each incarnation of a server numbers its messages and connections from its own base. */
export const idSpacePerIncarnation = 2 ** 36;
