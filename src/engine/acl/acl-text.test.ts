import { describe, expect, it } from 'vitest';
import { Perms } from '../protocol/records.ts';
import { aclEntryToZkCliText, aclToZkCliText, idToString, parseAclString, parsePerms, permsToString } from './acl-text.ts';

const world = (perms: number) => ({ perms, id: { scheme: 'world', id: 'anyone' } });

describe('parseAclString (zkCli AclParser.parse)', () => {
  // Expected values were checked against AclParser's code running on OpenJDK 17.
  it.each([
    ['world:anyone:cdrwa', [world(Perms.ALL)], []],
    ['world:anyone:r', [world(Perms.READ)], []],
    ['world:anyone:', [world(0)], []], // golden create_acl: `create /badacl6 data world:anyone:` succeeds
    [
      'digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa',
      [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=' } }],
      [],
    ],
    ['ip:127.0.0.0/8:cdrwa', [{ perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.0/8' } }], []],
    [
      'world:anyone:r,ip:127.0.0.1:cdrwa',
      [world(Perms.READ), { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } }],
      [],
    ],
    ['auth::cdrwa', [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }], []],
    ['::', [{ perms: 0, id: { scheme: '', id: '' } }], []],
    [':::', [{ perms: 0, id: { scheme: '', id: ':' } }], []],
  ])('%j', (text, acl, warnings) => {
    expect(parseAclString(text)).toEqual({ acl, warnings });
  });

  it.each([
    // golden acl_bad_perms / create_acl
    ['world:anyone:xyz', [world(0)], ['Unknown perm type: x', 'Unknown perm type: y', 'Unknown perm type: z']],
    ['world:anyone:rX', [world(Perms.READ)], ['Unknown perm type: X']],
    [
      'world:anyone:CDRWA',
      [world(0)],
      ['Unknown perm type: C', 'Unknown perm type: D', 'Unknown perm type: R', 'Unknown perm type: W', 'Unknown perm type: A'],
    ],
    // golden create_variants: `create /plain2 data extra`, create_acl: `create /badacl2 data foo`
    ['extra', [], ['extra does not have the form scheme:id:perm']],
    ['foo', [], ['foo does not have the form scheme:id:perm']],
    // one colon is not enough, even for an ip with no perms
    ['ip:1.2.3.4', [], ['ip:1.2.3.4 does not have the form scheme:id:perm']],
    // a bad segment is skipped, the others are kept, and warnings keep their order
    [
      'world:anyone:cdrwa,foo,ip:127.0.0.1:rq',
      [world(Perms.ALL), { perms: Perms.READ, id: { scheme: 'ip', id: '127.0.0.1' } }],
      ['foo does not have the form scheme:id:perm', 'Unknown perm type: q'],
    ],
    // String.split(","): trailing empty segments vanish, the others are reported
    ['', [], [' does not have the form scheme:id:perm']],
    [',', [], []],
    [',,', [], []],
    ['world:anyone:r,', [world(Perms.READ)], []],
    [',world:anyone:r', [world(Perms.READ)], [' does not have the form scheme:id:perm']],
    [
      'a,,b',
      [],
      ['a does not have the form scheme:id:perm', ' does not have the form scheme:id:perm', 'b does not have the form scheme:id:perm'],
    ],
    // perms are read one UTF-16 unit at a time, as Java's charAt loop
    ['a:b:😀', [{ perms: 0, id: { scheme: 'a', id: 'b' } }], ['Unknown perm type: \ud83d', 'Unknown perm type: \ude00']],
  ])('%j warns', (text, acl, warnings) => {
    expect(parseAclString(text)).toEqual({ acl, warnings });
  });
});

describe('parsePerms', () => {
  it.each([
    ['', 0],
    ['r', Perms.READ],
    ['w', Perms.WRITE],
    ['c', Perms.CREATE],
    ['d', Perms.DELETE],
    ['a', Perms.ADMIN],
    ['cdrwa', Perms.ALL],
    ['awrdc', Perms.ALL],
    ['rrr', Perms.READ],
  ])('%j -> %d', (text, perms) => {
    const warnings: string[] = [];
    expect(parsePerms(text, warnings)).toBe(perms);
    expect(warnings).toEqual([]);
  });

  it('warns once per unknown unit and keeps the known ones', () => {
    const warnings: string[] = [];
    expect(parsePerms('r w', warnings)).toBe(Perms.READ | Perms.WRITE);
    expect(warnings).toEqual(['Unknown perm type:  ']);
  });
});

describe('permsToString (ZKUtil.getPermString)', () => {
  it.each([
    [0, ''],
    [Perms.READ, 'r'],
    [Perms.WRITE, 'w'],
    [Perms.CREATE, 'c'],
    [Perms.DELETE, 'd'],
    [Perms.ADMIN, 'a'],
    [Perms.ALL, 'cdrwa'],
    [Perms.READ | Perms.WRITE | Perms.ADMIN, 'rwa'],
    [Perms.CREATE | Perms.ADMIN, 'ca'],
    [Perms.ALL | 32 | 64, 'cdrwa'], // unknown bits are not printed
  ])('%d -> %j', (perms, text) => {
    expect(permsToString(perms)).toBe(text);
  });

  it('round-trips through parsePerms for every combination', () => {
    for (let perms = 0; perms <= Perms.ALL; perms++) expect(parsePerms(permsToString(perms), [])).toBe(perms);
  });
});

describe('getAcl output (jute Id.toString)', () => {
  it('prints the golden shapes', () => {
    expect(aclEntryToZkCliText(world(Perms.ALL))).toBe("'world,'anyone\n: cdrwa");
    expect(aclEntryToZkCliText({ perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.0/8' } })).toBe("'ip,'127.0.0.0/8\n: cdrwa");
    expect(
      aclEntryToZkCliText({ perms: Perms.ALL, id: { scheme: 'digest', id: 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=' } }),
    ).toBe("'digest,'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=\n: cdrwa");
  });

  it('prints a whole list as getAcl does (golden create_acl, getAcl /multi)', () => {
    const multi = [world(Perms.READ), { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } }];
    expect(aclToZkCliText(multi)).toBe("'world,'anyone\n: r\n'ip,'127.0.0.1\n: cdrwa\n");
    expect(aclToZkCliText([])).toBe('');
  });

  it('prints an empty perm set as ": "', () => {
    expect(aclEntryToZkCliText(world(0))).toBe("'world,'anyone\n: ");
  });

  it.each([
    [{ scheme: 'x', id: 'a,b' }, "'x,'a%2Cb\n"],
    [{ scheme: 'x', id: '100%' }, "'x,'100%25\n"],
    [{ scheme: 'x', id: '{}' }, "'x,'{%7D\n"],
    [{ scheme: 'x', id: 'a\nb\rc\0' }, "'x,'a%0Ab%0Dc%00\n"],
    [{ scheme: '', id: '' }, "',\'\n"],
    [{ scheme: 'x', id: "it's" }, "'x,'it's\n"],
    [{ scheme: 'x', id: 'ünï😀' }, "'x,'ünï😀\n"],
    [{ scheme: 'x', id: 'a\ud800b' }, "'x,'a?b\n"], // through a UTF-8 PrintStream
  ])('escapes %j', (id, text) => {
    expect(idToString(id)).toBe(text);
  });
});
