/**
 * IPAuthenticationProvider (scheme "ip"). Every connection carries `ip:<remote address>`; an ACL
 * id is `a.b.c.d` or `a.b.c.d/bits`, and matching masks both addresses to `bits` and compares.
 *
 * IPv4 only, as in ZooKeeper 3.8: its addr2Bytes is `v4addr2Bytes(addr)` alone, the IPv6
 * conversion left unwritten in 3.8's source. So an IPv6 ACL id is invalid (setACL/create fail
 * InvalidACL) and an IPv6 client never matches any ip ACL. (3.9 added IPv6; reference §7.)
 * Numbers go through Integer.parseInt, so "+8", "-0" and leading zeros are accepted.
 */
import { assert } from '../util/assert.ts';
import { javaParseInt } from './java-string.ts';

/** IPAuthenticationProvider.v4addr2Bytes: exactly four dot-separated ints in 0..255. */
function v4Bytes(addr: string): number[] | null {
  const parts = addr.split('.'); // keeps trailing empty parts, as Java's split("\\.", -1)
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    const v = javaParseInt(part);
    if (v === null || v < 0 || v > 255) return null;
    bytes.push(v);
  }
  return bytes;
}

/** An ACL expression split as Java's `split("/", 2)`: address, and the mask bits text if any. */
function splitExpr(expr: string): { addr: string; bits: string | null } {
  const slash = expr.indexOf('/');
  return slash < 0 ? { addr: expr, bits: null } : { addr: expr.slice(0, slash), bits: expr.slice(slash + 1) };
}

/** The mask length in 0..(address bits), or null where Java rejects it. */
function maskBits(bits: string | null, addressBits: number): number | null {
  if (bits === null) return addressBits;
  const v = javaParseInt(bits);
  return v === null || v < 0 || v > addressBits ? null : v;
}

/** IPAuthenticationProvider.mask: keep the first `bits` bits, zero the rest. */
function mask(bytes: readonly number[], bits: number): number[] {
  assert(bits >= 0 && bits <= bytes.length * 8, 'mask bits fit the address');
  return bytes.map((b, i) => {
    const keep = Math.min(8, Math.max(0, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

/** IPAuthenticationProvider.matches(id, aclExpr): does client address `id` fall in `aclExpr`? */
export function ipMatches(id: string, aclExpr: string): boolean {
  const expr = splitExpr(aclExpr);
  const aclAddr = v4Bytes(expr.addr);
  if (aclAddr === null) return false;
  const bits = maskBits(expr.bits, aclAddr.length * 8);
  if (bits === null) return false;
  const remoteAddr = v4Bytes(id);
  if (remoteAddr === null) return false;
  const a = mask(aclAddr, bits);
  const r = mask(remoteAddr, bits);
  return r.every((v, i) => v === a[i]);
}

/** IPAuthenticationProvider.isValid(id): may `id` stand in an ACL? */
export function ipIsValid(id: string): boolean {
  const expr = splitExpr(id);
  const addr = v4Bytes(expr.addr);
  return addr !== null && maskBits(expr.bits, addr.length * 8) !== null;
}
