import { describe, expect, it } from 'vitest';
import { JavaRandom } from './java-random.ts';

describe('JavaRandom', () => {
  it('matches java.util.Random(42)', () => {
    // new Random(42).nextInt() x3 in Java: -1170105035, 234785527, -1360544799
    const r = new JavaRandom(42n);
    expect([r.nextInt(), r.nextInt(), r.nextInt()]).toEqual([-1170105035, 234785527, -1360544799]);
  });
  it('nextBytes consumes ints little-end first', () => {
    const r = new JavaRandom(42n);
    const b = new Uint8Array(5);
    r.nextBytes(b);
    // -1170105035 = 0xBA419D35 -> 35 9d 41 ba; then first byte of 234785527 = 0x0DFE8DF7 -> f7
    expect([...b]).toEqual([0x35, 0x9d, 0x41, 0xba, 0xf7]);
  });
});
