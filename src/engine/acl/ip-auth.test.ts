import { describe, expect, it } from 'vitest';
import { ipIsValid, ipMatches } from './ip-auth.ts';

describe('ipMatches (IPAuthenticationProvider.matches)', () => {
  it.each([
    // exact addresses
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.2', '127.0.0.1', false],
    ['10.0.0.1', '10.0.0.1', true],
    // CIDR masks
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['127.0.0.1', '127.0.0.0/8', true],
    ['127.255.255.255', '127.0.0.0/8', true],
    ['192.168.1.77', '192.168.1.0/24', true],
    ['192.168.2.77', '192.168.1.0/24', false],
    ['172.16.0.1', '172.16.0.0/12', true],
    ['172.31.255.255', '172.16.0.0/12', true],
    ['172.32.0.0', '172.16.0.0/12', false],
    ['10.0.0.1', '10.0.0.0/31', true],
    ['10.0.0.2', '10.0.0.0/31', false],
    ['1.2.3.4', '1.2.3.4/32', true],
    ['1.2.3.5', '1.2.3.4/32', false],
    // /0 matches every IPv4 address
    ['1.2.3.4', '0.0.0.0/0', true],
    ['255.255.255.255', '9.9.9.9/0', true],
    // the ACL address need not be a network address: both sides are masked
    ['10.200.0.1', '10.1.2.3/8', true],
    // Integer.parseInt details
    ['10.0.0.1', '10.0.0.+1', true],
    ['10.0.0.0', '10.0.0.-0', true],
    ['10.0.0.1', '010.000.000.001', true],
    ['10.1.2.3', '10.0.0.0/+8', true],
    ['10.0.0.3', '10.0.0.\u0663', true], // an Arabic-Indic 3 is a digit to Java
  ])('%s in %s -> %s', (id, expr, expected) => {
    expect(ipMatches(id, expr)).toBe(expected);
  });

  it.each([
    ['bad mask: too long', '1.2.3.4', '1.2.3.4/33'],
    ['bad mask: negative', '1.2.3.4', '1.2.3.4/-1'],
    ['bad mask: empty', '1.2.3.4', '1.2.3.4/'],
    ['bad mask: not a number', '1.2.3.4', '1.2.3.4/x'],
    ['bad mask: two slashes', '1.2.3.4', '1.2.3.4/8/8'],
    ['acl not an address', '1.2.3.4', 'notanip'],
    ['acl with three parts', '1.2.3.4', '1.2.3'],
    ['acl with five parts', '1.2.3.4', '1.2.3.4.5'],
    ['acl with a trailing dot', '1.2.3.4', '1.2.3.4.'],
    ['acl part out of range', '1.2.3.4', '1.2.3.256'],
    ['acl hostname', '127.0.0.1', 'localhost'],
    ['client not an address', 'localhost', '0.0.0.0/0'],
    ['client empty', '', '0.0.0.0/0'],
    // ZooKeeper 3.8 has no IPv6 support (addr2Bytes converts IPv4 only; its IPv6 branch was never written)
    ['IPv6 acl', '0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:1'],
    ['IPv6 acl, short form', '::1', '::1'],
    ['IPv6 acl with mask', '2001:db8::1', '2001:db8::/32'],
    ['IPv6 client against /0', '0:0:0:0:0:0:0:1', '0.0.0.0/0'],
  ])('%s: %s in %s -> false', (_name, id, expr) => {
    expect(ipMatches(id, expr)).toBe(false);
  });
});

describe('ipIsValid (IPAuthenticationProvider.isValid)', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['1.2.3.4/32', true],
    ['1.2.3.4/+8', true],
    ['1.2.3.4/008', true],
    ['255.255.255.255', true],
    ['1.2.3.4/33', false],
    ['1.2.3.4/-1', false],
    ['1.2.3.4/', false],
    ['1.2.3.4/8/8', false],
    ['notanip', false],
    ['', false],
    ['1.2.3', false],
    ['1..2.3', false],
    ['1.2.3.4 ', false],
    ['256.0.0.1', false],
    ['-1.0.0.1', false],
    ['::1', false],
    ['0:0:0:0:0:0:0:1', false],
    ['fe80::/10', false],
  ])('%j -> %s', (id, expected) => {
    expect(ipIsValid(id)).toBe(expected);
  });
});
