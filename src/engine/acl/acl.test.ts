import { describe, expect, it } from 'vitest';
import { Perms, creatorAllAcl, openAclUnsafe, readAclUnsafe, type ACL, type Id } from '../protocol/records.ts';
import { checkAcl, digestAuthId, fixupAcl, type AuthInfo } from './acl.ts';

const alice: Id = { scheme: 'digest', id: digestAuthId('alice:secret') };
const bob: Id = { scheme: 'digest', id: digestAuthId('bob:pw') };
const local: Id = { scheme: 'ip', id: '127.0.0.1' };
const superId: Id = { scheme: 'super', id: '' };
const entry = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });

describe('checkAcl (ZooKeeperServer.checkACL)', () => {
  const anonymous: AuthInfo = [local];
  const asAlice: AuthInfo = [local, alice];

  it.each<[string, readonly ACL[], number, AuthInfo, boolean]>([
    ['empty ACL allows anything', [], Perms.ADMIN, [], true],
    ['empty ACL allows without any auth id', [], Perms.ALL, [], true],
    ['world:anyone with the bit', openAclUnsafe, Perms.WRITE, anonymous, true],
    ['world:anyone without the bit', readAclUnsafe, Perms.WRITE, anonymous, false],
    ['world:anyone read', readAclUnsafe, Perms.READ, anonymous, true],
    ['any one of the asked bits is enough', readAclUnsafe, Perms.READ | Perms.ADMIN, anonymous, true],
    ['world:somebody is not world:anyone', [entry(Perms.ALL, 'world', 'somebody')], Perms.READ, anonymous, false],
    ['digest match', [entry(Perms.ALL, 'digest', alice.id)], Perms.READ, asAlice, true],
    ['digest of someone else', [entry(Perms.ALL, 'digest', bob.id)], Perms.READ, asAlice, false],
    ['digest without addauth', [entry(Perms.ALL, 'digest', alice.id)], Perms.READ, anonymous, false],
    ['digest with both users', [entry(Perms.ALL, 'digest', bob.id)], Perms.READ, [local, alice, bob], true],
    ['digest is compared as a string', [entry(Perms.ALL, 'digest', 'alice:secret')], Perms.READ, [{ scheme: 'digest', id: 'alice:secret' }], true],
    ['ip exact', [entry(Perms.ALL, 'ip', '127.0.0.1')], Perms.READ, anonymous, true],
    ['ip other host', [entry(Perms.ALL, 'ip', '10.0.0.1')], Perms.READ, anonymous, false],
    ['ip network', [entry(Perms.ALL, 'ip', '127.0.0.0/8')], Perms.READ, anonymous, true],
    ['ip other network', [entry(Perms.ALL, 'ip', '10.0.0.0/8')], Perms.READ, anonymous, false],
    ['scheme must match: a digest id never meets an ip entry', [entry(Perms.ALL, 'ip', '127.0.0.1')], Perms.READ, [alice], false],
    ['super allows', [entry(Perms.READ, 'digest', bob.id)], Perms.ADMIN, [local, superId, alice], true],
    ['super allows even an ACL that grants nothing', [entry(0, 'world', 'anyone')], Perms.READ, [superId], true],
    ['unknown scheme entries are skipped', [entry(Perms.ALL, 'sasl', 'alice'), entry(Perms.READ, 'ip', '127.0.0.1')], Perms.READ, anonymous, true],
    ['unknown scheme alone denies', [entry(Perms.ALL, 'sasl', 'alice')], Perms.READ, [{ scheme: 'sasl', id: 'alice' }], false],
    ['an "auth" entry is not a provider', [entry(Perms.ALL, 'auth', '')], Perms.READ, [{ scheme: 'auth', id: '' }], false],
    ['a "super" entry is not a provider', [entry(Perms.ALL, 'super', '')], Perms.READ, [local], false],
    ['perms 0 grants nothing', [entry(0, 'world', 'anyone')], Perms.READ, anonymous, false],
    ['the entry must hold the bit even if the id matches', [entry(Perms.READ, 'ip', '127.0.0.1')], Perms.WRITE, anonymous, false],
    ['later entries count', [entry(Perms.READ, 'ip', '10.0.0.1'), entry(Perms.WRITE, 'ip', '127.0.0.1')], Perms.WRITE, anonymous, true],
    ['a "constructor" scheme finds no provider', [entry(Perms.ALL, 'constructor', 'x')], Perms.READ, [{ scheme: 'constructor', id: 'x' }], false],
  ])('%s', (_name, acl, perm, auth, expected) => {
    expect(checkAcl(acl, perm, auth)).toBe(expected);
  });

  it('asserts a non-empty permission (a caller bug)', () => {
    expect(() => checkAcl(openAclUnsafe, 0, [local])).toThrow(/permission/);
  });
});

