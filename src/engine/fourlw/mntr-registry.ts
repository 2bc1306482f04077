/**
 * The metric registry behind `mntr`: every metric ZooKeeper 3.8.0 registers, in registration
 * order, and the order `mntr` prints them in.
 *
 * MonitorCommand prints ZooKeeperServer.dumpMonitorValues (version, server_state, then
 * peer_state for a quorum member) and then DefaultMetricsProvider.dump, which walks eight
 * ConcurrentHashMaps in turn: gauges, gauge sets, counters, counter sets, basic summaries,
 * advanced summaries (with percentiles), basic summary sets, advanced summary sets. Each map's
 * order is ConcurrentHashMap's (config/java-concurrent-hash-map.ts), so it depends on the names
 * and on the order they were registered:
 *   - ServerMetrics' constructor registers every counter and summary once per JVM;
 *   - ZooKeeperServer.registerMetrics (and its Quorum/Leader/Follower overrides) register the
 *     gauges when a server starts, and unregisterMetrics removes them at shutdown — except
 *     `outstanding_tls_handshake`, which 3.8.0 forgets to remove. A JVM that ran other roles
 *     before (a follower that now leads) therefore prints its gauges in a different order.
 */
import { chmCreate, chmKeys, chmPut, chmRemove, stringKey, type ChmModel } from '../config/java-concurrent-hash-map.ts';
import type { ServerState } from './status-snapshot.ts';

export type MetricKind = 'counter' | 'counterSet' | 'summary' | 'summaryAdvanced' | 'summarySet' | 'summarySetAdvanced';

