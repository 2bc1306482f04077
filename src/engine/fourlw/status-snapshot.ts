/**
 * ServerStatusSnapshot: the plain data a server hands to the four-letter-word formatters.
 *
 * It holds what ZooKeeper's 4lw commands read from a live server (ServerStats, the connection
 * factory, the session tracker, the data tree's ephemerals and watches, metrics), in the shape
 * the server keeps it: lists in the order things were added. The formatters apply Java's
 * iteration orders themselves (HashMap, HashSet, ConcurrentHashMap), so a producer never has
 * to know them. Collections whose Java order depends on identity hash codes (connections,
 * members of an expiry bucket, watchers of a path) are printed in the order given.
 *
 * Times: `*EpochMs` fields are wall-clock milliseconds since 1970 (what java.util.Date holds);
 * `lastResponseTime` and uptimes are milliseconds of the server's monotonic clock, as ZooKeeper
 * prints them. The host maps its virtual time onto both.
 */
import type { SessionId, Sid, Zxid } from '../protocol/ids.ts';
import type { LearnerType } from '../config/quorum-server.ts';
import type { QuorumMembership } from '../config/dynamic-config.ts';

/** ServerStats.Provider.getState(), printed after `Mode: ` and as zk_server_state. */
export type ServerState = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only';

/** An AvgMinMaxCounter's raw sums (ms for latencies). `count` 0 means no data point yet. */
export interface CounterStats {
  readonly count: number;
  readonly total: number;
  readonly min: number;
  readonly max: number;
}

/** A summary with the reservoir ZooKeeper keeps for percentiles (its first 4096 data points). */
export interface SummaryStats extends CounterStats {
  readonly samples?: readonly number[];
}

/** BufferStats (client response sizes, proposal sizes): -1 until the first value. */
export interface BufferStats {
  readonly last: number;
  readonly min: number;
  readonly max: number;
}

/** One client connection, as ServerCnxn.dumpConnectionInfo prints it. */
export interface ConnectionStatus {
  /** the client end, InetSocketAddress.toString: `/127.0.0.1:53264` */
  readonly remoteAddress: string;
  /** selector interest ops: 1 (OP_READ) when idle, 0 for a 4lw connection or while throttled */
  readonly interestOps: number;
  readonly outstandingRequests: number;
  readonly packetsReceived: number;
  readonly packetsSent: number;
  /** 0 before the session is established (then only the brief fields are printed) */
  readonly sessionId: SessionId;
  /** last operation, e.g. `PING`, `GETD`; `NA` before any */
  readonly lastOperation: string;
  readonly establishedEpochMs: number;
  readonly sessionTimeoutMs: number;
  /** -1 before any request (then `lcxid` is not printed) */
  readonly lastCxid: number;
  /** -1 before any response */
  readonly lastZxid: Zxid;
  /** monotonic ms of the last response, 0 before any */
  readonly lastResponseTime: number;
  readonly lastLatency: number;
  readonly latency: CounterStats;
}

/** One ExpiryQueue bucket: the members that expire at the same tick-rounded time. */
export interface ExpiryBucket<T> {
  readonly expireAtEpochMs: number;
  readonly members: readonly T[];
}

/** What `dump` prints after `SessionTracker dump:`. */
export type SessionTrackerStatus =
  /** SessionTrackerImpl (standalone; the leader's global sessions): expiry buckets */
  | { readonly kind: 'expiry'; readonly buckets: readonly ExpiryBucket<SessionId>[]; readonly local?: readonly ExpiryBucket<SessionId>[] }
  /** LearnerSessionTracker (follower, observer): global sessions with their timeouts */
  | {
      readonly kind: 'learner';
      readonly sessions: ReadonlyArray<{ readonly sessionId: SessionId; readonly timeoutMs: number }>;
      readonly local?: readonly ExpiryBucket<SessionId>[];
    };

/** A watch as the data tree's WatchManager holds it. */
export interface WatchStatus {
  readonly path: string;
  /** the watching connection (ZooKeeper's Watcher is the ServerCnxn) */
  readonly connection: number;
  readonly sessionId: SessionId;
}

/** QuorumPeer's state, for zk_peer_state (`following - broadcast`). */
export interface PeerState {
  readonly state: 'looking' | 'following' | 'leading' | 'observing';
  readonly zabState: 'election' | 'discovery' | 'synchronization' | 'broadcast';
  readonly syncMode: 'none' | 'diff' | 'snap' | 'trunc';
}