describe('fixupAcl (PrepRequestProcessor.fixupACL)', () => {
  it.each<[string, readonly ACL[], AuthInfo, readonly ACL[] | null]>([
    ['world:anyone passes', openAclUnsafe, [local], openAclUnsafe],
    ['world:anyone with no perms passes', [entry(0, 'world', 'anyone')], [local], [entry(0, 'world', 'anyone')]],
    ['empty list is InvalidACL', [], [local], null],
    ['world:other is InvalidACL (world is no provider)', [entry(Perms.ALL, 'world', 'other')], [local], null],
    ['a valid digest id passes', [entry(Perms.ALL, 'digest', alice.id)], [local], [entry(Perms.ALL, 'digest', alice.id)]],
    ['digest without a hash', [entry(Perms.ALL, 'digest', 'alice')], [local], null],
    ['digest with an empty hash', [entry(Perms.ALL, 'digest', 'alice:')], [local], null],
    ['digest with two colons', [entry(Perms.ALL, 'digest', 'a:b:c')], [local], null],
    ['digest with an empty user', [entry(Perms.ALL, 'digest', ':hash')], [local], [entry(Perms.ALL, 'digest', ':hash')]],
    ['ip address', [entry(Perms.ALL, 'ip', '10.0.0.1')], [local], [entry(Perms.ALL, 'ip', '10.0.0.1')]],
    ['ip network', [entry(Perms.ALL, 'ip', '10.0.0.0/8')], [local], [entry(Perms.ALL, 'ip', '10.0.0.0/8')]],
    ['ip not an address (golden /badacl7)', [entry(Perms.ALL, 'ip', 'notanip')], [local], null],
    ['ip bad mask', [entry(Perms.ALL, 'ip', '10.0.0.0/33')], [local], null],
    ['ip v6 (unsupported in 3.8)', [entry(Perms.ALL, 'ip', '::1')], [local], null],
    ['unknown scheme (golden /badacl5)', [entry(Perms.ALL, 'nosuchscheme', 'id')], [local], null],
    ['super is not a settable scheme', [entry(Perms.ALL, 'super', '')], [superId], null],
    ['one bad entry spoils the list', [openAclUnsafe[0], entry(Perms.ALL, 'ip', 'nope')], [local], null],
    // auth: expanded to the caller's authenticated ids
    ['auth without addauth is InvalidACL (golden /badacl4)', creatorAllAcl, [local], null],
    ['auth with no ids at all', creatorAllAcl, [], null],
    ['auth expands to the digest id', creatorAllAcl, [local, alice], [{ perms: Perms.ALL, id: alice }]],
    ['auth keeps its perms', [entry(Perms.READ, 'auth', '')], [local, alice], [{ perms: Perms.READ, id: alice }]],
    ['auth ignores its own id', [entry(Perms.ALL, 'auth', 'whatever')], [local, alice], [{ perms: Perms.ALL, id: alice }]],
    ['auth expands to every digest id, in auth order', creatorAllAcl, [local, bob, alice], [{ perms: Perms.ALL, id: bob }, { perms: Perms.ALL, id: alice }]],
    ['auth skips super (no provider) and ip (not authenticated)', creatorAllAcl, [superId, local, alice], [{ perms: Perms.ALL, id: alice }]],
    ['auth with only super is InvalidACL', creatorAllAcl, [superId, local], null],
    ['auth skips unknown schemes', creatorAllAcl, [{ scheme: 'sasl', id: 'x' }, alice], [{ perms: Perms.ALL, id: alice }]],
  ])('%s', (_name, acl, auth, expected) => {
    expect(fixupAcl(acl, auth)).toEqual(expected);
  });

  it('removes duplicates, keeping the first of each in order', () => {
    const acl = [entry(Perms.READ, 'ip', '10.0.0.1'), openAclUnsafe[0], entry(Perms.READ, 'ip', '10.0.0.1'), openAclUnsafe[0]];
    expect(fixupAcl(acl, [local])).toEqual([entry(Perms.READ, 'ip', '10.0.0.1'), openAclUnsafe[0]]);
  });

  it('treats entries differing only in perms as distinct', () => {
    const acl = [entry(Perms.READ, 'ip', '10.0.0.1'), entry(Perms.WRITE, 'ip', '10.0.0.1')];
    expect(fixupAcl(acl, [local])).toEqual(acl);
  });

  it('collapses repeated auth entries before expanding them', () => {
    expect(fixupAcl([creatorAllAcl[0], creatorAllAcl[0]], [alice])).toEqual([{ perms: Perms.ALL, id: alice }]);
  });

  it('does not remove duplicates created by the auth expansion, as Java', () => {
    // golden acl_digest_auth builds `setAcl /dig auth::cdrwa` with alice and bob: two entries
    const acl = [creatorAllAcl[0], { perms: Perms.ALL, id: alice }];
    expect(fixupAcl(acl, [local, alice])).toEqual([
      { perms: Perms.ALL, id: alice },
      { perms: Perms.ALL, id: alice },
    ]);
  });

  it('leaves its input alone', () => {
    const acl = [creatorAllAcl[0], creatorAllAcl[0]];
    fixupAcl(acl, [alice]);
    expect(acl).toEqual([creatorAllAcl[0], creatorAllAcl[0]]);
  });
});
