/**
 * A ServerStatusSnapshot read from a live server: what the four-letter words print about a
 * running ZkServer (standalone) or QuorumPeer (leader, follower, observer).
 *
 * The server supplies its live figures (ServerStats, each connection's ServerCnxn figures, the
 * session tracker, the data tree, the watch tables); the zoo.cfg it was started from supplies
 * `conf`; the quorum facts (peer state, learner gauges, proposals) come from the QuorumPeer.
 * The connection asking the question is part of what ZooKeeper prints (it is open while the
 * command runs): it is given as `asker`.
 *
 * Virtual time is ms since 1970, so it serves both as java.util.Date time and as the monotonic
 * clock of `lresp` and uptimes.
 */
import type { QuorumConfig } from '../config/zoo-cfg.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import type { ZkServer } from '../server/zk-server.ts';
import { assert } from '../util/assert.ts';
import { environmentOf, quorumStatus, serverConfStatus, zooKeeperFullVersion } from './snapshot-parts.ts';
import {
  defaultTraceMask,
  noBufferStats,
  type BufferStats,
  type ConnectionStatus,
  type ExpiryBucket,
  type LeaderStatus,
  type PeerState,
  type ServerState,
  type ServerStatusSnapshot,
  type SessionTrackerStatus,
  type WatchStatus,
} from './status-snapshot.ts';
import { proposalBytes } from './txn-size.ts';

/** NIOServerCnxnFactory's cnxnExpiryQueue interval and a sessionless connection's timeout, ms */
export const sessionlessCnxnTimeoutMs = 10_000;
/** client ports of simulated connections: connection n comes from this + n */
export const clientEphemeralPortBase = 50_000;
/** the Debian package's conf dir, first on zkServer.sh's class path */
export const confDirDefault = '/etc/zookeeper/conf';

export interface QuorumFacts {
  readonly peerState: PeerState;
  /** set when this server leads */
  readonly leader?: {
    readonly learners: number;
    readonly syncedFollowers: number;
    readonly syncedObservers: number;
    readonly pendingSyncs: number;
    readonly proposals: readonly TxnEntry[];
  };
}

export interface LiveSnapshotInput {
  readonly server: ZkServer;
  readonly nowMs: number;
  readonly state: ServerState;
  /** ZooKeeperServer.isRunning() */
  readonly serving: boolean;
  readonly cfg: QuorumConfig;
  readonly quorum?: QuorumFacts;
  /** the connection the four-letter word came in on */
  readonly asker: { readonly host: string; readonly port: number };
  /** bytes in the dataDir and dataLogDir */
  readonly dataDirSize: number;
  readonly lastProcessedZxid: Zxid;
}

export function liveSnapshot(input: LiveSnapshotInput): ServerStatusSnapshot {
  const { server, nowMs } = input;
  assert(nowMs >= server.startedAt, 'a snapshot from before the server started');
  const connections = [askerConnection(input), ...server.connectionIds().map((id) => sessionConnection(input, id))];
  const quorum = input.quorum ? quorumStatus(input.cfg, input.quorum.peerState) : null;
  const snapshot: ServerStatusSnapshot = {
    serving: input.serving,
    state: input.state,
    version: zooKeeperFullVersion,
    latency: { ...server.serverStats.latency },
    packetsReceived: server.serverStats.packetsReceived,
    packetsSent: server.serverStats.packetsSent,
    outstandingRequests: connections.reduce((n, c) => n + c.outstandingRequests, 0),
    lastProcessedZxid: input.lastProcessedZxid,
    // DataTree keeps the root twice, under "" and "/", and counts both (a fresh server says 5)
    nodeCount: server.tree.nodeCount() + 1,
    connections,
    conf: serverConfStatus(input.cfg),
    dataDirSize: input.dataDirSize,
    logDirSize: input.dataDirSize,
    ...(quorum ? { quorum } : {}),
    ...(input.quorum?.leader ? { leader: leaderStatus(input) } : {}),
    sessionTracker: sessionTrackerStatus(input),
    connectionExpiry: connectionExpiry(input, connections.length),
    ephemerals: [...server.tree.ephemerals].filter(([, paths]) => paths.size > 0).map(([sessionId, paths]) => ({ sessionId, paths: [...paths] })),
    dataWatches: watchesOf(server, 'data'),
    childWatches: watchesOf(server, 'child'),
    environment: environmentOf({ confDir: confDirDefault, userDir: '/' }),
    uptimeMs: nowMs - server.startedAt,
    approximateDataSize: approximateDataSize(server),
    clientResponseSizes: noBufferStats,
    authFailedCount: 0,
    openFileDescriptorCount: 0,
    maxFileDescriptorCount: 0,
    metrics: {},
    traceMask: defaultTraceMask,
  };
  assert(snapshot.connections.length >= 1, 'the asking connection is always listed');
  return snapshot;
}

