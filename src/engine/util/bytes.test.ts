import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, bytesEqual, utf8Decode, utf8Encode } from './bytes.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const units = (s: string): string => [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join(' ');

describe('utf8Encode (Java String.getBytes(UTF_8))', () => {
  it.each([
    ['', ''],
    ['abc', '616263'],
    ['\0', '00'],
    ['\u007f', '7f'],
    ['\u0080', 'c280'],
    ['é', 'c3a9'],
    ['\u07ff', 'dfbf'],
    ['\u0800', 'e0a080'],
    ['ü', 'c3bc'],
    ['\ufffd', 'efbfbd'],
    ['\uffff', 'efbfbf'],
    ['😀', 'f09f9880'],
    ['\u{10ffff}', 'f48fbfbf'],
  ])('%j -> %s', (s, bytes) => {
    expect(hex(utf8Encode(s))).toBe(bytes);
  });

  it.each([
    ['lone high surrogate', '\ud83d', '3f'],
    ['lone low surrogate', '\ude00', '3f'],
    ['high then letter', '\ud83dA', '3f41'],
    ['reversed pair', '\ude00\ud83d', '3f3f'],
    ['two highs then a low', '\ud83d\ud83d\ude00', '3ff09f9880'],
    ['high at the end', 'a\ud800', '613f'],
  ])('%s encodes as "?" like Java (%j)', (_name, s, bytes) => {
    expect(hex(utf8Encode(s))).toBe(bytes);
  });

  it('agrees with TextEncoder on well-formed strings', () => {
    const samples = ['/zookeeper/quota', 'ünïcödé', '日本語', '𝄞 music', 'a\u0000b', '\u2028\u2029'];
    for (const s of samples) expect(hex(utf8Encode(s))).toBe(hex(new TextEncoder().encode(s)));
  });
});

describe('utf8Decode (Java new String(bytes, UTF_8))', () => {
  // Expected values were produced by OpenJDK 17's `new String(bytes, UTF_8)`.
  it.each([
    ['', ''],
    ['616263', '0061 0062 0063'],
    ['c280', '0080'],
    ['e0a080', '0800'],
    ['ed9fbf', 'd7ff'],
    ['f09f9880', 'd83d de00'],
    ['f0908080', 'd800 dc00'],
    ['f48fbfbf', 'dbff dfff'],
    // an encoded surrogate is one malformed 3-byte unit: one U+FFFD (TextDecoder gives three)
    ['eda080', 'fffd'],
    ['edbfbf', 'fffd'],
    ['eda0', 'fffd'],
    // overlongs: each byte on its own
    ['e08080', 'fffd fffd fffd'],
    ['c0af', 'fffd fffd'],
    ['c1bf', 'fffd fffd'],
    ['f08f8080', 'fffd fffd fffd fffd'],
    // above U+10FFFF and the never-valid lead bytes
    ['f4908080', 'fffd fffd fffd fffd'],
    ['f5808080', 'fffd fffd fffd fffd'],
    ['f7bfbfbf', 'fffd fffd fffd fffd'],
    ['f8888080', 'fffd fffd fffd fffd'],
    ['80', 'fffd'],
    ['bf', 'fffd'],
    ['fe', 'fffd'],
    ['ff', 'fffd'],
    // truncated sequences: one U+FFFD for the valid prefix, the next byte decoded on its own
    ['c2', 'fffd'],
    ['c241', 'fffd 0041'],
    ['e0', 'fffd'],
    ['e0a0', 'fffd'],
    ['e180', 'fffd'],
    ['e09f41', 'fffd fffd 0041'],
    ['e18041', 'fffd 0041'],
    ['e14142', 'fffd 0041 0042'],
    ['f0', 'fffd'],
    ['f09f', 'fffd'],
    ['f09f98', 'fffd'],
    ['f09f41', 'fffd 0041'],
    ['f09f9841', 'fffd 0041'],
    ['f04142', 'fffd 0041 0042'],
  ])('%s -> %s', (bytes, expected) => {
    expect(units(utf8Decode(fromHex(bytes)))).toBe(expected);
  });

  it('round-trips every well-formed string, including astral characters', () => {
    const s = 'a\u0080\u07ff\u0800\ud7ff\ue000\uffff😀\u{10ffff}/ünïcödé';
    expect(utf8Decode(utf8Encode(s))).toBe(s);
  });

  it('decodes a 1 MiB buffer without overflowing the stack', () => {
    const big = new Uint8Array(1 << 20).fill(0xc3);
    for (let i = 1; i < big.length; i += 2) big[i] = 0xa9;
    const s = utf8Decode(big);
    expect(s.length).toBe(1 << 19);
    expect(s.slice(0, 3)).toBe('ééé');
  });
});

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 vector %j <-> %s', (text, b64) => {
    expect(base64Encode(utf8Encode(text))).toBe(b64);
    expect(utf8Decode(base64Decode(b64)!)).toBe(text);
  });

  it('uses + and / (standard alphabet)', () => {
    expect(base64Encode(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(hex(base64Decode('+/+/')!)).toBe('fbffbf');
  });

  // java.util.Base64.getDecoder(): padding optional, but if present it must complete the unit.
  it.each([
    ['Zg', '66'],
    ['Zm8', '666f'],
    ['Zh==', '66'], // unused low bits are not checked
  ])('accepts %s like Java', (b64, bytes) => {
    expect(hex(base64Decode(b64)!)).toBe(bytes);
  });

  it.each(['Z', 'Zg=', 'Z===', 'Zm9v=', 'Zm9=v', 'Zm8==', '====', 'Zm-v', 'Zm_v', 'Zm 9v', 'Zg==Zg=='])(
    'rejects %j like Java (null)',
    (b64) => {
      expect(base64Decode(b64)).toBeNull();
    },
  );

  it('round-trips random bytes', () => {
    for (let len = 0; len < 70; len++) {
      const b = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len * 31) & 0xff);
      expect(bytesEqual(base64Decode(base64Encode(b))!, b)).toBe(true);
      expect(base64Encode(b)).toBe(Buffer.from(b).toString('base64'));
    }
  });
});

describe('bytesEqual', () => {
  it.each([
    [[], [], true],
    [[1, 2, 3], [1, 2, 3], true],
    [[1, 2, 3], [1, 2, 4], false],
    [[1, 2], [1, 2, 3], false],
    [[0], [], false],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(bytesEqual(Uint8Array.from(a), Uint8Array.from(b))).toBe(expected);
  });
});
