import { describe, expect, it } from 'vitest';
import {
  assembleTranscript,
  CaseParseError,
  expandPrintfEscapes,
  oneshotHeader,
  parseCase,
  sessionHeader,
  type Step,
  type TranscriptSection,
} from './case-file.ts';
import { caseNames, readCase, readExpected } from './corpus.test-helper.ts';

const bytesOf = (s: string): number[] => [...expandPrintfEscapes(s).bytes];

describe('parseCase', () => {
  it('sends every non-# line verbatim to the implicit main session, blank lines included', () => {
    const c = parseCase('# a comment\nls / \n\n   \nget /x\n');
    expect(c.server).toBe('standalone');
    expect(c.port).toBe(2191);
    expect(c.servercfg).toEqual({});
    expect(c.steps).toEqual<Step[]>([
      { kind: 'session', name: 'main', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: true, implicit: true },
      { kind: 'command', session: 'main', text: 'ls / ' },
      { kind: 'command', session: 'main', text: '' },
      { kind: 'command', session: 'main', text: '   ' },
      { kind: 'command', session: 'main', text: 'get /x' },
    ]);
  });

  it('reads a last line without a newline, keeps \\r and backslashes', () => {
    const c = parseCase('create /a a\\nb\r\nls /');
    expect(c.steps.slice(1)).toEqual([
      { kind: 'command', session: 'main', text: 'create /a a\\nb\r' },
      { kind: 'command', session: 'main', text: 'ls /' },
    ]);
  });

  it('an empty file has no steps', () => {
    expect(parseCase('').steps).toEqual([]);
    expect(parseCase('# only a comment\n').steps).toEqual([]);
  });

  it('reads server and servercfg wherever they are (first server wins)', () => {
    const c = parseCase('ls /\n#@ server ensemble\n#@ server standalone\n#@ servercfg enforceQuota=true\n#@ servercfg a.b = x=y \n');
    expect(c.server).toBe('ensemble');
    expect(c.port).toBe(2181);
    expect(c.servercfg).toEqual({ enforceQuota: 'true', 'a.b': 'x=y ' });
    expect(c.steps[0]).toEqual({ kind: 'session', name: 'main', args: ['-server', '127.0.0.1:2181', '-waitforconnection'], start: true, implicit: true });
    expect(parseCase('#@ server none\nls /').port).toBe(2191);
    expect(parseCase('#@ server Ensemble\n').server).toBe('standalone'); // sed's [a-z]* matches nothing
    expect(() => parseCase('#@ server bogus\n')).toThrow(CaseParseError);
  });

  it('declares, starts and switches sessions like run-cases.sh', () => {
    const c = parseCase(
      ['#@ session A', 'create /x', '#@ session B -server 127.0.0.1:2182 -waitforconnection', 'ls /', '#@ session A -server other:1', 'ls /x', '#@ session\tC   '].join('\n'),
    );
    expect(c.steps).toEqual<Step[]>([
      { kind: 'session', name: 'A', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: true },
      { kind: 'command', session: 'A', text: 'create /x' },
      { kind: 'session', name: 'B', args: ['-server', '127.0.0.1:2182', '-waitforconnection'], start: true },
      { kind: 'command', session: 'B', text: 'ls /' },
      { kind: 'session', name: 'A', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: false },
      { kind: 'command', session: 'A', text: 'ls /x' },
      { kind: 'session', name: 'C', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: true },
    ]);
    // a command before any session starts main; a later "#@ session main" only switches
    const d = parseCase('ls /\n#@ session other\nls /\n#@ session main\nls /\n');
    expect(d.steps.filter((s) => s.kind === 'session')).toEqual([
      { kind: 'session', name: 'main', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: true, implicit: true },
      { kind: 'session', name: 'other', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: true },
      { kind: 'session', name: 'main', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], start: false },
    ]);
    expect(() => parseCase('#@ session\n')).toThrow(CaseParseError);
  });

  it('parses the other directives', () => {
    const c = parseCase(
      [
        '#@ server ensemble',
        '#@ sleep 3',
        '#@ sleep 0.5',
        '#@ sleep 1m',
        '#@ kill 2 3',
        '#@ kill leader',
        '#@ start 2',
        '#@ start killed',
        '#@ wait-leader',
        '#@ wait-serving 1 2',
        '#@ shell $ZKE status 2 >/dev/null',
        '#@ oneshot ls /',
        '#@ oneshot',
        '#@ killall 3',
        '#@ startx',
        '#@ nosuchdirective x',
        '#@ raw create /a\\x00b',
      ].join('\n'),
    );
    expect(c.steps).toEqual<Step[]>([
      { kind: 'sleep', seconds: 3 },
      { kind: 'sleep', seconds: 0.5 },
      { kind: 'sleep', seconds: 60 },
      { kind: 'kill', targets: [2, 3] },
      { kind: 'kill', targets: 'leader' },
      { kind: 'start', targets: [2] },
      { kind: 'start', targets: 'killed' },
      { kind: 'wait-leader' },
      { kind: 'wait-serving', servers: [1, 2] },
      { kind: 'shell', command: '$ZKE status 2 >/dev/null' },
      { kind: 'oneshot', args: ['ls', '/'] },
      { kind: 'oneshot', args: [] },
      { kind: 'session', name: 'main', args: ['-server', '127.0.0.1:2181', '-waitforconnection'], start: true, implicit: true },
      { kind: 'raw', session: 'main', bytes: 'create /a\u0000b', text: 'create /a\u0000b' },
    ]);
    expect(() => parseCase('#@ sleep soon\n')).toThrow(CaseParseError);
    expect(() => parseCase('#@ kill x\n')).toThrow(CaseParseError);
  });

  it('expands raw text as printf %b does (bytes, and UTF-8 text)', () => {
    const c = parseCase('#@ raw create /a\\xef\\xbf\\xbfb\n#@ raw x\\xee\\x80\\x80\n');
    expect(c.steps[1]).toEqual({ kind: 'raw', session: 'main', bytes: 'create /a\u00ef\u00bf\u00bfb', text: 'create /a\uffffb' });
    expect(c.steps[2]).toMatchObject({ text: 'x\ue000' });
    expect(parseCase('#@ raw \\xef\\xbb\\xbfa').steps[1]).toMatchObject({ text: '\ufeffa' });
  });
});

