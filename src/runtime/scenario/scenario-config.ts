/**
 * The zoo.cfg behind a scenario's ensemble, read by the engine's zoo.cfg parser exactly as
 * ZooKeeper 3.8 reads it, before anything starts.
 *
 * Two ways to give it:
 *   servers N [observers M] + config KEY=VALUE   one generated zoo.cfg per server, as when N
 *        servers run on one machine: tickTime=2000, initLimit=10, syncLimit=5,
 *        dataDir=/var/lib/zookeeper/<id>, clientPort=2180+<id>, then the `config` lines (a later
 *        key wins, as in java.util.Properties), then server.1..N+M at 127.0.0.1:2880+id:3880+id
 *   zoocfg ... end (or `npm run scenario -- --cfg FILE`)   one complete zoo.cfg shared by every
 *        server; each server's myid is its server.N id, its client address the server.N
 *        client_config, or clientPortAddress (or the server.N host) with clientPort
 *
 * A zoo.cfg with a single participant (and standaloneEnabled, the default) runs a standalone
 * server, as QuorumPeerMain does. Any error is ZooKeeper's own text, and nothing starts.
 */
import {
  configExceptionClass,
  describeConfigError,
  playgroundLimit,
  playgroundLimitClass,
  type ConfigError,
} from '../../engine/config/config-error.ts';
import { sidMax } from '../../engine/election/quorum-verifier.ts';
import { formatDynamicConfig } from '../../engine/config/dynamic-config.ts';
import { toServerConfig } from '../../engine/config/to-server-config.ts';
import { parseZooCfg, type QuorumConfig } from '../../engine/config/zoo-cfg.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { ServerConfig } from '../../engine/server/server-config.ts';
import type { EnsembleMember } from '../sim/ensemble.ts';
import { clientPortBase } from '../sim/ensemble.ts';

/** Where the generated and the given zoo.cfg live (printed by `zkstatus` and in errors). */
export const zooCfgPath = '/etc/zookeeper/conf/zoo.cfg';
export const generatedZooCfgPath = (sid: Sid): string => `/etc/zookeeper/conf.${sid}/zoo.cfg`;

export interface ServerPlan {
  readonly sid: Sid;
  readonly cfg: QuorumConfig;
  readonly serverConfig: ServerConfig;
  readonly configPath: string;
  readonly zooCfgText: string;
  readonly clientAddress: string;
}

export interface ClusterPlan {
  readonly standalone: boolean;
  readonly servers: readonly ServerPlan[];
  readonly members: readonly EnsembleMember[];
  /** /zookeeper/config */
  readonly configText: string;
}

export type PlanResult = { readonly ok: true; readonly plan: ClusterPlan } | { readonly ok: false; readonly errors: readonly string[] };

