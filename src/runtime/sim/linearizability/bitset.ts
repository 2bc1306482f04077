/**
 * The set of linearized operations of one search, as a bitset with an incremental hash.
 *
 * Theory of operation
 *   The checker's memo cache (Lowe 2017) is keyed by (linearized set, model state). Porcupine
 *   hashes the bitset word by word at every lookup; here each operation owns a pair of fixed
 *   pseudo-random 32-bit words (Zobrist hashing), and the set's hash is the XOR of the words
 *   of its members, updated in O(1) when a member is added or removed. A hash is only a
 *   bucket key: entries in a bucket are compared bit for bit, so a collision costs time, never
 *   correctness. The words come from a fixed-seed splitmix32, so runs are reproducible.
 *   The cache key packs 21 bits of one word and 32 bits of the other, XORed with the state's
 *   hash, into one safe integer.
 */
import { assert } from '../../../engine/util/assert.ts';

const zobristSeed = 0x5eed_1e57;

export class LinearizedSet {
  readonly words: Uint32Array;
  private readonly zobristLow: Uint32Array;
  private readonly zobristHigh: Uint32Array;
  private hashLow = 0;
  private hashHigh = 0;

  constructor(readonly size: number) {
    assert(Number.isInteger(size) && size >= 0, `bitset size ${size}`);
    this.words = new Uint32Array(Math.ceil(size / 32));
    this.zobristLow = new Uint32Array(size);
    this.zobristHigh = new Uint32Array(size);
    let x = zobristSeed;
    for (let i = 0; i < size; i++) {
      x = (x + 0x9e3779b9) | 0;
      this.zobristLow[i] = mix32(x);
      x = (x + 0x9e3779b9) | 0;
      this.zobristHigh[i] = mix32(x);
    }
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    assert(!this.has(i), `operation ${i} is already linearized`);
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hashLow ^= this.zobristLow[i];
    this.hashHigh ^= this.zobristHigh[i];
  }

  remove(i: number): void {
    assert(this.has(i), `operation ${i} is not linearized`);
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hashLow ^= this.zobristLow[i];
    this.hashHigh ^= this.zobristHigh[i];
  }

  /**
   * A bucket key for the memo cache combining this set and a 32-bit hash of the state: an
   * integer below 2^53, so a `Map` keyed by it allocates no strings.
   */
  cacheKey(stateHash32: number): number {
    return (this.hashHigh & 0x1fffff) * 0x1_0000_0000 + ((this.hashLow ^ stateHash32) >>> 0);
  }

  snapshot(): Uint32Array {
    return this.words.slice();
  }

  /** snapshot ⊆ this */
  includesSnapshot(snapshot: Uint32Array): boolean {
    const words = this.words;
    for (let i = 0; i < words.length; i++) if ((snapshot[i] & ~words[i]) !== 0) return false;
    return true;
  }

  /** this ⊆ snapshot */
  isIncludedInSnapshot(snapshot: Uint32Array): boolean {
    const words = this.words;
    for (let i = 0; i < words.length; i++) if ((words[i] & ~snapshot[i]) !== 0) return false;
    return true;
  }

  equalsSnapshot(snapshot: Uint32Array): boolean {
    const words = this.words;
    if (snapshot.length !== words.length) return false;
    for (let i = 0; i < words.length; i++) if (words[i] !== snapshot[i]) return false;
    return true;
  }
}

/** FNV-1a over UTF-16 code units: a model's canonical state text to 32 bits. */
export function hashText32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32's output function */
function mix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