describe('expandPrintfEscapes (bash printf %b)', () => {
  it('handles the usual escapes', () => {
    expect(bytesOf('a\\tb\\nc\\\\d')).toEqual([0x61, 9, 0x62, 10, 0x63, 0x5c, 0x64]);
    expect(bytesOf('\\a\\b\\e\\E\\f\\r\\v')).toEqual([7, 8, 0x1b, 0x1b, 12, 13, 11]);
  });
  it('hex: one or two digits; none keeps the backslash', () => {
    expect(bytesOf('\\x41\\x4\\x7fz\\x414')).toEqual([0x41, 4, 0x7f, 0x7a, 0x41, 0x34]);
    expect(bytesOf('\\xg')).toEqual([0x5c, 0x78, 0x67]);
  });
  it('octal: \\0 plus up to three digits, or \\N plus up to two', () => {
    expect(bytesOf('\\0101\\101\\0\\1010')).toEqual([0x41, 0x41, 0, 0x41, 0x30]);
  });
  it('unicode escapes become UTF-8', () => {
    expect(bytesOf('\\u00e9\\U0001F600\\u41')).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x41]);
  });
  it('keeps unknown escapes and a trailing backslash; \\c stops', () => {
    expect(bytesOf('\\q\\"\\\'\\?')).toEqual([0x5c, 0x71, 0x5c, 0x22, 0x5c, 0x27, 0x5c, 0x3f]);
    expect(bytesOf('ab\\')).toEqual([0x61, 0x62, 0x5c]);
    expect(expandPrintfEscapes('ab\\cde')).toEqual({ bytes: Uint8Array.from([0x61, 0x62]), stopped: true });
  });
  it('passes non-ASCII input through as UTF-8', () => {
    expect(bytesOf('é')).toEqual([0xc3, 0xa9]);
  });
});

describe('headers and assembleTranscript', () => {
  const a: TranscriptSection = { kind: 'session', name: 'A', args: ['-server', '127.0.0.1:2191', '-waitforconnection'], transcript: 'Connecting\n[zk: x 0] ' };
  const b: TranscriptSection = { kind: 'session', name: 'B', args: ['-server', '127.0.0.1:2191'], transcript: 'quit\n' };
  const o1: TranscriptSection = { kind: 'oneshot', port: 2191, args: ['ls', '/'], output: '[zookeeper]\n', exitCode: 0 };
  const o2: TranscriptSection = { kind: 'oneshot', port: 2181, args: [], output: 'usage\n', exitCode: 127 };

  it('writes the header lines exactly', () => {
    expect(sessionHeader('A', ['-server', '127.0.0.1:2191', '-waitforconnection'])).toBe(
      '----- session A (zkCli -server 127.0.0.1:2191 -waitforconnection) -----',
    );
    expect(oneshotHeader(2191, ['get', '-s', '/x'])).toBe('$ zkCli.sh -server 127.0.0.1:2191 get -s /x');
    expect(oneshotHeader(2191, [])).toBe('$ zkCli.sh -server 127.0.0.1:2191 ');
  });

  it('one session: the bare transcript', () => {
    expect(assembleTranscript([a])).toBe('Connecting\n[zk: x 0] ');
  });

  it('several sessions: a header before each, a newline after each', () => {
    expect(assembleTranscript([a, b])).toBe(
      '----- session A (zkCli -server 127.0.0.1:2191 -waitforconnection) -----\nConnecting\n[zk: x 0] \n' +
        '----- session B (zkCli -server 127.0.0.1:2191) -----\nquit\n\n',
    );
  });

  it('oneshots: all first, then every session with its header', () => {
    expect(assembleTranscript([o1, o2])).toBe('$ zkCli.sh -server 127.0.0.1:2191 ls /\n[zookeeper]\n[exit code 0]\n$ zkCli.sh -server 127.0.0.1:2181 \nusage\n[exit code 127]\n');
    expect(assembleTranscript([a, o1])).toBe(
      '$ zkCli.sh -server 127.0.0.1:2191 ls /\n[zookeeper]\n[exit code 0]\n' +
        '----- session A (zkCli -server 127.0.0.1:2191 -waitforconnection) -----\nConnecting\n[zk: x 0] \n',
    );
    expect(assembleTranscript([])).toBe('');
  });
});

