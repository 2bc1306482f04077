/**
 * How a conductor reaches a server, wherever it runs: in a Web Worker (browser) or in-process
 * (Node tests). Both carry the same ServerHost, so a lockstep run is the same run in both.
 */
import type { HostConfig, HostInput, HostOutput } from '../worker/server-host.ts';

export interface HostLink {
  /** steps the server with these inputs at virtual time nowMs */
  handle(inputs: readonly HostInput[], nowMs: number): Promise<HostOutput>;
  /** crash: memory gone, unflushed writes lost (worker.terminate()) */
  kill(): void;
}

export interface HostSpawner {
  /** starts a server (recovering from its dataDir) and returns its first output */
  spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number): Promise<{ readonly link: HostLink; readonly first: HostOutput }>;
  /** wipes every dataDir (before a fresh run or a rewind's replay) */
  wipe(): Promise<void>;
}

/** Each incarnation of a server numbers its messages and connections from its own base. */
export const idSpacePerIncarnation = 2 ** 36;
