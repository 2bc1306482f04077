/**
 * 64-bit ids as bigint (DESIGN.md decision 4). A zxid is epoch<<32 | counter.
 * They survive structured clone and print as ZooKeeper prints them: `0x100000003`.
 */
export type Zxid = bigint;
export type SessionId = bigint;
export type Epoch = number;
export type Sid = number;

export const zxidNone: Zxid = -1n;
const mask32 = 0xffffffffn;

export function makeZxid(epoch: Epoch, counter: number): Zxid {
  return (BigInt(epoch) << 32n) | (BigInt(counter) & mask32);
}

export function zxidEpoch(zxid: Zxid): Epoch {
  return Number(zxid >> 32n);
}

export function zxidCounter(zxid: Zxid): number {
  return Number(zxid & mask32);
}

/** Long.toHexString: two's complement for negatives, lowercase, no padding. */
export function hex(value: bigint): string {
  // the texts of one write print the same few values again and again (its session id, its
  // zxid in the proposal, commit, apply and reply, an owner of 0): the last few are kept
  for (let i = 0; i < hexKept; i++) if (hexValues[i] === value) return hexTexts[i];
  const v = value < 0n ? (1n << 64n) + value : value;
  const text = '0x' + v.toString(16);
  hexValues[hexNext] = value;
  hexTexts[hexNext] = text;
  hexNext = (hexNext + 1) % hexKept;
  return text;
}

const hexKept = 4;
const hexValues: (bigint | null)[] = new Array<bigint | null>(hexKept).fill(null);
const hexTexts: string[] = new Array<string>(hexKept).fill('');
let hexNext = 0;

/** Java's (int) / (long) wrap helpers for the counters that ZooKeeper keeps as int. */
export function toInt32(value: number): number {
  return value | 0;
}
