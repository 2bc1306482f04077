/**
 * Writing a zoo.cfg back: `formatZooCfg(cfg)` prints the keys whose values differ from
 * ZooKeeper's defaults, the extra keys, then the server.N lines, escaped as
 * java.util.Properties.store escapes them, so that parseZooCfg(formatZooCfg(c)) gives c back.
 *
 * `findAddressConflicts` is not a ZooKeeper check: ZooKeeper accepts two servers on one host
 * and one port, and the second one then fails to bind (java.net.BindException: Address already
 * in use). The playground runs every server on one host, so it warns before that happens.
 */
import type { Sid } from '../protocol/ids.ts';
import { formatQuorumServer, type QuorumServerConfig } from './quorum-server.ts';
import type { QuorumConfig } from './zoo-cfg.ts';

export function formatZooCfg(cfg: QuorumConfig): string {
  const lines: Array<[string, string]> = [];
  const put = (key: string, value: string | number | boolean): void => {
    lines.push([key, String(value)]);
  };
  put('tickTime', cfg.tickTime);
  if (cfg.initLimit !== 0) put('initLimit', cfg.initLimit);
  if (cfg.syncLimit !== 0) put('syncLimit', cfg.syncLimit);
  if (cfg.connectToLearnerMasterLimit !== 0) put('connectToLearnerMasterLimit', cfg.connectToLearnerMasterLimit);
  put('dataDir', cfg.dataDir);
  if (cfg.dataLogDir !== cfg.dataDir) put('dataLogDir', cfg.dataLogDir);
  const own = cfg.serverId === null ? undefined : cfg.servers.get(cfg.serverId);
  const clientFromServerLine = own !== undefined && own.clientPort !== undefined && !own.clientAddrFromStatic;
  if (cfg.clientPort !== 0 && !clientFromServerLine) {
    put('clientPort', cfg.clientPort);
    if (cfg.clientPortAddress !== null) put('clientPortAddress', cfg.clientPortAddress);
  }
  if (cfg.secureClientPort !== 0) put('secureClientPort', cfg.secureClientPort);
  if (cfg.secureClientPortAddress !== null) put('secureClientPortAddress', cfg.secureClientPortAddress);
  if (cfg.observerMasterPort !== 0) put('observerMasterPort', cfg.observerMasterPort);
  if (cfg.maxClientCnxns !== 60) put('maxClientCnxns', cfg.maxClientCnxns);
  if (cfg.minSessionTimeout !== cfg.tickTime * 2) put('minSessionTimeout', cfg.minSessionTimeout);
  if (cfg.maxSessionTimeout !== cfg.tickTime * 20) put('maxSessionTimeout', cfg.maxSessionTimeout);
  if (cfg.clientPortListenBacklog !== -1) put('clientPortListenBacklog', cfg.clientPortListenBacklog);
  if (cfg.peerType === 'observer' && own === undefined) put('peerType', 'observer');
  if (!cfg.syncEnabled) put('syncEnabled', false);
  if (!cfg.standaloneEnabled) put('standaloneEnabled', false);
  if (cfg.reconfigEnabled) put('reconfigEnabled', true);
  if (cfg.quorumListenOnAllIPs) put('quorumListenOnAllIPs', true);
  if (cfg.localSessionsEnabled) put('localSessionsEnabled', true);
  if (cfg.localSessionsUpgradingEnabled) put('localSessionsUpgradingEnabled', true);
  if (cfg.snapRetainCount !== 3) put('autopurge.snapRetainCount', cfg.snapRetainCount);
  if (cfg.purgeInterval !== 0) put('autopurge.purgeInterval', cfg.purgeInterval);
  if (cfg.dynamicConfigFile !== null) put('dynamicConfigFile', cfg.dynamicConfigFile);
  for (const [key, value] of cfg.extraProperties) {
    if (!isMembershipKey(key)) put(key, value);
  }
  if (cfg.dynamicConfigFile === null) {
    for (const s of cfg.servers.values()) put(`server.${s.sid}`, formatQuorumServer(s));
    if (cfg.version !== 0n) put('version', BigInt.asUintN(64, cfg.version).toString(16));
  }
  return lines.map(([k, v]) => `${saveConvert(k, true)}=${saveConvert(v, false)}\n`).join('');
}

function isMembershipKey(key: string): boolean {
  return key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight') || key === 'version';
}

/** Properties.saveConvert with escUnicode: what Properties.store writes for a key or a value. */
export function saveConvert(s: string, escapeSpace: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === ' ') out += i === 0 || escapeSpace ? '\\ ' : ' ';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if ('=:#!\\'.includes(c)) out += '\\' + c;
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out;
}

export interface AddressConflict {
  readonly host: string;
  readonly port: number;
  /** which servers use it and for what */
  readonly users: ReadonlyArray<{ readonly sid: Sid; readonly use: 'quorum' | 'election' | 'client' }>;
  readonly message: string;
}

/** Host:port pairs that more than one listener of the ensemble would bind. */
export function findAddressConflicts(servers: ReadonlyMap<Sid, QuorumServerConfig>): AddressConflict[] {
  const byAddress = new Map<string, Array<{ sid: Sid; use: 'quorum' | 'election' | 'client' }>>();
  const add = (host: string, port: number, sid: Sid, use: 'quorum' | 'election' | 'client'): void => {
    const key = `${host.toLowerCase()}:${port}`;
    const list = byAddress.get(key) ?? [];
    list.push({ sid, use });
    byAddress.set(key, list);
  };
  for (const s of servers.values()) {
    add(s.host, s.quorumPort, s.sid, 'quorum');
    add(s.host, s.electionPort, s.sid, 'election');
    if (s.clientPort !== undefined) add(s.clientHost === '0.0.0.0' ? s.host : (s.clientHost ?? s.host), s.clientPort, s.sid, 'client');
  }
  const out: AddressConflict[] = [];
  for (const [key, users] of byAddress) {
    if (users.length < 2) continue;
    const i = key.lastIndexOf(':');
    const who = users.map((u) => `server.${u.sid} (${u.use} port)`).join(', ');
    out.push({
      host: key.slice(0, i),
      port: Number(key.slice(i + 1)),
      users,
      message: `${who} all use ${key}: the second to bind fails with java.net.BindException: Address already in use`,
    });
  }
  return out;
}
