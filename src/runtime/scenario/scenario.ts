/**
 * The scenario language: one language for transcript tests, the CLI (`npm run scenario`) and
 * the UI's scenario editor. A scenario is lines of verbs; running it against a simulated
 * ensemble prints a transcript, and the same scenario with the same seed prints the same
 * transcript every time.
 *
 *   # comment
 *   servers 5 [observers 1] [spare 2 [spare-observers 1]]
 *                                 server.1..N participants (then observers), none started;
 *                                 spares are outside the config, for `reconfig -add` (a spare
 *                                 starts with the members plus itself: a joiner's zoo.cfg; the
 *                                 last spare-observers of them as observers)
 *   config tickTime=2000          any zoo.cfg key, before start (validated as ZooKeeper does;
 *                                 unknown keys become zookeeper.* system properties, as
 *                                 ZooKeeper does: reconfigEnabled, skipACL,
 *                                 DigestAuthenticationProvider.superDigest)
 *   zoocfg                        a complete zoo.cfg shared by every server, up to a line `end`;
 *     server.1=127.0.0.1:2888:3888;2181      the ids, roles and client ports come from it
 *     ...
 *   end
 *   seed 42
 *   start 1 2                     start servers (also: start all, which leaves spares out)
 *   kill 3                        crash: memory gone, unflushed disk writes lost (also: kill leader)
 *   restart 3
 *   partition 1,2 | 3,4,5         cut every link between the groups (one-way: partition 1 -> 2,3)
 *   heal
 *   run 5000                      advance virtual time by 5000 ms
 *   settle                        until roles are stable and nothing is in flight (bounded)
 *   status                        one line per server
 *   client c1 127.0.0.1:2181,...  open a zkCli session (`from 10.0.0.7`: from another machine's IP)
 *   c1> create /a hello           any zkCli command, output exactly as zkCli prints it
 *   4lw 2 srvr                    a four-letter word sent to server 2 (`echo srvr | nc`)
 *   zkstatus 2                    what `zkServer.sh status` prints on server 2's machine
 *   syncs                         how each learner was synced (DIFF/TRUNC/SNAP) since the last `syncs`
 *   load c1 600 /n                client c1 creates /n-0 … /n-599 (prints a count, not each reply)
 */

export type ScenarioStep =
  | { readonly kind: 'servers'; readonly participants: number; readonly observers: number; readonly spares: number; readonly spareObservers: number; readonly line: number }
  | { readonly kind: 'config'; readonly key: string; readonly value: string; readonly line: number }
  | { readonly kind: 'seed'; readonly seed: number; readonly line: number }
  | { readonly kind: 'start' | 'kill' | 'restart'; readonly targets: readonly number[] | 'all' | 'leader'; readonly line: number }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly number[])[]; readonly oneWay: boolean; readonly line: number }
  | { readonly kind: 'heal'; readonly line: number }
  | { readonly kind: 'run'; readonly ms: number; readonly line: number }
  | { readonly kind: 'settle'; readonly line: number }
  | { readonly kind: 'status'; readonly line: number }
  | { readonly kind: 'client'; readonly name: string; readonly connectString: string; readonly from?: string; readonly line: number }
  | { readonly kind: 'command'; readonly client: string; readonly text: string; readonly line: number }
  | { readonly kind: 'fourlw'; readonly server: number; readonly word: string; readonly line: number }
  | { readonly kind: 'zoocfg'; readonly text: string; readonly line: number }
  | { readonly kind: 'zkstatus'; readonly server: number; readonly line: number }
  | { readonly kind: 'syncs'; readonly line: number }
  | { readonly kind: 'load'; readonly client: string; readonly count: number; readonly path: string; readonly line: number }
  | { readonly kind: 'note'; readonly text: string; readonly line: number };

export type ParseResult = { readonly ok: true; readonly steps: ScenarioStep[] } | { readonly ok: false; readonly errors: string[] };

const verbs = [
  'servers', 'config', 'zoocfg', 'seed', 'start', 'kill', 'restart', 'partition', 'heal', 'run', 'settle', 'status', 'client',
  '4lw', 'zkstatus', 'syncs', 'load', 'note',
];

/** `load` creates at most this many znodes */
export const loadCountMax = 100_000;

export function scenarioVerbs(): readonly string[] {
  return verbs;
}

function numbers(words: string[], line: number, errors: string[]): number[] | null {
  const out: number[] = [];
  for (const w of words) {
    if (!/^\d+$/.test(w)) {
      errors.push(`line ${line}: "${w}" is not a server number`);
      return null;
    }
    out.push(Number(w));
  }
  return out;
}

function parseTargets(words: string[], line: number, errors: string[]): readonly number[] | 'all' | 'leader' | null {
  if (words.length === 1 && (words[0] === 'all' || words[0] === 'leader')) return words[0];
  if (words.length === 0) {
    errors.push(`line ${line}: which servers?`);
    return null;
  }
  return numbers(words, line, errors);
}

