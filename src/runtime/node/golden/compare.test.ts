import { describe, expect, it } from 'vitest';
import { compare4lw, compareTranscripts } from './compare.ts';
import { caseNames, fourLetterFiles, HAVE_CORPUS, read4lw, readExpected } from './corpus.test-helper.ts';
import { extractWatcherFragments, mask4lwLines, normalizeTranscriptLines } from './normalize.ts';

const cmp = (expected: string, actual: string) => compareTranscripts(expected, actual, { caseName: 't' });

const P = (n: number, state = 'CONNECTED') => `[zk: 127.0.0.1:2191(${state}) ${n}] `;
const BLOCK = (ev: string) => `\nWATCHER::\n\nWatchedEvent state:SyncConnected type:${ev}\n`;
const HEAD = `Connecting to 127.0.0.1:2191\n${BLOCK('None path:null')}Welcome to ZooKeeper!\nJLine support is enabled\n`;

/** A session whose `create /a/b` fires a child watch set by `ls -w /a`, with the block placed by `place`. */
function watchTranscript(place: 'before-output' | 'before-prompt' | 'after-prompt' | 'split' | 'two-later'): string {
  const block = BLOCK('NodeChildrenChanged path:/a');
  const parts = [HEAD, `${P(0)}ls -w /a\n[]\n`, `${P(1)}create /a/b\n`];
  if (place === 'before-output') parts.push(block, 'Created /a/b\n', P(2));
  if (place === 'before-prompt') parts.push('Created /a/b\n', block, P(2));
  if (place === 'after-prompt') parts.push('Created /a/b\n', P(2), block);
  if (place === 'split') parts.push('Created /a/b\n', '\nWATCHER::\n', P(2), '\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a\n');
  if (place === 'two-later') parts.push('Created /a/b\n', P(2));
  parts.push('ls /a\n[b]\n', P(3), 'ls /\n[a, zookeeper]\n', P(4));
  if (place === 'two-later') parts.push(block);
  parts.push('get /a\nnull\n', P(5));
  return parts.join('');
}

