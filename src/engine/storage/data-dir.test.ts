import { describe, expect, it } from 'vitest';
import {
  DataDirError, encodeEpoch, encodeMyid, getLogFiles, logPath, parseEpoch, parseMyid, snapshotPath, sortDataDir,
  toHexString, zxidFromName,
} from './data-dir.ts';
import { utf8Encode } from '../util/bytes.ts';

describe('dataDir layout (persistence/Util.java)', () => {
  it('names files after a zxid in Long.toHexString', () => {
    expect(logPath(0x100000001n)).toBe('version-2/log.100000001');
    expect(snapshotPath(0n)).toBe('version-2/snapshot.0');
    expect(toHexString(-1n)).toBe('ffffffffffffffff');
  });

  it('parses names as getZxidFromName: split on dots, hex, -1 when it does not parse', () => {
    expect(zxidFromName('log.100000001', 'log')).toBe(0x100000001n);
    expect(zxidFromName('snapshot.1a.tmp', 'snapshot')).toBe(0x1an);
    expect(zxidFromName('log.xyz', 'log')).toBe(-1n);
    expect(zxidFromName('log', 'log')).toBe(-1n);
    expect(zxidFromName('snapshot.5', 'log')).toBe(-1n);
    expect(zxidFromName('log.ffffffffffffffff', 'log')).toBe(-1n); // beyond Long.MAX_VALUE
  });

  it('sorts by the zxid in the name, not as text', () => {
    const paths = ['version-2/log.a', 'version-2/log.100000001', 'version-2/log.2', 'version-2/snapshot.3', 'myid'];
    expect(sortDataDir(paths, 'log', true)).toEqual(['version-2/log.2', 'version-2/log.a', 'version-2/log.100000001']);
    expect(sortDataDir(paths, 'log', false)[0]).toBe('version-2/log.100000001');
  });

  it('getLogFiles: the newest log starting at or before the snapshot, and every later one', () => {
    const logs = ['version-2/log.1', 'version-2/log.10', 'version-2/log.20', 'version-2/log.30'];
    expect(getLogFiles(logs, 0x15n)).toEqual(['version-2/log.10', 'version-2/log.20', 'version-2/log.30']);
    expect(getLogFiles(logs, 0x20n)).toEqual(['version-2/log.20', 'version-2/log.30']);
    expect(getLogFiles(logs, 0n)).toEqual(logs);
  });
});

describe('epoch files (QuorumPeer.writeLongToFile / readLongFromFile)', () => {
  it('are decimal text without a newline', () => {
    expect(new TextDecoder().decode(encodeEpoch(12))).toBe('12');
    expect(parseEpoch(utf8Encode('12\n'), 'version-2/currentEpoch')).toBe(12);
  });

  it("fail with ZooKeeper's message", () => {
    expect(() => parseEpoch(utf8Encode('1x'), 'version-2/currentEpoch')).toThrow(new DataDirError('Found 1x in version-2/currentEpoch'));
    expect(() => parseEpoch(new Uint8Array(0), 'version-2/acceptedEpoch')).toThrow(new DataDirError('Found null in version-2/acceptedEpoch'));
    expect(() => parseEpoch(utf8Encode(' 1'), 'f')).toThrow('Found  1 in f');
  });

  it('myid is the first line, a number', () => {
    expect(parseMyid(encodeMyid(3))).toBe(3);
    expect(parseMyid(utf8Encode('2'))).toBe(2);
    expect(() => parseMyid(utf8Encode('two\n'))).toThrow(new DataDirError('serverid two is not a number'));
  });
});
