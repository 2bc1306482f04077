import { describe, expect, it } from 'vitest';
import { CodecError, decodeValue, encodeValue } from './value-codec.ts';
import { AssertionError } from '../util/assert.ts';

describe('value codec', () => {
  it('round-trips what txns and snapshots hold', () => {
    const values: unknown[] = [
      null, true, false, 0, -1, 2147483647, -2147483648, 2147483648, 1.5, -0, Number.MAX_SAFE_INTEGER,
      0n, -1n, (1n << 63n) - 1n, -(1n << 63n), 0x100000003n,
      '', 'abc', '日本語', '\ud83d\ude00', 'lone \ud800 surrogate', '\udc00x',
      new Uint8Array(0), Uint8Array.of(0, 255, 7),
      [], [1, [2, [3]]], { a: 1, b: { c: [null, 'x'] } },
      { hdr: { zxid: 0x200000001n, clientId: -(1n << 63n), cxid: 3, time: 1_700_000_000_123 }, txn: { type: 'create', data: null } },
    ];
    for (const v of values) expect(decodeValue(encodeValue(v))).toEqual(v);
  });

  it('keeps null data apart from empty data, and -0 apart from 0', () => {
    expect(decodeValue(encodeValue({ data: null }))).toEqual({ data: null });
    const empty = decodeValue(encodeValue({ data: new Uint8Array(0) })) as { data: unknown };
    expect(empty.data).toBeInstanceOf(Uint8Array);
    expect(Object.is(decodeValue(encodeValue(-0)), -0)).toBe(true);
  });

  it('skips undefined members, as JSON does', () => {
    expect(decodeValue(encodeValue({ a: 1, b: undefined }))).toEqual({ a: 1 });
  });

  it('refuses what is not plain data (a bug in the caller)', () => {
    expect(() => encodeValue(new Map())).toThrow(AssertionError);
    expect(() => encodeValue(() => 1)).toThrow(AssertionError);
    expect(() => encodeValue(1n << 64n)).toThrow(AssertionError);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => encodeValue(deep)).toThrow(AssertionError);
  });

  it('reports corrupt bytes as CodecError, never as anything else', () => {
    const good = encodeValue({ path: '/a', data: Uint8Array.of(1, 2, 3), n: [1, 2] });
    for (let cut = 0; cut < good.length; cut++) expect(() => decodeValue(good.subarray(0, cut))).toThrow(CodecError);
    expect(() => decodeValue(Uint8Array.of(0x7f))).toThrow(CodecError);
    expect(() => decodeValue(Uint8Array.of(0x09, 0xff, 0xff, 0xff, 0xff))).toThrow(CodecError);
    expect(() => decodeValue(Uint8Array.of(0x00, 0x00))).toThrow(CodecError);
  });
});