/** ServerMetrics' constructor, in order. */
export const serverMetrics: ReadonlyArray<readonly [MetricKind, string]> = [
  ['summary', 'fsynctime'],
  ['summary', 'snapshottime'],
  ['summary', 'dbinittime'],
  ['summaryAdvanced', 'readlatency'],
  ['summaryAdvanced', 'updatelatency'],
  ['summaryAdvanced', 'propagation_latency'],
  ['summary', 'follower_sync_time'],
  ['summary', 'observer_sync_time'],
  ['summary', 'election_time'],
  ['counter', 'looking_count'],
  ['counter', 'diff_count'],
  ['counter', 'snap_count'],
  ['counter', 'commit_count'],
  ['counter', 'connection_request_count'],
  ['summary', 'connection_token_deficit'],
  ['counter', 'connection_rejected'],
  ['summary', 'inflight_snap_count'],
  ['summary', 'inflight_diff_count'],
  ['summarySet', 'write_per_namespace'],
  ['summarySet', 'read_per_namespace'],
  ['counter', 'bytes_received_count'],
  ['counter', 'unrecoverable_error_count'],
  ['summary', 'node_created_watch_count'],
  ['summary', 'node_deleted_watch_count'],
  ['summary', 'node_changed_watch_count'],
  ['summary', 'node_children_watch_count'],
  ['counter', 'add_dead_watcher_stall_time'],
  ['counter', 'dead_watchers_queued'],
  ['counter', 'dead_watchers_cleared'],
  ['summaryAdvanced', 'dead_watchers_cleaner_latency'],
  ['counter', 'response_packet_cache_hits'],
  ['counter', 'response_packet_cache_misses'],
  ['counter', 'response_packet_get_children_cache_hits'],
  ['counter', 'response_packet_get_children_cache_misses'],
  ['counter', 'ensemble_auth_success'],
  ['counter', 'ensemble_auth_fail'],
  ['counter', 'ensemble_auth_skip'],
  ['summaryAdvanced', 'prep_processor_queue_time_ms'],
  ['summary', 'prep_processor_queue_size'],
  ['counter', 'prep_processor_request_queued'],
  ['counter', 'outstanding_changes_queued'],
  ['counter', 'outstanding_changes_removed'],
  ['summary', 'prep_process_time'],
  ['summary', 'proposal_process_time'],
  ['summaryAdvanced', 'close_session_prep_time'],
  ['counter', 'revalidate_count'],
  ['counter', 'connection_drop_count'],
  ['counter', 'connection_revalidate_count'],
  ['counter', 'sessionless_connections_expired'],
  ['counter', 'stale_sessions_expired'],
  ['summary', 'unavailable_time'],
  ['summary', 'leader_unavailable_time'],
  ['summary', 'requests_in_session_queue'],
  ['summary', 'pending_session_queue_size'],
  ['summary', 'reads_after_write_in_session_queue'],
  ['summary', 'reads_issued_from_session_queue'],
  ['summary', 'session_queues_drained'],
  ['summary', 'time_waiting_empty_pool_in_commit_processor_read_ms'],
  ['summary', 'write_batch_time_in_commit_processor'],
  ['summary', 'concurrent_request_processing_in_commit_processor'],
  ['summary', 'read_commit_proc_req_queued'],
  ['summary', 'write_commit_proc_req_queued'],
  ['summary', 'commit_commit_proc_req_queued'],
  ['counter', 'request_commit_queued'],
  ['summary', 'read_commit_proc_issued'],
  ['summary', 'write_commit_proc_issued'],
  ['counter', 'throttled_ops'],
  ['summaryAdvanced', 'read_commitproc_time_ms'],
  ['summaryAdvanced', 'write_commitproc_time_ms'],
  ['summaryAdvanced', 'local_write_committed_time_ms'],
  ['summaryAdvanced', 'server_write_committed_time_ms'],
  ['summary', 'commit_process_time'],
  ['summaryAdvanced', 'om_proposal_process_time_ms'],
  ['summaryAdvanced', 'om_commit_process_time_ms'],
  ['summaryAdvanced', 'read_final_proc_time_ms'],
  ['summaryAdvanced', 'write_final_proc_time_ms'],
  ['summaryAdvanced', 'proposal_latency'],
  ['summaryAdvanced', 'proposal_ack_creation_latency'],
  ['summaryAdvanced', 'commit_propagation_latency'],
  ['counter', 'learner_proposal_received_count'],
  ['counter', 'learner_commit_received_count'],
  ['summarySet', 'learner_handler_qp_size'],
  ['summarySetAdvanced', 'learner_handler_qp_time_ms'],
  ['summary', 'startup_txns_loaded'],
  ['summary', 'startup_txns_load_time'],
  ['summary', 'startup_snap_load_time'],
  ['summaryAdvanced', 'sync_processor_queue_and_flush_time_ms'],
  ['summary', 'sync_processor_queue_size'],
  ['counter', 'sync_processor_request_queued'],
  ['summaryAdvanced', 'sync_processor_queue_time_ms'],
  ['summaryAdvanced', 'sync_processor_queue_flush_time_ms'],
  ['summary', 'sync_process_time'],
  ['summary', 'sync_processor_batch_size'],
  ['summaryAdvanced', 'quorum_ack_latency'],
  ['summarySetAdvanced', 'ack_latency'],
  ['counter', 'proposal_count'],
  ['counter', 'quit_leading_due_to_disloyal_voter'],
  ['counter', 'stale_requests'],
  ['counter', 'stale_requests_dropped'],
  ['counter', 'stale_replies'],
  ['summaryAdvanced', 'request_throttle_queue_time_ms'],
  ['counter', 'request_throttle_wait_count'],
  ['counter', 'large_requests_rejected'],
  ['summary', 'netty_queued_buffer_capacity'],
  ['counter', 'digest_mismatches_count'],
  ['summary', 'learner_request_processor_queue_size'],
  ['counter', 'unsuccessful_handshake'],
  ['counter', 'insecure_admin_count'],
  ['counter', 'tls_handshake_exceeded'],
  ['counter', 'cnxn_closed_without_zk_server_running'],
  ['counter', 'skip_learner_request_to_next_processor_count'],
  ['summary', 'socket_closing_time'],
  ['counter', 'requests_not_forwarded_to_commit_processor'],
  ['counter', 'response_bytes'],
  ['counter', 'watch_bytes'],
  ['summaryAdvanced', 'jvm_pause_time_ms'],
  ['counterSet', 'quota_exceeded_error_per_namespace'],
];

