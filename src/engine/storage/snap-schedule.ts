/**
 * When SyncRequestProcessor rolls the log and takes a snapshot (reference §3).
 *
 * After each appended txn: snapshot when the txns logged since the last roll exceed
 * snapCount/2 + randRoll, or the bytes logged since then exceed snapSizeInBytes/2 + randSize;
 * then draw new randRoll/randSize, so the servers of an ensemble do not all snapshot at once.
 * randRoll = nextInt(snapCount/2); randSize = |nextLong() % (snapSizeInBytes/2)|. The draws
 * come from an injected generator of uniform numbers in [0, 1) (DESIGN.md 3).
 *
 * ZooKeeper measures the log size as the log files' lengths, which include 64 MiB of zero
 * preallocation; we count the bytes actually written.
 */
import { assert } from '../util/assert.ts';

/** zookeeper.snapCount default; values below 2 become 2 (ZooKeeperServer.getSnapCount). */
export const snapCountDefault = 100_000;
/** zookeeper.snapSizeLimitInKb default 4194304 KiB = 4 GiB; 0 or less disables it. */
export const snapSizeBytesDefault = 4 * 1024 * 1024 * 1024;

export interface SnapScheduleConfig {
  /** zookeeper.snapCount, txns */
  readonly snapCount: number;
  /** zookeeper.snapSizeLimitInKb × 1024, bytes; <= 0 disables the size trigger */
  readonly snapSizeBytes: number;
}

export class SnapSchedule {
  private readonly snapCount: number;
  private randRoll = 0;
  private randSize = 0;
  /** ZKDatabase.txnCount: txns appended since the last roll */
  txnCount = 0;
  /** bytes appended since the last roll */
  logBytes = 0;

  constructor(private readonly config: SnapScheduleConfig, private readonly random: () => number) {
    assert(Number.isInteger(config.snapCount), 'snapCount is an integer');
    this.snapCount = Math.max(2, config.snapCount);
    this.resetSnapshotStats();
  }

  /** SyncRequestProcessor.resetSnapshotStats */
  resetSnapshotStats(): void {
    this.randRoll = Math.floor(this.draw() * Math.floor(this.snapCount / 2));
    this.randSize = this.config.snapSizeBytes > 0 ? Math.floor(this.draw() * Math.floor(this.config.snapSizeBytes / 2)) : 0;
    assert(this.randRoll >= 0 && this.randRoll < Math.floor(this.snapCount / 2), 'randRoll in [0, snapCount/2)');
  }

  /** One txn of `bytes` was appended; true when it is time to roll and snapshot. */
  onAppend(bytes: number): boolean {
    assert(bytes > 0, 'an appended record has bytes');
    this.txnCount++;
    this.logBytes += bytes;
    return this.shouldSnapshot();
  }

  shouldSnapshot(): boolean {
    const size = this.config.snapSizeBytes;
    return this.txnCount > Math.floor(this.snapCount / 2) + this.randRoll
      || (size > 0 && this.logBytes > Math.floor(size / 2) + this.randSize);
  }

  /** ZKDatabase.rollLog: resetTxnCount */
  onRoll(): void {
    this.txnCount = 0;
    this.logBytes = 0;
  }

  private draw(): number {
    const r = this.random();
    assert(r >= 0 && r < 1, `random draw in [0, 1), got ${r}`);
    return r;
  }
}

/**
 * ZooKeeperServer.getSnapCount from zoo.cfg's `snapCount` (the parser turns it into the
 * system property zookeeper.snapCount): Integer.getInteger, which reads it with
 * Integer.decode (decimal, 0x/#-hex, 0-octal) and falls back to the default when it does not
 * parse as an int; values below 2 become 2 where the schedule is built.
 */
export function snapCountFrom(systemProperties: Readonly<Record<string, string>>): number {
  const raw = systemProperties['zookeeper.snapCount'];
  const m = raw === undefined ? null : /^([+-]?)(0[xX][0-9a-fA-F]+|#[0-9a-fA-F]+|0[0-7]+|\d+)$/.exec(raw);
  if (m === null) return snapCountDefault;
  const digits = m[2];
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16)
    : digits.startsWith('#') ? parseInt(digits.slice(1), 16)
      : digits.length > 1 && digits.startsWith('0') ? parseInt(digits.slice(1), 8) : Number(digits);
  const n = m[1] === '-' ? -magnitude : magnitude;
  return n >= -2147483648 && n <= 2147483647 ? n : snapCountDefault;
}
