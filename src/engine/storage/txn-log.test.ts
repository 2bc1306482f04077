import { describe, expect, it } from 'vitest';
import { DataDirError } from './data-dir.ts';
import {
  applyTruncatePlan, fileHeaderBytes, LogIterator, noLogFilesToTruncate,
  readLogFile, truncateLog,
} from './txn-log.ts';
import { createTxn, entry, logFileBytes, randomTxns } from './txn-fixtures.ts';

const logBytes = logFileBytes;

function zxids(files: ReadonlyMap<string, Uint8Array>, from: bigint): bigint[] {
  const it = new LogIterator(files, from);
  const out: bigint[] = [];
  for (let rec = it.seek(from); rec !== null; rec = it.next()) out.push(rec.entry.hdr.zxid);
  return out;
}

const five = [1n, 2n, 3n, 4n, 5n].map((z) => entry(z, createTxn(`/n${z}`)));

describe('txn log records (FileTxnLog)', () => {
  it('round-trips every kind of txn, header first', () => {
    const entries = randomTxns(7, 300);
    const file = readLogFile('version-2/log.1', logBytes(entries));
    expect(file.headerIncomplete).toBe(false);
    expect(file.stop).toEqual({ kind: 'end' });
    expect(file.records.map((r) => r.entry)).toEqual(entries);
    expect(file.records[0].start).toBe(fileHeaderBytes);
  });

  it('drops a torn tail wherever the cut falls, keeping every whole record before it', () => {
    const bytes = logBytes(five);
    const whole = readLogFile('l', bytes).records;
    for (let cut = whole[3].end + 1; cut < bytes.length; cut++) {
      const file = readLogFile('l', bytes.subarray(0, cut));
      expect(file.records.length).toBe(4);
      expect(file.stop.kind).toBe('partial');
    }
  });

  it('treats a missing EOR byte as "Last transaction was partial." and zero length as padding', () => {
    const bytes = logBytes(five);
    const recs = readLogFile('l', bytes).records;
    const noEor = bytes.slice();
    noEor[recs[2].end - 1] = 0;
    expect(readLogFile('l', noEor).stop).toMatchObject({ kind: 'eor', offset: recs[2].start });
    const padded = new Uint8Array(bytes.length + 64);
    padded.set(bytes);
    const file = readLogFile('l', padded);
    expect(file.records.length).toBe(5);
    expect(file.stop).toMatchObject({ kind: 'padding', droppedBytes: 64 });
  });

  it('fails on a whole record with a bad checksum, but only when the iterator reaches it', () => {
    const bytes = logBytes(five);
    const recs = readLogFile('l', bytes).records;
    const bad = bytes.slice();
    bad[recs[3].start + 9] ^= 0xff; // a payload byte of the 4th record
    const files = new Map([['version-2/log.1', bad]]);
    expect(() => zxids(files, 2n)).toThrow(new DataDirError('CRC check failed'));
    const it = new LogIterator(files, 1n);
    expect(it.seek(1n)?.entry.hdr.zxid).toBe(1n);
    expect(it.next()?.entry.hdr.zxid).toBe(2n);
  });

  it('rejects a file with another magic number', () => {
    const bytes = logBytes(five);
    bytes[0] = 0;
    expect(() => readLogFile('version-2/log.1', bytes)).toThrow(/Transaction log: version-2\/log.1 has invalid magic number/);
  });

  it('reads on into the next file after a torn one, as FileTxnIterator does after EOF', () => {
    const a = logBytes(five.slice(0, 3));
    const files = new Map([
      ['version-2/log.1', a.subarray(0, a.length - 3)],
      ['version-2/log.3', logBytes(five.slice(2))],
    ]);
    expect(zxids(files, 1n)).toEqual([1n, 2n, 3n, 4n, 5n]);
    const it = new LogIterator(files, 1n);
    for (let r = it.seek(1n); r !== null; r = it.next());
    expect(it.torn).toEqual([{ path: 'version-2/log.1', stop: expect.objectContaining({ kind: 'partial' }) }]);
  });
});

describe('truncate (FileTxnLog.truncate)', () => {
  const files = new Map([
    ['version-2/log.1', logBytes(five.slice(0, 3))],
    ['version-2/log.4', logBytes(five.slice(3))],
  ]);

  it('cuts right after the record and deletes every later log', () => {
    const plan = truncateLog(files, 2n);
    const after = applyTruncatePlan(files, plan);
    expect([...after.keys()]).toEqual(['version-2/log.1']);
    expect(zxids(after, 0n)).toEqual([1n, 2n]);
    expect(plan.lastKeptZxid).toBe(2n);
  });

  it('to the last record is a no-op', () => {
    const plan = truncateLog(files, 5n);
    expect(zxids(applyTruncatePlan(files, plan), 0n)).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it('keeps the first record after the zxid when the log jumps over it (ZooKeeper does)', () => {
    const jump = [entry(0x100000001n, createTxn('/a')), entry(0x200000001n, createTxn('/b')), entry(0x200000002n, createTxn('/c'))];
    const f = new Map([['version-2/log.100000001', logBytes(jump)]]);
    const plan = truncateLog(f, 0x100000005n);
    expect(plan.lastKeptZxid).toBe(0x200000001n);
    expect(zxids(applyTruncatePlan(f, plan), 0n)).toEqual([0x100000001n, 0x200000001n]);
  });

  it("fails with ZooKeeper's message when no record reaches the zxid, or there is no log", () => {
    expect(() => truncateLog(files, 6n)).toThrow(new DataDirError(noLogFilesToTruncate));
    expect(() => truncateLog(new Map(), 1n)).toThrow(new DataDirError(noLogFilesToTruncate));
  });
});