describe('compareTranscripts: floating WATCHER:: blocks', () => {
  const places = ['before-output', 'before-prompt', 'after-prompt', 'split'] as const;

  it.each(places.flatMap((x) => places.map((y) => [x, y] as const)))('%s vs %s: equal', (x, y) => {
    const r = cmp(watchTranscript(x), watchTranscript(y));
    expect(r.diff).toBe('');
    expect(r.equal).toBe(true);
  });

  it('a block two commands away is a difference', () => {
    const r = cmp(watchTranscript('before-output'), watchTranscript('two-later'));
    expect(r.equal).toBe(false);
    expect(r.diff).toContain('WATCHER:: blocks differ');
    expect(r.diff).toContain('WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a');
  });

  it('a missing, extra or different event is a difference', () => {
    const base = watchTranscript('before-output');
    expect(cmp(base, base.replace(BLOCK('NodeChildrenChanged path:/a'), '')).equal).toBe(false);
    expect(cmp(base, base.replace('Created /a/b\n', `Created /a/b\n${BLOCK('NodeDataChanged path:/a')}`)).equal).toBe(false);
    expect(cmp(base, base.replace('NodeChildrenChanged path:/a', 'NodeChildrenChanged path:/b')).equal).toBe(false);
    // a WatchedEvent line without its WATCHER:: line, or a missing blank line, is not the real shape
    expect(cmp(base, base.replace('\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged', '\nWatchedEvent state:SyncConnected type:NodeChildrenChanged')).equal).toBe(false);
    expect(cmp(base, base.replace('WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged', 'WATCHER::\nWatchedEvent state:SyncConnected type:NodeChildrenChanged')).equal).toBe(false);
  });

  it('blocks may not move between sessions or oneshots', () => {
    const sect = (name: string, body: string) => `----- session ${name} (zkCli -server 127.0.0.1:2191 -waitforconnection) -----\n${body}\n`;
    const bodyA = `${HEAD}${P(0)}ls -w /\n[zookeeper]\n${P(1)}`;
    const bodyB = `${HEAD}${P(0)}create /x\nCreated /x\n${P(1)}`;
    const expected = sect('A', `${bodyA}${BLOCK('NodeChildrenChanged path:/')}`) + sect('B', bodyB);
    const actual = sect('A', bodyA) + sect('B', `${BLOCK('NodeChildrenChanged path:/')}${bodyB}`);
    // the remainders are identical, the event sits right before session B's header ...
    expect(extractWatcherFragments(expected).remainder).toBe(extractWatcherFragments(actual).remainder);
    // ... but in the other section
    expect(cmp(expected, actual).equal).toBe(false);
  });

  it('ls_watch.out equals a variant with every block right after its command output', () => {
    expect(HAVE_CORPUS).toBe(true);
    const real = readExpected('ls_watch');
    const lines = [
      'Connecting to 127.0.0.1:2191',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:None path:null',
      'Welcome to ZooKeeper!',
      'JLine support is enabled',
      '[zk: 127.0.0.1:2191(CONNECTED) 0] create /a',
      'Created /a',
      '[zk: 127.0.0.1:2191(CONNECTED) 1] ls -w /a',
      '[]',
      '[zk: 127.0.0.1:2191(CONNECTED) 2] create /a/child1',
      'Created /a/child1',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a',
      '[zk: 127.0.0.1:2191(CONNECTED) 3] create /a/child2',
      'Created /a/child2',
      '[zk: 127.0.0.1:2191(CONNECTED) 4] ls -w /a',
      '[child1, child2]',
      '[zk: 127.0.0.1:2191(CONNECTED) 5] delete /a/child1',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a',
      '[zk: 127.0.0.1:2191(CONNECTED) 6] ls -w /a',
      '[child2]',
      '[zk: 127.0.0.1:2191(CONNECTED) 7] set /a newdata',
      '[zk: 127.0.0.1:2191(CONNECTED) 8] ls /a',
      '[child2]',
      '[zk: 127.0.0.1:2191(CONNECTED) 9] ls -w /nonexistent',
      'Node does not exist: /nonexistent',
      '[zk: 127.0.0.1:2191(CONNECTED) 10] ',
    ];
    const tidy = lines.join('\n');
    expect(tidy).not.toBe(real);
    expect(compareTranscripts(real, tidy, { caseName: 'ls_watch' })).toEqual({ equal: true, diff: '' });
    expect(compareTranscripts(tidy, real, { caseName: 'ls_watch' })).toEqual({ equal: true, diff: '' });
    // the first block moved two commands later is not
    const late = tidy
      .replace('Created /a/child1\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a\n', 'Created /a/child1\n')
      .replace('delete /a/child1\n', 'delete /a/child1\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a\n');
    // one prompt later (after "[zk: …4] ") is still fine, two (after "[zk: …5] ") is not
    expect(compareTranscripts(real, late, { caseName: 'ls_watch' }).diff).toContain('"WATCHER::" expected at line 15, after 4 prompt(s); actual at line 20, after 6 prompt(s)');
    expect(compareTranscripts(real, late, { caseName: 'ls_watch' }).equal).toBe(false);
  });
});

