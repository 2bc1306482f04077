/**
 * SHA-1 (FIPS 180-4) and CRC-32, pure: the engine has no crypto API and no zlib.
 *
 * SHA-1 is what DigestAuthenticationProvider hashes "user:password" with (its default
 * `zookeeper.DigestAuthenticationProvider.digestAlg`). CRC-32 is java.util.zip.CRC32 (the
 * reflected IEEE 802.3 polynomial 0xEDB88320), which DigestCalculator uses for tree digests.
 */
import { assert } from './assert.ts';

const blockBytes = 64;

/** The message plus FIPS 180-4 padding: 0x80, zeros, and the bit length as a 64-bit big-endian. */
function pad(msg: Uint8Array): DataView {
  const total = Math.ceil((msg.length + 9) / blockBytes) * blockBytes;
  const buf = new Uint8Array(total);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bitLength = msg.length * 8; // exact: lengths stay far below 2^53 bits
  view.setUint32(total - 8, Math.floor(bitLength / 0x1_0000_0000));
  view.setUint32(total - 4, bitLength >>> 0);
  return view;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

export function sha1(msg: Uint8Array): Uint8Array {
  const view = pad(msg);
  assert(view.byteLength % blockBytes === 0, 'sha1 padding fills whole blocks');
  const h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const w = new Int32Array(80);
  for (let off = 0; off < view.byteLength; off += blockBytes) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    compress(h, w);
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  h.forEach((word, i) => outView.setInt32(i * 4, word));
  return out;
}

/** One 80-round SHA-1 compression of schedule `w` into state `h`, in 32-bit wrapping arithmetic. */
function compress(h: Int32Array, w: Int32Array): void {
  let [a, b, c, d, e] = h;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

let crcTable: Uint32Array | null = null;

function table(): Uint32Array {
  if (crcTable !== null) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/** The CRC32 table (java.util.zip.CRC32's polynomial), for code that updates a CRC byte by byte. */
export function crc32Table(): Uint32Array {
  return table();
}

/**
 * java.util.zip.CRC32: `crc32(b)` is `new CRC32(); update(b); getValue()`, an unsigned 32-bit
 * value. `seed` is a previous result, so `crc32(y, crc32(x))` equals `crc32(x ++ y)`, as a CRC32
 * object updated twice.
 */
export function crc32(b: Uint8Array, seed = 0): number {
  assert(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, 'crc32 seed is an unsigned 32-bit value');
  return (crc32Update((seed ^ 0xffffffff) >>> 0, b) ^ 0xffffffff) >>> 0;
}

let sliceTables: Uint32Array | null = null;

/** Eight tables of 256 (slicing-by-8): entry k*256+i is table 0's i advanced by k zero bytes. */
function slicing(): Uint32Array {
  if (sliceTables !== null) return sliceTables;
  const t0 = table();
  const t = new Uint32Array(8 * 256);
  t.set(t0);
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i];
      t[k * 256 + i] = (prev >>> 8) ^ t0[prev & 0xff];
    }
  }
  sliceTables = t;
  return t;
}

/**
 * The CRC register `c` (pre-inverted, as the byte-by-byte loop `c = t[(c ^ x) & 0xff] ^ (c >>> 8)`
 * keeps it) after the bytes of `b`: eight bytes a step (slicing-by-8), the same value as that
 * loop. Every txn record and every node digest runs through it. `from`/`to`: only b[from..to)
 * (no subarray object for a part).
 */
export function crc32Update(c: number, b: Uint8Array, from = 0, to = b.length): number {
  // the register as a signed 32-bit value from the start (the same bits for `^` and `>>>`):
  // callers pass 0xffffffff, a double, and a loop variable that starts as one was kept boxed,
  // a heap number per step (~300 B per txn record in Chromium's allocation profile)
  c |= 0;
  const t = slicing();
  let i = from;
  for (; i + 8 <= to; i += 8) {
    const lo = (c ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24))) >>> 0;
    const hi = b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24);
    c = t[1792 + (lo & 0xff)] ^ t[1536 + ((lo >>> 8) & 0xff)] ^ t[1280 + ((lo >>> 16) & 0xff)] ^ t[1024 + (lo >>> 24)]
      ^ t[768 + (hi & 0xff)] ^ t[512 + ((hi >>> 8) & 0xff)] ^ t[256 + ((hi >>> 16) & 0xff)] ^ t[(hi >>> 24) & 0xff];
  }
  for (; i < to; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}
