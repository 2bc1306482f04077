/**
 * setquota, listquota, delquota: all done client-side with ordinary calls on
 * /zookeeper/quota/<path>/zookeeper_limits and zookeeper_stats, exactly as the Java commands do
 * (the server only keeps zookeeper_stats up to date, and enforces hard limits if configured).
 */
import { Code } from '../engine/protocol/errors.ts';
import { CreateMode, openAclUnsafe } from '../engine/protocol/records.ts';
import { utf8Encode } from '../engine/util/bytes.ts';
import { javaSplit } from '../engine/acl/java-string.ts';
import { CliCommand, parseOptions } from './cli-command.ts';
import { CliParseException, CliWrapperException, MalformedPathException } from './cli-exceptions.ts';
import { wrapCallError } from './commands-data.ts';
import { CommandLine, Options, type OptionDef } from './commons-cli.ts';
import type { Output } from './effects.ts';
import { javaParseInt, javaParseLong } from './java-number.ts';
import { cliFrame } from './java-throwable.ts';
import {
  StatsTrack, limitNode, limitPath, procZookeeper, quotaPath, quotaZookeeper, statNode, statPath, trimQuotaPath,
  type StatsKey,
} from './stats-track.ts';
import {
  IllegalArgumentException, KeeperException, create, deleteNode, exists, getChildren, getData, setData,
  type ZkRun,
} from './zk-api.ts';
import { visitSubTreeDFS } from './zk-util.ts';

const statsBytes = (track: StatsTrack): Uint8Array => utf8Encode(track.toString());

/** Bound on the levels trimProcQuotas climbs (one per path component). */
const quotaDepthMax = 10_000;

function quotaGroup(hasArg: boolean): OptionDef[] {
  return [
    { opt: 'n', hasArg, description: 'num soft quota' },
    { opt: 'b', hasArg, description: 'bytes soft quota' },
    { opt: 'N', hasArg, description: 'num hard quota' },
    { opt: 'B', hasArg, description: 'bytes hard quota' },
  ];
}