describe('compareTranscripts: normalised fields', () => {
  const stat = (ctime: string, owner = '0x0') =>
    `${HEAD}${P(0)}stat /x\ncZxid = 0x2\nctime = ${ctime}\nmZxid = 0x2\nmtime = ${ctime}\npZxid = 0x2\ncversion = 0\ndataVersion = 0\naclVersion = 0\nephemeralOwner = ${owner}\ndataLength = 0\nnumChildren = 0\n${P(1)}`;

  it('any Java date matches any other, but the epoch only itself', () => {
    expect(cmp(stat('Sun Nov 22 13:04:09 UTC 2026'), stat('Mon Jan 05 01:02:03 CET 2026')).equal).toBe(true);
    expect(cmp(stat('Sun Nov 22 13:04:09 UTC 2026'), stat('Tue Mar 10 20:00:00 GMT+05:30 2026')).equal).toBe(true);
    expect(cmp(stat('Thu Jan 01 00:00:00 UTC 1970'), stat('Thu Jan 01 00:00:00 UTC 1970')).equal).toBe(true);
    expect(cmp(stat('Thu Jan 01 00:00:00 UTC 1970'), stat('Sun Nov 22 13:04:09 UTC 2026')).equal).toBe(false);
    expect(cmp(stat('Sun Nov 22 13:04:09 UTC 2026'), stat('Thu Jan 01 00:00:00 UTC 1970')).equal).toBe(false);
    expect(cmp(stat('Thu Jan 01 00:00:00 UTC 1970'), stat('Thu Jan 01 01:00:00 CET 1970')).equal).toBe(false);
    expect(cmp(stat('Sun Nov 22 13:04:09 UTC 2026'), stat('2026-11-22T13:04:09Z')).equal).toBe(false);
    expect(cmp(stat('Sun Nov 22 13:04:09 UTC 2026'), stat('Sun Nov 22 13:04:09 UTC 2026 ')).equal).toBe(false);
  });

  it('dates count only on ctime/mtime lines', () => {
    const a = `${HEAD}${P(0)}get /x\nSun Nov 22 13:04:09 UTC 2026\n${P(1)}`;
    expect(cmp(a, a.replace('13:04:09', '13:04:10')).equal).toBe(false);
  });

  it('session ids match under a consistent renaming only', () => {
    const two = (x: string, y: string) => `${stat('Sun Nov 22 13:04:09 UTC 2026', x)}stat /y\nephemeralOwner = ${y}\n${P(2)}stat /x\nephemeralOwner = ${x}\n${P(3)}`;
    expect(cmp(two('0x100001bc53f0000', '0x100001bc53f0002'), two('0x1000000000a0000', '0x1000000000a0001')).equal).toBe(true);
    expect(cmp(two('0x100001bc53f0000', '0x100001bc53f0002'), two('0x1000000000a0000', '0x1000000000a0000')).equal).toBe(false);
    expect(cmp(two('0x100001bc53f0000', '0x100001bc53f0000'), two('0x1000000000a0000', '0x1000000000a0001')).equal).toBe(false);
    expect(cmp(two('0x100001bc53f0000', '0x0'), two('0x1000000000a0000', '0x0')).equal).toBe(true);
    expect(cmp(two('0x100001bc53f0000', '0x0'), two('0x1000000000a0000', '0x1000000000a0001')).equal).toBe(false);
    expect(cmp(two('0x0', '0x0'), two('0x1', '0x0')).equal).toBe(false);
  });

  it('other session-id spellings are renamed too', () => {
    expect(normalizeTranscriptLines(['sessionid = 0x10000abc', 'session id: 0x10000abc', 'sid=0x10000abd,x', 'sessionId: 0x0'])).toEqual([
      'sessionid = <session-id #1>',
      'session id: <session-id #1>',
      'sid=<session-id #2>,x',
      'sessionId: 0x0',
    ]);
  });

  it('version: only the prefix counts', () => {
    const v = (s: string) => `${HEAD}${P(0)}version\n${s}\n${P(1)}`;
    const real = 'ZooKeeper CLI version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';
    expect(cmp(v(real), v('ZooKeeper CLI version: 3.8.0-playground, built on 2026-01-01 00:00 GMT')).equal).toBe(true);
    expect(cmp(v(real), v('ZooKeeper CLI version: ')).equal).toBe(true);
    expect(cmp(v(real), v('Zookeeper CLI version: 3.8.0')).equal).toBe(false);
  });

  it('everything else byte for byte (whitespace, newline at the end)', () => {
    const a = stat('Sun Nov 22 13:04:09 UTC 2026');
    expect(cmp(a, a.replace('cZxid = 0x2', 'cZxid = 0x3')).equal).toBe(false);
    expect(cmp(a, `${a}\n`).equal).toBe(false);
    expect(cmp(a, a.slice(0, -1)).equal).toBe(false);
    expect(cmp(a, a.replace('stat /x', 'stat /x ')).equal).toBe(false);
    expect(cmp(a, a.replace('\n', '\r\n')).equal).toBe(false);
  });
});

