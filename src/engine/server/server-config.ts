/**
 * Server configuration: the zoo.cfg keys (and Java system properties) the engine reads, each
 * with its unit and the key it comes from.
 */
import type { Sid } from '../protocol/ids.ts';

export interface ServerConfig {
  /** myid (1-255); a standalone server uses 1 for session ids, as ZooKeeper does */
  sid: Sid;
  /** zoo.cfg `tickTime`, ms */
  tickTime: number;
  /** zoo.cfg `minSessionTimeout`, ms (default 2 x tickTime) */
  minSessionTimeout: number;
  /** zoo.cfg `maxSessionTimeout`, ms (default 20 x tickTime) */
  maxSessionTimeout: number;
  /** zoo.cfg `extendedTypesEnabled` (zookeeper.extendedTypesEnabled): TTL nodes */
  extendedTypesEnabled: boolean;
  /** zoo.cfg `enforceQuota` (zookeeper.enforceQuota): hard quotas reject writes */
  enforceQuota: boolean;
  /** zookeeper.skipACL */
  skipACL: boolean;
  /** zookeeper.DigestAuthenticationProvider.superDigest, `super:<base64 sha1>` or null */
  superDigest: string | null;
  /** znode.container.checkIntervalMs, ms (default 60000) */
  containerCheckIntervalMs: number;
  /** znode.container.maxPerMinute (default 10000) */
  containerMaxPerMinute: number;
  /** znode.container.maxNeverUsedIntervalMs, ms (default 0 = never) */
  containerMaxNeverUsedIntervalMs: number;
  /** zoo.cfg `maxClientCnxns` per client address (default 60; 0 = unlimited) */
  maxClientCnxns: number;
  /** jute.maxbuffer, bytes (default 0xfffff) */
  juteMaxBuffer: number;
  /** zoo.cfg `reconfigEnabled` */
  reconfigEnabled: boolean;
}

export function defaultServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const tickTime = overrides.tickTime ?? 2000;
  const base: ServerConfig = {
    sid: 1,
    tickTime,
    minSessionTimeout: tickTime * 2,
    maxSessionTimeout: tickTime * 20,
    extendedTypesEnabled: false,
    enforceQuota: false,
    skipACL: false,
    superDigest: null,
    containerCheckIntervalMs: 60_000,
    containerMaxPerMinute: 10_000,
    containerMaxNeverUsedIntervalMs: 0,
    maxClientCnxns: 60,
    juteMaxBuffer: 0xfffff,
    reconfigEnabled: false,
  };
  const merged = { ...base, ...overrides };
  // -1 (or absent) min/max session timeouts mean "derive from tickTime", as ZooKeeper does
  if (!(merged.minSessionTimeout > 0)) merged.minSessionTimeout = tickTime * 2;
  if (!(merged.maxSessionTimeout > 0)) merged.maxSessionTimeout = tickTime * 20;
  return merged;
}
