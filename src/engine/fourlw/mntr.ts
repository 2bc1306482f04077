/**
 * `mntr` (MonitorCommand): `zk_<name>\t<value>` lines. Integers print as Java longs, other
 * numbers through Double.toString (`0.0`, `11.1667`), as MonitorCommand.print does. The order
 * is explained in mntr-registry.ts.
 */
import { javaDoubleToString, roundHalfUp4 } from '../config/java-lang.ts';
import { assert } from '../util/assert.ts';
import {
  gaugeOrder,
  gaugeSetOrder,
  registryOrder,
  setKeyOrder,
  type MetricKind,
} from './mntr-registry.ts';
import type { CounterStats, PeerState, ServerStatusSnapshot, SummaryStats } from './status-snapshot.ts';

/** A value as MonitorCommand.print sees it: Long/Integer, another Number, or a String (null prints `null`). */
export type MonitorValue = { readonly long: number | bigint } | { readonly double: number } | { readonly text: string | null };

/** ZooKeeper's reservoir holds this many data points (ResettableUniformReservoir.DEFAULT_SIZE). */
export const reservoirSamplesMax = 4096;

export function formatMonitorValue(v: MonitorValue): string {
  if ('long' in v) return String(v.long);
  if ('double' in v) return javaDoubleToString(v.double);
  return v.text === null ? 'null' : v.text;
}

export function mntr(s: ServerStatusSnapshot): string {
  let out = '';
  const line = (key: string, v: MonitorValue): void => {
    out += `zk_${key}\t${formatMonitorValue(v)}\n`;
  };
  for (const [k, v] of monitorValues(s)) line(k, v);
  const gauges = gaugeValues(s);
  for (const name of gaugeOrder(s.state, s.previousStates)) {
    const v = gauges.get(name);
    if (v !== undefined && v !== null) line(name, v);
  }
  for (const name of gaugeSetOrder(s.previousStates)) {
    const set = s.metrics.gaugeSets?.[name] ?? [];
    const byKey = new Map(set);
    for (const key of setKeyOrder(set.map(([k]) => k))) line(`${key}_${name}`, { long: byKey.get(key) ?? 0 });
  }
  for (const [k, v] of registryValues(s)) line(k, v);
  return out;
}

/** ZooKeeperServer.dumpMonitorValues and its quorum overrides. */
function monitorValues(s: ServerStatusSnapshot): Array<[string, MonitorValue]> {
  const out: Array<[string, MonitorValue]> = [
    ['version', { text: s.version }],
    ['server_state', { text: s.state }],
  ];
  if (s.quorum && (s.state === 'leader' || s.state === 'follower' || s.state === 'observer')) {
    out.push(['peer_state', { text: detailedPeerState(s.quorum.peerState) }]);
  }
  return out;
}

/** QuorumPeer.getDetailedPeerState: `following - broadcast`, `looking`, `leading - synchronization - diff`. */
export function detailedPeerState(p: PeerState): string {
  let out = p.state;
  if (p.zabState !== 'election') out += ` - ${p.zabState}`;
  if (p.syncMode !== 'none') out += ` - ${p.syncMode}`;
  return out;
}

/** AvgMinMaxCounter.getAvg: 4 places, HALF_UP; 0 without data. */
export function averageOf(c: CounterStats): number {
  return c.count > 0 ? roundHalfUp4(c.total / c.count) : 0;
}

