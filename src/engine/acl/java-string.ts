/**
 * The two java.lang parsing primitives the ACL code leans on, with Java's edge cases: the
 * providers and AclParser were written against them, and their quirks decide which ACLs are
 * valid (`digest:a:` is not, `ip:10.0.0.+1` is).
 */
import { assert } from '../util/assert.ts';

/**
 * `s.split(sep)` for a one-character literal separator (limit 0): trailing empty strings are
 * dropped, so "a::" gives ["a"] and ":" gives []; but a string without the separator comes back
 * whole, so "" gives [""].
 */
export function javaSplit(s: string, sep: string): string[] {
  assert(sep.length === 1, 'javaSplit takes a one-character separator');
  if (!s.includes(sep)) return [s];
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const intMax = 2_147_483_647;
const ndPattern = /^\p{Nd}$/u;
/** Longest run of consecutive Nd characters in the BMP is a few blocks of ten; bound the walk. */
const digitRunLengthMax = 100;

/**
 * Character.digit(c, 10) for one UTF-16 unit: ASCII digits and every other Unicode decimal digit
 * (Arabic-Indic, fullwidth, ...), which Unicode lays out in runs of ten starting at zero. A lone
 * surrogate is never a digit, so digits outside the BMP do not count, as in Java.
 */
function decimalDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c < 0x80 || (c >= 0xd800 && c <= 0xdfff)) return -1;
  if (!ndPattern.test(String.fromCharCode(c))) return -1;
  let zero = c;
  while (ndPattern.test(String.fromCharCode(zero - 1))) {
    zero--;
    assert(c - zero < digitRunLengthMax, 'decimal digit runs are short');
  }
  return (c - zero) % 10;
}

/**
 * Integer.parseInt(s): an optional '+' or '-', then one or more decimal digits, within the int
 * range. Returns null where Java throws NumberFormatException ("", "+", " 1", "1.0", "2147483648").
 */
export function javaParseInt(s: string): number | null {
  let i = 0;
  let negative = false;
  if (s.length > 0 && (s[0] === '+' || s[0] === '-')) {
    negative = s[0] === '-';
    i = 1;
  }
  if (i === s.length) return null;
  let value = 0;
  for (; i < s.length; i++) {
    const digit = decimalDigit(s.charCodeAt(i));
    if (digit < 0) return null;
    value = value * 10 + digit;
    if (value > intMax + (negative ? 1 : 0)) return null;
  }
  return negative ? 0 - value : value; // 0 - 0 is +0, where -0 would not equal 0 under Object.is
}