/** The zoo.cfg of server `sid` for `servers N [observers M]` plus the `config` lines. */
export function generatedZooCfg(sid: Sid, participants: number, observers: number, entries: ReadonlyArray<readonly [string, string]>): string {
  const lines = ['tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=/var/lib/zookeeper/${sid}`, `clientPort=${clientPortBase + sid}`];
  for (const [k, v] of entries) lines.push(`${k}=${v}`);
  for (let s = 1; s <= participants + observers; s++) {
    lines.push(`server.${s}=127.0.0.1:${2880 + s}:${3880 + s}${s > participants ? ':observer' : ''}`);
  }
  return lines.join('\n') + '\n';
}

export function planGenerated(participants: number, observers: number, entries: ReadonlyArray<readonly [string, string]>): PlanResult {
  const texts = new Map<Sid, string>();
  for (let s = 1; s <= participants + observers; s++) texts.set(s, generatedZooCfg(s, participants, observers, entries));
  return plan(texts, generatedZooCfgPath);
}

/** One zoo.cfg for every server: the ids come from its server.N lines (none: a standalone server 1). */
export function planZooCfg(text: string): PlanResult {
  const probe = parseZooCfg(text, { path: zooCfgPath, myid: null });
  if (!probe.ok && probe.error.reason !== 'myid file is missing') return { ok: false, errors: errorLines(1, probe.error) };
  const sids = probe.ok && probe.value.servers.size > 0 ? [...probe.value.servers.keys()] : serverIdsOf(text);
  const texts = new Map<Sid, string>();
  for (const s of sids.length > 0 ? sids : [1]) texts.set(s, text);
  return plan(texts, () => zooCfgPath, sids.length > 0);
}

/** server.N ids in file order (used when the file cannot be parsed without a myid). */
function serverIdsOf(text: string): Sid[] {
  const ids: Sid[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*server\.(\d+)\s*[=:]/.exec(line);
    if (m) ids.push(Number(m[1]));
  }
  return ids;
}

function plan(texts: ReadonlyMap<Sid, string>, pathOf: (sid: Sid) => string, withMyid = true): PlanResult {
  const servers: ServerPlan[] = [];
  for (const [sid, text] of texts) {
    if (sid < 1 || sid > sidMax) {
      const limit = playgroundLimit(`server.${sid}: ZooKeeper documents myid as 1..${sidMax} (it is the top byte of session ids); other ids are not modelled`);
      return { ok: false, errors: errorLines(sid, limit) };
    }
    const path = pathOf(sid);
    const parsed = parseZooCfg(text, { path, myid: withMyid ? String(sid) : null });
    if (!parsed.ok) return { ok: false, errors: errorLines(sid, parsed.error) };
    const cfg = parsed.value;
    const serverConfig = toServerConfig(cfg, cfg.distributed ? sid : undefined);
    if (!serverConfig.ok) return { ok: false, errors: errorLines(sid, serverConfig.error) };
    servers.push({ sid, cfg, serverConfig: serverConfig.value, configPath: path, zooCfgText: text, clientAddress: clientAddressOf(cfg, sid) });
    if (!cfg.distributed) break; // a standalone config runs one server
  }
  const standalone = !servers[0].cfg.distributed;
  const bound = new Map<string, Sid>();
  for (const s of servers) {
    const other = bound.get(s.clientAddress);
    if (other !== undefined) {
      // server.<other> took the port first (they are on one machine): QuorumPeerMain's NIO factory cannot bind
      return { ok: false, errors: [`server.${s.sid}: Unexpected exception, exiting abnormally`, `server.${s.sid}: java.net.BindException: Address already in use`] };
    }
    bound.set(s.clientAddress, s.sid);
  }
  const first = servers[0].cfg;
  return {
    ok: true,
    plan: {
      standalone,
      servers,
      members: servers.map((s) => ({ sid: s.sid, observer: s.cfg.servers.get(s.sid)?.type === 'observer', clientAddress: s.clientAddress })),
      configText: first.distributed ? formatDynamicConfig({ servers: first.servers, version: first.version }) : '',
    },
  };
}

/**
 * Where the server accepts clients: server.N's client_config, else clientPortAddress:clientPort;
 * a wildcard address is reached at the server's own host (server.N's host, 127.0.0.1 standalone).
 */
function clientAddressOf(cfg: QuorumConfig, sid: Sid): string {
  const self = cfg.distributed ? cfg.servers.get(sid) : undefined;
  const port = self?.clientPort ?? cfg.clientPort;
  const declared = self?.clientHost ?? cfg.clientPortAddress ?? '0.0.0.0';
  const host = declared === '0.0.0.0' || declared === '::' ? self?.host ?? '127.0.0.1' : declared;
  const reachable = host === 'localhost' ? '127.0.0.1' : host;
  return port === 0 ? `${reachable}:no-client-port-${sid}` : `${reachable}:${port}`;
}

/** QuorumPeerMain's last words: ConfigException is an invalid config (exit 2), anything else unexpected (exit 1). */
function errorLines(sid: Sid, e: ConfigError): string[] {
  const head = e.exception === configExceptionClass
    ? ['Invalid config, exiting abnormally']
    : e.exception === playgroundLimitClass ? [] : ['Unexpected exception, exiting abnormally'];
  return [...head, ...describeConfigError(e).split('\n')].map((l) => `server.${sid}: ${l}`);
}
