/**
 * A compact, self-describing binary encoding of the engine's plain data (txns, snapshot
 * images): what jute's BinaryOutputArchive is to ZooKeeper, without a per-record schema.
 *
 * Why not jute: our txn records are not ZooKeeper's (CreateTxn carries the final
 * ephemeralOwner; containers and TTLs are not separate txn types), so byte compatibility with
 * a real dataDir is out of reach anyway. A tagged encoding round-trips every Txn variant, now
 * and later, with no codec to keep in step, and it keeps the three things JSON cannot:
 * `bigint` (zxids, session ids, owners), `Uint8Array` (znode data) and `null` data apart from
 * empty data.
 *
 *   value   := tag payload
 *   0x00 null | 0x01 false | 0x02 true
 *   0x03 int32 (4 bytes, big-endian)   | 0x04 float64 (8 bytes)
 *   0x05 int64 bigint (8 bytes)
 *   0x06 UTF-8 string  (u32 byte length, bytes)
 *   0x07 UTF-16 string (u32 unit count, units) — only for strings with lone surrogates,
 *        which UTF-8 cannot carry; the round trip stays exact
 *   0x08 bytes (u32 length, bytes) — a Uint8Array
 *   0x09 array (u32 count, values)
 *   0x0a object (u32 count, then count × (UTF-8 key, value)); undefined members are skipped
 *
 * Every loop is bounded: by the input length when decoding, and by valueDepthMax and
 * valueBytesMax. Anything else (functions, Maps, class instances) is a bug: assertion.
 */
import { assert } from '../util/assert.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';
import { crc32Update } from '../util/sha1.ts';

/** Nesting deeper than this is a bug (a txn is 4 levels deep, a snapshot 5). */
export const valueDepthMax = 32;
/** One encoded value (one log record or one snapshot body); 1 GiB. */
export const valueBytesMax = 1 << 30;

const Tag = {
  null: 0x00, false: 0x01, true: 0x02, int32: 0x03, float64: 0x04, int64: 0x05,
  utf8: 0x06, utf16: 0x07, bytes: 0x08, array: 0x09, object: 0x0a,
} as const;

