/**
 * ConnectStringParser (3.8.0): "host:port,host:port/chroot".
 *
 * Java's steps, in order, each with the exception it throws:
 *   1. everything from the first '/' is the chroot; "/" alone means none, anything else goes
 *      through PathUtils.validatePath (IllegalArgumentException);
 *   2. the rest is split on ',' (StringUtils.split: each part trimmed, empty parts dropped);
 *   3. per host: a '[' IPv6 literal is split by NetUtils.getIPV6HostAndPort, otherwise the port
 *      is what follows the last ':' (a ':' at the very end is dropped and the port stays 2181),
 *      read by Integer.parseInt (NumberFormatException) and checked by
 *      InetSocketAddress.createUnresolved (`port out of range:N`);
 *   4. StaticHostProvider refuses an empty list (`A HostProvider may not be empty!`).
 * So "127.0.0.1:2191," and ",127.0.0.1:2191" connect, while "127.0.0.1:2191:" names host
 * "127.0.0.1:2191" on port 2181 and never connects.
 */
import { validatePath } from '../engine/datatree/path.ts';
import { javaParseInt, javaSplit, javaTrim } from '../engine/config/java-lang.ts';

export interface ConnectString {
  readonly hosts: readonly string[];
  /** null when there is none ("/" alone also means none) */
  readonly chroot: string | null;
}

/** Why Java's parser (or StaticHostProvider) throws, in the order it checks. */
export type ConnectStringProblem =
  | { readonly kind: 'chroot'; readonly message: string }
  /** NetUtils.getIPV6HostAndPort; `inGetHostPort`: thrown by its helper getHostPort */
  | { readonly kind: 'ipv6'; readonly message: string; readonly inGetHostPort: boolean }
  /** Integer.parseInt failed; `bracketed`: the port of an `[IPv6]:port` host */
  | { readonly kind: 'port'; readonly text: string; readonly bracketed: boolean }
  | { readonly kind: 'portRange'; readonly port: number }
  | { readonly kind: 'empty' };

export type ConnectStringResult = ConnectString | { readonly error: string; readonly problem: ConnectStringProblem };

const defaultPort = 2181;
const portMax = 0xffff;

/** One host of the list before its port is read: `portText` null means the default port. */
interface HostPart {
  readonly host: string;
  readonly portText: string | null;
  /** written as `[host]` or `[host]:port` */
  readonly bracketed: boolean;
}

/** Steps 1 and 2, and the host/port split of step 3 (no number parsing yet). */
function splitConnectString(text: string): { chroot: string | null; hosts: HostPart[] } | ConnectStringProblem {
  let hostsPart = text;
  let chroot: string | null = null;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const root = text.slice(slash);
    hostsPart = text.slice(0, slash);
    if (root.length > 1) {
      const problem = validatePath(root);
      if (problem !== null) return { kind: 'chroot', message: problem };
      chroot = root;
    }
  }
  const hosts: HostPart[] = [];
  for (const raw of javaSplit(hostsPart, ',')) {
    const host = javaTrim(raw);
    if (host === '') continue;
    const part = splitHost(host);
    if ('kind' in part) return part;
    hosts.push(part);
  }
  return { chroot, hosts };
}

function splitHost(host: string): HostPart | ConnectStringProblem {
  if (host.startsWith('[')) {
    // NetUtils.getIPV6HostAndPort
    const close = host.lastIndexOf(']');
    if (close < 0) return { kind: 'ipv6', message: `${host} starts with '[' but has no matching ']'`, inGetHostPort: false };
    const name = host.slice(1, close);
    if (name === '') return { kind: 'ipv6', message: `${name} is empty.`, inGetHostPort: false };
    if (host.length === close + 1) return { host: name, portText: null, bracketed: true };
    if (host.charAt(close + 1) !== ':') return { kind: 'ipv6', message: `${host} does not have : after ]`, inGetHostPort: true };
    if (host.length === close + 2) return { kind: 'ipv6', message: `${host} doesn't have a port after colon.`, inGetHostPort: true };
    return { host: name, portText: host.slice(close + 2), bracketed: true };
  }
  const colon = host.lastIndexOf(':');
  if (colon < 0) return { host, portText: null, bracketed: false };
  return { host: host.slice(0, colon), portText: colon < host.length - 1 ? host.slice(colon + 1) : null, bracketed: false };
}

/** The port of a host part, or the problem Java throws for it; `parseInt` is Integer.parseInt. */
function readPortWith(part: HostPart, parseInt: (s: string) => number | null): number | ConnectStringProblem {
  if (part.portText === null) return defaultPort;
  const port = parseInt(part.portText);
  if (port === null) return { kind: 'port', text: part.portText, bracketed: part.bracketed };
  if (port < 0 || port > portMax) return { kind: 'portRange', port };
  return port;
}

function asciiParseInt(s: string): number | null {
  const r = javaParseInt(s);
  return r.ok ? r.value : null;
}

/** The exception message Java gives for a problem. */
export function problemMessage(p: ConnectStringProblem): string {
  switch (p.kind) {
    case 'chroot': case 'ipv6': return p.message;
    case 'port': return `For input string: "${p.text}"`;
    case 'portRange': return `port out of range:${p.port}`;
    case 'empty': return 'A HostProvider may not be empty!';
  }
}

/**
 * The connect string as the client takes it, or Java's problem with it. `parseInt` reads a port
 * (Integer.parseInt; zkCli passes its own, which also makes the NumberFormatException's trace).
 */
export function parseConnectString(text: string, parseInt: (s: string) => number | null = asciiParseInt): ConnectStringResult {
  const split = splitConnectString(text);
  if ('kind' in split) return { error: problemMessage(split), problem: split };
  const hosts: string[] = [];
  for (const part of split.hosts) {
    const port = readPortWith(part, parseInt);
    if (typeof port !== 'number') return { error: problemMessage(port), problem: port };
    hosts.push(`${part.host.includes(':') ? `[${part.host}]` : part.host}:${port}`);
  }
  if (hosts.length === 0) {
    const problem: ConnectStringProblem = { kind: 'empty' };
    return { error: problemMessage(problem), problem };
  }
  return { hosts, chroot: split.chroot };
}

export function prependChroot(chroot: string | null, clientPath: string): string {
  if (chroot === null) return clientPath;
  return clientPath === '/' ? chroot : chroot + clientPath;
}

/** The server path without the chroot; a path outside the chroot is returned unchanged. */
export function stripChroot(chroot: string | null, serverPath: string): string {
  if (chroot === null) return serverPath;
  if (serverPath === chroot) return '/';
  if (serverPath.startsWith(chroot + '/')) return serverPath.slice(chroot.length);
  return serverPath;
}
