/**
 * java.lang number parsing as zkCli meets it: Integer.parseInt, Integer.decode, Long.parseLong
 * and the Double.parseDouble acceptance test commons-cli uses for negative numbers.
 *
 * A failure is a value carrying what Java would throw: the NumberFormatException message and the
 * JDK 17 stack frames down to the public method, because several zkCli commands do not catch it
 * and die with that exact trace (golden crash_*.out). Line numbers are those of OpenJDK 17, the
 * JVM the golden corpus was captured with.
 */
import { JavaThrowable } from './java-throwable.ts';
import { javaTrim } from '../engine/config/java-lang.ts';

export type JavaParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: JavaThrowable };

const nfe = 'java.lang.NumberFormatException';
const forInputStringFrame = 'java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)';
const intMin = -2147483648;
const intMax = 2147483647;

/** Where Integer.parseInt(String, int) throws in JDK 17, by cause. */
const intParseLine = { badFirstChar: 658, loneSign: 658, badDigit: 668, overflow: 672, empty: 678 } as const;
type ParseFailure = keyof typeof intParseLine;

/** NumberFormatException.forInputString: `For input string: "s"`, plus ` under radix N` off 10. */
function forInputString(s: string, radix: number): string {
  return `For input string: "${s}"${radix === 10 ? '' : ` under radix ${radix}`}`;
}

const ndPattern = /^\p{Nd}$/u;
/** Runs of Unicode decimal digits are ten long; bound the walk back to the zero. */
const digitRunLengthMax = 10;

/** Character.digit(ch, radix) for one UTF-16 unit (supplementary digits are never seen as digits). */
export function characterDigit(c: number, radix: number): number {
  let value = -1;
  if (c >= 0x30 && c <= 0x39) value = c - 0x30;
  else if (c >= 0x41 && c <= 0x5a) value = c - 0x41 + 10;
  else if (c >= 0x61 && c <= 0x7a) value = c - 0x61 + 10;
  else if (c >= 0xff21 && c <= 0xff3a) value = c - 0xff21 + 10; // fullwidth A-Z
  else if (c >= 0xff41 && c <= 0xff5a) value = c - 0xff41 + 10; // fullwidth a-z
  else if (c >= 0x80 && (c < 0xd800 || c > 0xdfff) && ndPattern.test(String.fromCharCode(c))) {
    let zero = c;
    for (let i = 0; i < digitRunLengthMax && ndPattern.test(String.fromCharCode(zero - 1)); i++) zero--;
    value = c - zero;
  }
  return value < radix ? value : -1;
}

/** Integer.parseInt(s, radix), branch for branch (negative accumulation, multmin, limit). */
function parseIntCore(s: string, radix: number): { value: number } | { failure: ParseFailure } {
  const len = s.length;
  if (len === 0) return { failure: 'empty' };
  let i = 0;
  let negative = false;
  let limit = -intMax;
  const first = s.charCodeAt(0);
  if (first < 0x30) {
    if (first === 0x2d) {
      negative = true;
      limit = intMin;
    } else if (first !== 0x2b) {
      return { failure: 'badFirstChar' };
    }
    if (len === 1) return { failure: 'loneSign' };
    i++;
  }
  const multmin = Math.trunc(limit / radix);
  let result = 0;
  while (i < len) {
    const digit = characterDigit(s.charCodeAt(i++), radix);
    if (digit < 0 || result < multmin) return { failure: 'badDigit' };
    result *= radix;
    if (result < limit + digit) return { failure: 'overflow' };
    result -= digit;
  }
  return { value: negative ? result : 0 - result };
}

function intFailure(s: string, radix: number, failure: ParseFailure, callers: readonly string[]): JavaThrowable {
  return new JavaThrowable(nfe, forInputString(s, radix), [
    forInputStringFrame,
    `java.base/java.lang.Integer.parseInt(Integer.java:${intParseLine[failure]})`,
    ...callers,
  ]);
}

/** Integer.parseInt(String): the frames end with parseInt(String)'s own line. */
export function javaParseInt(s: string): JavaParse<number> {
  const r = parseIntCore(s, 10);
  if ('value' in r) return { ok: true, value: r.value };
  return { ok: false, error: intFailure(s, 10, r.failure, ['java.base/java.lang.Integer.parseInt(Integer.java:786)']) };
}

const decodeFrame = (line: number): string => `java.base/java.lang.Integer.decode(Integer.java:${line})`;

/** Integer.decode: sign, then 0x/0X/# (hex) or a leading 0 (octal), then Integer.valueOf. */
export function javaDecode(nm: string): JavaParse<number> {
  if (nm.length === 0) return { ok: false, error: new JavaThrowable(nfe, 'Zero length string', [decodeFrame(1423)]) };
  let radix = 10;
  let index = 0;
  let negative = false;
  if (nm[0] === '-') {
    negative = true;
    index++;
  } else if (nm[0] === '+') {
    index++;
  }
  if (nm.startsWith('0x', index) || nm.startsWith('0X', index)) {
    index += 2;
    radix = 16;
  } else if (nm.startsWith('#', index)) {
    index++;
    radix = 16;
  } else if (nm.startsWith('0', index) && nm.length > 1 + index) {
    index++;
    radix = 8;
  }
  if (nm.startsWith('-', index) || nm.startsWith('+', index)) {
    return { ok: false, error: new JavaThrowable(nfe, 'Sign character in wrong position', [decodeFrame(1447)]) };
  }
  // Java tries valueOf(rest) and negates; on failure it retries with the sign attached, which is
  // what reports the error and also what makes Integer.MIN_VALUE parse.
  const constant = negative ? `-${nm.slice(index)}` : nm.slice(index);
  const r = parseIntCore(constant, radix);
  if ('value' in r) return { ok: true, value: r.value };
  const callers = ['java.base/java.lang.Integer.valueOf(Integer.java:973)', decodeFrame(1458)];
  return { ok: false, error: intFailure(constant, radix, r.failure, callers) };
}

const longMin = -(2n ** 63n);
const longMax = 2n ** 63n - 1n;

/**
 * Long.parseLong(s, radix) as a bigint. zkCli always catches its NumberFormatException (as such
 * or as an IllegalArgumentException), so only the message matters, never the frames.
 */
export function javaParseLong(s: string, radix = 10): JavaParse<bigint> {
  const fail = (): JavaParse<bigint> => ({ ok: false, error: new JavaThrowable(nfe, forInputString(s, radix), []) });
  if (s.length === 0) return fail();
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) < 0x30) {
    if (s[0] === '-') negative = true;
    else if (s[0] !== '+') return fail();
    if (s.length === 1) return fail();
    i++;
  }
  let value = 0n;
  for (; i < s.length; i++) {
    const digit = characterDigit(s.charCodeAt(i), radix);
    if (digit < 0) return fail();
    value = value * BigInt(radix) + BigInt(digit);
    if (value > (negative ? -longMin : longMax)) return fail();
  }
  return { ok: true, value: negative ? -value : value };
}

const javaDoublePattern = new RegExp(
  '^[+-]?(?:NaN|Infinity|' +
    '(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)|' +
    '(?:0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?))$',
);

/** Whether Double.parseDouble(s) succeeds (FloatingDecimal.readJavaFormatString after trim()). */
export function isJavaDouble(s: string): boolean {
  return javaDoublePattern.test(javaTrim(s));
}