function gaugeValues(s: ServerStatusSnapshot): Map<string, MonitorValue | null> {
  const long = (n: number): MonitorValue => ({ long: n });
  const ephemeralsCount = s.ephemerals.reduce((n, e) => n + e.paths.length, 0);
  const globalSessions = s.sessionTracker.kind === 'expiry'
    ? s.sessionTracker.buckets.reduce((n, b) => n + b.members.length, 0)
    : s.sessionTracker.sessions.length;
  const localSessions = (s.sessionTracker.local ?? []).reduce((n, b) => n + b.members.length, 0);
  const g = new Map<string, MonitorValue | null>([
    ['avg_latency', { double: averageOf(s.latency) }],
    ['max_latency', long(s.latency.count > 0 ? s.latency.max : 0)],
    ['min_latency', long(s.latency.count > 0 ? s.latency.min : 0)],
    ['packets_received', long(s.packetsReceived)],
    ['packets_sent', long(s.packetsSent)],
    ['num_alive_connections', long(s.connections.length)],
    ['outstanding_requests', long(s.outstandingRequests)],
    ['uptime', long(s.uptimeMs)],
    ['znode_count', long(s.nodeCount)],
    ['watch_count', long(s.dataWatches.length + s.childWatches.length)],
    ['ephemerals_count', long(ephemeralsCount)],
    ['approximate_data_size', long(s.approximateDataSize)],
    ['global_sessions', long(globalSessions)],
    ['local_sessions', long(localSessions)],
    ['open_file_descriptor_count', long(s.openFileDescriptorCount)],
    ['max_file_descriptor_count', long(s.maxFileDescriptorCount)],
    ['connection_drop_probability', { double: 0 }],
    ['last_client_response_size', long(s.clientResponseSizes.last)],
    ['max_client_response_size', long(s.clientResponseSizes.max)],
    ['min_client_response_size', long(s.clientResponseSizes.min)],
    ['outstanding_tls_handshake', long(0)],
    ['auth_failed_count', long(s.authFailedCount)],
    ['non_mtls_remote_conn_count', long(0)],
    ['non_mtls_local_conn_count', long(0)],
  ]);
  if (s.quorum) g.set('quorum_size', long([...s.quorum.membership.servers.values()].filter((m) => m.type === 'participant').length));
  // QuorumPeer.getSynced_observers_metric: null (not printed) unless this server leads
  g.set('synced_observers', s.leader ? long(s.leader.syncedObservers) : null);
  if (s.leader) {
    const l = s.leader;
    g.set('learners', long(l.learners));
    g.set('synced_followers', long(l.syncedFollowers));
    g.set('synced_non_voting_followers', long(l.syncedNonVotingFollowers));
    g.set('pending_syncs', long(l.pendingSyncs));
    g.set('leader_uptime', long(l.uptimeMs));
    g.set('last_proposal_size', long(l.proposalSizes.last));
    g.set('max_proposal_size', long(l.proposalSizes.max));
    g.set('min_proposal_size', long(l.proposalSizes.min));
  }
  return g;
}

const noSummary: SummaryStats = { count: 0, total: 0, min: 0, max: 0 };

/** counters, counter sets, basic and advanced summaries, basic and advanced summary sets. */
function registryValues(s: ServerStatusSnapshot): Array<[string, MonitorValue]> {
  const out: Array<[string, MonitorValue]> = [];
  const m = s.metrics;
  for (const name of registryOrder('counter')) out.push([name, { long: m.counters?.[name] ?? 0 }]);
  for (const name of registryOrder('counterSet')) {
    const set = m.counterSets?.[name] ?? [];
    const byKey = new Map(set);
    for (const key of setKeyOrder(set.map(([k]) => k))) out.push([`${key}_${name}`, { long: byKey.get(key) ?? 0 }]);
  }
  for (const kind of ['summary', 'summaryAdvanced'] as const) {
    for (const name of registryOrder(kind)) out.push(...summaryValues(name, m.summaries?.[name] ?? noSummary, kind));
  }
  for (const kind of ['summarySet', 'summarySetAdvanced'] as const) {
    const single: MetricKind = kind === 'summarySet' ? 'summary' : 'summaryAdvanced';
    for (const name of registryOrder(kind)) {
      const set = m.summarySets?.[name] ?? [];
      const byKey = new Map(set);
      for (const key of setKeyOrder(set.map(([k]) => k))) out.push(...summaryValues(`${key}_${name}`, byKey.get(key)!, single));
    }
  }
  return out;
}

/** AvgMinMaxCounter.values, plus AvgMinMaxPercentileCounter's p50/p95/p99/p999. */
function summaryValues(name: string, c: SummaryStats, kind: MetricKind): Array<[string, MonitorValue]> {
  const out: Array<[string, MonitorValue]> = [
    [`avg_${name}`, { double: averageOf(c) }],
    [`min_${name}`, { long: c.count > 0 ? c.min : 0 }],
    [`max_${name}`, { long: c.count > 0 ? c.max : 0 }],
    [`cnt_${name}`, { long: c.count }],
    [`sum_${name}`, { long: c.total }],
  ];
  if (kind !== 'summaryAdvanced') return out;
  const sorted = [...(c.samples ?? [])].slice(0, reservoirSamplesMax).sort((a, b) => a - b);
  for (const [label, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]] as const) {
    out.push([`${label}_${name}`, { long: Math.round(quantile(sorted, q)) }]);
  }
  return out;
}

/** Dropwizard UniformSnapshot.getValue: linear interpolation at quantile * (n + 1). */
export function quantile(sorted: readonly number[], q: number): number {
  assert(q >= 0 && q <= 1, 'quantile out of range');
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length + 1);
  const index = Math.floor(pos);
  if (index < 1) return sorted[0];
  if (index >= sorted.length) return sorted[sorted.length - 1];
  const lower = sorted[index - 1];
  const upper = sorted[index];
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}