/** Cuts an expected .out back into the sections run-cases.sh assembled it from. */
function splitOut(out: string, sessions: { name: string; args: string[] }[], oneshots: { args: string[] }[], port: number): TranscriptSection[] {
  const sections: TranscriptSection[] = [];
  let rest = out;
  for (const o of oneshots) {
    const header = `${oneshotHeader(port, o.args)}\n`;
    expect(rest.startsWith(header)).toBe(true);
    const m = /\[exit code (\d+)\]\n/.exec(rest);
    expect(m).not.toBeNull();
    sections.push({ kind: 'oneshot', port, args: o.args, output: rest.slice(header.length, m!.index), exitCode: Number(m![1]) });
    rest = rest.slice(m!.index + m![0].length);
  }
  if (sessions.length === 1 && oneshots.length === 0) return [{ kind: 'session', ...sessions[0], transcript: rest }];
  sessions.forEach((s, i) => {
    const header = `${sessionHeader(s.name, s.args)}\n`;
    expect(rest.startsWith(header)).toBe(true);
    const next = i + 1 < sessions.length ? rest.indexOf(`\n${sessionHeader(sessions[i + 1].name, sessions[i + 1].args)}\n`) + 1 : rest.length;
    expect(rest.slice(next - 1, next)).toBe('\n');
    sections.push({ kind: 'session', ...s, transcript: rest.slice(header.length, next - 1) });
    rest = rest.slice(next);
  });
  expect(rest).toBe('');
  return sections;
}

describe('the golden corpus', () => {
  const names = caseNames();

  it('has the 54 cases the README lists, with about 790 command lines', () => {
    expect(names.length).toBe(54);
    let commands = 0;
    let raws = 0;
    let oneshots = 0;
    let comments = 0;
    for (const name of names) {
      const text = readCase(name);
      const c = parseCase(text);
      commands += c.steps.filter((s) => s.kind === 'command').length;
      raws += c.steps.filter((s) => s.kind === 'raw').length;
      oneshots += c.steps.filter((s) => s.kind === 'oneshot').length;
      comments += text.split('\n').filter((l) => l.startsWith('#')).length;
    }
    expect(commands).toBe(791); // includes the empty line of unknown_command.cli
    expect(raws).toBe(5);
    expect(oneshots).toBe(11);
    expect(commands + raws).toBeGreaterThan(780);
    expect(commands + raws).toBeLessThan(800);
    expect(comments).toBeGreaterThan(50);
  });

  it.each(names)('%s: parses, and its .out has the sessions, oneshots and prompts the case implies', (name) => {
    const c = parseCase(readCase(name));
    const out = readExpected(name);
    const sessions = c.steps.flatMap((s) => (s.kind === 'session' && s.start ? [{ name: s.name, args: s.args }] : []));
    const oneshots = c.steps.flatMap((s) => (s.kind === 'oneshot' ? [{ args: s.args }] : []));
    const sections = splitOut(out, sessions, oneshots, c.port);
    // assembleTranscript rebuilds the file byte for byte
    expect(assembleTranscript(sections)).toBe(out);
    // every session gets one prompt per line sent, plus the first one, unless it exited
    for (const s of sections) {
      if (s.kind !== 'session') continue;
      const sent = c.steps.filter((t) => (t.kind === 'command' || t.kind === 'raw') && t.session === s.name).length;
      const prompts = s.transcript.match(/\[zk: [^\]]*\] /g)?.length ?? 0;
      if (/\[zk: [^\]]*\] $/.test(s.transcript)) expect(prompts).toBe(sent + 1);
      else expect(prompts).toBeLessThanOrEqual(sent); // quit, or a crash: the rest was dropped
      // each line sent is echoed after its prompt
      const echoed = c.steps.flatMap((t) => (t.kind === 'command' && t.session === s.name ? [t.text] : t.kind === 'raw' && t.session === s.name ? [t.text] : []));
      const afterPrompts = s.transcript.split(/\[zk: [^\]]*\] /).slice(1);
      afterPrompts.forEach((chunk, i) => {
        if (i < echoed.length) expect(chunk.startsWith(`${echoed[i]}\n`) || chunk.startsWith('\n')).toBe(true);
      });
    }
  });
});
