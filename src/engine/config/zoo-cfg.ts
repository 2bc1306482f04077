/**
 * zoo.cfg, read exactly as ZooKeeper 3.8.0 reads it (QuorumPeerConfig.parse).
 *
 * Theory of operation, in ZooKeeper's order (the order decides which error a bad file shows):
 *   1. Properties.load (java-properties.ts); keys are then visited in the Properties map's
 *      ConcurrentHashMap order, not file order; keys and values are trimmed;
 *   2. each known key is parsed (Integer.parseInt, 'true'/'false'); every unknown key becomes
 *      the JVM system property `zookeeper.<key>` (so do server.N lines: ZooKeeper does that too);
 *   3. checks after the loop: SASL flags, dataDir, clientPortAddress without clientPort,
 *      tickTime, session timeout defaults (2 and 20 ticks) and their order, metrics provider;
 *   4. the membership from server.N (QuorumMaj), then myid (<dataDir>/myid), the client port
 *      from server.N's client_config, peerType from the servers list, and — when the server is
 *      part of an ensemble — initLimit, syncLimit and myid must be set.
 * IllegalArgumentException (including NumberFormatException) thrown anywhere in 1-4 reaches
 * the user as `ConfigException: Error processing <path>` with that cause; ConfigException
 * thrown directly (bad peerType, bad server.N, bad boolean) is not wrapped.
 *
 * Every field below states its zoo.cfg key and unit.
 */
import type { Sid } from '../protocol/ids.ts';
import {
  configException,
  errorProcessing,
  fail,
  illegalArgumentClass,
  numberFormatClass,
  type ConfigError,
  type ConfigResult,
  type JavaException,
} from './config-error.ts';
import { membershipFromProperties, type QuorumMembership, type Wrap } from './dynamic-config.ts';
import { javaParseInt, javaParseLong, javaTrim } from './java-lang.ts';
import { loadProperties, propertiesEntries } from './java-properties.ts';
import { finishQuorumConfig } from './zoo-cfg-quorum.ts';
import type { LearnerType, QuorumServerConfig } from './quorum-server.ts';

export interface QuorumConfig {
  /** the config file's path, as ZooKeeper names it in errors */
  readonly configPath: string;
  /** `tickTime`, ms (default 3000) */
  readonly tickTime: number;
  /** `initLimit`, ticks a follower has to connect and sync to the leader */
  readonly initLimit: number;
  /** `syncLimit`, ticks a follower may lag before the leader drops it */
  readonly syncLimit: number;
  /** `connectToLearnerMasterLimit`, ticks (0 = use initLimit) */
  readonly connectToLearnerMasterLimit: number;
  /** `clientPort` (or server.N's client_config); 0 = none */
  readonly clientPort: number;
  /** `clientPortAddress` (or server.N's client host); null = every interface (0.0.0.0) */
  readonly clientPortAddress: string | null;
  /** `secureClientPort`; 0 = none */
  readonly secureClientPort: number;
  /** `secureClientPortAddress`; null = every interface */
  readonly secureClientPortAddress: string | null;
  /** `observerMasterPort`; 0 = none */
  readonly observerMasterPort: number;
  /** `dataDir` (java.io.File-normalized) */
  readonly dataDir: string;
  /** `dataLogDir` (default: dataDir) */
  readonly dataLogDir: string;
  /** `maxClientCnxns` per client IP (0 = unlimited) */
  readonly maxClientCnxns: number;
  /** `minSessionTimeout`, ms (default 2 x tickTime) */
  readonly minSessionTimeout: number;
  /** `maxSessionTimeout`, ms (default 20 x tickTime) */
  readonly maxSessionTimeout: number;
  /** `clientPortListenBacklog` (-1 = the OS default) */
  readonly clientPortListenBacklog: number;
  /** `electionAlg`, always 3 (FastLeaderElection) */
  readonly electionAlg: number;
  /** `peerType`, overridden by this server's server.N type */
  readonly peerType: LearnerType;
  /** `syncEnabled`: observers log and snapshot like followers */
  readonly syncEnabled: boolean;
  /** `standaloneEnabled`: a single participant runs as a standalone server */
  readonly standaloneEnabled: boolean;
  /** `reconfigEnabled`: the reconfig command is allowed */
  readonly reconfigEnabled: boolean;
  /** `quorumListenOnAllIPs` */
  readonly quorumListenOnAllIPs: boolean;
  /** `localSessionsEnabled` */
  readonly localSessionsEnabled: boolean;
  /** `localSessionsUpgradingEnabled` */
  readonly localSessionsUpgradingEnabled: boolean;
  /** `autopurge.snapRetainCount` (at least 3) */
  readonly snapRetainCount: number;
  /** `autopurge.purgeInterval`, hours (0 = never) */
  readonly purgeInterval: number;
  /** `dynamicConfigFile`, or null when the membership is in this file */
  readonly dynamicConfigFile: string | null;
  /** the four-letter words this server answers (`4lw.commands.whitelist`; `srvr` always) */
  readonly fourLetterWordWhitelist: readonly string[];
  /** server.N entries (participants and observers), in ZooKeeper's iteration order */
  readonly servers: ReadonlyMap<Sid, QuorumServerConfig>;
  /** the membership's version (`version=` in a dynamic config, hex) */
  readonly version: bigint;
  /** myid from <dataDir>/myid; null when there is no myid file */
  readonly serverId: Sid | null;
  /** QuorumPeerConfig.isDistributed: runs as an ensemble member (else standalone) */
  readonly distributed: boolean;
  /** zoo.cfg keys ZooKeeper does not know itself, in file order (they become `zookeeper.<key>`) */
  readonly extraProperties: ReadonlyArray<readonly [string, string]>;
  /** the JVM system properties after parsing: the -D flags given plus `zookeeper.<key>` */
  readonly systemProperties: Readonly<Record<string, string>>;
}

