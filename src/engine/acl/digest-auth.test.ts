import { describe, expect, it } from 'vitest';
import { digestAuthId, digestIsValid, digestMatches } from './digest-auth.ts';

describe('digestAuthId (DigestAuthenticationProvider.generateDigest)', () => {
  // Besides the golden ids, expected values come from OpenJDK 17 running generateDigest's code.
  it.each([
    // golden acl_digest_auth: `addauth digest alice:secret` then getAcl shows this id
    ['alice:secret', 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='],
    // golden acl_digest_auth: `addauth digest bob:pw`
    ['bob:pw', 'bob:ikIaKsbtGweaHnb/jKn7OHqbunM='],
    // the user is the text before the first colon; the hash covers the whole string
    ['a:b:c', 'a:cLzgnoJ6mP5qz3w+mwvPE2vDgu0='],
    // no colon: the whole string is the user (golden: `addauth digest nocolon` succeeds)
    ['nocolon', 'nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g='],
    [':pw', ':krPDEYdCl854cFNT6IXnoMv+VVA='],
    ['', ':2jmj7l5rSw0yVb/vlWAYkK/YBwk='],
    // UTF-8 before hashing
    ['jörg:pässwörd', 'jörg:mnYDsH6V3vPsnN06468VcbUo34M='],
  ])('%j -> %s', (userColonPassword, id) => {
    expect(digestAuthId(userColonPassword)).toBe(id);
  });
});

describe('digestIsValid (DigestAuthenticationProvider.isValid: split(":").length == 2)', () => {
  it.each([
    ['alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=', true],
    ['a:b', true],
    [':hash', true], // leading empty part is kept
    ['alice:', false], // trailing empty part is dropped: one part
    ['alice', false],
    ['alice:cdrwa:x', false],
    ['', false],
    [':', false],
    ['::', false],
    ['a::', false],
    ['a:b:', true], // "a:b:" splits to [a, b]
    ['a:b::', true],
  ])('%j -> %s', (id, expected) => {
    expect(digestIsValid(id)).toBe(expected);
  });
});

describe('digestMatches', () => {
  it('is string equality', () => {
    expect(digestMatches('alice:x=', 'alice:x=')).toBe(true);
    expect(digestMatches('alice:x=', 'Alice:x=')).toBe(false);
    expect(digestMatches('alice:x=', 'alice:x')).toBe(false);
  });
});
