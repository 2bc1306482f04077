/**
 * UTF-8 and base64 without TextEncoder/TextDecoder/atob (none is in the engine's lib).
 *
 * The UTF-8 codec reproduces Java, not WHATWG, because znode data, paths and auth strings cross
 * the Java boundary in both directions and zkCli prints what Java would print:
 * - encode = JDK 17 `String.getBytes(UTF_8)` (String.encodeUTF8_UTF16): a lone surrogate becomes
 *   '?' (0x3F), where TextEncoder would write U+FFFD's three bytes;
 * - decode = JDK 17 `new String(bytes, UTF_8)` (String.decodeUTF8_UTF16): one U+FFFD per
 *   malformed sequence. It differs from TextDecoder for encoded surrogates: Java reads
 *   ED A0 80 as one malformed 3-byte unit (one U+FFFD), TextDecoder as three.
 */
import { assert } from './assert.ts';

const REPL = 0xfffd;

export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3); // a UTF-16 unit never needs more than 3 bytes
  let dp = 0;
  for (let sp = 0; sp < s.length; sp++) {
    const c = s.charCodeAt(sp);
    if (c < 0x80) {
      out[dp++] = c;
    } else if (c < 0x800) {
      out[dp++] = 0xc0 | (c >> 6);
      out[dp++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const c2 = sp + 1 < s.length ? s.charCodeAt(sp + 1) : 0;
      if (c > 0xdbff || c2 < 0xdc00 || c2 > 0xdfff) {
        out[dp++] = 0x3f; // Java's replacement for an unmappable (lone) surrogate
        continue;
      }
      const uc = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
      out[dp++] = 0xf0 | (uc >> 18);
      out[dp++] = 0x80 | ((uc >> 12) & 0x3f);
      out[dp++] = 0x80 | ((uc >> 6) & 0x3f);
      out[dp++] = 0x80 | (uc & 0x3f);
      sp++;
    } else {
      out[dp++] = 0xe0 | (c >> 12);
      out[dp++] = 0x80 | ((c >> 6) & 0x3f);
      out[dp++] = 0x80 | (c & 0x3f);
    }
  }
  return out.slice(0, dp);
}

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

export function utf8Decode(b: Uint8Array): string {
  const units: number[] = [];
  let sp = 0;
  while (sp < b.length) {
    const next = decodeSequence(b, sp, units);
    assert(next > sp, 'utf8Decode makes progress');
    sp = next;
  }
  return unitsToString(units);
}

/**
 * Decodes the sequence starting at `sp` into `out` and returns where the next one starts. The
 * branches follow JDK 17 String.decodeUTF8_UTF16 one for one; where Java `break`s out of its loop
 * (a truncated sequence at the very end) we return b.length, which ends ours the same way.
 */
function decodeSequence(b: Uint8Array, sp: number, out: number[]): number {
  const b1 = b[sp++];
  if (b1 < 0x80) {
    out.push(b1);
    return sp;
  }
  if (b1 >= 0xc2 && b1 <= 0xdf) return decode2(b, sp, b1, out);
  if (b1 >= 0xe0 && b1 <= 0xef) return decode3(b, sp, b1, out);
  if (b1 >= 0xf0 && b1 <= 0xf7) return decode4(b, sp, b1, out);
  out.push(REPL); // 80..C1 and F8..FF never start a sequence
  return sp;
}

function decode2(b: Uint8Array, sp: number, b1: number, out: number[]): number {
  if (sp >= b.length) {
    out.push(REPL);
    return b.length;
  }
  const b2 = b[sp];
  if (!isContinuation(b2)) {
    out.push(REPL);
    return sp; // b2 is decoded again on its own
  }
  out.push(((b1 & 0x1f) << 6) | (b2 & 0x3f));
  return sp + 1;
}

/** Java's isMalformed3_2: E0 needs A0..BF (no overlongs); surrogates (ED A0..) are let through. */
const isMalformed3Second = (b1: number, b2: number): boolean =>
  (b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !isContinuation(b2);

function decode3(b: Uint8Array, sp: number, b1: number, out: number[]): number {
  if (sp + 1 < b.length) {
    const b2 = b[sp];
    const b3 = b[sp + 1];
    if (isMalformed3Second(b1, b2)) {
      out.push(REPL);
      return sp; // malformed3() == 1
    }
    if (!isContinuation(b3)) {
      out.push(REPL);
      return sp + 1; // malformed3() == 2
    }
    const c = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    out.push(c >= 0xd800 && c <= 0xdfff ? REPL : c); // an encoded surrogate: one U+FFFD for 3 bytes
    return sp + 2;
  }
  if (sp < b.length && isMalformed3Second(b1, b[sp])) {
    out.push(REPL);
    return sp;
  }
  out.push(REPL); // truncated at the end: one U+FFFD swallows what is left
  return b.length;
}

/** Java's isMalformed4_2: F0 needs 90..BF, F4 needs 80..8F, F5..F7 never valid. */
const isMalformed4Second = (b1: number, b2: number): boolean =>
  b1 > 0xf4 || (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) ||
  !isContinuation(b2);

function decode4(b: Uint8Array, sp: number, b1: number, out: number[]): number {
  if (sp + 2 < b.length) {
    const [b2, b3, b4] = [b[sp], b[sp + 1], b[sp + 2]];
    const uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
    const malformed = !isContinuation(b2) || !isContinuation(b3) || !isContinuation(b4);
    if (!malformed && uc >= 0x10000 && uc <= 0x10ffff) {
      out.push(0xd800 + ((uc - 0x10000) >> 10), 0xdc00 + ((uc - 0x10000) & 0x3ff));
      return sp + 3;
    }
    out.push(REPL); // malformed4(): skip 1, 2 or 3 bytes, the longest valid prefix
    if (isMalformed4Second(b1, b2)) return sp;
    return isContinuation(b3) ? sp + 2 : sp + 1;
  }
  if (b1 > 0xf4 || (sp < b.length && isMalformed4Second(b1, b[sp]))) {
    out.push(REPL);
    return sp;
  }
  out.push(REPL);
  sp++;
  if (sp < b.length && !isContinuation(b[sp])) return sp;
  return b.length;
}

function unitsToString(units: readonly number[]): string {
  // String.fromCharCode(...units) overflows the call stack on large inputs: go in chunks.
  const chunk = 8192;
  let s = '';
  for (let i = 0; i < units.length; i += chunk) s += String.fromCharCode(...units.slice(i, i + chunk));
  return s;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard alphabet with '=' padding, as DigestAuthenticationProvider.base64Encode. */
export function base64Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63];
    out += i + 1 < b.length ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < b.length ? alphabet[n & 63] : '=';
  }
  return out;
}

/**
 * java.util.Base64.getDecoder().decode: standard alphabet, padding optional but correct when
 * present, nothing after it. Returns null where Java throws IllegalArgumentException.
 */
export function base64Decode(s: string): Uint8Array | null {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const body = s.slice(0, s.length - pad);
  if (body.length % 4 === 1) return null; // one leftover sextet cannot hold a byte
  if (pad > 0 && (body.length + pad) % 4 !== 0) return null;
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let buf = 0;
  let bits = 0;
  let dp = 0;
  for (let i = 0; i < body.length; i++) {
    const v = alphabet.indexOf(body[i]);
    if (v < 0) return null; // includes a '=' in the middle
    buf = ((buf << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[dp++] = (buf >> bits) & 0xff;
    }
  }
  assert(dp === out.length, 'base64Decode fills its output exactly');
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