export class SetQuotaCommand extends CliCommand {
  private readonly options = new Options().addOptionGroup(quotaGroup(true), true);
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'setquota', '-n|-b|-N|-B val path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(this.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    if (path.startsWith(quotaZookeeper)) {
      this.eprintln(`cannot set a quota under the path: ${quotaZookeeper}`);
      return false;
    }
    const quota = new StatsTrack().set('count', -1n).set('bytes', -1n).set('countHardLimit', -1n).set('byteHardLimit', -1n);
    if (!this.checkOptionValue(quota)) return false;
    if (['n', 'N', 'b', 'B'].some((o) => this.cl.hasOption(o))) {
      try {
        yield* this.createQuota(path, quota);
      } catch (e) {
        throw wrapCallError(e);
      }
    } else {
      this.eprintln(this.usageStr());
    }
    return false;
  }

  private checkOptionValue(quota: StatsTrack): boolean {
    const checks: [string, StatsKey, boolean][] = [['n', 'count', true], ['b', 'bytes', false], ['N', 'countHardLimit', true], ['B', 'byteHardLimit', false]];
    for (const [opt, key, isCount] of checks) {
      if (!this.cl.hasOption(opt)) continue;
      const text = this.cl.getOptionValue(opt) ?? '';
      const r = isCount ? javaParseInt(text) : javaParseLong(text);
      if (!r.ok) {
        this.eprintln('NumberFormatException happens when parsing the option value');
        return false;
      }
      const value = BigInt(r.value);
      if (isCount ? value <= 0n : value < 0n) {
        this.eprintln(isCount ? 'the num quota must be greater than zero' : 'the bytes quota must be greater than or equal to zero');
        return false;
      }
      quota.set(key, value);
    }
    return true;
  }

  private *createQuota(path: string, quota: StatsTrack): ZkRun<void> {
    let initStat;
    try {
      initStat = yield* exists(path, false);
    } catch (e) {
      if (e instanceof IllegalArgumentException) throw new MalformedPathException(e.message);
      throw e;
    }
    if (initStat === null) throw new IllegalArgumentException(`${path} does not exist.`);
    yield* checkIfChildQuota(path);
    yield* checkIfParentQuota(path);
    if ((yield* exists(quotaZookeeper, false)) === null) {
      yield* createIgnoringExists(procZookeeper);
      yield* createIgnoringExists(quotaZookeeper);
    }
    let node = quotaZookeeper;
    for (const part of javaSplit(path, '/').slice(1)) {
      node = `${node}/${part}`;
      if ((yield* exists(node, false)) === null) yield* createIgnoringExists(node);
    }
    yield* this.writeLimits(`${node}/${limitNode}`, `${node}/${statNode}`, quota);
  }

  private *writeLimits(limits: string, stats: string, quota: StatsTrack): ZkRun<void> {
    const frames = (line: number): string[] => [cliFrame('SetQuotaCommand', 'createQuota', line), cliFrame('SetQuotaCommand', 'exec', 102)];
    if ((yield* exists(limits, false)) === null) {
      yield* create(limits, statsBytes(quota), openAclUnsafe, CreateMode.PERSISTENT, -1);
      const zero = new StatsTrack().set('count', 0n).set('bytes', 0n);
      yield* create(stats, statsBytes(zero), openAclUnsafe, CreateMode.PERSISTENT, -1);
      const quotaTrack = StatsTrack.parse((yield* getData(limits, false)).data, frames(247));
      const statTrack = StatsTrack.parse((yield* getData(stats, false)).data, frames(250));
      this.checkQuota(quotaTrack, statTrack);
      return;
    }
    const quotaTrack = StatsTrack.parse((yield* getData(limits, false)).data, frames(255));
    for (const key of ['count', 'bytes', 'countHardLimit', 'byteHardLimit'] as const) {
      if (quota.get(key) > -1n) quotaTrack.set(key, quota.get(key));
    }
    const statTrack = StatsTrack.parse((yield* getData(stats, false)).data, frames(271));
    this.checkQuota(quotaTrack, statTrack);
    yield* setData(limits, statsBytes(quotaTrack), -1);
  }

  /** Printed on System.out, unlike the other quota messages. */
  private checkQuota(quota: StatsTrack, stat: StatsTrack): void {
    const below = (limit: bigint, used: bigint): boolean => limit > -1n && limit < used;
    if (below(quota.get('count'), stat.get('count')) || below(quota.get('countHardLimit'), stat.get('count'))) {
      this.println(`[Warning]: the count quota you create is less than the existing count:${stat.get('count')}`);
    }
    if (below(quota.get('bytes'), stat.get('bytes')) || below(quota.get('byteHardLimit'), stat.get('bytes'))) {
      this.println(`[Warning]: the bytes quota you create is less than the existing bytes:${stat.get('bytes')}`);
    }
  }
}

function* createIgnoringExists(path: string): ZkRun<void> {
  try {
    yield* create(path, null, openAclUnsafe, CreateMode.PERSISTENT, -1);
  } catch (e) {
    if (!(e instanceof KeeperException && e.code === Code.NODEEXISTS)) throw e;
  }
}

/**
 * A node below the new quota's node may not have a quota of its own. Other KeeperExceptions of
 * the inner getChildren are printed by Java with printStackTrace (not reproduced) and ignored.
 */
function* checkIfChildQuota(path: string): ZkRun<void> {
  try {
    yield* visitSubTreeDFS(quotaPath(path), false, function* (node) {
      let children: string[] = [];
      try {
        children = (yield* getChildren(node, false)).children;
      } catch (e) {
        if (!(e instanceof KeeperException)) throw e;
        if (e.code === Code.NONODE) return;
      }
      for (const child of children) {
        if (node !== quotaZookeeper + path && child === limitNode) {
          throw new IllegalArgumentException(`${path} has a child ${trimQuotaPath(node)} which has a quota`);
        }
      }
    });
  } catch (e) {
    if (!(e instanceof KeeperException && e.code === Code.NONODE)) throw e;
  }
}