export interface ParseZooCfgOptions {
  /** the file's path, printed in `Error processing <path>` (default `/conf/zoo.cfg`) */
  readonly path?: string;
  /** the content of <dataDir>/myid, or null/absent when there is no such file */
  readonly myid?: string | null;
  /** JVM system properties set before parsing (-D flags), e.g. znode.container.checkIntervalMs */
  readonly systemProperties?: Readonly<Record<string, string>>;
  /** other files ZooKeeper may read, by path: the `dynamicConfigFile` */
  readonly files?: Readonly<Record<string, string>>;
}

/** What parseProperties fills in; mutable while the keys are visited. */
export interface Draft {
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  connectToLearnerMasterLimit: number;
  clientPort: number;
  clientPortAddress: string | null;
  secureClientPort: number;
  secureClientPortAddress: string | null;
  observerMasterPort: number;
  dataDir: string | null;
  dataLogDir: string | null;
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  clientPortListenBacklog: number;
  electionAlg: number;
  peerType: LearnerType;
  syncEnabled: boolean;
  standaloneEnabled: boolean;
  reconfigEnabled: boolean;
  quorumListenOnAllIPs: boolean;
  localSessionsEnabled: boolean;
  localSessionsUpgradingEnabled: boolean;
  snapRetainCount: number;
  purgeInterval: number;
  dynamicConfigFile: string | null;
  quorumEnableSasl: boolean;
  quorumServerRequireSasl: boolean;
  quorumLearnerRequireSasl: boolean;
  metricsProviderClassName: string;
  extraProperties: Array<readonly [string, string]>;
  systemProperties: Record<string, string>;
}

type IntField = 'tickTime' | 'initLimit' | 'syncLimit' | 'connectToLearnerMasterLimit' | 'clientPort' | 'secureClientPort'
  | 'observerMasterPort' | 'maxClientCnxns' | 'minSessionTimeout' | 'maxSessionTimeout' | 'clientPortListenBacklog'
  | 'electionAlg' | 'snapRetainCount' | 'purgeInterval';
type BoolField = 'syncEnabled' | 'standaloneEnabled' | 'reconfigEnabled' | 'quorumListenOnAllIPs' | 'localSessionsEnabled'
  | 'localSessionsUpgradingEnabled' | 'quorumEnableSasl' | 'quorumServerRequireSasl' | 'quorumLearnerRequireSasl';

