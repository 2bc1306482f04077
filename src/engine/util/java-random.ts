/**
 * java.util.Random, bit for bit. ZooKeeper derives a session's password from
 * `new Random(sessionId ^ 0xB3415C00L).nextBytes(16 bytes)`, so any server can recompute it;
 * we do the same so passwords are deterministic and identical to ZooKeeper's.
 */
const multiplier = 0x5deece66dn;
const mask48 = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  constructor(seed: bigint) {
    this.seed = (BigInt.asUintN(64, seed) ^ multiplier) & mask48;
  }

  next(bits: number): number {
    this.seed = (this.seed * multiplier + 0xbn) & mask48;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(): number {
    return this.next(32);
  }

  nextBytes(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; ) {
      let rnd = this.nextInt();
      for (let n = Math.min(bytes.length - i, 4); n-- > 0; rnd >>= 8) bytes[i++] = rnd & 0xff;
    }
  }
}

/** ZooKeeperServer.generatePasswd */
export function sessionPassword(sessionId: bigint): Uint8Array {
  const out = new Uint8Array(16);
  new JavaRandom(BigInt.asIntN(64, sessionId ^ 0xb3415c00n)).nextBytes(out);
  return out;
}
