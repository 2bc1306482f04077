/**
 * java.net.InetSocketAddress as far as ZooKeeper's config code shows it: its toString
 * (`/127.0.0.1:2181`, `0.0.0.0/0.0.0.0:2181`, `localhost/127.0.0.1:2181`), its host string, and
 * equality. The playground has no DNS: IP literals and `localhost` resolve, any other name stays
 * unresolved (`zoo1/<unresolved>:2888`), where ZooKeeper would ask the resolver.
 */
export interface InetSocketAddr {
  /** the name the address was created with, or null for an IP literal */
  readonly hostname: string | null;
  /** the resolved address in Java's text form (`127.0.0.1`, `0:0:0:0:0:0:0:1`), or null if unresolved */
  readonly ip: string | null;
  readonly port: number;
}

export const wildcardIp = '0.0.0.0';

/** `new InetSocketAddress(port)`: the wildcard address. */
export function wildcardSocketAddress(port: number): InetSocketAddr {
  return { hostname: wildcardIp, ip: wildcardIp, port };
}

/** `new InetSocketAddress(host, port)` (and `InetAddress.getByName(host)` + port). */
export function socketAddress(host: string, port: number): InetSocketAddr {
  const literal = ipLiteral(host);
  if (literal !== null) return { hostname: null, ip: literal, port };
  if (host.toLowerCase() === 'localhost') return { hostname: host, ip: '127.0.0.1', port };
  return { hostname: host, ip: null, port };
}

/** The IllegalArgumentException InetSocketAddress throws for a port outside 0..65535, or null. */
export function checkPort(port: number): string | null {
  return port < 0 || port > 0xffff ? `port out of range:${port}` : null;
}

/** InetSocketAddress.toString (JDK 17). */
export function formatSocketAddress(a: InetSocketAddr): string {
  const ip = a.ip === null ? '<unresolved>' : a.ip.includes(':') ? `[${a.ip}]` : a.ip;
  return `${a.hostname ?? ''}/${ip}:${a.port}`;
}

/** InetSocketAddress.getHostString: the name, or the literal address. */
export function hostString(a: InetSocketAddr): string {
  return a.hostname ?? a.ip ?? '';
}

/** QuorumServer.delimitedHostString: IPv6 host strings in brackets. */
export function delimitedHostString(a: InetSocketAddr): string {
  const h = hostString(a);
  return h.includes(':') ? `[${h}]` : h;
}

export function isAnyLocalAddress(a: InetSocketAddr): boolean {
  return a.ip === wildcardIp || a.ip === '0:0:0:0:0:0:0:0';
}

/** InetSocketAddress.equals: same resolved address and port, or the same unresolved name. */
export function socketAddressEquals(a: InetSocketAddr, b: InetSocketAddr): boolean {
  if (a.port !== b.port) return false;
  if (a.ip !== null && b.ip !== null) return a.ip === b.ip;
  if (a.ip !== null || b.ip !== null) return false;
  return (a.hostname ?? '').toLowerCase() === (b.hostname ?? '').toLowerCase();
}

/** An IPv4 dotted quad or an IPv6 literal (optionally in brackets) in Java's text form, else null. */
export function ipLiteral(host: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : null;
  }
  const inner = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return inner.includes(':') ? ipv6Text(inner) : null;
}

/** Inet6Address.getHostAddress: eight groups, lowercase hex, no zero compression. */
function ipv6Text(s: string): string | null {
  if (!/^[0-9a-fA-F:]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}