function parsePartition(rest: string, line: number, errors: string[]): ScenarioStep | null {
  const oneWay = rest.includes('->');
  const groupsText = oneWay ? rest.split('->') : rest.split('|');
  if (groupsText.length < 2) {
    errors.push(`line ${line}: partition needs two groups, e.g. "partition 1,2 | 3" or "partition 1 -> 2,3"`);
    return null;
  }
  const groups: number[][] = [];
  for (const g of groupsText) {
    const ns = numbers(g.split(/[\s,]+/).filter((w) => w !== ''), line, errors);
    if (!ns) return null;
    groups.push(ns);
  }
  return { kind: 'partition', groups, oneWay, line };
}

function parseLine(raw: string, line: number, errors: string[]): ScenarioStep | null {
  const text = raw.trim();
  const prompt = /^([A-Za-z_][\w-]*)>\s?(.*)$/.exec(raw.replace(/^\s+/, ''));
  if (prompt) return { kind: 'command', client: prompt[1], text: prompt[2], line };
  const words = text.split(/\s+/);
  const verb = words[0];
  const rest = text.slice(verb.length).trim();
  switch (verb) {
    case 'servers': {
      const n = Number(words[1]);
      const rest = words.slice(2);
      const count = (name: string): number => {
        const at = rest.indexOf(name);
        return at < 0 ? 0 : Number(rest[at + 1]);
      };
      const obs = count('observers');
      const spares = count('spare');
      const spareObservers = count('spare-observers');
      const known = rest.every((w, i) => (i % 2 === 0 ? ['observers', 'spare', 'spare-observers'].includes(w) : true));
      const counts = [obs, spares, spareObservers].every((c) => Number.isInteger(c) && c >= 0);
      if (!Number.isInteger(n) || n < 1 || !counts || !known || spareObservers > spares || n + obs + spares > 255) {
        errors.push(`line ${line}: usage: servers N [observers M] [spare K [spare-observers L]]`);
        return null;
      }
      return { kind: 'servers', participants: n, observers: obs, spares, spareObservers, line };
    }
    case 'config': {
      const eq = rest.indexOf('=');
      if (eq <= 0) {
        errors.push(`line ${line}: usage: config key=value`);
        return null;
      }
      return { kind: 'config', key: rest.slice(0, eq).trim(), value: rest.slice(eq + 1).trim(), line };
    }
    case 'seed': {
      if (!/^\d+$/.test(words[1] ?? '')) {
        errors.push(`line ${line}: usage: seed N`);
        return null;
      }
      return { kind: 'seed', seed: Number(words[1]), line };
    }
    case 'start': case 'kill': case 'restart': {
      const targets = parseTargets(words.slice(1), line, errors);
      return targets === null ? null : { kind: verb, targets, line };
    }
    case 'partition': return parsePartition(rest, line, errors);
    case 'heal': return { kind: 'heal', line };
    case 'run': {
      const ms = Number(words[1]);
      if (!Number.isFinite(ms) || ms < 0) {
        errors.push(`line ${line}: usage: run MS`);
        return null;
      }
      return { kind: 'run', ms, line };
    }
    case 'settle': return { kind: 'settle', line };
    case 'status': return { kind: 'status', line };
    case 'client': {
      const from = words[3] === 'from' ? words[4] : undefined;
      if (words.length < 2 || (words.length > 3 && !from)) {
        errors.push(`line ${line}: usage: client NAME [host:port,...] [from IP]`);
        return null;
      }
      const base = { kind: 'client' as const, name: words[1], connectString: words[2] ?? '127.0.0.1:2181', line };
      return from === undefined ? base : { ...base, from };
    }
    case '4lw': {
      if (!/^\d+$/.test(words[1] ?? '') || !words[2]) {
        errors.push(`line ${line}: usage: 4lw SERVER WORD`);
        return null;
      }
      return { kind: 'fourlw', server: Number(words[1]), word: words[2], line };
    }
    case 'zkstatus': {
      if (!/^\d+$/.test(words[1] ?? '')) {
        errors.push(`line ${line}: usage: zkstatus SERVER`);
        return null;
      }
      return { kind: 'zkstatus', server: Number(words[1]), line };
    }
    case 'syncs': return { kind: 'syncs', line };
    case 'load': {
      const count = Number(words[2]);
      if (!words[1] || !Number.isInteger(count) || count < 1 || count > loadCountMax || !(words[3] ?? '').startsWith('/')) {
        errors.push(`line ${line}: usage: load CLIENT COUNT /path-prefix`);
        return null;
      }
      return { kind: 'load', client: words[1], count, path: words[3], line };
    }
    case 'note': return { kind: 'note', text: rest, line };
    default:
      errors.push(`line ${line}: unknown verb "${verb}" (verbs: ${verbs.join(', ')}, or NAME> zkCli command)`);
      return null;
  }
}

export function parseScenario(text: string): ParseResult {
  const steps: ScenarioStep[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    if (raw.trim() === 'zoocfg') {
      const end = lines.findIndex((l, j) => j > i && l.trim() === 'end');
      if (end < 0) {
        errors.push(`line ${i + 1}: zoocfg needs a line "end" after the zoo.cfg`);
        break;
      }
      steps.push({ kind: 'zoocfg', text: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
      i = end;
      continue;
    }
    const step = parseLine(raw, i + 1, errors);
    if (step) steps.push(step);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, steps };
}
