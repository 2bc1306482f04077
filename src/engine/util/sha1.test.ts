import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from './bytes.ts';
import { crc32, crc32Table, crc32Update, sha1 } from './sha1.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('sha1', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'a49b2446a02c645bf419f995b67091253a04a259',
    ],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
  ])('FIPS/NIST vector %j', (text, digest) => {
    expect(hex(sha1(utf8Encode(text)))).toBe(digest);
  });

  it('hashes one million "a" (1 MB)', () => {
    expect(hex(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('is right at every length around the 55/56/64-byte padding edges', () => {
    for (let len = 0; len <= 200; len++) {
      const b = Uint8Array.from({ length: len }, (_, i) => (i * 131 + 7) & 0xff);
      expect(hex(sha1(b))).toBe(createHash('sha1').update(b).digest('hex'));
    }
  });

  it('does not modify its input', () => {
    const b = utf8Encode('alice:secret');
    sha1(b);
    expect(hex(b)).toBe(hex(utf8Encode('alice:secret')));
  });
});

describe('crc32 (java.util.zip.CRC32)', () => {
  it('takes eight bytes a step to the value of the byte-by-byte loop, any length, alignment and seed', () => {
    const t = crc32Table();
    const bytewise = (c: number, b: Uint8Array): number => {
      for (let i = 0; i < b.length; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
      return c >>> 0;
    };
    const all = new Uint8Array(300);
    let x = 12345;
    for (let i = 0; i < all.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      all[i] = (x >>> 16) & 0xff;
    }
    for (let from = 0; from < 9; from++) {
      for (let n = 0; n <= 40; n++) {
        const b = all.subarray(from, from + n * 7);
        for (const c of [0xffffffff, 0, 0x12345678, -0x5a5a5a5b]) {
          expect(crc32Update(c, b)).toBe(bytewise(c, b));
          expect(crc32Update(c, all, from, from + n * 7)).toBe(bytewise(c, b));
        }
      }
    }
  });

  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('%j -> %d', (text, value) => {
    expect(crc32(utf8Encode(text))).toBe(value);
  });

  it('returns an unsigned value, as CRC32.getValue()', () => {
    const v = crc32(utf8Encode('a'));
    expect(v).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(v)).toBe(true);
  });

  it('continues from a seed like a second update()', () => {
    const all = utf8Encode('The quick brown fox jumps over the lazy dog');
    for (const cut of [0, 1, 9, 20, all.length]) {
      expect(crc32(all.subarray(cut), crc32(all.subarray(0, cut)))).toBe(crc32(all));
    }
  });

  it('rejects a seed that is not an unsigned 32-bit value', () => {
    expect(() => crc32(new Uint8Array(1), -1)).toThrow(/seed/);
    expect(() => crc32(new Uint8Array(1), 2 ** 32)).toThrow(/seed/);
  });
});
