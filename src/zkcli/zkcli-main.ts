/**
 * ZkCliMain: org.apache.zookeeper.ZooKeeperMain 3.8.0, the zkCli process, as a pure object.
 *
 * State kept as ZooKeeperMain keeps it: the history (line number -> line), the command counter
 * (up by one for every non-empty line, errors included), printWatches, the last exit code, the
 * host shown in the prompt, and the last parsed line (MyCommandOptions: a line with no words,
 * such as a lone `"`, leaves it as it was, so the previous command runs again).
 *
 * The host drives it:
 *   parseMainArgs(argv) -> options; new ZkCliMain(options, output)
 *   connectInitial()     `Connecting to ...`, connect (waits when -waitforconnection)
 *   printWelcome()       `Welcome to ZooKeeper!`, `JLine support is enabled`
 *   prompt(state)        `[zk: 127.0.0.1:2181(CONNECTED) 0] `
 *   executeLine(line)    one typed line
 *   runOneShot(args)     `zkCli.sh -server H:P cmd args`: connect, run, quit with 0/1/127
 *   onWatchedEvent(e)    the default watcher (MyWatcher): `\nWATCHER::\n\nWatchedEvent ...\n`
 *   complete(buffer, cursor) / completeCommand / completePath: JLineZNodeCompleter
 * Generators yield effects (effects.ts); a crash writes the Java stack trace and yields `crash`.
 */
import type { ClientState } from '../client/api.ts';
import { javaSplit } from '../engine/acl/java-string.ts';
import { describeWatchedEvent, type WatcherEvent } from '../engine/protocol/records.ts';
import type { CliCommand } from './cli-command.ts';
import { CliException, CommandNotFoundException, MalformedCommandException } from './cli-exceptions.ts';
import {
  AddAuthCommand, AddWatchCommand, GetAclCommand, RemoveWatchesCommand, SetAclCommand, WhoAmICommand,
} from './commands-acl.ts';
import {
  CloseCommand, GetAllChildrenNumberCommand, GetConfigCommand, GetEphemeralsCommand, ReconfigCommand, VersionCommand,
} from './commands-admin.ts';
import {
  CreateCommand, DeleteAllCommand, DeleteCommand, GetCommand, LsCommand, SetCommand, StatCommand, SyncCommand,
} from './commands-data.ts';
import { DelQuotaCommand, ListQuotaCommand, SetQuotaCommand } from './commands-quota.ts';
import type { CommandRun, Effect, EffectResult, Output } from './effects.ts';
import { checkConnectString } from './connect-check.ts';
import { javaDecode, javaParseInt } from './java-number.ts';
import { JLineHistory, type JLineState } from './jline-events.ts';
import { JavaThrowable, describeUncaught, mainFrame } from './java-throwable.ts';
import { tokenizeCommand } from './tokenizer.ts';
import { IllegalArgumentException, KeeperException, clientState, getChildren, isAlive } from './zk-api.ts';

export interface MainOptions {
  /** -server, default `localhost:2181` (MyCommandOptions' default). */
  readonly server: string;
  readonly waitForConnection: boolean;
  /** -timeout in ms (default 30000); 30000 too when the text is not an int (see timeoutText). */
  readonly timeout: number;
  /** -timeout as given: Integer.parseInt runs at connect time, and a bad one kills zkCli then. */
  readonly timeoutText: string;
  readonly readOnly: boolean;
  /** -client-configuration: accepted and ignored (the playground has no files to read). */
  readonly clientConfiguration: string | null;
  /** The one-shot command and its arguments (empty: interactive). */
  readonly command: readonly string[];
  /** `Error: no argument found for option -server` when an option lacked its value. */
  readonly argError: string | null;
}

/** MyCommandOptions.parseOptions: options until the first word not starting with `-`. */
export function parseMainArgs(argv: readonly string[]): MainOptions {
  const o = { server: 'localhost:2181', timeoutText: '30000', waitForConnection: false, readOnly: false };
  let clientConfiguration: string | null = null;
  let argError: string | null = null;
  let command: string[] = [];
  const valued = new Set(['-server', '-timeout', '-client-configuration']);
  for (let i = 0; i < argv.length; i++) {
    const opt = argv[i];
    if (valued.has(opt)) {
      if (i + 1 >= argv.length) {
        argError = `Error: no argument found for option ${opt}`;
        break;
      }
      const value = argv[++i];
      if (opt === '-server') o.server = value;
      else if (opt === '-timeout') o.timeoutText = value;
      else clientConfiguration = value;
    } else if (opt === '-r') {
      o.readOnly = true;
    } else if (opt === '-waitforconnection') {
      o.waitForConnection = true;
    }
    if (!opt.startsWith('-')) {
      command = argv.slice(i);
      break;
    }
  }
  const timeout = javaParseInt(o.timeoutText);
  return { ...o, timeout: timeout.ok ? timeout.value : 30000, clientConfiguration, command, argError };
}

