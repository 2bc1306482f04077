/**
 * A lockstep run's checkpoints (DESIGN.md decision 9: rewind = restore a checkpoint and replay
 * the actions after it): what one holds, when the conductor takes one, how many it keeps.
 * The conductor (lockstep.ts) takes and restores them; a server's own part is
 * host/server-checkpoint.ts; the codec is engine/util/checkpoint.ts.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { GraphImage } from '../../engine/util/checkpoint.ts';
import type { DataDirFiles, ServerCheckpoint } from '../host/server-checkpoint.ts';

/**
 * A checkpoint of the whole run after its first `actions` actions (DESIGN.md decision 9:
 * rewind = restore a checkpoint and replay the actions after it): the conductor's own state
 * (virtual time, rng, messages in flight, network, client sessions), every server's state and
 * dataDir (down servers: their dataDir only), and what the owner of the run added (its
 * `extra`, in the same graph, so a console's session is the restored session: the
 * playground's consoles). The trace and the action log are not copied: a rewind keeps
 * their first `events` / `actions` entries, which a restored run shares with the original.
 */
export interface RunCheckpoint {
  readonly actions: number;
  /** events (by seq) before the checkpoint, and the trace hash over them */
  readonly events: number;
  readonly hash: Uint8Array;
  /** its weight for the memory budget: objects in its images + dataDir bytes / 300 */
  readonly size: number;
  readonly state: GraphImage;
  readonly servers: readonly { readonly sid: Sid; readonly server: ServerCheckpoint | null; readonly files: DataDirFiles | null }[];
}

/** What the owner of a run adds to its checkpoints (the playground's consoles). */
export interface CheckpointHooks {
  /** false while a checkpoint could not capture everything (a console's command under way) */
  ready(): boolean;
  /** plain data and client sessions of this run (restoreCheckpoint gives it back, restored) */
  capture(): unknown;
}

/** Actions between two checkpoints (a checkpoint costs about one step per server plus copying the state). */
export const checkpointEveryDefault = 100;
/**
 * A big state (a tree of many znodes) is checkpointed less often: at least one action per this
 * many objects of the last checkpoint, so taking checkpoints stays a small part of the run
 * (a 20,000-znode tree is ~60,000 objects per server and costs ~0.3 s to copy).
 */
export const checkpointObjectsPerAction = 50;
/** Checkpoints kept; past it the closest pair is thinned (spacing stays roughly even over the run). */
export const checkpointsMax = 64;
/**
 * The kept checkpoints' total size (RunCheckpoint.size; ~330 bytes of heap per object, so
 * ~100 MB): past it the closest-spaced go first. A lesson's checkpoint is ~1,500 objects.
 */
export const checkpointsSizeMax = 300_000;

/**
 * Keeps at most checkpointsMax, of at most checkpointsSizeMax in all: drops the checkpoint
 * whose neighbours are closest together (never the first nor the newest), so the spacing stays
 * roughly even and a rewind anywhere replays at most about (run length / checkpoints kept) +
 * the interval actions. Over the size with two left, the older goes (the newest always stays).
 */
export function thinCheckpoints(cps: { readonly actions: number; readonly size: number }[], sizeMax = checkpointsSizeMax): void {
  let total = 0;
  for (const cp of cps) total += cp.size;
  while (cps.length > 1 && (cps.length > checkpointsMax || total > sizeMax)) {
    let best = cps.length === 2 ? 0 : 1;
    for (let i = 2; i < cps.length - 1; i++) if (cps[i + 1].actions - cps[i - 1].actions < cps[best + 1].actions - cps[best - 1].actions) best = i;
    total -= cps[best].size;
    cps.splice(best, 1);
  }
}
