/**
 * The end of QuorumPeerConfig.setupQuorumPeerConfig, after the membership is known:
 * setupMyId (<dataDir>/myid), setupClientPort (server.N's client_config against clientPort /
 * clientPortAddress), setupPeerType (the servers list wins) and checkValidity (an ensemble
 * member needs initLimit, syncLimit and myid).
 */
import type { Sid } from '../protocol/ids.ts';
import { configException, fail, illegalArgumentClass, ok, playgroundLimit, type ConfigResult } from './config-error.ts';
import type { QuorumMembership, Wrap } from './dynamic-config.ts';
import { hashMapBySid } from './dynamic-config.ts';
import { fourLetterWordWhitelist } from './four-letter-whitelist.ts';
import {
  formatSocketAddress,
  isAnyLocalAddress,
  socketAddress,
  socketAddressEquals,
  wildcardSocketAddress,
  type InetSocketAddr,
} from './inet-address.ts';
import { javaParseLong } from './java-lang.ts';
import type { QuorumServerConfig } from './quorum-server.ts';
import type { Draft, QuorumConfig } from './zoo-cfg.ts';

export interface FinishContext {
  readonly path: string;
  /** the content of <dataDir>/myid, or null when the file does not exist */
  readonly myid: string | null;
  /** how IllegalArgumentException reaches the user: `Error processing <file>` */
  readonly wrap: Wrap;
}

export function finishQuorumConfig(d: Draft, m: QuorumMembership, ctx: FinishContext): ConfigResult<QuorumConfig> {
  const serverId = setupMyId(ctx);
  if (!serverId.ok) return serverId;
  const sid = serverId.value;
  const client = setupClientPort(d, m, sid);
  if (!client.ok) return client;
  const servers = client.value.servers;
  const members = [...servers.values()];
  if (sid !== null && members.some((s) => s.sid === sid && s.type === 'observer')) d.peerType = 'observer';
  else d.peerType = 'participant';
  const participants = members.filter((s) => s.type === 'participant').length;
  const distributed = !d.standaloneEnabled || participants > 1;
  if (distributed) {
    const iae = (message: string): ConfigResult<never> => ctx.wrap({ exception: illegalArgumentClass, message });
    if (d.initLimit === 0) return iae('initLimit is not set');
    if (d.syncLimit === 0) return iae('syncLimit is not set');
    if (sid === null) return iae('myid file is missing');
  }
  return ok(buildConfig(d, m, { sid, distributed, servers, address: client.value.address, path: ctx.path }));
}

/** QuorumPeerConfig.setupMyId: the first line of myid, as a long. */
function setupMyId(ctx: FinishContext): ConfigResult<Sid | null> {
  if (ctx.myid === null) return ok(null);
  const line = ctx.myid.length === 0 ? null : ctx.myid.split(/\r\n|\r|\n/)[0];
  const sid = line === null ? null : javaParseLong(line);
  if (sid === null || !sid.ok) {
    return ctx.wrap({ exception: illegalArgumentClass, message: `serverid ${line ?? 'null'} is not a number` });
  }
  if (sid.value < 0n || sid.value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail(playgroundLimit(`myid ${line}: ids outside 0..2^53 are not modelled`));
  }
  return ok(Number(sid.value));
}

interface ClientSetup {
  /** the client address the server will bind, or null for none */
  readonly address: InetSocketAddr | null;
  readonly servers: ReadonlyMap<Sid, QuorumServerConfig>;
}

function staticClientAddress(d: Draft): InetSocketAddr | null {
  if (d.clientPort === 0) return null;
  return d.clientPortAddress === null ? wildcardSocketAddress(d.clientPort) : socketAddress(d.clientPortAddress, d.clientPort);
}

/** QuorumPeerConfig.setupClientPort. */
function setupClientPort(d: Draft, m: QuorumMembership, sid: Sid | null): ConfigResult<ClientSetup> {
  const staticAddr = staticClientAddress(d);
  const qs = sid === null ? undefined : m.servers.get(sid);
  if (sid === null || qs === undefined) return ok({ address: staticAddr, servers: m.servers });
  const dynAddr = qs.clientPort === undefined ? null : socketAddress(qs.clientHost ?? '0.0.0.0', qs.clientPort);
  if (staticAddr !== null && dynAddr !== null) {
    const conflict = isAnyLocalAddress(staticAddr)
      ? staticAddr.port !== dynAddr.port
      : !socketAddressEquals(staticAddr, dynAddr);
    if (conflict) {
      return fail(configException(
        `client address for this server (id = ${sid}) in static config file is ${formatSocketAddress(staticAddr)}` +
          ` is different from client address found in dynamic file: ${formatSocketAddress(dynAddr)}`,
      ));
    }
  }
  if (dynAddr !== null) return ok({ address: dynAddr, servers: m.servers });
  if (staticAddr === null) return ok({ address: null, servers: m.servers });
  const updated: QuorumServerConfig = {
    ...qs,
    clientHost: d.clientPortAddress ?? '0.0.0.0',
    clientPort: staticAddr.port,
    clientAddrFromStatic: true,
  };
  const servers = hashMapBySid([...m.servers.values()].map((s) => (s.sid === sid ? updated : s)));
  return ok({ address: staticAddr, servers });
}

interface BuildFacts {
  readonly sid: Sid | null;
  readonly distributed: boolean;
  readonly servers: ReadonlyMap<Sid, QuorumServerConfig>;
  readonly address: InetSocketAddr | null;
  readonly path: string;
}

function buildConfig(d: Draft, m: QuorumMembership, f: BuildFacts): QuorumConfig {
  const own = f.sid === null ? undefined : f.servers.get(f.sid);
  const fromServerLine = own?.clientPort !== undefined && own.clientAddrFromStatic !== true;
  return {
    configPath: f.path,
    tickTime: d.tickTime,
    initLimit: d.initLimit,
    syncLimit: d.syncLimit,
    connectToLearnerMasterLimit: d.connectToLearnerMasterLimit,
    clientPort: f.address?.port ?? 0,
    clientPortAddress: fromServerLine ? (own.clientHost ?? null) : d.clientPortAddress,
    secureClientPort: d.secureClientPort,
    secureClientPortAddress: d.secureClientPortAddress,
    observerMasterPort: d.observerMasterPort > 0 ? d.observerMasterPort : 0,
    dataDir: d.dataDir!,
    dataLogDir: d.dataLogDir!,
    maxClientCnxns: d.maxClientCnxns,
    minSessionTimeout: d.minSessionTimeout,
    maxSessionTimeout: d.maxSessionTimeout,
    clientPortListenBacklog: d.clientPortListenBacklog,
    electionAlg: d.electionAlg,
    peerType: d.peerType,
    syncEnabled: d.syncEnabled,
    standaloneEnabled: d.standaloneEnabled,
    reconfigEnabled: d.reconfigEnabled,
    quorumListenOnAllIPs: d.quorumListenOnAllIPs,
    localSessionsEnabled: d.localSessionsEnabled,
    localSessionsUpgradingEnabled: d.localSessionsUpgradingEnabled,
    snapRetainCount: d.snapRetainCount,
    purgeInterval: d.purgeInterval,
    dynamicConfigFile: d.dynamicConfigFile,
    fourLetterWordWhitelist: fourLetterWordWhitelist(d.systemProperties),
    servers: f.servers,
    version: m.version,
    serverId: f.sid,
    distributed: f.distributed,
    extraProperties: d.extraProperties,
    systemProperties: d.systemProperties,
  };
}