/** What a quorum member adds: `conf`'s tail, zk_quorum_size, leader gauges. */
export interface QuorumStatus {
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly electionAlg: number;
  readonly electionPort: number;
  readonly quorumPort: number;
  readonly learnerType: LearnerType;
  readonly membership: QuorumMembership;
  readonly peerState: PeerState;
}

/** Leader-only figures (LeaderZooKeeperServer gauges, `Proposal sizes`). */
export interface LeaderStatus {
  readonly proposalSizes: BufferStats;
  readonly learners: number;
  readonly syncedFollowers: number;
  readonly syncedNonVotingFollowers: number;
  readonly syncedObservers: number;
  readonly pendingSyncs: number;
  readonly uptimeMs: number;
}

/** `conf`'s first block (ZooKeeperServer.dumpConf). */
export interface ServerConfStatus {
  /** the bound client port, -1 when none */
  readonly clientPort: number;
  readonly secureClientPort: number;
  /** absolute snapshot directory: <dataDir>/version-2 */
  readonly dataDir: string;
  /** absolute log directory: <dataLogDir>/version-2 */
  readonly dataLogDir: string;
  readonly tickTime: number;
  readonly maxClientCnxns: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly clientPortListenBacklog: number;
  /** 0 for a standalone server */
  readonly serverId: Sid;
}

/** The metric registry's values, by ZooKeeper's metric names (ServerMetrics). Missing = 0. */
export interface MetricValues {
  readonly counters?: Readonly<Record<string, number>>;
  readonly summaries?: Readonly<Record<string, SummaryStats>>;
  /** summary sets (e.g. `write_per_namespace`): key → stats, keys in the order first seen */
  readonly summarySets?: Readonly<Record<string, ReadonlyArray<readonly [string, SummaryStats]>>>;
  readonly counterSets?: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>>;
  /** quota gauge sets (quota_count_limit_per_namespace …): namespace → value */
  readonly gaugeSets?: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>>;
}

export interface ServerStatusSnapshot {
  /** ZooKeeperServer.isRunning(): false while looking, or without quorum */
  readonly serving: boolean;
  readonly state: ServerState;
  /** Version.getFullVersion() */
  readonly version: string;
  readonly latency: CounterStats;
  readonly packetsReceived: number;
  readonly packetsSent: number;
  readonly outstandingRequests: number;
  readonly lastProcessedZxid: Zxid;
  readonly nodeCount: number;
  /** every open client connection, including the one asking (factory.getConnections) */
  readonly connections: readonly ConnectionStatus[];
  readonly conf: ServerConfStatus;
  readonly dataDirSize: number;
  readonly logDirSize: number;
  readonly quorum?: QuorumStatus;
  readonly leader?: LeaderStatus;
  readonly sessionTracker: SessionTrackerStatus;
  /** the connection expiry queue (NIOServerCnxnFactory.cnxnExpiryQueue), by connection index */
  readonly connectionExpiry: readonly ExpiryBucket<number>[];
  /** DataTree.ephemerals: per session, paths in creation order; sessions in the order first seen */
  readonly ephemerals: ReadonlyArray<{ readonly sessionId: SessionId; readonly paths: readonly string[] }>;
  /** data watches in the order they were set (wchs, wchc, wchp show only these) */
  readonly dataWatches: readonly WatchStatus[];
  readonly childWatches: readonly WatchStatus[];
  /** Environment.list() after zookeeper.version */
  readonly environment: ReadonlyArray<readonly [string, string]>;
  readonly uptimeMs: number;
  readonly approximateDataSize: number;
  readonly clientResponseSizes: BufferStats;
  readonly authFailedCount: number;
  readonly openFileDescriptorCount: number;
  readonly maxFileDescriptorCount: number;
  readonly metrics: MetricValues;
  /** roles this JVM ran before the current one, oldest first (they leave traces in mntr's order) */
  readonly previousStates?: readonly ServerState[];
  /** ZooTrace's text trace mask (gtmk) */
  readonly traceMask: bigint;
  /** DataTree digest log for `hash`: recent zxids and digests */
  readonly digestLog?: ReadonlyArray<{ readonly zxid: Zxid; readonly digest: bigint }>;
}

export const noCounterStats: CounterStats = { count: 0, total: 0, min: 0, max: 0 };
export const noBufferStats: BufferStats = { last: -1, min: -1, max: -1 };
/** ZooTrace's default mask: CLIENT_REQUEST | SERVER_PACKET | SESSION | WARNING */
export const defaultTraceMask = 306n;
