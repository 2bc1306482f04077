/**
 * The znode commands: create, delete, deleteall, set, get, ls, stat, sync. Each follows its
 * org.apache.zookeeper.cli class statement by statement, including the 3.4-era forms kept for
 * compatibility (`get path watch`, `ls path watch`, `stat path watch`, `delete path version`),
 * whose rewrite replaces the *third word of the line* with `-w`, not the third argument.
 */
import { parseAclString } from '../engine/acl/acl.ts';
import { Code } from '../engine/protocol/errors.ts';
import { CreateMode, openAclUnsafe, type ACL, type Stat } from '../engine/protocol/records.ts';
import { utf8Encode } from '../engine/util/bytes.ts';
import { CliCommand, dataText, parseOptions } from './cli-command.ts';
import type { Output } from './effects.ts';
import {
  CliParseException, CliWrapperException, MalformedCommandException, MalformedPathException,
} from './cli-exceptions.ts';
import { CommandLine, Options, formatHelp } from './commons-cli.ts';
import { javaParseInt, javaParseLong } from './java-number.ts';
import { cliFrame } from './java-throwable.ts';
import { describeStat } from './stat-printer.ts';
import {
  IllegalArgumentException, KeeperException, create, deleteNode, exists, getChildren, getData, setData, syncRc,
  type ZkRun,
} from './zk-api.ts';
import { deleteRecursive, visitSubTreeDFS } from './zk-util.ts';

/** EphemeralType.TTL.maxValue(): 0xFFFFFFFFFF ms, about 34 years. */
const ttlMax = 0xff_ffff_ffffn;

/**
 * The usual translation of what a ZooKeeper call throws: a bad path becomes
 * MalformedPathException, a KeeperException CliWrapperException; anything else is not caught.
 */
export function wrapCallError(e: unknown): unknown {
  if (e instanceof IllegalArgumentException) return new MalformedPathException(e.message);
  if (e instanceof KeeperException) return new CliWrapperException(e);
  return e;
}

/** AclParser.parse: prints its complaints on stderr as it goes, never fails. */
export function parseAcl(text: string, err: (t: string) => void): ACL[] {
  const parsed = parseAclString(text);
  for (const w of parsed.warnings) err(`${w}\n`);
  return parsed.acl;
}

/** `Integer.parseInt(cl.getOptionValue("v"))`, outside any try: a bad number kills zkCli. */
export function versionOption(cl: CommandLine, cls: string, line: number): number {
  const text = cl.getOptionValue('v');
  if (text === null) return -1;
  const r = javaParseInt(text);
  if (!r.ok) throw r.error.withFrame(cliFrame(cls, 'exec', line));
  return r.value;
}

export class CreateCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('e', false, 'ephemeral')
    .addOption('s', false, 'sequential')
    .addOption('c', false, 'container')
    .addOption('t', true, 'ttl');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'create', '[-s] [-e] [-c] [-t ttl] path [data] [acl]');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(CreateCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const { mode, ttl } = this.createMode();
    const path = this.args[1];
    const data = this.args.length > 2 ? utf8Encode(this.args[2]) : null;
    const acl = this.args.length > 3 ? parseAcl(this.args[3], (t) => this.io.err(t)) : openAclUnsafe;
    try {
      const newPath = yield* create(path, data, acl, mode, ttl);
      this.eprintln(`Created ${newPath}`);
    } catch (e) {
      if (e instanceof KeeperException && e.code === Code.EPHEMERALONLOCALSESSION) {
        this.eprintln('Unable to create ephemeral node on a local session');
      } else if (e instanceof KeeperException && e.code === Code.INVALIDACL) {
        this.eprintln(e.message);
      }
      throw wrapCallError(e);
    }
    return true;
  }

  /** The flag checks, in Java's order; ttl is -1 for the modes without one. */
  private createMode(): { mode: CreateMode; ttl: number } {
    const [hasE, hasS, hasC, hasT] = ['e', 's', 'c', 't'].map((o) => this.cl.hasOption(o));
    if (hasC && (hasE || hasS)) {
      throw new MalformedCommandException('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    }
    let ttl = 0n;
    if (hasT) {
      const r = javaParseLong(this.cl.getOptionValue('t') ?? '');
      if (!r.ok) throw new MalformedCommandException('-t argument must be a long value');
      ttl = r.value;
    }
    if (hasT && hasE) throw new MalformedCommandException('TTLs cannot be used with Ephemeral znodes');
    if (hasT && hasC) throw new MalformedCommandException('TTLs cannot be used with Container znodes');
    let mode: CreateMode;
    if (hasE && hasS) mode = CreateMode.EPHEMERAL_SEQUENTIAL;
    else if (hasE) mode = CreateMode.EPHEMERAL;
    else if (hasS) mode = hasT ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
    else if (hasC) mode = CreateMode.CONTAINER;
    else mode = hasT ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
    if (hasT && (ttl > ttlMax || ttl <= 0n)) {
      throw new MalformedCommandException(`ttl must be positive and cannot be larger than: ${ttlMax}`);
    }
    return { mode, ttl: hasT ? Number(ttl) : -1 };
  }
}

export class DeleteCommand extends CliCommand {
  private static readonly options = new Options().addOption('v', true, 'version');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'delete', '[-v version] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(DeleteCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    if (this.args.length > 2) {
      // The old `delete path version`: warned about, re-parsed unchanged, and the version ignored.
      this.eprintln("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
      this.cl = parseOptions(DeleteCommand.options, cmdArgs);
      this.args = this.cl.args;
    }
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const version = versionOption(this.cl, 'DeleteCommand', 81);
    try {
      yield* deleteNode(path, version);
    } catch (e) {
      throw wrapCallError(e);
    }
    return false;
  }
}

