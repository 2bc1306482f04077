/**
 * The quorum membership: QuorumMaj built from `server.N=` and `version=` properties, and its
 * text form, which is the data of /zookeeper/config and the tail of `conf`:
 *
 *   server.1=127.0.0.1:2881:3881:participant
 *   server.2=127.0.0.1:2882:3882:participant
 *   version=0
 *
 * Lines are separated by `\n` with no newline after `version=`; the version is printed in hex
 * (Long.toHexString). Members come in java.util.HashMap<Long, …> order (ascending for small
 * sids). Hierarchical quorums (`group.N`/`weight.N`) are not modelled.
 */
import type { Sid } from '../protocol/ids.ts';
import {
  configException,
  errorProcessing,
  fail,
  illegalArgumentClass,
  numberFormatClass,
  ok,
  playgroundLimit,
  type ConfigResult,
} from './config-error.ts';
import { hostString, socketAddress } from './inet-address.ts';
import { javaLongHash, javaParseLong, javaTrim } from './java-lang.ts';
import { loadProperties, propertiesEntries } from './java-properties.ts';
import { formatQuorumServer, parseQuorumServer, type QuorumServerConfig } from './quorum-server.ts';

/** A bound on the members of one ensemble (sids are one byte in session ids anyway). */
export const quorumMembersMax = 1024;

export interface QuorumMembership {
  /** every member, participants and observers, in ZooKeeper's iteration order */
  readonly servers: ReadonlyMap<Sid, QuorumServerConfig>;
  /** the config version (zxid of the reconfig that made it; 0 for a static config) */
  readonly version: bigint;
}

export interface MembershipOptions {
  /** QuorumPeerConfig.standaloneEnabled (zoo.cfg `standaloneEnabled`, default true) */
  readonly standaloneEnabled?: boolean;
  /** -Dzookeeper.multiAddress.enabled */
  readonly multiAddressEnabled?: boolean;
  /** false for a dynamic file: keys other than server.N and version are errors */
  readonly backwardCompatibility?: boolean;
}

/** Where `throw`s inside QuorumPeerConfig.parse end up: IllegalArgumentException is wrapped. */
export type Wrap = (cause: { exception: string; message: string }) => ConfigResult<never>;

/** QuorumPeerConfig.parseDynamicConfig over properties in their iteration order. */
export function membershipFromProperties(
  entries: ReadonlyArray<readonly [string, string]>,
  options: MembershipOptions,
  wrap: Wrap,
): ConfigResult<QuorumMembership> {
  for (const [rawKey] of entries) {
    const key = javaTrim(rawKey);
    if (key.startsWith('group') || key.startsWith('weight')) {
      return fail(playgroundLimit('hierarchical quorums (group.N / weight.N) are not modelled'));
    }
    if (options.backwardCompatibility === false && !key.startsWith('server.') && key !== 'version') {
      return fail(configException(`Unrecognised parameter: ${key}`));
    }
  }
  const qv = quorumMaj(entries, options.multiAddressEnabled ?? false, wrap);
  if (!qv.ok) return qv;
  const members = [...qv.value.servers.values()];
  const participants = members.filter((s) => s.type === 'participant').length;
  const observers = members.length - participants;
  const standaloneEnabled = options.standaloneEnabled ?? true;
  if (participants === 0) {
    if (!standaloneEnabled) return wrap({ exception: illegalArgumentClass, message: 'standaloneEnabled = false then number of participants should be >0' });
    if (observers > 0) return wrap({ exception: illegalArgumentClass, message: 'Observers w/o participants is an invalid configuration' });
  } else if (participants === 1 && standaloneEnabled && observers > 0) {
    return wrap({ exception: illegalArgumentClass, message: 'Observers w/o quorum is an invalid configuration' });
  }
  return qv;
}