/** The commands ZooKeeperMain itself handles, with their usage text. */
const builtinOptionStrs: Readonly<Record<string, string>> = {
  connect: 'host:port',
  history: '',
  redo: 'cmdno',
  printwatches: 'on|off',
  quit: '',
};

function makeCommands(io: Output): Map<string, CliCommand> {
  const commands: CliCommand[] = [
    new CloseCommand(io), new CreateCommand(io), new DeleteCommand(io), new DeleteAllCommand(io), new SetCommand(io),
    new GetCommand(io), new LsCommand(io), new GetAclCommand(io), new SetAclCommand(io), new StatCommand(io),
    new SyncCommand(io), new SetQuotaCommand(io), new ListQuotaCommand(io), new DelQuotaCommand(io),
    new AddAuthCommand(io), new ReconfigCommand(io), new GetConfigCommand(io), new RemoveWatchesCommand(io),
    new GetEphemeralsCommand(io), new GetAllChildrenNumberCommand(io), new VersionCommand(io),
    new AddWatchCommand(io), new WhoAmICommand(io),
  ];
  return new Map(commands.map((c) => [c.cmdStr, c]));
}

/** The usage line of every command, as commandMap holds it. */
const commandOptionStrs: ReadonlyMap<string, string> = (() => {
  const sink: Output = { out: () => {}, err: () => {} };
  const map = new Map(Object.entries(builtinOptionStrs));
  for (const [name, c] of makeCommands(sink)) map.set(name, c.optionStr);
  return map;
})();

/** ZooKeeperMain.getCommands(): every command name, sorted (String order: `addWatch` < `addauth`). */
export function getCommands(): string[] {
  return [...commandOptionStrs.keys()].sort();
}

/** ZooKeeperMain.usage(), printed on stderr before `Command not found`. */
export function usageText(): string {
  let text = 'ZooKeeper -server host:port -client-configuration properties-file cmd args\n';
  for (const cmd of getCommands()) text += `\t${cmd} ${commandOptionStrs.get(cmd)}\n`;
  return text;
}

/** Tab completion of a command name. */
export function completeCommand(prefix: string): string[] {
  return getCommands().filter((c) => c.startsWith(prefix));
}

export type Completion = { readonly start: number; readonly candidates: readonly string[] };
type CompletionRun = Generator<Effect, Completion, EffectResult>;

/**
 * Tab completion of a znode path token such as `/a/b` or `/a/`: the children of its directory
 * that start with the last component (child names only), sorted. Nothing on any error.
 */
export function* completePath(token: string): Generator<Effect, string[], EffectResult> {
  const idx = token.lastIndexOf('/') + 1;
  const prefix = token.slice(idx);
  const dir = idx === 1 ? '/' : token.slice(0, idx - 1);
  try {
    const { children } = yield* getChildren(dir, false);
    return children.filter((c) => c.startsWith(prefix)).sort();
  } catch (e) {
    if (e instanceof KeeperException || e instanceof IllegalArgumentException) return [];
    throw e;
  }
}

/** JLineZNodeCompleter.complete: candidates and the buffer index they replace from. */
export function* complete(line: string, cursor: number): CompletionRun {
  const buffer = line.slice(0, cursor);
  let token = '';
  if (!buffer.endsWith(' ')) {
    const tokens = javaSplit(buffer, ' ');
    if (tokens.length !== 0) token = tokens[tokens.length - 1];
  }
  if (token.startsWith('/')) {
    const candidates = yield* completePath(token);
    return { start: candidates.length === 0 ? buffer.length : buffer.lastIndexOf('/') + 1, candidates };
  }
  return { start: buffer.lastIndexOf(' ') + 1, candidates: completeCommand(token) };
}

/** The frames under processCmd when a line is typed, and when zkCli runs one command. */
const interactiveFrames = [mainFrame('executeLine', 359), mainFrame('run', 327), mainFrame('main', 293)];
const oneShotFrames = [mainFrame('run', 350), mainFrame('main', 293)];
const constructorFrames = [mainFrame('<init>', 299), mainFrame('main', 292)];

/** Adds a caller's frame to a Java throwable on its way up; other errors pass untouched. */
function unwinding(e: unknown, frame: string): unknown {
  if (e instanceof JavaThrowable) e.withSharedFrame(frame);
  return e;
}

/** ZkCliMain's state between two commands (plain data). */
export interface ZkCliState {
  readonly history: readonly (readonly [number, string])[];
  readonly commandCount: number;
  readonly printWatches: boolean;
  readonly exitCode: number;
  readonly host: string;
  readonly cmdArgs: readonly string[] | null;
  readonly ended: boolean;
  /** JLine's history (absent in states saved before it was kept) */
  readonly jline?: JLineState;
}

