/**
 * A standalone ZooKeeper server in a simulated world, as `zkServer.sh start` with a zoo.cfg
 * that has no server.N lines.
 */
import { defaultServerConfig, type ServerConfig } from '../../engine/server/server-config.ts';
import { ZkServer } from '../../engine/server/zk-server.ts';
import { ClientWorld } from '../sim/client-world.ts';

/** zoo.cfg keys (and zookeeper.* system properties) a standalone server understands. */
export function serverConfigFromCfg(cfg: Readonly<Record<string, string>>): ServerConfig {
  const num = (key: string): number | undefined => (cfg[key] === undefined ? undefined : Number.parseInt(cfg[key], 10));
  const bool = (key: string): boolean | undefined => (cfg[key] === undefined ? undefined : cfg[key].trim().toLowerCase() === 'true');
  const pick = <T>(...values: (T | undefined)[]): T | undefined => values.find((v) => v !== undefined);
  const overrides: Partial<ServerConfig> = {};
  const set = <K extends keyof ServerConfig>(k: K, v: ServerConfig[K] | undefined): void => {
    if (v !== undefined) overrides[k] = v;
  };
  set('tickTime', num('tickTime'));
  set('minSessionTimeout', num('minSessionTimeout'));
  set('maxSessionTimeout', num('maxSessionTimeout'));
  set('maxClientCnxns', num('maxClientCnxns'));
  set('extendedTypesEnabled', pick(bool('extendedTypesEnabled'), bool('zookeeper.extendedTypesEnabled')));
  set('enforceQuota', pick(bool('enforceQuota'), bool('zookeeper.enforceQuota')));
  set('skipACL', cfg.skipACL === undefined ? undefined : cfg.skipACL === 'yes');
  set('containerCheckIntervalMs', num('znode.container.checkIntervalMs'));
  set('containerMaxPerMinute', num('znode.container.maxPerMinute'));
  set('containerMaxNeverUsedIntervalMs', num('znode.container.maxNeverUsedIntervalMs'));
  set('reconfigEnabled', bool('reconfigEnabled'));
  set('juteMaxBuffer', num('jute.maxbuffer'));
  if (cfg['DigestAuthenticationProvider.superDigest'] !== undefined) overrides.superDigest = cfg['DigestAuthenticationProvider.superDigest'];
  return defaultServerConfig(overrides);
}

export function startStandalone(world: ClientWorld, address: string, cfg: Readonly<Record<string, string>>): ZkServer {
  const server = new ZkServer(serverConfigFromCfg(cfg), world.now);
  world.addServer(address, server);
  return server;
}