describe('compareTranscripts: the diff', () => {
  it('is a unified diff with context, labelled with the case name', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const b = a.replace('line 10\n', 'line ten\n').replace('line 20\n', '');
    const r = compareTranscripts(a, b, { caseName: 'demo' });
    expect(r.equal).toBe(false);
    expect(r.diff).toBe(
      [
        'demo: the transcripts differ (shown without their WATCHER:: blocks, which are compared apart):',
        '--- expected/demo.out',
        '+++ actual demo',
        '@@ -8,7 +8,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+line ten',
        ' line 11',
        ' line 12',
        ' line 13',
        '@@ -18,7 +18,6 @@',
        ' line 17',
        ' line 18',
        ' line 19',
        '-line 20',
        ' line 21',
        ' line 22',
        ' line 23',
      ].join('\n'),
    );
  });

  it('is capped', () => {
    const a = Array.from({ length: 500 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 500 }, (_, i) => `b${i}`).join('\n');
    const r = compareTranscripts(a, b, { caseName: 'big', maxDiffLines: 20 });
    expect(r.diff.split('\n').length).toBeLessThan(30);
    expect(r.diff).toMatch(/diff cut short: \d+ more changed line\(s\) not shown/);
  });
});

/** Moves every block that stands right after a prompt to just before that prompt. */
function hoistBlocks(text: string): string {
  return text.replace(/(\[zk: [^\]]*\] )((?:\nWATCHER::\n\nWatchedEvent [^\n]*\n)+)/g, '$2$1');
}

/** Moves every block that stands right after a prompt two prompts further on (where possible). */
function pushBlocksTwoLater(text: string): string | undefined {
  const m = /(\[zk: [^\]]*\] )((?:\nWATCHER::\n\nWatchedEvent [^\n]*\n)+)/.exec(text);
  if (!m) return undefined;
  const without = text.slice(0, m.index) + m[1] + text.slice(m.index + m[0].length);
  const prompt = /\[zk: [^\]]*\] /g;
  prompt.lastIndex = m.index + m[1].length;
  let hit: RegExpExecArray | null = null;
  for (let i = 0; i < 2; i++) {
    hit = prompt.exec(without);
    if (!hit) return undefined;
  }
  const at = hit!.index + hit![0].length;
  return without.slice(0, at) + m[2] + without.slice(at);
}