const intKeys: Readonly<Record<string, IntField | null>> = {
  clientPort: 'clientPort', secureClientPort: 'secureClientPort', observerMasterPort: 'observerMasterPort',
  clientPortListenBacklog: 'clientPortListenBacklog', tickTime: 'tickTime', maxClientCnxns: 'maxClientCnxns',
  minSessionTimeout: 'minSessionTimeout', maxSessionTimeout: 'maxSessionTimeout', initLimit: 'initLimit',
  syncLimit: 'syncLimit', connectToLearnerMasterLimit: 'connectToLearnerMasterLimit', electionAlg: 'electionAlg',
  'autopurge.snapRetainCount': 'snapRetainCount', 'autopurge.purgeInterval': 'purgeInterval',
  // parsed (so a bad number is an error) but not modelled
  'quorum.cnxn.threads.size': null, 'multiAddress.reachabilityCheckTimeoutMs': null,
};
const longKeys: readonly string[] = ['jvm.pause.info-threshold.ms', 'jvm.pause.warn-threshold.ms', 'jvm.pause.sleep.time.ms'];
const boolKeys: Readonly<Record<string, BoolField | null>> = {
  localSessionsEnabled: 'localSessionsEnabled', localSessionsUpgradingEnabled: 'localSessionsUpgradingEnabled',
  quorumListenOnAllIPs: 'quorumListenOnAllIPs', syncEnabled: 'syncEnabled', standaloneEnabled: 'standaloneEnabled',
  reconfigEnabled: 'reconfigEnabled', 'quorum.auth.enableSasl': 'quorumEnableSasl',
  'quorum.auth.serverRequireSasl': 'quorumServerRequireSasl', 'quorum.auth.learnerRequireSasl': 'quorumLearnerRequireSasl',
  sslQuorum: null, portUnification: null, sslQuorumReloadCertFiles: null, 'jvm.pause.monitor': null,
  'multiAddress.enabled': null, 'multiAddress.reachabilityCheckEnabled': null,
};
const stringKeys: readonly string[] = [
  'quorum.auth.learner.saslLoginContext', 'quorum.auth.server.saslLoginContext', 'quorum.auth.kerberos.servicePrincipal',
  'oraclePath',
];
/** metricsProvider.className values that exist on ZooKeeper 3.8.0's class path */
const metricsProviders: readonly string[] = [
  'org.apache.zookeeper.metrics.impl.DefaultMetricsProvider',
  'org.apache.zookeeper.metrics.impl.NullMetricsProvider',
];

export const defaultConfigPath = '/conf/zoo.cfg';

/** Parses zoo.cfg text; errors are ZooKeeper's (see config-error.ts), never thrown. */
export function parseZooCfg(text: string, options: ParseZooCfgOptions = {}): ConfigResult<QuorumConfig> {
  const path = options.path ?? defaultConfigPath;
  const wrap: Wrap = (cause) => fail(errorProcessing(path, cause));
  const load = loadProperties(text);
  if (!load.ok) return wrap({ exception: illegalArgumentClass, message: load.error });
  const entries = propertiesEntries(load.entries);
  const draft = newDraft(options.systemProperties ?? {});
  const hasDynamicFile = entries.some(([k]) => k === 'dynamicConfigFile');
  for (const [rawKey, rawValue] of entries) {
    const key = javaTrim(rawKey);
    const applied = applyKey(draft, key, javaTrim(rawValue), hasDynamicFile);
    if (applied !== null) return applied.exception === configExceptionName ? fail(applied as ConfigError) : wrap(applied);
  }
  draft.extraProperties = orderByFile(draft.extraProperties, load.entries);
  const checked = checkAfterKeys(draft);
  if (checked) return checked.exception === configExceptionName ? fail(checked as ConfigError) : wrap(checked);
  // Errors of the membership and myid steps name the file they come from.
  const setupWrap: Wrap = draft.dynamicConfigFile === null ? wrap : (cause) => fail(errorProcessing(draft.dynamicConfigFile!, cause));
  const membership = loadMembership(draft, entries, options, setupWrap);
  if (!membership.ok) return membership;
  return finishQuorumConfig(draft, membership.value, { path, myid: options.myid ?? null, wrap: setupWrap });
}

const configExceptionName = configException('').exception;