/** No ancestor of the new quota's node may have a quota. */
function* checkIfParentQuota(path: string): ZkRun<void> {
  const splits = javaSplit(path, '/');
  let node = quotaZookeeper;
  for (let i = 1; i < splits.length - 1; i++) {
    node = `${node}/${splits[i]}`;
    let children: string[];
    try {
      children = (yield* getChildren(node, false)).children;
    } catch (e) {
      if (e instanceof KeeperException && e.code === Code.NONODE) return;
      throw e;
    }
    if (children.length === 0) return;
    for (const child of children) {
      if (node !== quotaPath(path) && child === limitNode) {
        throw new IllegalArgumentException(`${path} has a parent ${trimQuotaPath(node)} which has a quota`);
      }
    }
  }
}

export class ListQuotaCommand extends CliCommand {
  private static readonly options = new Options();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'listquota', 'path');
  }

  parse(cmdArgs: string[]): this {
    this.args = parseOptions(ListQuotaCommand.options, cmdArgs).args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const frames = (line: number): string[] => [cliFrame('ListQuotaCommand', 'listQuota', line), cliFrame('ListQuotaCommand', 'exec', 68)];
    try {
      this.eprintln(`absolute path is ${limitPath(path)}`);
      const quota = StatsTrack.parse((yield* getData(limitPath(path), false)).data, frames(93));
      const stat = StatsTrack.parse((yield* getData(statPath(path), false)).data, frames(97));
      this.println(`Output quota for ${path} ${quota.toString()}`);
      this.println(`Output stat for ${path} ${stat.toString()}`);
    } catch (e) {
      if (e instanceof KeeperException && e.code === Code.NONODE) {
        this.eprintln(`quota for ${path} does not exist.`);
        return false;
      }
      throw wrapCallError(e);
    }
    return false;
  }
}

export class DelQuotaCommand extends CliCommand {
  private readonly options = new Options().addOptionGroup(quotaGroup(false), false);
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'delquota', '[-n|-b|-N|-B] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(this.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const keys: [string, StatsKey][] = [['n', 'count'], ['b', 'bytes'], ['N', 'countHardLimit'], ['B', 'byteHardLimit']];
    const flagged = keys.filter(([opt]) => this.cl.hasOption(opt)).map(([, key]) => key);
    try {
      yield* this.delQuota(path, flagged.length > 0 ? flagged : null);
    } catch (e) {
      if (e instanceof KeeperException && e.code === Code.NONODE) {
        this.eprintln(`quota for ${path} does not exist.`);
        return false;
      }
      if (e instanceof KeeperException) throw new CliWrapperException(e);
      throw wrapCallError(e);
    }
    return false;
  }

  private *delQuota(path: string, flagged: StatsKey[] | null): ZkRun<void> {
    const parent = quotaPath(path);
    const limits = limitPath(path);
    if ((yield* exists(limits, false)) === null) {
      this.println(`Quota does not exist for ${path}`);
      return;
    }
    const frames = [cliFrame('DelQuotaCommand', 'delQuota', 132), cliFrame('DelQuotaCommand', 'exec', 93)];
    const track = StatsTrack.parse((yield* getData(limits, false)).data, frames);
    if (flagged === null) {
      for (const child of (yield* getChildren(parent, false)).children) yield* deleteNode(`${parent}/${child}`, -1);
      yield* trimProcQuotas(parent);
      return;
    }
    for (const key of flagged) track.set(key, -1n);
    yield* setData(limits, statsBytes(track), -1);
  }
}

/** Deletes now-empty quota nodes upwards, stopping at /zookeeper/quota or a node with children. */
function* trimProcQuotas(start: string): ZkRun<void> {
  let path = start;
  for (let depth = 0; depth < quotaDepthMax && path !== quotaZookeeper; depth++) {
    if ((yield* getChildren(path, false)).children.length > 0) return;
    yield* deleteNode(path, -1);
    path = path.slice(0, path.lastIndexOf('/'));
  }
}