export class DeleteAllCommand extends CliCommand {
  private static readonly options = new Options().addOption('b', true, 'batch size');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'deleteall', 'path [-b batch size]');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(DeleteAllCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    let batchSize = 1000;
    const b = this.cl.getOptionValue('b');
    if (this.cl.hasOption('b')) {
      const r = javaParseInt(b ?? '');
      if (!r.ok) throw new MalformedCommandException('-b argument must be an int value');
      batchSize = r.value;
    }
    try {
      const success = yield* deleteRecursive(this.args[1], batchSize);
      if (!success) this.eprintln('Failed to delete some node(s) in the subtree!');
    } catch (e) {
      throw wrapCallError(e);
    }
    return false;
  }
}

export class SetCommand extends CliCommand {
  private static readonly options = new Options().addOption('s', false, 'stats').addOption('v', true, 'version');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'set', '[-s] [-v version] path data');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(SetCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 3) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const data = utf8Encode(this.args[2]);
    const version = versionOption(this.cl, 'SetCommand', 69);
    try {
      const stat = yield* setData(path, data, version);
      if (this.cl.hasOption('s')) this.io.out(describeStat(stat));
    } catch (e) {
      throw wrapCallError(e);
    }
    return false;
  }
}

/**
 * The 3.4 compatibility of get/ls/stat: with more than one argument, the third word of the line
 * becomes `-w` and the line is parsed again. `get -s /x watch` thus becomes `get -s -w watch`.
 */
function retainWatchCompatibility(
  io: Output, options: Options, cmdArgs: string[], args: string[], warning: string,
): { cl: CommandLine; args: string[] } | null {
  if (args.length <= 2) return null;
  cmdArgs[2] = '-w';
  io.err(`${warning}\n`);
  const cl = parseOptions(options, cmdArgs);
  return { cl, args: cl.args };
}

export class GetCommand extends CliCommand {
  private static readonly options = new Options().addOption('s', false, 'stats').addOption('w', false, 'watch');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'get', '[-s] [-w] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(GetCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    const warning = "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.";
    const again = retainWatchCompatibility(this.io, GetCommand.options, cmdArgs, this.args, warning);
    if (again) ({ cl: this.cl, args: this.args } = again);
    return this;
  }

  *exec(): ZkRun<boolean> {
    const watch = this.cl.hasOption('w');
    let result;
    try {
      result = yield* getData(this.args[1], watch);
    } catch (e) {
      throw wrapCallError(e);
    }
    this.println(dataText(result.data));
    if (this.cl.hasOption('s')) this.io.out(describeStat(result.stat));
    return watch;
  }
}

export class LsCommand extends CliCommand {
  private static readonly options = new Options()
    .addOption('?', false, 'help')
    .addOption('s', false, 'stat')
    .addOption('w', false, 'watch')
    .addOption('R', false, 'recurse');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'ls', '[-s] [-w] [-R] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(LsCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.cl.hasOption('?')) this.io.out(formatHelp('ls [options] path', LsCommand.options));
    const warning = "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.";
    const again = retainWatchCompatibility(this.io, LsCommand.options, cmdArgs, this.args, warning);
    if (again) ({ cl: this.cl, args: this.args } = again);
    return this;
  }

  *exec(): ZkRun<boolean> {
    if (this.args.length < 2) throw new MalformedCommandException(this.usageStr());
    const path = this.args[1];
    const watch = this.cl.hasOption('w');
    try {
      if (this.cl.hasOption('R')) {
        const io = this.io;
        yield* visitSubTreeDFS(path, watch, function* (p) {
          io.out(`${p}\n`);
        });
      } else {
        const { children, stat } = yield* getChildren(path, watch);
        this.printChildren(children, this.cl.hasOption('s') ? stat : null);
      }
    } catch (e) {
      throw wrapCallError(e);
    }
    return watch;
  }

  /** Collections.sort (UTF-16 order, as JavaScript's default sort), then `[a, b]`. */
  private printChildren(children: string[], stat: Stat | null): void {
    this.io.out(`[${children.sort().join(', ')}]\n`);
    if (stat !== null) this.io.out(describeStat(stat));
  }
}

export class StatCommand extends CliCommand {
  private static readonly options = new Options().addOption('w', false, 'watch');
  private cl = new CommandLine();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'stat', '[-w] path');
  }

  parse(cmdArgs: string[]): this {
    this.cl = parseOptions(StatCommand.options, cmdArgs);
    this.args = this.cl.args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    const warning = "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.";
    const again = retainWatchCompatibility(this.io, StatCommand.options, cmdArgs, this.args, warning);
    if (again) ({ cl: this.cl, args: this.args } = again);
    return this;
  }

  *exec(): ZkRun<boolean> {
    const path = this.args[1];
    const watch = this.cl.hasOption('w');
    let stat: Stat | null;
    try {
      stat = yield* exists(path, watch);
    } catch (e) {
      throw wrapCallError(e);
    }
    if (stat === null) throw new CliWrapperException(new KeeperException(Code.NONODE, path));
    this.io.out(describeStat(stat));
    return watch;
  }
}

export class SyncCommand extends CliCommand {
  private static readonly options = new Options();
  private args: string[] = [];

  constructor(io: Output) {
    super(io, 'sync', 'path');
  }

  parse(cmdArgs: string[]): this {
    this.args = parseOptions(SyncCommand.options, cmdArgs).args;
    if (this.args.length < 2) throw new CliParseException(this.usageStr());
    return this;
  }

  *exec(): ZkRun<boolean> {
    let rc: Code;
    try {
      rc = yield* syncRc(this.args[1]);
    } catch (e) {
      throw wrapCallError(e);
    }
    this.println(rc === Code.OK ? 'Sync is OK' : `Sync has failed. rc=${rc}`);
    return false;
  }
}