describe('compareTranscripts on the corpus', () => {
  const names = caseNames();

  it.each(names)('%s equals itself', (name) => {
    const out = readExpected(name);
    expect(compareTranscripts(out, out, { caseName: name })).toEqual({ equal: true, diff: '' });
  });

  it.each(names)('%s: blocks moved before their prompt still match', (name) => {
    const out = readExpected(name);
    expect(compareTranscripts(out, hoistBlocks(out), { caseName: name }).diff).toBe('');
  });

  it.each(names.filter((n) => pushBlocksTwoLater(readExpected(n)) !== undefined))('%s: a block two prompts later does not', (name) => {
    const out = readExpected(name);
    expect(compareTranscripts(out, pushBlocksTwoLater(out)!, { caseName: name }).equal).toBe(false);
  });

  it.each(names)('%s: known mutations are caught', (name) => {
    const out = readExpected(name);
    const lines = out.split('\n');
    const differs = (mutated: string) => expect(compareTranscripts(out, mutated, { caseName: name }).equal).toBe(false);
    // a missing line
    differs(lines.filter((_, i) => i !== 1).join('\n'));
    // two adjacent different lines swapped (outside WATCHER blocks)
    const i = lines.findIndex((l, k) => k > 0 && l !== lines[k + 1] && k + 1 < lines.length && !/^(WATCHER::|WatchedEvent |)$/.test(l) && !/^(WATCHER::|WatchedEvent |)$/.test(lines[k + 1]));
    if (i > 0) {
      const swapped = [...lines];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
      differs(swapped.join('\n'));
    }
    // a changed zxid
    if (/Zxid = 0x[0-9a-f]+\n/.test(out)) differs(out.replace(/(Zxid = 0x[0-9a-f]+)\n/, (_m, z: string) => `${z}0\n`));
    // the epoch date changed, or a real date made the epoch
    if (out.includes('time = Thu Jan 01 00:00:00 UTC 1970')) differs(out.replace('time = Thu Jan 01 00:00:00 UTC 1970', 'time = Sun Nov 22 13:04:09 UTC 2026'));
    const real = /([cm]time = )((?!Thu Jan 01 00:00:00 UTC 1970)[^\n]+)/.exec(out);
    if (real) {
      differs(out.replace(real[0], `${real[1]}Thu Jan 01 00:00:00 UTC 1970`));
      expect(compareTranscripts(out, out.replaceAll(real[2], 'Fri Feb 13 23:31:30 PST 2009'), { caseName: name }).equal).toBe(true);
    }
    // the prompt counter or state
    if (out.includes('(CONNECTED) 1] ')) differs(out.replace('(CONNECTED) 1] ', '(CONNECTED) 2] '));
    // the header block dropped
    if (out.includes('WatchedEvent state:SyncConnected type:None path:null\n')) differs(out.replace('\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n', ''));
  });

  it('ephemeral_session_close: its two session ids must stay two', () => {
    const out = readExpected('ephemeral_session_close');
    expect(out).toContain('0x100001bc53f0000');
    expect(out).toContain('0x100001bc53f0002');
    const renamed = out.replace('0x100001bc53f0000', '0x1000001a2b30005').replace('0x100001bc53f0002', '0x1000001a2b30007');
    expect(compareTranscripts(out, renamed, { caseName: 'x' }).equal).toBe(true);
    const merged = out.replace('0x100001bc53f0002', '0x100001bc53f0000');
    const r = compareTranscripts(out, merged, { caseName: 'ephemeral_session_close' });
    expect(r.equal).toBe(false);
    expect(r.diff).toContain('-ephemeralOwner = 0x100001bc53f0002');
    expect(r.diff).toContain('+ephemeralOwner = 0x100001bc53f0000');
    expect(compareTranscripts(out, out.replace('0x100001bc53f0002', '0x0'), { caseName: 'x' }).equal).toBe(false);
  });

  it('stat_variants/create_variants: a different non-zero owner id is fine', () => {
    for (const [name, id] of [
      ['stat_variants', '0x100001ef6090000'],
      ['create_variants', '0x10000197a3e0000'],
    ]) {
      const out = readExpected(name);
      expect(compareTranscripts(out, out.replace(id, '0x1000000000000001'), { caseName: name }).equal).toBe(true);
    }
  });

  it('whoami_config_version: the build string may differ', () => {
    const out = readExpected('whoami_config_version');
    const ours = out.replace('3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC', '3.8.0-playground, built on 2026-05-01 10:00 UTC');
    expect(ours).not.toBe(out);
    expect(compareTranscripts(out, ours, { caseName: 'whoami_config_version' }).equal).toBe(true);
  });

  it('invalid_paths_nul: control characters are visible in the diff', () => {
    const out = readExpected('invalid_paths_nul');
    const r = compareTranscripts(out, out.replace('create /a\u0000b\n', 'create /a\u0000c\n'), { caseName: 'invalid_paths_nul' });
    expect(r.equal).toBe(false);
    expect(r.diff).toContain('-[zk: 127.0.0.1:2191(CONNECTED) 0] create /a\\x00b');
    expect(r.diff).toContain('+[zk: 127.0.0.1:2191(CONNECTED) 0] create /a\\x00c');
  });
});

