/**
 * The few zoo.cfg keys the in-process adapter needs to build an Ensemble: tickTime, initLimit,
 * syncLimit and the server.N lines (participants first, then observers, as Ensemble numbers
 * them). The zoo.cfg editor validates the full file with the engine's parser; this only reads.
 */
export interface EnsembleShape {
  readonly participants: number;
  readonly observers: number;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
}

export const defaultZooCfg = `tickTime=2000
initLimit=10
syncLimit=5
dataDir=/data
clientPort=2181
# keep the 3 newest snapshots (and the logs they need): purged at start and every hour
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
server.1=127.0.0.1:2888:3888
server.2=127.0.0.1:2889:3889
server.3=127.0.0.1:2890:3890
`;

export function zooCfgFor(participants: number, observers = 0): string {
  const lines = ['tickTime=2000', 'initLimit=10', 'syncLimit=5', 'dataDir=/data', 'clientPort=2181'];
  for (let i = 1; i <= participants + observers; i++) {
    lines.push(`server.${i}=127.0.0.1:${2887 + i}:${3887 + i}${i > participants ? ':observer' : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** Errors are returned as text lines ("line 3: ..."), empty when the file is usable. */
export function readEnsembleShape(text: string): { shape: EnsembleShape | null; errors: string[] } {
  const errors: string[] = [];
  const values = new Map<string, string>();
  const servers = new Map<number, boolean>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push(`line ${i + 1}: expected key=value`);
      return;
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const m = /^server\.(\d+)$/.exec(key);
    if (m) {
      if (!/^[\w.-]+:\d+:\d+(:(participant|observer))?(;.*)?$/.test(value)) errors.push(`line ${i + 1}: server.${m[1]} must be host:quorumPort:electionPort[:observer]`);
      servers.set(Number(m[1]), value.includes(':observer'));
      return;
    }
    values.set(key, value);
  });
  const num = (key: string, dflt: number, min: number): number => {
    const v = values.get(key);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      errors.push(`${key}=${v}: must be an integer >= ${min}`);
      return dflt;
    }
    return n;
  };
  const tickTime = num('tickTime', 2000, 1);
  const initLimit = num('initLimit', 10, 1);
  const syncLimit = num('syncLimit', 5, 1);
  const ids = [...servers.keys()].sort((a, b) => a - b);
  if (ids.length === 0) errors.push('no server.N lines: the playground runs a replicated ensemble');
  ids.forEach((id, i) => {
    if (id !== i + 1) errors.push(`server ids must be 1..N without gaps (found server.${id})`);
  });
  const observerIds = ids.filter((id) => servers.get(id));
  const participants = ids.length - observerIds.length;
  if (observerIds.some((id) => id <= participants)) errors.push('observers must come after the participants (highest ids)');
  if (ids.length > 9) errors.push('at most 9 servers in the playground');
  if (errors.length > 0) return { shape: null, errors };
  return { shape: { participants, observers: observerIds.length, tickTime, initLimit, syncLimit }, errors };
}
