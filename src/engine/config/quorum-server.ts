/**
 * One `server.N=` entry: QuorumPeer.QuorumServer's parser (initializeWithAddressString) and its
 * toString, which is how the entry is printed in /zookeeper/config, `conf` and `config`.
 *
 *   server.N = server_config[;client_config]
 *   server_config = host:quorumPort:electionPort[:participant|:observer]
 *   client_config = port | host:port          (host defaults to 0.0.0.0)
 *
 * IPv6 hosts go in brackets (`[::1]:2888:3888`). Several `|`-separated server_configs are
 * ZooKeeper's multi-address feature (-Dzookeeper.multiAddress.enabled=true); the playground
 * models one address per server and says so.
 */
import type { Sid } from '../protocol/ids.ts';
import {
  configException,
  fail,
  illegalArgumentClass,
  javaException,
  ok,
  playgroundLimit,
  type ConfigResult,
} from './config-error.ts';
import { checkPort, delimitedHostString, socketAddress } from './inet-address.ts';
import { javaParseInt, javaSplit, javaTrim } from './java-lang.ts';

export type LearnerType = 'participant' | 'observer';

export interface QuorumServerConfig {
  readonly sid: Sid;
  /** the host as written in server.N (QuorumServer.hostname) */
  readonly host: string;
  /** the port followers connect to the leader on (server.N's first port) */
  readonly quorumPort: number;
  /** the port of leader election (server.N's second port) */
  readonly electionPort: number;
  readonly type: LearnerType;
  /** client address host, `0.0.0.0` when client_config is only a port */
  readonly clientHost?: string;
  readonly clientPort?: number;
  /**
   * The client address came from this server's own clientPort/clientPortAddress (zoo.cfg of
   * the server itself), not from server.N: ZooKeeper then leaves it out when printing.
   */
  readonly clientAddrFromStatic?: boolean;
}

const wrongFormat =
  ' does not have the form server_config or server_config;client_config' +
  ' where server_config is the pipe separated list of host:port:port or host:port:port:type' +
  ' and client_config is port or host:port';

/** ConfigUtils.getHostAndPort: splits `host:port[:...]`, with `[v6]:port` support. */
export function getHostAndPort(s: string): ConfigResult<string[]> {
  if (!s.startsWith('[')) return ok(javaSplit(s, ':'));
  const i = s.indexOf(']');
  if (i < 0) return fail(configException(`${s} starts with '[' but has no matching ']:'`));
  if (i + 2 === s.length) return fail(configException(`${s} doesn't have a port after colon`));
  if (i + 2 < s.length) return ok([s.slice(1, i), ...javaSplit(s.slice(i + 2), ':')]);
  return ok([s.replace(/\[|\]/g, '')]);
}

function getType(s: string): ConfigResult<LearnerType> {
  const t = javaTrim(s).toLowerCase();
  if (t === 'observer' || t === 'participant') return ok(t);
  return fail(configException(`Unrecognised peertype: ${s}`));
}

/** `new QuorumServer(sid, addressStr)`; multiAddressEnabled is -Dzookeeper.multiAddress.enabled. */
export function parseQuorumServer(sid: Sid, addressStr: string, multiAddressEnabled = false): ConfigResult<QuorumServerConfig> {
  const serverClientParts = javaSplit(addressStr, ';');
  const serverAddresses = javaSplit(serverClientParts[0], '|');
  let client: { clientHost: string; clientPort: number } | null = null;
  if (serverClientParts.length === 2) {
    const c = parseClientConfig(addressStr, serverClientParts[1]);
    if (!c.ok) return c;
    client = c.value;
  }
  if (!multiAddressEnabled && serverAddresses.length > 1) {
    return fail(configException(`Multiple address feature is disabled, but multiple addresses were specified for sid ${sid}`));
  }
  const parsed: Array<{ host: string; quorumPort: number; electionPort: number; type: LearnerType | null }> = [];
  for (const serverAddress of serverAddresses) {
    const a = parseServerAddress(sid, addressStr, serverAddress, serverClientParts.length);
    if (!a.ok) return a;
    parsed.push(a.value);
  }
  if (parsed.length > 1) return fail(playgroundLimit(`server.${sid}: multiple addresses per server are not modelled`));
  const a = parsed[0];
  const server: QuorumServerConfig = {
    sid,
    host: a.host,
    quorumPort: a.quorumPort,
    electionPort: a.electionPort,
    type: a.type ?? 'participant',
    ...(client ?? {}),
  };
  return ok(server);
}

function parseClientConfig(addressStr: string, clientConfig: string): ConfigResult<{ clientHost: string; clientPort: number }> {
  const clientParts = getHostAndPort(clientConfig);
  if (!clientParts.ok) return clientParts;
  const parts = clientParts.value;
  if (parts.length > 2) return fail(configException(addressStr + wrongFormat));
  if (parts.length === 0) {
    return fail(javaException('java.lang.ArrayIndexOutOfBoundsException', 'Index -1 out of bounds for length 0'));
  }
  const clientHost = parts.length === 2 ? parts[0] : '0.0.0.0';
  const portText = parts[parts.length - 1];
  const port = javaParseInt(portText);
  // ZooKeeper prints `hostname`, still null at this point of the constructor.
  if (!port.ok) return fail(configException(`Address unresolved: null:${portText}`));
  const range = checkPort(port.value);
  if (range) return fail(javaException(illegalArgumentClass, range));
  return ok({ clientHost, clientPort: port.value });
}

function parseServerAddress(
  sid: Sid,
  addressStr: string,
  serverAddress: string,
  serverClientPartCount: number,
): ConfigResult<{ host: string; quorumPort: number; electionPort: number; type: LearnerType | null }> {
  const hp = getHostAndPort(serverAddress);
  if (!hp.ok) return hp;
  const parts = hp.value;
  if (serverClientPartCount > 2 || parts.length < 3 || parts.length > 4) {
    return fail(configException(addressStr + wrongFormat));
  }
  const host = parts[0];
  const ports: number[] = [];
  for (const text of [parts[1], parts[2]]) {
    const p = javaParseInt(text);
    if (!p.ok) return fail(configException(`Address unresolved: ${host}:${text}`));
    const range = checkPort(p.value);
    if (range) return fail(javaException(illegalArgumentClass, range));
    ports.push(p.value);
  }
  if (ports[0] === ports[1]) {
    return fail(
      configException(`Client and election port must be different! Please update the configuration file on server.${sid}`),
    );
  }
  let type: LearnerType | null = null;
  if (parts.length === 4) {
    const t = getType(parts[3]);
    if (!t.ok) return t;
    type = t.value;
  }
  return ok({ host, quorumPort: ports[0], electionPort: ports[1], type });
}

/** QuorumServer.toString: `127.0.0.1:2881:3881:participant[;0.0.0.0:2181]`. */
export function formatQuorumServer(s: QuorumServerConfig): string {
  const addr = delimitedHostString(socketAddress(s.host, s.quorumPort));
  let out = `${addr}:${s.quorumPort}:${s.electionPort}:${s.type}`;
  if (s.clientPort !== undefined && !s.clientAddrFromStatic) {
    out += `;${delimitedHostString(socketAddress(s.clientHost ?? '0.0.0.0', s.clientPort))}:${s.clientPort}`;
  }
  return out;
}