/** `new QuorumMaj(props)`: keys and values untrimmed, as QuorumMaj reads them. */
function quorumMaj(entries: ReadonlyArray<readonly [string, string]>, multiAddressEnabled: boolean, wrap: Wrap): ConfigResult<QuorumMembership> {
  const servers: QuorumServerConfig[] = [];
  let version = 0n;
  for (const [key, value] of entries) {
    if (key.startsWith('server.')) {
      const sidText = key.slice(key.indexOf('.') + 1);
      const sid = javaParseLong(sidText);
      if (!sid.ok) return wrap({ exception: numberFormatClass, message: sid.error });
      if (sid.value < 0n || sid.value > BigInt(Number.MAX_SAFE_INTEGER)) {
        return fail(playgroundLimit(`server.${sidText}: sids outside 0..2^53 are not modelled`));
      }
      const qs = parseQuorumServer(Number(sid.value), value, multiAddressEnabled);
      if (!qs.ok) return qs.error.exception === illegalArgumentClass ? wrap(qs.error) : qs;
      const at = servers.findIndex((s) => s.sid === qs.value.sid);
      if (at >= 0) servers[at] = qs.value;
      else servers.push(qs.value);
      if (servers.length > quorumMembersMax) return fail(playgroundLimit(`more than ${quorumMembersMax} servers`));
    } else if (key === 'version') {
      const v = javaParseLong(value, 16);
      if (!v.ok) return wrap({ exception: numberFormatClass, message: v.error });
      version = v.value;
    }
  }
  return ok({ servers: hashMapBySid(servers), version });
}

/** java.util.HashMap<Long, …> iteration order: bucket (Long.hashCode spread) at the final capacity, then insertion. */
export function hashMapBySid<T extends { readonly sid: Sid }>(items: readonly T[]): Map<Sid, T> {
  let capacity = 16;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucket = (sid: Sid): number => {
    const h = javaLongHash(BigInt(sid));
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  const ordered = items.map((item, i) => ({ item, i, b: bucket(item.sid) })).sort((x, y) => x.b - y.b || x.i - y.i);
  return new Map(ordered.map(({ item }) => [item.sid, item]));
}

/** Parses the text of /zookeeper/config (or a zoo.cfg.dynamic file with its version). */
export function parseDynamicConfig(text: string, options: MembershipOptions = {}): ConfigResult<QuorumMembership> {
  const path = '/zookeeper/config';
  const load = loadProperties(text);
  if (!load.ok) return fail(errorProcessing(path, { exception: illegalArgumentClass, message: load.error }));
  const wrap: Wrap = (cause) => fail(errorProcessing(path, cause));
  return membershipFromProperties(propertiesEntries(load.entries), { backwardCompatibility: false, ...options }, wrap);
}

/** QuorumMaj.toString: the data of /zookeeper/config. */
export function formatDynamicConfig(m: QuorumMembership): string {
  let out = '';
  for (const s of m.servers.values()) out += `server.${s.sid}=${formatQuorumServer(s)}\n`;
  return `${out}version=${BigInt.asUintN(64, m.version).toString(16)}`;
}

/**
 * ConfigUtils.getClientConfigStr, what `config -c` prints: the version, a space, then the
 * client addresses (`host:port`) of the servers that have one, comma-separated, in
 * Properties order. Unparseable server lines are skipped, as ZooKeeper does.
 */
export function getClientConfigStr(text: string): string {
  const load = loadProperties(text);
  if (!load.ok) return '';
  let version = '';
  const addrs: string[] = [];
  for (const [rawKey, rawValue] of propertiesEntries(load.entries)) {
    const key = javaTrim(rawKey);
    const value = javaTrim(rawValue);
    if (key === 'version') version = value;
    if (!key.startsWith('server.')) continue;
    const qs = parseQuorumServer(-1, value);
    if (!qs.ok) continue;
    const { clientHost, clientPort } = qs.value;
    addrs.push(clientPort === undefined ? '' : `${hostString(socketAddress(clientHost ?? '0.0.0.0', clientPort))}:${clientPort}`);
  }
  return `${version} ${addrs.join(',')}`;
}

