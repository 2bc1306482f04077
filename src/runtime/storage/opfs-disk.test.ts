import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import { OpfsDisk, type SyncFile } from './opfs-disk.ts';

/** A FileSystemSyncAccessHandle over bytes that survive "closing the browser". */
function fakeFile(store: { bytes: Uint8Array }): SyncFile {
  return {
    read: (buf, o) => {
      const at = o?.at ?? 0;
      const part = store.bytes.subarray(at, at + buf.length);
      buf.set(part);
      return part.length;
    },
    write: (buf, o) => {
      const at = o?.at ?? 0;
      const next = new Uint8Array(Math.max(store.bytes.length, at + buf.length));
      next.set(store.bytes);
      next.set(buf, at);
      store.bytes = next;
      return buf.length;
    },
    truncate: (size) => {
      store.bytes = store.bytes.slice(0, size);
    },
    getSize: () => store.bytes.length,
    flush: () => {},
    close: () => {},
  };
}

describe('OpfsDisk', () => {
  it('keeps flushed writes, renames and deletes across a restart and loses unflushed ones', () => {
    const store = { bytes: new Uint8Array() };
    const a = new OpfsDisk(fakeFile(store));
    a.write('myid', utf8Encode('1\n'), 0);
    a.flush('myid');
    a.write('version-2/x.tmp', utf8Encode('7'), 0);
    a.flush('version-2/x.tmp');
    a.rename('version-2/x.tmp', 'version-2/currentEpoch');
    a.write('version-2/log', utf8Encode('abc'), 'append');
    a.flush('version-2/log');
    a.write('version-2/log', utf8Encode('def'), 'append'); // never flushed: lost
    const b = new OpfsDisk(fakeFile(store));
    expect(b.list()).toEqual(['myid', 'version-2/currentEpoch', 'version-2/log']);
    expect(utf8Decode(b.read('version-2/log'))).toBe('abc');
    expect(utf8Decode(b.read('version-2/currentEpoch'))).toBe('7');
    b.delete('myid');
    expect(new OpfsDisk(fakeFile(store)).exists('myid')).toBe(false);
  });

  it('cuts a torn last record', () => {
    const store = { bytes: new Uint8Array() };
    const a = new OpfsDisk(fakeFile(store));
    a.write('f', utf8Encode('one'), 'append');
    a.flush('f');
    a.write('f', utf8Encode('two'), 'append');
    a.flush('f');
    store.bytes = store.bytes.slice(0, store.bytes.length - 3);
    const b = new OpfsDisk(fakeFile(store));
    expect(utf8Decode(b.read('f'))).toBe('one');
    expect(b.recovered.records).toBe(1);
    expect(b.recovered.tornBytes).toBeGreaterThan(0);
  });
});
