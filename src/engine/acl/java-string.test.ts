import { describe, expect, it } from 'vitest';
import { javaParseInt, javaSplit } from './java-string.ts';

describe('javaSplit (String.split with a one-character separator)', () => {
  // Checked against OpenJDK 17's String.split.
  it.each([
    ['', [''], 'no separator: the string itself, even when empty'],
    ['abc', ['abc'], 'no separator'],
    [':', [], 'only empty parts: all dropped'],
    ['::', [], 'only empty parts: all dropped'],
    ['a:b', ['a', 'b'], 'plain'],
    ['a:', ['a'], 'trailing empty dropped'],
    ['a::', ['a'], 'trailing empties dropped'],
    [':a', ['', 'a'], 'leading empty kept'],
    ['a::b', ['a', '', 'b'], 'inner empty kept'],
    ['a:b:c', ['a', 'b', 'c'], 'three'],
  ])('%j -> %j (%s)', (s, parts) => {
    expect(javaSplit(s, ':')).toEqual(parts);
  });

  it('asserts a one-character separator', () => {
    expect(() => javaSplit('a', '::')).toThrow(/one-character/);
  });
});

describe('javaParseInt (Integer.parseInt)', () => {
  it.each([
    ['0', 0],
    ['255', 255],
    ['007', 7],
    ['+8', 8],
    ['-0', 0],
    ['-1', -1],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['00000000000000000000001', 1],
    // Character.digit accepts every Unicode decimal digit
    ['\u0663', 3], // ARABIC-INDIC DIGIT THREE
    ['1\u06f5', 15], // EXTENDED ARABIC-INDIC DIGIT FIVE
    ['\uff11\uff10', 10], // FULLWIDTH 1 0
    ['\u0969', 3], // DEVANAGARI THREE
  ])('%j -> %d', (s, value) => {
    expect(javaParseInt(s)).toBe(value);
  });

  it.each([
    '',
    '+',
    '-',
    '+-1',
    ' 1',
    '1 ',
    '1.0',
    '0x10',
    'a',
    '2147483648',
    '-2147483649',
    '99999999999999999999',
    '\u00b2', // SUPERSCRIPT TWO is No, not Nd
    '\u2460', // CIRCLED DIGIT ONE
    '\ud835\udfce', // MATHEMATICAL BOLD DIGIT ZERO: outside the BMP, two non-digit chars in Java
  ])('%j -> NumberFormatException (null)', (s) => {
    expect(javaParseInt(s)).toBeNull();
  });

  it('gives +0 for "-0"', () => {
    expect(Object.is(javaParseInt('-0'), 0)).toBe(true);
  });
});
