import { describe, expect, it } from 'vitest';
import { ByteWriter, CodecError, decodeValue, encodeValue } from './value-codec.ts';
import { utf8Encode } from '../util/bytes.ts';
import { crc32 } from '../util/sha1.ts';
import { encodeTxnRecord } from './txn-log.ts';
import { randomTxns } from './txn-fixtures.ts';
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

  it('writes exactly the bytes of the format (a plain reference encoder), fast paths included', () => {
    const values: unknown[] = [
      null, true, 0, -1, 2147483648, -0, 1.5, 0n, -(1n << 63n),
      '', 'abc/def', '\u007f', '\u0080', 'é', '日本語', '\ud83d\ude00', 'lone \ud800 surrogate', 'x'.repeat(600),
      Uint8Array.of(0, 255), [1, 'a', [null]], { a: 1, b: undefined, 'é': 'x', c: { d: 'é'.repeat(300) } },
      ...randomTxns(11, 200),
    ];
    for (const v of values) expect(encodeValue(v)).toEqual(referenceEncode(v));
  });

  it('encodeTxnRecord is crc32(payload) | length | payload | EOR, whatever the writer reused before', () => {
    const entries = randomTxns(5, 300);
    // a big record in between grows the reused writer and then replaces it
    const big = { ...entries[0], txn: { type: 'setData', path: '/big', data: new Uint8Array(200_000), version: 1 } };
    for (const e of [...entries.slice(0, 150), big, ...entries.slice(150)]) {
      const payload = referenceEncode(e);
      const w = new ByteWriter();
      w.u32(crc32(payload));
      w.u32(payload.length);
      w.bytes(payload);
      w.u8(0x42);
      expect(encodeTxnRecord(e as never)).toEqual(w.finish());
    }
  });
});

/** The format of value-codec.ts written the plainest way, one byte array per value. */
function referenceEncode(v: unknown): Uint8Array {
  const out: number[] = [];
  const u32 = (n: number): void => { out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff); };
  const raw = (b: Uint8Array): void => { for (const x of b) out.push(x); };
  const walk = (x: unknown): void => {
    if (x === null) return void out.push(0);
    if (typeof x === 'boolean') return void out.push(x ? 2 : 1);
    if (typeof x === 'number') {
      if (Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff && !Object.is(x, -0)) {
        out.push(3);
        return u32(x >>> 0);
      }
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, x);
      out.push(4);
      return raw(b);
    }
    if (typeof x === 'bigint') {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, x);
      out.push(5);
      return raw(b);
    }
    if (typeof x === 'string') {
      if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(x)) {
        out.push(7);
        u32(x.length);
        for (let i = 0; i < x.length; i++) out.push(x.charCodeAt(i) >> 8, x.charCodeAt(i) & 0xff);
        return;
      }
      const b = utf8Encode(x);
      out.push(6);
      u32(b.length);
      return raw(b);
    }
    if (x instanceof Uint8Array) {
      out.push(8);
      u32(x.length);
      return raw(x);
    }
    if (Array.isArray(x)) {
      out.push(9);
      u32(x.length);
      for (const item of x) walk(item);
      return;
    }
    const entries = Object.entries(x as object).filter(([, m]) => m !== undefined);
    out.push(10);
    u32(entries.length);
    for (const [k, m] of entries) {
      const kb = utf8Encode(k);
      u32(kb.length);
      raw(kb);
      walk(m);
    }
  };
  walk(v);
  return Uint8Array.from(out);
}