const int64Min = -(1n << 63n);
const int64Max = (1n << 63n) - 1n;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A growable byte buffer; big-endian like jute. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  /** `capacity`: the first buffer's size (it doubles as needed) */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  // The hot calls build no assertion message unless the check fails (a template literal is
  // evaluated on every call: it was ~7 % of a server worker encoding its txn log).
  private reserve(n: number): void {
    const end = this.length + n;
    if (end <= this.buf.length && end <= valueBytesMax) return;
    this.grow(end);
  }

  private grow(end: number): void {
    assert(end <= valueBytesMax, `encoded value over valueBytesMax (${valueBytesMax})`);
    if (end <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < end) cap *= 2; // terminates: cap doubles up to a bound of 2 * valueBytesMax
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) assert(false, `u32 out of range: ${v}`);
    this.reserve(4);
    this.view.setUint32(this.length, v);
    this.length += 4;
  }

  /** Overwrites 4 bytes already written at `at` (a length or checksum known only later). */
  u32At(at: number, v: number): void {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) assert(false, `u32 out of range: ${v}`);
    assert(Number.isInteger(at) && at >= 0 && at + 4 <= this.length, 'u32At inside what was written');
    this.view.setUint32(at, v);
  }

  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v);
    this.length += 8;
  }

  i64(v: bigint): void {
    if (!(v >= int64Min && v <= int64Max)) assert(false, `bigint outside a Java long: ${v}`);
    this.reserve(8);
    this.view.setBigInt64(this.length, v);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /**
   * `tag` (u8), then a string of UTF-16 units all below 0x80 as its u32 length and its bytes
   * (UTF-8 and Latin-1 alike); false, with nothing written, when the string has another unit.
   */
  asciiString(tag: number, s: string): boolean {
    const n = s.length;
    this.reserve(5 + n);
    const buf = this.buf;
    const at = this.length + 5;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[at + i] = c;
    }
    buf[this.length] = tag;
    this.view.setUint32(this.length + 1, n);
    this.length = at + n;
    return true;
  }

  /** The bytes written from `from` (a view into the buffer: valid until the next write). */
  written(from = 0): Uint8Array {
    return this.buf.subarray(from, this.length);
  }

  /** crc32 of what was written from `from` on (as crc32(written(from)), without the view). */
  crc32From(from: number): number {
    return (crc32Update(0xffffffff, this.buf, from, this.length) ^ 0xffffffff) >>> 0;
  }

  /** Forgets what was written, keeping the buffer (a writer reused for many values). */
  reset(): void {
    this.length = 0;
  }

  /** The buffer's size (a reused writer drops one that grew big). */
  capacity(): number {
    return this.buf.length;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Reads what ByteWriter wrote; every read is checked against the end of the input. */
export class ByteReader {
  private readonly view: DataView;
  offset: number;

  constructor(readonly buf: Uint8Array, offset = 0) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
  }

  remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number): void {
    if (this.remaining() < n) throw new CodecError(`need ${n} bytes at ${this.offset}, have ${this.remaining()}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.offset++];
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset);
    this.offset += 8;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

/** Bytes that do not decode: corruption on disk, never a bug in the writer. */
export class CodecError extends Error {
  override name = 'CodecError';
}

export function encodeValue(value: unknown): Uint8Array {
  const w = new ByteWriter();
  writeValue(w, value, 0);
  return w.finish();
}

export function writeValue(w: ByteWriter, value: unknown, depth: number): void {
  assert(depth <= valueDepthMax, `value nested deeper than valueDepthMax (${valueDepthMax})`);
  if (value === null) return w.u8(Tag.null);
  switch (typeof value) {
    case 'boolean': return w.u8(value ? Tag.true : Tag.false);
    case 'number': return writeNumber(w, value);
    case 'bigint':
      w.u8(Tag.int64);
      return w.i64(value);
    case 'string': return writeString(w, value);
    case 'object': return writeObject(w, value, depth);
    default: assert(false, `value codec cannot encode a ${typeof value}`);
  }
}

function writeNumber(w: ByteWriter, v: number): void {
  if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0)) {
    w.u8(Tag.int32);
    w.i32(v);
  } else {
    w.u8(Tag.float64);
    w.f64(v);
  }
}

function writeString(w: ByteWriter, s: string): void {
  // most strings (paths, names) are ASCII: their UTF-8 bytes are their units, written in place
  if (w.asciiString(Tag.utf8, s)) return;
  if (!loneSurrogate.test(s)) {
    const b = utf8Encode(s);
    w.u8(Tag.utf8);
    w.u32(b.length);
    w.bytes(b);
    return;
  }
  w.u8(Tag.utf16);
  w.u32(s.length);
  for (let i = 0; i < s.length; i++) {
    w.u8(s.charCodeAt(i) >> 8);
    w.u8(s.charCodeAt(i) & 0xff);
  }
}

function writeObject(w: ByteWriter, value: object, depth: number): void {
  if (value instanceof Uint8Array) {
    w.u8(Tag.bytes);
    w.u32(value.length);
    w.bytes(value);
    return;
  }
  if (Array.isArray(value)) {
    w.u8(Tag.array);
    w.u32(value.length);
    for (const item of value) writeValue(w, item, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  assert(proto === Object.prototype || proto === null, 'value codec encodes plain objects only (no Map, Set or class)');
  const rec = value as Record<string, unknown>;
  w.u8(Tag.object);
  // the count goes before the entries: written once they are (one pass, no Object.keys array
  // per object; for-in visits a plain object's own keys in Object.keys order, and its
  // prototype, Object.prototype or null, has none to add)
  const countAt = w.length;
  w.u32(0);
  let count = 0;
  for (const k in rec) {
    const v = rec[k];
    if (v === undefined) continue;
    count++;
    w.bytes(keyBytes(k));
    writeValue(w, v, depth + 1);
  }
  w.u32At(countAt, count);
}

/** Encoded object keys (u32 length, UTF-8), by key: a txn has a dozen distinct keys. */
const keyCache = new Map<string, Uint8Array>();
/** Distinct keys kept encoded; past it keys are encoded on each use. */
export const keyCacheMax = 1024;

function keyBytes(k: string): Uint8Array {
  const hit = keyCache.get(k);
  if (hit !== undefined) return hit;
  assert(!loneSurrogate.test(k), 'object keys are well-formed strings');
  const kw = new ByteWriter(k.length * 3 + 4);
  const kb = utf8Encode(k);
  kw.u32(kb.length);
  kw.bytes(kb);
  const out = kw.finish();
  if (keyCache.size < keyCacheMax) keyCache.set(k, out);
  return out;
}

/** Decodes exactly one value spanning all of `bytes`; throws CodecError on malformed input. */
export function decodeValue(bytes: Uint8Array): unknown {
  const r = new ByteReader(bytes);
  const v = readValue(r, 0);
  if (r.remaining() !== 0) throw new CodecError(`${r.remaining()} trailing bytes after a value`);
  return v;
}

export function readValue(r: ByteReader, depth: number): unknown {
  if (depth > valueDepthMax) throw new CodecError('value nested deeper than valueDepthMax');
  const tag = r.u8();
  switch (tag) {
    case Tag.null: return null;
    case Tag.false: return false;
    case Tag.true: return true;
    case Tag.int32: return r.i32();
    case Tag.float64: return r.f64();
    case Tag.int64: return r.i64();
    case Tag.utf8: return utf8Decode(r.bytes(r.u32()));
    case Tag.utf16: return readUtf16(r);
    case Tag.bytes: return r.bytes(r.u32());
    case Tag.array: return readArray(r, depth);
    case Tag.object: return readObject(r, depth);
    default: throw new CodecError(`unknown tag 0x${tag.toString(16)} at ${r.offset - 1}`);
  }
}

function readUtf16(r: ByteReader): string {
  const n = r.u32();
  if (n * 2 > r.remaining()) throw new CodecError(`UTF-16 string of ${n} units overruns the input`);
  const units: number[] = [];
  for (let i = 0; i < n; i++) units.push((r.u8() << 8) | r.u8());
  let s = '';
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode(...units.slice(i, i + 8192));
  return s;
}

function readArray(r: ByteReader, depth: number): unknown[] {
  const n = r.u32();
  // every element takes at least one byte: a count beyond the input is corruption
  if (n > r.remaining()) throw new CodecError(`array of ${n} overruns the input`);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(readValue(r, depth + 1));
  return out;
}

function readObject(r: ByteReader, depth: number): Record<string, unknown> {
  const n = r.u32();
  if (n > r.remaining()) throw new CodecError(`object of ${n} members overruns the input`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = utf8Decode(r.bytes(r.u32()));
    if (key === '__proto__') throw new CodecError('object key __proto__');
    out[key] = readValue(r, depth + 1);
  }
  return out;
}
