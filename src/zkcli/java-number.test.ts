import { describe, expect, it } from 'vitest';
import { isJavaDouble, javaDecode, javaParseInt, javaParseLong } from './java-number.ts';

function failure(r: ReturnType<typeof javaParseInt>): string[] {
  if (r.ok) throw new Error('expected a failure');
  return [r.error.toString(), ...r.error.frames];
}

describe('javaParseInt (Integer.parseInt, JDK 17 frames)', () => {
  it('parses ints, signs and Unicode digits', () => {
    expect(javaParseInt('42')).toEqual({ ok: true, value: 42 });
    expect(javaParseInt('-1')).toEqual({ ok: true, value: -1 });
    expect(javaParseInt('+7')).toEqual({ ok: true, value: 7 });
    expect(javaParseInt('-2147483648')).toEqual({ ok: true, value: -2147483648 });
    expect(javaParseInt('\u0661\u0662')).toEqual({ ok: true, value: 12 });
  });

  it.each([
    ['abc', 668], ['1x', 668], ['99999999999', 668], ['2147483648', 672], ['-2147483649', 672], ['+', 658], ['-', 658],
    ['', 678],
  ])('%j fails at Integer.java:%i', (text, line) => {
    expect(failure(javaParseInt(text))).toEqual([
      `java.lang.NumberFormatException: For input string: "${text}"`,
      'java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
      `java.base/java.lang.Integer.parseInt(Integer.java:${line})`,
      'java.base/java.lang.Integer.parseInt(Integer.java:786)',
    ]);
  });
});

describe('javaDecode (Integer.decode)', () => {
  it('reads hex, octal and signs', () => {
    expect(javaDecode('0x10')).toEqual({ ok: true, value: 16 });
    expect(javaDecode('#f')).toEqual({ ok: true, value: 15 });
    expect(javaDecode('010')).toEqual({ ok: true, value: 8 });
    expect(javaDecode('00')).toEqual({ ok: true, value: 0 });
    expect(javaDecode('-1')).toEqual({ ok: true, value: -1 });
    expect(javaDecode('-2147483648')).toEqual({ ok: true, value: -2147483648 });
  });

  it('fails as Java does', () => {
    expect(failure(javaDecode('abc'))).toEqual([
      'java.lang.NumberFormatException: For input string: "abc"',
      'java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
      'java.base/java.lang.Integer.parseInt(Integer.java:668)',
      'java.base/java.lang.Integer.valueOf(Integer.java:973)',
      'java.base/java.lang.Integer.decode(Integer.java:1458)',
    ]);
    expect(failure(javaDecode('08'))[0]).toBe('java.lang.NumberFormatException: For input string: "8" under radix 8');
    expect(failure(javaDecode('0x'))[0]).toBe('java.lang.NumberFormatException: For input string: "" under radix 16');
    expect(failure(javaDecode('-abc'))[0]).toBe('java.lang.NumberFormatException: For input string: "-abc"');
    expect(failure(javaDecode(''))).toEqual([
      'java.lang.NumberFormatException: Zero length string',
      'java.base/java.lang.Integer.decode(Integer.java:1423)',
    ]);
    expect(failure(javaDecode('--1'))).toEqual([
      'java.lang.NumberFormatException: Sign character in wrong position',
      'java.base/java.lang.Integer.decode(Integer.java:1447)',
    ]);
  });
});

describe('javaParseLong', () => {
  it('covers the 64-bit range', () => {
    expect(javaParseLong('1099511627775')).toEqual({ ok: true, value: 1099511627775n });
    expect(javaParseLong('-9223372036854775808')).toEqual({ ok: true, value: -(2n ** 63n) });
    expect(javaParseLong('9223372036854775808').ok).toBe(false);
    expect(javaParseLong('ff', 16)).toEqual({ ok: true, value: 255n });
    expect(javaParseLong('zz', 16).ok).toBe(false);
  });
});

describe('isJavaDouble (Double.parseDouble succeeds)', () => {
  it.each(['-1', '-1.5', '1e5', '-NaN', '-Infinity', '0x1p3', ' 1 ', '1d', '.5'])('%j is a double', (s) => {
    expect(isJavaDouble(s)).toBe(true);
  });
  it.each(['-s', '-', '', 'e5', '1e', '-v1', '0x1'])('%j is not', (s) => {
    expect(isJavaDouble(s)).toBe(false);
  });
});
