/**
 * CliCommand: one zkCli command, as org.apache.zookeeper.cli.CliCommand. Like Java's, a command
 * object lives as long as the zkCli process and keeps what its last `parse` stored (AddWatch's
 * mode survives from one `addWatch` to the next). `exec` is a generator of client effects whose
 * return value is Java's `boolean watch`.
 */
import { CommandLine, ParseException, parseCommandLine, type Options } from './commons-cli.ts';
import { CliParseException } from './cli-exceptions.ts';
import type { Output } from './effects.ts';
import { utf8Decode } from '../engine/util/bytes.ts';
import type { Data } from '../engine/protocol/client-protocol.ts';
import type { ZkRun } from './zk-api.ts';

export abstract class CliCommand {
  constructor(
    protected readonly io: Output,
    readonly cmdStr: string,
    readonly optionStr: string,
  ) {}

  /** getUsageStr(): `create [-s] [-e] [-c] [-t ttl] path [data] [acl]` (`close ` for none). */
  usageStr(): string {
    return `${this.cmdStr} ${this.optionStr}`;
  }

  /** Throws CliParseException; returns this, as Java's parse does, for `parse(args).exec()`. */
  abstract parse(cmdArgs: string[]): this;

  abstract exec(): ZkRun<boolean>;

  protected println(text: string): void {
    this.io.out(`${text}\n`);
  }

  protected eprintln(text: string): void {
    this.io.err(`${text}\n`);
  }
}

/** `new DefaultParser().parse(options, cmdArgs)` with ParseException wrapped as Java does. */
export function parseOptions(options: Options, cmdArgs: readonly string[]): CommandLine {
  try {
    return parseCommandLine(options, cmdArgs);
  } catch (e) {
    if (e instanceof ParseException) throw CliParseException.of(e);
    throw e;
  }
}

/** `new String(data, UTF_8)` with zkCli's `null` for a node without data. */
export function dataText(data: Data): string {
  return data === null ? 'null' : utf8Decode(data);
}