function newDraft(systemProperties: Readonly<Record<string, string>>): Draft {
  return {
    tickTime: 3000, initLimit: 0, syncLimit: 0, connectToLearnerMasterLimit: 0, clientPort: 0, clientPortAddress: null,
    secureClientPort: 0, secureClientPortAddress: null, observerMasterPort: 0, dataDir: null, dataLogDir: null,
    maxClientCnxns: 60, minSessionTimeout: -1, maxSessionTimeout: -1, clientPortListenBacklog: -1, electionAlg: 3,
    peerType: 'participant', syncEnabled: true, standaloneEnabled: true, reconfigEnabled: false,
    quorumListenOnAllIPs: false, localSessionsEnabled: false, localSessionsUpgradingEnabled: false, snapRetainCount: 3,
    purgeInterval: 0, dynamicConfigFile: null, quorumEnableSasl: false, quorumServerRequireSasl: false,
    quorumLearnerRequireSasl: false, metricsProviderClassName: metricsProviders[0], extraProperties: [],
    systemProperties: { ...systemProperties },
  };
}

/** One iteration of parseProperties' loop; returns the exception it throws, or null. */
function applyKey(d: Draft, key: string, value: string, hasDynamicFile: boolean): JavaException | null {
  if (key === 'dataDir') d.dataDir = normalizeFilePath(value);
  else if (key === 'dataLogDir') d.dataLogDir = normalizeFilePath(value);
  else if (key === 'clientPortAddress') d.clientPortAddress = value;
  else if (key === 'secureClientPortAddress') d.secureClientPortAddress = value;
  else if (key in intKeys) return applyInt(d, key, value);
  else if (key in boolKeys) return applyBool(d, key, value);
  else if (longKeys.includes(key)) {
    const r = javaParseLong(value);
    if (!r.ok) return { exception: numberFormatClass, message: r.error };
  } else if (key === 'peerType') {
    const t = value.toLowerCase();
    if (t !== 'observer' && t !== 'participant') return configException(`Unrecognised peertype: ${value}`);
    d.peerType = t;
  } else if (key === 'dynamicConfigFile') d.dynamicConfigFile = value;
  else if ((key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight')) && hasDynamicFile) {
    return configException(`parameter: ${key} must be in a separate dynamic config file`);
  } else if (stringKeys.includes(key)) {
    // accepted and not modelled
  } else if (key === 'metricsProvider.className') d.metricsProviderClassName = value;
  else if (key.startsWith('metricsProvider.')) {
    // metricsProvider.<setting>: passed to the provider, not modelled
  } else {
    d.systemProperties[`zookeeper.${key}`] = value;
    d.extraProperties.push([key, value]);
  }
  return null;
}

function applyInt(d: Draft, key: string, value: string): JavaException | null {
  const r = javaParseInt(value);
  if (!r.ok) return { exception: numberFormatClass, message: r.error };
  const field = intKeys[key];
  if (field !== null) d[field] = r.value;
  if (key === 'electionAlg' && r.value !== 3) return configException('Invalid electionAlg value. Only 3 is supported.');
  return null;
}

/** QuorumPeerConfig.parseBoolean. */
function applyBool(d: Draft, key: string, value: string): JavaException | null {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    return configException(`Invalid option ${value} for ${key}. Choose 'true' or 'false.'`);
  }
  const field = boolKeys[key];
  if (field !== null) d[field] = lower === 'true';
  return null;
}

