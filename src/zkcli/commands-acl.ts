/**
 * ACL, auth and watch commands: getAcl, setAcl, addauth, whoami, addWatch, removewatches.
 */
import { aclEntryToZkCliText } from '../engine/acl/acl.ts';
import { AddWatchMode, WatcherType } from '../engine/protocol/records.ts';
import { utf8Encode } from '../engine/util/bytes.ts';
import { CliCommand, parseOptions } from './cli-command.ts';
import { CliParseException, CliWrapperException } from './cli-exceptions.ts';
import { parseAcl, versionOption, wrapCallError } from './commands-data.ts';
import { CommandLine, Options } from './commons-cli.ts';
import type { Output } from './effects.ts';
import { JavaThrowable, cliFrame, pathUtilsFrame } from './java-throwable.ts';
import { describeStat } from './stat-printer.ts';
import {
  IllegalArgumentException, KeeperException, addAuthInfo, addWatch, getACL, removeAllWatches, setACL, whoAmI,
  type ZkRun,
} from './zk-api.ts';
import { visitSubTreeDFS } from './zk-util.ts';

export class GetAclCommand extends CliCommand {
  private static readonly options = new Options().addOption('s', false, 'stats');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'getAcl', '[-s] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(GetAclCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    let result;
    try {
      result = yield* getACL(this.args[1]);
    } catch (e) {
      throw wrapCallError(e);
    }
    for (const entry of result.acl) this.println(aclEntryToZkCliText(entry));
    if (this.cl.hasOption('s')) this.io.out(describeStat(result.stat));
    return false;
  }
}

export class SetAclCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('s', false, 'stats')
    .addOption('v', true, 'version')
    .addOption('R', false, 'recursive');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'setAcl', '[-s] [-v version] [-R] path acl');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(SetAclCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 3) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const acl = parseAcl(this.args[2], (t) => this.io.err(t));
    const version = versionOption(this.cl, 'SetAclCommand', 76);
    const io = this.io;
    try {
      if (this.cl.hasOption('R')) {
        // Each failure is printed with print, not println: the messages run together.
        yield* visitSubTreeDFS(path, false, function* (p) {
          try {
            yield* setACL(p, acl, version);
          } catch (e) {
            if (!(e instanceof KeeperException)) throw e;
            io.out(e.message);
          }
        });
      } else {
        const stat = yield* setACL(path, acl, version);
        if (this.cl.hasOption('s')) this.io.out(describeStat(stat));
      }
    } catch (e) {
      throw wrapCallError(e);
    }
    return false;
  }
}

export class AddAuthCommand extends CliCommand {
  private static readonly options = new Options();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'addauth', 'scheme auth');
  }

  parse(cmdArgs: string[]): this {
    this.args = parseOptions(AddAuthCommand.options, cmdArgs).args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  /** Fire and forget: a bad credential shows up later as an AuthFailed event. */
  *exec(): ZkRun<boolean> {
    const auth = this.args.length >= 3 ? utf8Encode(this.args[2]) : null;
    yield* addAuthInfo(this.args[1], auth);
    return false;
  }
}

export class WhoAmICommand extends CliCommand {
  constructor(io: Output) {
    super(io, 'whoami', '');
  }

  parse(): this {
    return this;
  }

  *exec(): ZkRun<boolean> {
    try {
      const clientInfo = yield* whoAmI();
      this.println('Auth scheme: User');
      for (const info of clientInfo) this.println(`${info.authScheme}: ${info.user}`);
    } catch (e) {
      if (e instanceof KeeperException || e instanceof IllegalArgumentException) throw new CliWrapperException(e);
      throw e;
    }
    return false;
  }
}

const addWatchModeNames = ['PERSISTENT', 'PERSISTENT_RECURSIVE'] as const;

export class AddWatchCommand extends CliCommand {
  private static readonly options = new Options().addOption('m', true, '');
  private cl = new CommandLine();
  /** A field of the long-lived command object: `-m` sticks until the next `-m`. */
  private mode: AddWatchMode = AddWatchMode.PERSISTENT_RECURSIVE;

  constructor(io: Output) {
    super(io, 'addWatch',
      `[-m mode] path # optional mode is one of [${addWatchModeNames.join(', ')}] - default is PERSISTENT_RECURSIVE`);
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(AddWatchCommand.options, cmdArgs);
    if (this.cl.args.length !== 2) throw new CliParseException(this.usageStr());
    const m = this.cl.getOptionValue('m');
    if (this.cl.hasOption('m')) {
      const name = (m ?? '').toUpperCase();
      if (name !== 'PERSISTENT' && name !== 'PERSISTENT_RECURSIVE') throw new CliParseException(this.usageStr());
      this.mode = AddWatchMode[name];
    }
    return this;
  }

  /** Only KeeperException is caught: a relative path escapes and kills zkCli. */
  *exec(): ZkRun<boolean> {
    const path = this.cl.args[1];
    try {
      yield* addWatch(path, this.mode);
    } catch (e) {
      if (e instanceof KeeperException) throw new CliWrapperException(e);
      if (e instanceof IllegalArgumentException) {
        throw new JavaThrowable('java.lang.IllegalArgumentException', e.message, [
          pathUtilsFrame(e.message),
          'org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2808)',
          'org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2840)',
          cliFrame('AddWatchCommand', 'exec', 77),
        ]);
      }
      throw e;
    }
    return false;
  }
}

export class RemoveWatchesCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('c', false, 'child watcher type')
    .addOption('d', false, 'data watcher type')
    .addOption('a', false, 'any watcher type')
    .addOption('l', false, 'remove locally when there is no server connection');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'removewatches', 'path [-c|-d|-a] [-l]');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(RemoveWatchesCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    let type: WatcherType = WatcherType.Any;
    if (this.cl.hasOption('c')) type = WatcherType.Children;
    else if (this.cl.hasOption('d')) type = WatcherType.Data;
    else if (this.cl.hasOption('a')) type = WatcherType.Any;
    try {
      yield* removeAllWatches(this.args[1], type, this.cl.hasOption('l'));
    } catch (e) {
      throw wrapCallError(e);
    }
    return true;
  }
}
