/**
 * org.apache.zookeeper.cli's exception classes. ZooKeeperMain.processCmd catches CliException,
 * prints its message on stderr and keeps its exit code (1, or 127 for an unknown command); any
 * other exception escapes and kills zkCli (see java-throwable.ts).
 */
import { Code } from '../engine/protocol/errors.ts';
import { ParseException } from './commons-cli.ts';
import { KeeperException } from './zk-api.ts';

export class CliException extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** CliParseException(ParseException) carries the cause's toString(); (String) a usage line. */
export class CliParseException extends CliException {
  static of(e: ParseException): CliParseException {
    return new CliParseException(e.message);
  }
}

export class MalformedCommandException extends CliException {}

export class MalformedPathException extends CliException {}

/** `Command not found: Command not found X`: the message already starts with the phrase. */
export class CommandNotFoundException extends CliException {
  constructor(command: string) {
    super(`Command not found: ${command}`, 127);
  }
}

const wrapperPrefixes: Partial<Record<Code, string>> = {
  [Code.NONODE]: 'Node does not exist: ',
  [Code.NOCHILDRENFOREPHEMERALS]: 'Ephemerals cannot have children: ',
  [Code.NODEEXISTS]: 'Node already exists: ',
  [Code.NOTEMPTY]: 'Node not empty: ',
  [Code.NOTREADONLY]: 'Not a read-only call: ',
  [Code.INVALIDACL]: 'Acl is not valid : ',
  [Code.NOAUTH]: 'Insufficient permission : ',
  [Code.BADARGUMENTS]: 'Arguments are not valid : ',
  [Code.BADVERSION]: 'version No is not valid : ',
  [Code.QUOTAEXCEEDED]: 'Quota has exceeded : ',
};

const wrapperTexts: Partial<Record<Code, string>> = {
  [Code.RECONFIGINPROGRESS]: 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)',
  [Code.NEWCONFIGNOQUORUM]:
    'No quorum of new config is connected and up-to-date with the leader of last committed config - try ' +
    'invoking reconfiguration after new servers are connected and synced',
};

/** CliWrapperException.getMessage(cause): friendlier texts for some KeeperExceptions. */
export class CliWrapperException extends CliException {
  constructor(cause: Error) {
    super(wrapperMessage(cause));
  }
}

function wrapperMessage(cause: Error): string {
  if (!(cause instanceof KeeperException)) return cause.message;
  const prefix = wrapperPrefixes[cause.code];
  if (prefix !== undefined) return prefix + String(cause.path);
  return wrapperTexts[cause.code] ?? cause.message;
}