/** ZooKeeperServer.registerMetrics, in order. */
export const baseGauges: readonly string[] = [
  'avg_latency', 'max_latency', 'min_latency', 'packets_received', 'packets_sent', 'num_alive_connections',
  'outstanding_requests', 'uptime', 'znode_count', 'watch_count', 'ephemerals_count', 'approximate_data_size',
  'global_sessions', 'local_sessions', 'open_file_descriptor_count', 'max_file_descriptor_count',
  'connection_drop_probability', 'last_client_response_size', 'max_client_response_size', 'min_client_response_size',
  'outstanding_tls_handshake', 'auth_failed_count', 'non_mtls_remote_conn_count', 'non_mtls_local_conn_count',
];

/** ZooKeeperServer.registerMetrics' gauge sets (QuotaMetricsUtils). */
export const quotaGaugeSets: readonly string[] = [
  'quota_count_limit_per_namespace', 'quota_bytes_limit_per_namespace',
  'quota_count_usage_per_namespace', 'quota_bytes_usage_per_namespace',
];

/** LeaderZooKeeperServer.registerMetrics, after the quorum gauge. */
export const leaderGauges: readonly string[] = [
  'learners', 'synced_followers', 'synced_non_voting_followers', 'synced_observers', 'pending_syncs', 'leader_uptime',
  'last_proposal_size', 'max_proposal_size', 'min_proposal_size',
];

/** The gauges a server of this state registers, in order. */
export function gaugesOf(state: ServerState): string[] {
  if (state === 'standalone' || state === 'read-only') return [...baseGauges];
  const quorum = [...baseGauges, 'quorum_size'];
  if (state === 'leader') return [...quorum, ...leaderGauges];
  if (state === 'follower') return [...quorum, 'synced_observers'];
  return quorum;
}

/** unregisterMetrics: everything registerMetrics added except outstanding_tls_handshake. */
function gaugesRemovedAtShutdown(state: ServerState): string[] {
  return gaugesOf(state).filter((g) => g !== 'outstanding_tls_handshake');
}

/** The gauge map's iteration order after this JVM ran `previous` servers and now runs `state`. */
export function gaugeOrder(state: ServerState, previous: readonly ServerState[] = []): string[] {
  const m = chmCreate();
  for (const old of previous) {
    for (const g of gaugesOf(old)) chmPut(m, stringKey(g));
    for (const g of gaugesRemovedAtShutdown(old)) chmRemove(m, g);
  }
  for (const g of gaugesOf(state)) chmPut(m, stringKey(g));
  return chmKeys(m);
}

/** The order of each metric map of DefaultMetricsProvider after ServerMetrics' constructor. */
export function registryOrder(kind: MetricKind): string[] {
  const m: ChmModel = chmCreate();
  for (const [k, name] of serverMetrics) if (k === kind) chmPut(m, stringKey(name));
  return chmKeys(m);
}

/** The order of a set's keys (a ConcurrentHashMap filled in first-seen order). */
export function setKeyOrder(keys: readonly string[]): string[] {
  const m = chmCreate();
  for (const k of keys) chmPut(m, stringKey(k));
  return chmKeys(m);
}

/** The gauge-set map's order: registered with the gauges, unregistered at each shutdown. */
export function gaugeSetOrder(previous: readonly ServerState[] = []): string[] {
  const m = chmCreate();
  for (let i = 0; i < previous.length; i++) {
    for (const g of quotaGaugeSets) chmPut(m, stringKey(g));
    for (const g of quotaGaugeSets) chmRemove(m, g);
  }
  for (const g of quotaGaugeSets) chmPut(m, stringKey(g));
  return chmKeys(m);
}