/** The four-letter word's own connection: one packet in, nothing out yet, no session. */
function askerConnection(input: LiveSnapshotInput): ConnectionStatus {
  return {
    remoteAddress: `/${input.asker.host}:${input.asker.port}`, interestOps: 0, outstandingRequests: 0, packetsReceived: 1,
    packetsSent: 0, sessionId: 0n, lastOperation: 'NA', establishedEpochMs: input.nowMs, sessionTimeoutMs: 0, lastCxid: -1,
    lastZxid: -1n, lastResponseTime: 0, lastLatency: 0, latency: { count: 0, total: 0, min: 0, max: 0 },
  };
}

function sessionConnection(input: LiveSnapshotInput, connId: number): ConnectionStatus {
  const c = input.server.connection(connId)!;
  const s = c.stats;
  const session = input.server.sessions.get(c.sessionId);
  return {
    remoteAddress: `/${c.remoteAddress}:${clientEphemeralPortBase + connId}`,
    interestOps: 1,
    outstandingRequests: c.queue.length,
    packetsReceived: s.packetsReceived,
    packetsSent: s.packetsSent,
    sessionId: c.established ? c.sessionId : 0n,
    lastOperation: s.lastOp,
    establishedEpochMs: s.establishedAt,
    sessionTimeoutMs: c.established ? session?.timeout ?? c.connectTimeout : 0,
    lastCxid: s.lastCxid,
    lastZxid: s.lastZxid,
    lastResponseTime: s.lastResponseTime,
    lastLatency: s.lastLatency,
    latency: { ...s.latency },
  };
}

function leaderStatus(input: LiveSnapshotInput): LeaderStatus {
  const l = input.quorum!.leader!;
  return {
    proposalSizes: proposalSizes(l.proposals, input.cfg),
    learners: l.learners,
    syncedFollowers: l.syncedFollowers,
    syncedNonVotingFollowers: 0,
    syncedObservers: l.syncedObservers,
    pendingSyncs: l.pendingSyncs,
    uptimeMs: input.nowMs - input.server.startedAt,
  };
}

/** BufferStats over the leader's proposals: the last one, the smallest and the largest. */
export function proposalSizes(proposals: readonly TxnEntry[], cfg: QuorumConfig): BufferStats {
  if (proposals.length === 0) return noBufferStats;
  const extended = (cfg.systemProperties['zookeeper.extendedTypesEnabled'] ?? '').toLowerCase() === 'true';
  const sizes = proposals.map((e) => proposalBytes(e.txn, extended));
  return { last: sizes[sizes.length - 1], min: Math.min(...sizes), max: Math.max(...sizes) };
}

/** The leader and a standalone server keep expiry buckets; learners list the global sessions. */
function sessionTrackerStatus(input: LiveSnapshotInput): SessionTrackerStatus {
  const all = input.server.sessions.all();
  if (input.state === 'follower' || input.state === 'observer') {
    return { kind: 'learner', sessions: all.map((s) => ({ sessionId: s.id, timeoutMs: s.timeout })) };
  }
  const buckets = new Map<number, SessionId[]>();
  for (const s of all) buckets.set(s.expiresAt, [...(buckets.get(s.expiresAt) ?? []), s.id]);
  return { kind: 'expiry', buckets: [...buckets].map(([expireAtEpochMs, members]) => ({ expireAtEpochMs, members })) };
}

/** cnxnExpiryQueue: each connection expires its timeout after its last activity, in 10 s buckets. */
function connectionExpiry(input: LiveSnapshotInput, count: number): ExpiryBucket<number>[] {
  const round = (t: number): number => (Math.floor(t / sessionlessCnxnTimeoutMs) + 1) * sessionlessCnxnTimeoutMs;
  const buckets = new Map<number, number[]>();
  const add = (at: number, index: number): void => {
    buckets.set(at, [...(buckets.get(at) ?? []), index]);
  };
  add(round(input.nowMs + sessionlessCnxnTimeoutMs), 0);
  input.server.connectionIds().forEach((id, i) => {
    const c = input.server.connection(id)!;
    const last = Math.max(c.stats.establishedAt, c.stats.lastResponseTime);
    const timeout = c.established ? c.connectTimeout || sessionlessCnxnTimeoutMs : sessionlessCnxnTimeoutMs;
    add(round(last + timeout), i + 1);
  });
  assert(count === input.server.connectionIds().length + 1, 'one expiry entry per connection');
  return [...buckets].map(([expireAtEpochMs, members]) => ({ expireAtEpochMs, members }));
}

function watchesOf(server: ZkServer, table: 'data' | 'child'): WatchStatus[] {
  const manager = table === 'data' ? server.dataWatches : server.childWatches;
  const out: WatchStatus[] = [];
  for (const [path, watchers] of manager.byPath()) {
    for (const connection of watchers.keys()) {
      out.push({ path, connection, sessionId: server.connection(connection)?.sessionId ?? 0n });
    }
  }
  return out;
}

/** DataTree.approximateDataSize: every node's path length plus its data length (the root's path is ""). */
function approximateDataSize(server: ZkServer): number {
  let size = 0;
  for (const [path, node] of server.tree.nodes) size += (path === '/' ? 0 : path.length) + (node.data?.length ?? 0);
  return size;
}