describe('compare4lw', () => {
  const srvr = [
    'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC',
    'Latency min/avg/max: 1/11.1667/26',
    'Received: 18',
    'Sent: 17',
    'Connections: 2',
    'Outstanding: 0',
    'Zxid: 0x5',
    'Mode: standalone',
    'Node count: 8',
    '',
  ].join('\n');

  it('masks version, latencies and packet counts but not the state', () => {
    const ours = srvr
      .replace('3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC', '3.8.0-playground')
      .replace('1/11.1667/26', '0/0.5/3')
      .replace('Received: 18', 'Received: 7')
      .replace('Sent: 17', 'Sent: 6');
    expect(compare4lw(srvr, ours)).toEqual({ equal: true, diff: '' });
    expect(compare4lw(srvr, srvr.replace('Zxid: 0x5', 'Zxid: 0x6')).equal).toBe(false);
    expect(compare4lw(srvr, srvr.replace('Mode: standalone', 'Mode: leader')).equal).toBe(false);
    expect(compare4lw(srvr, srvr.replace('Node count: 8', 'Node count: 9')).equal).toBe(false);
    expect(compare4lw(srvr, srvr.replace('Outstanding: 0\n', '')).equal).toBe(false);
    const r = compare4lw(srvr, srvr.replace('Mode: standalone', 'Mode: leader'), { name: 'srvr.standalone' });
    expect(r.diff).toContain('-Mode: standalone');
    expect(r.diff).toContain('+Mode: leader');
  });

  it('masks client ports, connection figures and session ids (consistently), and ignores client order', () => {
    const cons = [
      ' /127.0.0.1:53264[1](queued=0,recved=12,sent=12,sid=0x100002016c80000,lop=PING,est=1795354309524,to=10000,lcxid=0xa,lzxid=0x5,lresp=2111618,llat=1,minlat=0,avglat=11,maxlat=26)',
      ' /127.0.0.1:60124[0](queued=0,recved=1,sent=0)',
      '',
    ].join('\n');
    const ours = [
      ' /127.0.0.1:40000[0](queued=0,recved=1,sent=0)',
      ' /127.0.0.1:40001[1](queued=0,recved=3,sent=3,sid=0x1000000abcd0000,lop=GETD,est=1700000000000,to=10000,lcxid=0xa,lzxid=0x5,lresp=99,llat=0,minlat=0,avglat=0,maxlat=1)',
      '',
    ].join('\n');
    expect(compare4lw(cons, ours)).toEqual({ equal: true, diff: '' });
    expect(compare4lw(cons, ours.replace('lzxid=0x5', 'lzxid=0x6')).equal).toBe(false);
    expect(compare4lw(cons, ours.replace('to=10000', 'to=30000')).equal).toBe(false);
    expect(compare4lw(cons, ours.replace('sid=0x1000000abcd0000', 'sid=0x0')).equal).toBe(false);
  });

  it('dump: dates, bucket sizes and ids', () => {
    const dump = [
      'SessionTracker dump:',
      'Session Sets (2)/(1):',
      '0 expire at Sun Nov 22 13:32:01 UTC 2026:',
      '1 expire at Sun Nov 22 13:32:03 UTC 2026:',
      '\t0x100002016c80000',
      'ephemeral nodes dump:',
      'Sessions with Ephemerals (1):',
      '0x100002016c80000:',
      '\t/app/lock-0000000001',
      '',
    ].join('\n');
    const renamed = dump.replaceAll('0x100002016c80000', '0x1000000000a0000').replaceAll('13:32', '09:15').replace('Sets (2)', 'Sets (3)').replace('0 expire', '2 expire');
    expect(compare4lw(dump, renamed).equal).toBe(true);
    expect(compare4lw(dump, dump.replace('0x100002016c80000:', '0x100002016c80001:')).equal).toBe(false);
    expect(compare4lw(dump, dump.replace('(1):\n0 expire', '(2):\n0 expire')).equal).toBe(false);
    expect(compare4lw(dump, dump.replace('lock-0000000001', 'lock-0000000002')).equal).toBe(false);
  });

  it('mntr: traffic and timing figures are masked, tree and ensemble figures are not', () => {
    const mntr = 'zk_version\t3.8.0-x, built on y\nzk_server_state\tleader\nzk_avg_latency\t11.3077\nzk_uptime\t8534\nzk_znode_count\t8\nzk_synced_followers\t2\n';
    expect(compare4lw(mntr, mntr.replace('11.3077', '0.0').replace('8534', '12').replace('3.8.0-x, built on y', '3.8.0'))).toEqual({ equal: true, diff: '' });
    expect(compare4lw(mntr, mntr.replace('zk_znode_count\t8', 'zk_znode_count\t9')).equal).toBe(false);
    expect(compare4lw(mntr, mntr.replace('leader', 'follower')).equal).toBe(false);
    expect(compare4lw(mntr, mntr.replace('zk_synced_followers\t2', 'zk_synced_followers\t1')).equal).toBe(false);
  });

  it('conf, dirs and envi: paths, sizes and the environment are masked', () => {
    const conf = 'clientPort=2191\ndataDir=/tmp/zk-golden/standalone/data/version-2\ndataDirSize=67109337\nserverId=0\n';
    expect(compare4lw(conf, conf.replace('/tmp/zk-golden/standalone/data', '/virtual').replace('67109337', '0')).equal).toBe(true);
    expect(compare4lw(conf, conf.replace('clientPort=2191', 'clientPort=2181')).equal).toBe(false);
    const envi = 'Environment:\nzookeeper.version=3.8.0-a\nhost.name=localhost\nos.memory.free=368MB\n';
    expect(compare4lw(envi, envi.replace('localhost', 'browser').replace('368MB', '1MB')).equal).toBe(true);
    expect(compare4lw(envi, envi.replace('host.name', 'hostname')).equal).toBe(false);
  });

  it('keeps a reply with no newline at the end apart from one with', () => {
    expect(compare4lw('imok', 'imok').equal).toBe(true);
    expect(compare4lw('imok', 'imok\n').equal).toBe(false);
    expect(compare4lw('rw', 'ro').equal).toBe(false);
  });

  describe('on ensemble/4lw', () => {
    const files = fourLetterFiles();
    it('has the replies', () => expect(files.length).toBeGreaterThan(40));
    it.each(files)('%s equals itself', (f) => {
      const t = read4lw(f);
      expect(compare4lw(t, t, { name: f })).toEqual({ equal: true, diff: '' });
    });
    it('leader, follower and standalone replies still differ where they should', () => {
      for (const word of ['srvr', 'stat', 'conf', 'mntr', 'dump']) {
        const leader = read4lw(`${word}.leader.txt`);
        const follower = read4lw(`${word}.follower.txt`);
        const standalone = read4lw(`${word}.standalone.txt`);
        expect(compare4lw(leader, follower, { name: word }).equal).toBe(false);
        expect(compare4lw(follower, standalone, { name: word }).equal).toBe(false);
      }
    });
    it('a second run with other ports, ids, figures and dates matches', () => {
      for (const f of files) {
        const t = read4lw(f);
        const rerun = t
          .replace(/(\/127\.0\.0\.1:)\d+/g, (_m, p: string) => `${p}41000`)
          .replace(/0x100002016c80000|0x100002023660000/g, '0x1000042aa110000')
          .replace(/(Latency min\/avg\/max: )\S+/, (_m, p: string) => `${p}0/1.5/9`)
          .replace(/\b(recved|sent|est|lresp)=\d+/g, '$1=5')
          .replace(/Sun Nov 22 13:32:\d\d UTC 2026/g, 'Mon Nov 23 08:00:00 UTC 2026')
          .replace(/(zk_uptime\t)\d+/, (_m, p: string) => `${p}1`)
          .replace(/(os\.memory\.free=)\S+/, (_m, p: string) => `${p}1MB`);
        expect(compare4lw(t, rerun, { name: f }).diff).toBe('');
      }
    });
  });

  it('mask4lwLines renames ids in order of appearance', () => {
    expect(mask4lwLines(['0xabc', '\t0xdef', '0xabc:', '0x0', 'x sessionId: 0xdef'])).toEqual([
      '<session-id #1>',
      '\t<session-id #2>',
      '<session-id #1>:',
      '0x0',
      'x sessionId: <session-id #2>',
    ]);
  });
});
