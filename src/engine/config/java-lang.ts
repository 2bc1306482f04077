/**
 * The few java.lang behaviours that leak into ZooKeeper's config errors and 4lw output, so they
 * can be reproduced exactly:
 * - Integer.parseInt / Long.parseLong, with NumberFormatException's message text;
 * - String.split (a regex split whose trailing empty strings are dropped);
 * - Double.toString (what `"" + double` prints: `0.0`, `11.1667`, `1.0E-4`, `1.0E7`);
 * - Long.hashCode and Long.toHexString.
 *
 * Every function returns a value; none throws (STYLE.md 13: errors are values).
 */
import { assert } from '../util/assert.ts';

export type JavaParse<T> = { ok: true; value: T } | { ok: false; error: string };

/** NumberFormatException.forInputString (JDK 17): radix 10 adds no suffix. */
export function forInputString(s: string, radix: number): string {
  return `For input string: "${s}"` + (radix === 10 ? '' : ` under radix ${radix}`);
}

const int32Min = -(2n ** 31n);
const int32Max = 2n ** 31n - 1n;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * Long.parseLong(s, radix) as a bigint, or NumberFormatException's message. Accepts an optional
 * leading `+`/`-` and ASCII digits of the radix only (Java also takes other Unicode digits; no
 * zoo.cfg uses them).
 */
export function javaParseLong(s: string, radix = 10): JavaParse<bigint> {
  return parseIntegral(s, radix, int64Min, int64Max);
}

/** Integer.parseInt(s): an int, or NumberFormatException's message. */
export function javaParseInt(s: string, radix = 10): JavaParse<number> {
  const r = parseIntegral(s, radix, int32Min, int32Max);
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}

function parseIntegral(s: string, radix: number, min: bigint, max: bigint): JavaParse<bigint> {
  assert(radix >= 2 && radix <= 36, 'radix out of range');
  const fail = { ok: false as const, error: forInputString(s, radix) };
  if (s.length === 0) return fail;
  let i = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    i = 1;
    if (s.length === 1) return fail;
  }
  let value = 0n;
  const big = BigInt(radix);
  for (; i < s.length; i++) {
    const d = digitOf(s.charCodeAt(i));
    if (d < 0 || d >= radix) return fail;
    value = value * big + BigInt(d);
    if (value > max + 1n) return fail;
  }
  const signed = negative ? -value : value;
  if (signed < min || signed > max) return fail;
  return { ok: true, value: signed };
}

function digitOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 97 + 10;
  if (code >= 65 && code <= 90) return code - 65 + 10;
  return -1;
}

/**
 * String.split(literal) with limit 0, for a single-character separator: like JS split, then
 * trailing empty strings are removed; an input with no separator stays one element (even "").
 */
export function javaSplit(s: string, separator: string): string[] {
  assert(separator.length === 1, 'javaSplit takes a one-character separator');
  const parts = s.split(separator);
  if (parts.length === 1) return parts;
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end);
}

/** String.trim: strips every char <= U+0020 from both ends (not Unicode whitespace). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Long.hashCode: (int)(value ^ (value >>> 32)). */
export function javaLongHash(value: bigint): number {
  const v = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, (v ^ (v >> 32n)) & 0xffffffffn));
}

/** Long.toHexString: two's complement, lowercase, no `0x`, no padding. */
export function javaLongHex(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}

/**
 * Double.toString(d) as JDK 17 prints it: plain notation with at least one fractional digit for
 * 1e-3 <= |d| < 1e7, otherwise `d.dddE±n` (`1.0E-4`, `1.5E7`). Digits are the shortest that
 * round-trip, which is what JDK 17 prints for every value the 4lw output produces (averages
 * rounded to 4 decimals); JDK <= 18 is known to print a longer form for a few rare doubles.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  const [mantissa, expText] = abs.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) return sign + plainDecimal(digits, exp);
  const frac = digits.length > 1 ? digits.slice(1) : '0';
  return `${sign}${digits[0]}.${frac}E${exp}`;
}

/** digits d1d2d3... with value 0.d1d2d3 x 10^(exp+1), printed as plain decimal with >= 1 fraction digit. */
function plainDecimal(digits: string, exp: number): string {
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
  const intLen = exp + 1;
  if (digits.length <= intLen) return digits + '0'.repeat(intLen - digits.length) + '.0';
  return digits.slice(0, intLen) + '.' + digits.slice(intLen);
}

/**
 * new BigDecimal(d).setScale(4, RoundingMode.HALF_UP).doubleValue() for d >= 0: rounds the exact
 * binary value of d (not its shortest decimal) to 4 places, as AvgMinMaxCounter.getAvg does.
 */
export function roundHalfUp4(d: number): number {
  assert(Number.isFinite(d) && d >= 0, 'roundHalfUp4 takes a finite non-negative double');
  if (d === 0) return 0;
  const { mantissa, exponent } = decomposeDouble(d);
  // d = mantissa * 2^exponent; q = floor(d * 10^4 + 1/2), computed exactly.
  const scaled = mantissa * 10_000n;
  let q: bigint;
  if (exponent >= 0) {
    q = scaled << BigInt(exponent);
  } else {
    const denominator = 1n << BigInt(-exponent);
    q = (2n * scaled + denominator) / (2n * denominator);
  }
  return Number(q) / 10_000;
}

function decomposeDouble(d: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}