/** The checks after parseProperties' loop, in ZooKeeper's order. */
function checkAfterKeys(d: Draft): JavaException | null {
  const iae = (message: string): JavaException => ({ exception: illegalArgumentClass, message });
  if (!d.quorumEnableSasl && d.quorumServerRequireSasl) {
    return iae('quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl');
  }
  if (!d.quorumEnableSasl && d.quorumLearnerRequireSasl) {
    return iae('quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.learnerRequireSasl');
  }
  if (!d.quorumLearnerRequireSasl && d.quorumServerRequireSasl) {
    return iae('quorum.auth.learnerRequireSasl is disabled, so cannot enable quorum.auth.serverRequireSasl');
  }
  if (d.snapRetainCount < 3) d.snapRetainCount = 3;
  if (d.dataDir === null) return iae('dataDir is not set');
  if (d.dataLogDir === null) d.dataLogDir = d.dataDir;
  if (d.clientPort === 0 && d.clientPortAddress !== null) return iae('clientPortAddress is set but clientPort is not set');
  if (d.clientPort < 0 || d.clientPort > 0xffff) return iae(`port out of range:${d.clientPort}`);
  if (d.secureClientPort === 0 && d.secureClientPortAddress !== null) {
    return iae('secureClientPortAddress is set but secureClientPort is not set');
  }
  if (d.secureClientPort < 0 || d.secureClientPort > 0xffff) return iae(`port out of range:${d.secureClientPort}`);
  if (d.secureClientPort !== 0) {
    const sslAuth = configureSslAuth(d);
    if (sslAuth) return sslAuth;
  }
  if (d.tickTime === 0) return iae('tickTime is not set');
  if (d.minSessionTimeout === -1) d.minSessionTimeout = d.tickTime * 2;
  if (d.maxSessionTimeout === -1) d.maxSessionTimeout = d.tickTime * 20;
  if (d.minSessionTimeout > d.maxSessionTimeout) return iae('minSessionTimeout must not be larger than maxSessionTimeout');
  if (!metricsProviders.includes(d.metricsProviderClassName)) return iae('metrics provider class was not found');
  return null;
}

/** QuorumPeerConfig.configureSSLAuth: registers the x509 provider as a system property. */
function configureSslAuth(d: Draft): JavaException | null {
  const scheme = d.systemProperties['zookeeper.ssl.authProvider'] ?? 'x509';
  const prop = `zookeeper.authProvider.${scheme}`;
  if (d.systemProperties[prop] !== undefined) return null;
  if (scheme !== 'x509') return configException(`No auth provider configured for the SSL authentication scheme '${scheme}'.`);
  d.systemProperties[prop] = 'org.apache.zookeeper.server.auth.X509AuthenticationProvider';
  return null;
}

/** Membership from this file, or (dynamicConfigFile) from the dynamic file, as QuorumPeerConfig.parse does. */
function loadMembership(
  d: Draft,
  entries: ReadonlyArray<readonly [string, string]>,
  options: ParseZooCfgOptions,
  wrap: Wrap,
): ConfigResult<QuorumMembership> {
  const membershipOptions = {
    standaloneEnabled: d.standaloneEnabled,
    multiAddressEnabled: (d.systemProperties['zookeeper.multiAddress.enabled'] ?? 'false').toLowerCase() === 'true',
  };
  if (d.dynamicConfigFile === null) {
    return membershipFromProperties(entries, { ...membershipOptions, backwardCompatibility: true }, wrap);
  }
  const dynPath = d.dynamicConfigFile;
  const dynWrap = wrap;
  const text = options.files?.[dynPath];
  if (text === undefined) return dynWrap({ exception: 'java.io.FileNotFoundException', message: `${dynPath} (No such file or directory)` });
  const load = loadProperties(text);
  if (!load.ok) return dynWrap({ exception: illegalArgumentClass, message: load.error });
  if (load.entries.some(([k]) => k === 'version')) return fail(configException("dynamic file shouldn't have version inside"));
  const version = versionFromFilename(dynPath);
  const withVersion = version === null ? load.entries : [...load.entries, ['version', version] as const];
  return membershipFromProperties(propertiesEntries(withVersion), { ...membershipOptions, backwardCompatibility: false }, dynWrap);
}

/** QuorumPeerConfig.getVersionFromFilename: `zoo.cfg.dynamic.100000000` → `100000000`. */
export function versionFromFilename(filename: string): string | null {
  const i = filename.lastIndexOf('.');
  if (i < 0) return null;
  const v = javaParseLong(filename.slice(i + 1), 16);
  return v.ok ? BigInt.asUintN(64, v.value).toString(16) : null;
}

/** java.io.File on Unix: duplicate slashes collapse and a trailing slash goes. */
export function normalizeFilePath(p: string): string {
  const collapsed = p.replace(/\/+/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

function orderByFile(
  props: ReadonlyArray<readonly [string, string]>,
  fileEntries: ReadonlyArray<readonly [string, string]>,
): Array<readonly [string, string]> {
  const rank = new Map(fileEntries.map(([k], i) => [javaTrim(k), i]));
  return [...props].sort((a, b) => (rank.get(a[0]) ?? 0) - (rank.get(b[0]) ?? 0));
}