export class ZkCliMain {
  private readonly commands: Map<string, CliCommand>;
  private readonly history = new Map<number, string>();
  private commandCount = 0;
  private printWatches = true;
  private exitCode = 0;
  private host = '';
  /** MyCommandOptions.cmdArgs: the words of the last line that had any (null before the first). */
  private cmdArgs: string[] | null = null;
  /** Set once zkCli died or quit: nothing runs after that. */
  private ended = false;
  /** JLine's ConsoleReader history, for `!` event expansion */
  private readonly jline = new JLineHistory();

  constructor(readonly options: MainOptions, private readonly output: Output) {
    this.commands = makeCommands(output);
  }

  /** The ZooKeeperMain constructor: `Connecting to <server>` and the first connection. */
  *connectInitial(): CommandRun {
    if (this.options.argError !== null) this.output.err(`${this.options.argError}\n`);
    this.output.out(`Connecting to ${this.options.server}\n`);
    try {
      yield* this.connectToZK(this.options.server);
    } catch (e) {
      yield* this.die(e, constructorFrames);
    }
  }

  /** What run() prints before reading lines (JLine 2 present). */
  printWelcome(): void {
    this.output.out('Welcome to ZooKeeper!\n');
    this.output.out('JLine support is enabled\n');
  }

  /** What a lockstep checkpoint keeps of this zkCli between two commands (none under way). */
  checkpointState(): ZkCliState {
    return {
      history: [...this.history], commandCount: this.commandCount, printWatches: this.printWatches, exitCode: this.exitCode,
      host: this.host, cmdArgs: this.cmdArgs === null ? null : [...this.cmdArgs], ended: this.ended, jline: this.jline.save(),
    };
  }

  restoreState(s: ZkCliState): void {
    this.history.clear();
    for (const [n, line] of s.history) this.history.set(n, line);
    this.commandCount = s.commandCount;
    this.printWatches = s.printWatches;
    this.exitCode = s.exitCode;
    this.host = s.host;
    this.cmdArgs = s.cmdArgs === null ? null : [...s.cmdArgs];
    this.ended = s.ended;
    this.jline.restore(s.jline ?? { items: [], offset: 0, reads: 0 });
  }

  prompt(state: ClientState): string {
    return `[zk: ${this.host}(${state}) ${this.commandCount}] `;
  }

  /** MyWatcher.process: every event of the default watcher, while printwatches is on. */
  onWatchedEvent(event: WatcherEvent): void {
    if (!this.printWatches) return;
    this.output.out('\nWATCHER::\n');
    this.output.out(`\n${describeWatchedEvent(event)}\n`);
  }

  /** A typed line: JLine's event expansion (jline-events.ts), then ZooKeeperMain.executeLine. */
  *executeLine(typed: string): CommandRun {
    if (this.ended) return;
    const finished = this.jline.finish(typed);
    if (finished.error !== null) this.output.err(finished.error);
    if (finished.echo !== null) this.output.out(finished.echo);
    const line = finished.line;
    if (line === '') return;
    const words = tokenizeCommand(line);
    if (words.length > 0) this.cmdArgs = words;
    this.history.set(this.commandCount, line);
    try {
      yield* this.processCmd(this.cmdArgs);
    } catch (e) {
      yield* this.die(e, interactiveFrames);
      return;
    }
    this.commandCount++;
  }

  /** ZooKeeperMain with a command on its command line: connect, run it, exit with its code. */
  *runOneShot(args: readonly string[]): CommandRun {
    yield* this.connectInitial();
    if (this.ended) return;
    this.cmdArgs = [...args];
    try {
      yield* this.processCmd(this.cmdArgs);
    } catch (e) {
      yield* this.die(e, oneShotFrames);
      return;
    }
    if (this.ended) return;
    this.ended = true;
    yield { kind: 'quit', code: this.exitCode };
  }

  /** The uncaught exception: its trace on stderr, then the JVM is gone. */
  private *die(e: unknown, frames: readonly string[]): CommandRun {
    if (!(e instanceof JavaThrowable)) throw e;
    for (const frame of frames) e.withSharedFrame(frame);
    this.output.err(describeUncaught(e));
    this.ended = true;
    yield { kind: 'crash' };
  }

  private *processCmd(words: string[] | null): Generator<Effect, boolean, EffectResult> {
    try {
      const watch = yield* this.processZKCmd(words);
      this.exitCode = 0;
      return watch;
    } catch (e) {
      if (!(e instanceof CliException)) throw unwinding(e, mainFrame('processCmd', 367));
      this.exitCode = e.exitCode;
      this.output.err(`${e.message}\n`);
      return false;
    }
  }

