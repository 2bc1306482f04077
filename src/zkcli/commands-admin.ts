/**
 * Session and server-level commands: close, config, reconfig, version, getEphemerals,
 * getAllChildrenNumber.
 */
import { utf8Decode } from '../engine/util/bytes.ts';
import { CliCommand, dataText, parseOptions } from './cli-command.ts';
import { CliParseException, CliWrapperException, MalformedCommandException } from './cli-exceptions.ts';
import { getClientConfigStr } from './client-config.ts';
import { wrapCallError } from './commands-data.ts';
import { CommandLine, Options } from './commons-cli.ts';
import type { Output } from './effects.ts';
import { javaParseLong } from './java-number.ts';
import { describeStat } from './stat-printer.ts';
import {
  KeeperException, getAllChildrenNumber, getConfig, getEphemerals, reconfigure,
  type ZkRun,
} from './zk-api.ts';

/**
 * What Version.getFullVersion() returns in the Debian build the golden corpus was captured with
 * (its Maven git-commit property was never filled in). The golden runner compares only the
 * `ZooKeeper CLI version: ` prefix.
 */
export const zkCliFullVersion = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';

export class CloseCommand extends CliCommand {
  constructor(io: Output) {
    super(io, 'close', '');
  }

  parse(): this {
    return this;
  }

  *exec(): ZkRun<boolean> {
    yield { kind: 'close' };
    return false;
  }
}

export class VersionCommand extends CliCommand {
  private static readonly options = new Options();

  constructor(io: Output) {
    super(io, 'version', '');
  }

  parse(cmdArgs: string[]): this {
    if (parseOptions(VersionCommand.options, cmdArgs).args.length > 1) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    this.println(`ZooKeeper CLI version: ${zkCliFullVersion}`);
    return false;
  }
}

export class GetEphemeralsCommand extends CliCommand {
  private static readonly options = new Options();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'getEphemerals', 'path');
  }

  parse(cmdArgs: string[]): this {
    this.args = parseOptions(GetEphemeralsCommand.options, cmdArgs).args;
    return this;
  }

  /** Without a path, ZooKeeper.getEphemerals() asks for "/". Printed as List.toString(). */
  *exec(): ZkRun<boolean> {
    let paths: readonly string[];
    try {
      paths = yield* getEphemerals(this.args.length < 2 ? '/' : this.args[1]);
    } catch (e) {
      throw wrapCallError(e);
    }
    this.println(`[${paths.join(', ')}]`);
    return false;
  }
}

export class GetAllChildrenNumberCommand extends CliCommand {
  private static readonly options = new Options();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'getAllChildrenNumber', 'path');
  }

  parse(cmdArgs: string[]): this {
    this.args = parseOptions(GetAllChildrenNumberCommand.options, cmdArgs).args;
    return this;
  }

  *exec(): ZkRun<boolean> {
    if (this.args.length < 2) throw new MalformedCommandException(this.usageStr());
    try {
      this.println(String(yield* getAllChildrenNumber(this.args[1])));
    } catch (e) {
      throw wrapCallError(e);
    }
    return false;
  }
}

export class GetConfigCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('s', false, 'stats')
    .addOption('w', false, 'watch')
    .addOption('c', false, 'client connection string');
  private cl = new CommandLine();

  constructor(io: Output) {
    super(io, 'config', '[-c] [-w] [-s]');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(GetConfigCommand.options, cmdArgs);
    return this;
  }

  *exec(): ZkRun<boolean> {
    const watch = this.cl.hasOption('w');
    let result;
    try {
      result = yield* getConfig(watch);
    } catch (e) {
      if (e instanceof KeeperException) throw new CliWrapperException(e);
      throw e;
    }
    const text = dataText(result.data);
    this.println(this.cl.hasOption('c') ? getClientConfigStr(text) : text);
    if (this.cl.hasOption('s')) this.io.out(describeStat(result.stat));
    return watch;
  }
}

export class ReconfigCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('s', false, 'stats')
    .addOption('v', true, 'required current config version')
    .addOption('file', true, 'path of config file to parse for membership')
    .addOption('members', true, 'comma-separated list of config strings for non-incremental reconfig')
    .addOption('add', true, 'comma-separated list of config strings for new servers')
    .addOption('remove', true, 'comma-separated list of server IDs to remove');
  private cl = new CommandLine();
  private joining: string | null = null;
  private leaving: string | null = null;
  private members: string | null = null;
  private version = -1n;

  constructor(io: Output) {
    super(io, 'reconfig',
      '[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | ' +
      '[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]');
  }

  parse(cmdArgs: string[]): this {
    this.joining = this.leaving = this.members = null;
    const cl = parseOptions(ReconfigCommand.options, cmdArgs);
    this.cl = cl;
    const has = (o: string): boolean => cl.hasOption(o);
    if (!(has('file') || has('members')) && !has('add') && !has('remove')) throw new CliParseException(this.usageStr());
    this.version = -1n;
    if (has('v')) {
      const r = javaParseLong(cl.getOptionValue('v') ?? '', 16);
      if (!r.ok) throw new CliParseException('-v must be followed by a long (configuration version)');
      this.version = r.value;
    }
    if ((has('file') || has('members')) && (has('add') || has('remove'))) {
      throw new CliParseException('Can\'t use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)');
    }
    if (has('file') && has('members')) throw new CliParseException('Can\'t use -file and -members together (conflicting non-incremental modes)');
    if (has('add')) this.joining = (cl.getOptionValue('add') ?? '').toLowerCase();
    if (has('remove')) this.leaving = (cl.getOptionValue('remove') ?? '').toLowerCase();
    if (has('members')) this.members = (cl.getOptionValue('members') ?? '').toLowerCase();
    if (has('file')) {
      // The playground has no files to read: every -file fails as a missing file does in Java
      // ("Error processing " + path + FileNotFoundException.getMessage()).
      const file = cl.getOptionValue('file') ?? '';
      throw new CliParseException(`Error processing ${file}${file} (No such file or directory)`);
    }
    return this;
  }

  *exec(): ZkRun<boolean> {
    try {
      const result = yield* reconfigure(this.joining, this.leaving, this.members, this.version);
      this.println(`Committed new configuration:\n${result.data === null ? '' : utf8Decode(result.data)}`);
      if (this.cl.hasOption('s')) this.io.out(describeStat(result.stat));
    } catch (e) {
      if (e instanceof KeeperException) throw new CliWrapperException(e);
      throw e;
    }
    return false;
  }
}
