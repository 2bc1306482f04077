/**
 * The classes, functions and singletons a server's or a run's checkpoint may contain
 * (engine/util/checkpoint.ts). A class missing here makes checkpointing throw, naming where
 * the instance sits; the checkpoint tests would fail first.
 *
 * Built on first use: the classes import this module (ServerHost.checkpoint), so a registry
 * built while modules load would meet classes not defined yet.
 */
import { ClientSession } from '../../client/client-session.ts';
import { ClientWatches } from '../../client/client-watches.ts';
import { DataTree, noChildren } from '../../engine/datatree/data-tree.ts';
import { TreeDigest } from '../../engine/datatree/digest.ts';
import { FlePort } from '../../engine/quorum/fle-port.ts';
import { QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import { ReconfigError } from '../../engine/quorum/quorum-config.ts';
import { ZkDatabase } from '../../engine/quorum/zk-database.ts';
import { OutstandingChanges } from '../../engine/server/outstanding-changes.ts';
import { KeeperError } from '../../engine/server/prep-request.ts';
import { ZkServer } from '../../engine/server/zk-server.ts';
import { SessionTracker } from '../../engine/sessions/session-tracker.ts';
import { SnapSchedule } from '../../engine/storage/snap-schedule.ts';
import { CheckpointRegistry } from '../../engine/util/checkpoint.ts';
import { Fifo } from '../../engine/util/fifo.ts';
import { JavaRandom } from '../../engine/util/java-random.ts';
import { Rng } from '../../engine/util/rng.ts';
import { WatchManager } from '../../engine/watches/watch-manager.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { DataDirStore } from '../storage/data-dir-store.ts';
import { ServerHost } from '../worker/server-host.ts';
import { PeerHost } from './peer-host.ts';

let registry: CheckpointRegistry | null = null;

export function checkpointRegistry(): CheckpointRegistry {
  registry ??= new CheckpointRegistry()
    .classes({
      ServerHost, PeerHost, DataDirStore, MemoryDisk, SnapSchedule,
      QuorumPeer, ZkServer, ZkDatabase, DataTree, TreeDigest, SessionTracker, WatchManager, OutstandingChanges, FlePort,
      KeeperError, ReconfigError, Rng, JavaRandom, ClientSession, ClientWatches, Fifo,
    })
    .constants({ noChildren });
  return registry;
}