  private *processZKCmd(words: string[] | null): Generator<Effect, boolean, EffectResult> {
    if (words === null) {
      throw new JavaThrowable('java.lang.NullPointerException', 'Cannot invoke "java.util.List.toArray(Object[])" because "this.cmdArgs" is null', [
        'org.apache.zookeeper.ZooKeeperMain$MyCommandOptions.getArgArray(ZooKeeperMain.java:157)',
        mainFrame('processZKCmd', 377),
      ]);
    }
    const args = [...words];
    const cmd = args[0];
    if (args.length < 1) {
      this.output.err(usageText());
      throw new MalformedCommandException('No command entered');
    }
    if (!commandOptionStrs.has(cmd)) {
      this.output.err(usageText());
      throw new CommandNotFoundException(`Command not found ${cmd}`);
    }
    if (cmd === 'quit') {
      yield { kind: 'close' };
      this.ended = true;
      yield { kind: 'quit', code: this.exitCode };
      return false;
    }
    yield* this.processBuiltin(cmd, args);
    if (this.ended) return false;
    if (!isAlive(yield* clientState())) {
      this.output.out('Not connected\n');
      return false;
    }
    const cliCmd = this.commands.get(cmd);
    if (cliCmd === undefined) return false;
    try {
      return yield* cliCmd.parse(args).exec();
    } catch (e) {
      throw unwinding(e, mainFrame('processZKCmd', 438));
    }
  }

  /** redo, history, printwatches, connect: handled before the connection check. */
  private *processBuiltin(cmd: string, args: string[]): Generator<Effect, void, EffectResult> {
    if (cmd === 'redo' && args.length >= 2) {
      yield* this.redo(args[1]);
    } else if (cmd === 'history') {
      for (let i = this.commandCount - 10; i <= this.commandCount; ++i) {
        if (i < 0) continue;
        this.output.out(`${i} - ${this.history.get(i) ?? null}\n`);
      }
    } else if (cmd === 'printwatches') {
      if (args.length === 1) this.output.out(`printwatches is ${this.printWatches ? 'on' : 'off'}\n`);
      else this.printWatches = args[1] === 'on';
    } else if (cmd === 'connect') {
      try {
        yield* this.connectToZK(args.length >= 2 ? args[1] : this.host);
      } catch (e) {
        throw unwinding(e, mainFrame('processZKCmd', args.length >= 2 ? 422 : 424));
      }
    }
  }

  private *redo(indexText: string): Generator<Effect, void, EffectResult> {
    const decoded = javaDecode(indexText);
    if (!decoded.ok) throw decoded.error.withFrame(mainFrame('processZKCmd', 397));
    const i = decoded.value;
    if (this.commandCount <= i || i < 0) throw new MalformedCommandException('Command index out of range');
    const line = this.history.get(i) ?? '';
    const words = tokenizeCommand(line);
    if (words.length > 0) this.cmdArgs = words;
    if (this.cmdArgs === null || this.cmdArgs[0] === 'redo') throw new MalformedCommandException('No redoing redos');
    this.history.set(this.commandCount, line);
    try {
      yield* this.processCmd(this.cmdArgs);
    } catch (e) {
      throw unwinding(e, mainFrame('processZKCmd', 406));
    }
  }

  /**
   * ZooKeeperMain.connectToZK: closes the current session (if alive), then opens the new one; a
   * connect string ConnectStringParser refuses throws out of `new ZooKeeperAdmin` uncaught. With -waitforconnection, no SyncConnected within the timeout means close and an
   * IOException nobody catches.
   */
  private *connectToZK(newHost: string): Generator<Effect, void, EffectResult> {
    if (isAlive(yield* clientState())) yield { kind: 'close' };
    this.host = newHost;
    const timeout = javaParseInt(this.options.timeoutText);
    if (!timeout.ok) throw timeout.error.withFrame(mainFrame('connectToZK', 280));
    const checked = checkConnectString(newHost);
    if ('error' in checked) throw checked.error;
    yield { kind: 'connect', connectString: checked.connectString };
    if (!this.options.waitForConnection) return;
    if ((yield* clientState()) === 'CONNECTED') return;
    yield { kind: 'close' };
    const lossText = 'KeeperErrorCode = ConnectionLoss';
    const lossClass = 'org.apache.zookeeper.KeeperException$ConnectionLossException';
    const at = mainFrame('connectToZK', 285);
    const cause = new JavaThrowable(lossClass, lossText, ['org.apache.zookeeper.KeeperException.create(KeeperException.java:102)', at]);
    throw new JavaThrowable('java.io.IOException', `${lossClass}: ${lossText}`, [at], cause);
  }
}

