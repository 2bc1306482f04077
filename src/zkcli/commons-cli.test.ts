import { describe, expect, it } from 'vitest';
import { Options, ParseException, formatHelp, parseCommandLine } from './commons-cli.ts';

const set = new Options().addOption('s', false, 'stats').addOption('v', true, 'version');

function parse(options: Options, line: string) {
  const cl = parseCommandLine(options, line.split(' '));
  return { args: cl.args, s: cl.hasOption('s'), v: cl.getOptionValue('v') };
}

function error(options: Options, line: string): string {
  try {
    parseCommandLine(options, line.split(' '));
  } catch (e) {
    if (e instanceof ParseException) return e.message;
    throw e;
  }
  throw new Error('expected a ParseException');
}

describe('DefaultParser (commons-cli 1.5)', () => {
  it('lets options follow arguments', () => {
    expect(parse(set, 'set /x -v 5 data')).toEqual({ args: ['set', '/x', 'data'], s: false, v: '5' });
  });

  it('reads bundles, attached values and = values', () => {
    expect(parse(set, 'set -sv 1 /x d')).toEqual({ args: ['set', '/x', 'd'], s: true, v: '1' });
    expect(parse(set, 'set -v1 /x d').v).toBe('1');
    expect(parse(set, 'set -v=1 /x d').v).toBe('1');
    expect(parse(set, 'set -vs /x d')).toEqual({ args: ['set', '/x', 'd'], s: false, v: 's' });
  });

  it('takes a negative number as a value but not an option', () => {
    expect(parse(set, 'set -v -1 /x d').v).toBe('-1');
    expect(error(set, 'set -v -s /x d')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
    expect(error(set, 'set -v')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
  });

  it('keeps the first of repeated values', () => {
    expect(parse(set, 'set -v 3 -v 9 /x g').v).toBe('3');
  });

  it('stops at --, and - alone is an argument', () => {
    expect(parse(set, 'get -- -s /x')).toEqual({ args: ['get', '-s', '/x'], s: false, v: null });
    expect(parse(set, 'get -').args).toEqual(['get', '-']);
  });

  it('names the whole word of an unknown option', () => {
    for (const word of ['-x', '-sx', '-w-', '--w', '---w', '-x=1']) {
      expect(error(set, `get ${word} /x`)).toBe(`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ${word}`);
    }
  });

  it('checks option groups', () => {
    const quota = new Options().addOptionGroup([
      { opt: 'n', hasArg: true, description: 'num soft quota' },
      { opt: 'b', hasArg: true, description: 'bytes soft quota' },
      { opt: 'N', hasArg: true, description: 'num hard quota' },
      { opt: 'B', hasArg: true, description: 'bytes hard quota' },
    ], true);
    expect(error(quota, 'setquota -n 5 -b 100 /q')).toBe(
      "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'");
    expect(parseCommandLine(quota, ['setquota', '-n', '1', '-n', '2', '/x']).args).toEqual(['setquota', '/x']);
    expect(error(quota, 'setquota /q')).toBe(
      'org.apache.commons.cli.MissingOptionException: Missing required option: ' +
      '[-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota]');
  });

  it('knows multi-letter short options (reconfig)', () => {
    const o = new Options().addOption('add', true, 'a').addOption('remove', true, 'r');
    const cl = parseCommandLine(o, ['reconfig', '-remove', '3']);
    expect(cl.getOptionValue('remove')).toBe('3');
    expect(error(o, 'reconfig -remove')).toBe('org.apache.commons.cli.MissingArgumentException: Missing argument for option: remove');
  });

  it('prints help as HelpFormatter does', () => {
    const ls = new Options().addOption('?', false, 'help').addOption('s', false, 'stat').addOption('w', false, 'watch').addOption('R', false, 'recurse');
    expect(formatHelp('ls [options] path', ls)).toBe('usage: ls [options] path\n -?   help\n -R   recurse\n -s   stat\n -w   watch\n');
  });
});
