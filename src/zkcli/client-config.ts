/**
 * ConfigUtils.getClientConfigStr, behind `config -c`: the dynamic config is loaded into a
 * java.util.Properties, and for each `server.N` entry (in the Properties' iteration order) the
 * client address after `;` is listed; the result is `<version> host:port,host:port`. A server
 * without a client address still gets its comma, so the ensemble of the golden corpus (whose
 * config lines have no `;client` part) prints `0 ,,`, and a standalone server ` `.
 */
import { javaSplit } from '../engine/acl/java-string.ts';
import { javaBucket } from '../engine/util/java-hash.ts';
import { javaTrim } from '../engine/config/java-lang.ts';

/**
 * Properties is backed by a ConcurrentHashMap created for 8 entries: a table of 16 buckets, which
 * doubles once 12 entries are in. Iteration goes bucket by bucket, in insertion order within one.
 */
function propertiesOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length >= capacity * 0.75) capacity *= 2;
  const indexed = keys.map((key, i) => ({ key, i, b: javaBucket(key, capacity) }));
  indexed.sort((x, y) => x.b - y.b || x.i - y.i);
  return indexed.map((x) => x.key);
}

/** Properties.load for the simple `key=value` lines ZooKeeper writes (comments, `=`/`:`/blank). */
export function loadProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^((?:\\.|[^=: \t\f\\])*)[ \t\f]*(?:[=:][ \t\f]*)?(.*)$/.exec(line);
    if (m === null) continue;
    const key = unescape(m[1]);
    const value = unescape(m[2]);
    if (props.has(key)) props.delete(key);
    props.set(key, value);
  }
  return props;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * QuorumServer's client address: `host:port`, or a bare port (host 0.0.0.0), or '' when the entry
 * has none. null for an entry QuorumServer rejects: Java prints that ConfigException's stack trace
 * (not reproduced) and skips the entry, comma included.
 */
function clientAddress(value: string): string | null {
  const parts = javaSplit(value, ';');
  if (parts.length !== 2) return parts.length === 1 ? '' : null;
  const client = javaSplit(parts[1], ':');
  if (client.length === 0 || client.length > 2) return null;
  const port = client[client.length - 1];
  if (!/^[0-9]+$/.test(port)) return null;
  return `${client.length === 2 ? client[0] : '0.0.0.0'}:${Number(port)}`;
}

export function getClientConfigStr(configData: string): string {
  const props = loadProperties(configData);
  let version = '';
  const hosts: string[] = [];
  for (const rawKey of propertiesOrder([...props.keys()])) {
    const key = javaTrim(rawKey);
    const value = javaTrim(props.get(rawKey) ?? '');
    if (key === 'version') version = value;
    if (!key.startsWith('server.')) continue;
    const address = clientAddress(value);
    if (address !== null) hosts.push(address);
  }
  return `${version} ${hosts.join(',')}`;
}
