/**
 * From a parsed zoo.cfg to the engine's ServerConfig, reading the JVM system properties the
 * way the ZooKeeper classes that own them do:
 *
 *   zookeeper.extendedTypesEnabled          Boolean.getBoolean        (zoo.cfg extendedTypesEnabled)
 *   zookeeper.enforceQuota                  Boolean.parseBoolean      (zoo.cfg enforceQuota)
 *   zookeeper.skipACL                       equals("yes")             (zoo.cfg skipACL)
 *   zookeeper.DigestAuthenticationProvider.superDigest                (zoo.cfg DigestAuthenticationProvider.superDigest)
 *   znode.container.checkIntervalMs         Integer.getInteger, 60000 (-D only: zoo.cfg would add `zookeeper.`)
 *   znode.container.maxPerMinute            Integer.getInteger, 10000 (-D only)
 *   znode.container.maxNeverUsedIntervalMs  Long.getLong, 0           (-D only)
 *   jute.maxbuffer                          Integer.getInteger, 0xfffff (-D only)
 *
 * It also reports the two start-up failures ZooKeeper only finds after parsing: a myid that is
 * not among the servers (QuorumPeer.start) and, with extended types, a server id above 254
 * (EphemeralType.validateServerId).
 */
import type { Sid } from '../protocol/ids.ts';
import type { ServerConfig } from '../server/server-config.ts';
import { fail, javaException, ok, runtimeExceptionClass, type ConfigResult } from './config-error.ts';
import { javaParseLong } from './java-lang.ts';
import type { QuorumConfig } from './zoo-cfg.ts';

/** EphemeralType.MAX_EXTENDED_SERVER_ID */
export const extendedServerIdMax = 0xfe;

/**
 * The engine's ServerConfig for this server. `myid` defaults to the config's serverId; a
 * standalone server without one uses 1 (see ServerConfig.sid).
 */
export function toServerConfig(cfg: QuorumConfig, myid?: Sid): ConfigResult<ServerConfig> {
  const sid = myid ?? cfg.serverId ?? 1;
  if (cfg.distributed && !cfg.servers.has(sid)) {
    return fail(javaException(runtimeExceptionClass, `My id ${sid} not in the peer list`));
  }
  const sp = cfg.systemProperties;
  const extendedTypesEnabled = (sp['zookeeper.extendedTypesEnabled'] ?? '').toLowerCase() === 'true';
  // A standalone ZooKeeperServer has server id 0 whatever myid says.
  if (extendedTypesEnabled && cfg.distributed && sid > extendedServerIdMax) {
    return fail(javaException(
      runtimeExceptionClass,
      `extendedTypesEnabled is true but Server ID is too large. Cannot be larger than ${extendedServerIdMax}`,
    ));
  }
  const config: ServerConfig = {
    sid,
    tickTime: cfg.tickTime,
    minSessionTimeout: cfg.minSessionTimeout,
    maxSessionTimeout: cfg.maxSessionTimeout,
    extendedTypesEnabled,
    enforceQuota: (sp['zookeeper.enforceQuota'] ?? 'false').toLowerCase() === 'true',
    skipACL: (sp['zookeeper.skipACL'] ?? 'no') === 'yes',
    superDigest: sp['zookeeper.DigestAuthenticationProvider.superDigest'] ?? null,
    containerCheckIntervalMs: getInteger(sp, 'znode.container.checkIntervalMs', 60_000, 32),
    containerMaxPerMinute: getInteger(sp, 'znode.container.maxPerMinute', 10_000, 32),
    containerMaxNeverUsedIntervalMs: getInteger(sp, 'znode.container.maxNeverUsedIntervalMs', 0, 64),
    maxClientCnxns: cfg.maxClientCnxns,
    juteMaxBuffer: getInteger(sp, 'jute.maxbuffer', 0xfffff, 32),
    reconfigEnabled: cfg.reconfigEnabled,
  };
  return ok(config);
}

/** Integer.getInteger / Long.getLong: Integer.decode of the property, the default when absent or bad. */
export function getInteger(sp: Readonly<Record<string, string>>, name: string, fallback: number, bits: 32 | 64): number {
  const text = sp[name];
  if (text === undefined) return fallback;
  const v = javaDecode(text);
  if (v === null) return fallback;
  const min = bits === 32 ? -(2n ** 31n) : -(2n ** 63n);
  const max = -min - 1n;
  if (v < min || v > max) return fallback;
  return Number(v);
}

/** Integer.decode / Long.decode: optional sign, then `0x`/`0X`/`#` hex, `0` octal, or decimal. */
export function javaDecode(text: string): bigint | null {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let radix = 10;
  if (s.startsWith('0x') || s.startsWith('0X')) {
    radix = 16;
    s = s.slice(2);
  } else if (s.startsWith('#')) {
    radix = 16;
    s = s.slice(1);
  } else if (s.startsWith('0') && s.length > 1) {
    radix = 8;
    s = s.slice(1);
  }
  if (s.startsWith('-') || s.startsWith('+')) return null;
  const r = javaParseLong(s, radix);
  if (!r.ok) return null;
  return negative ? -r.value : r.value;
}
