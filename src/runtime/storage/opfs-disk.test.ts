import { describe, expect, it } from 'vitest';
import { bytesEqual, utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import { crc32 } from '../../engine/util/sha1.ts';
import { FakeOpfs } from './fake-opfs.ts';
import { MemoryDisk } from './memory-disk.ts';
import { DataDirStore } from './data-dir-store.ts';
import { canonicalTree, randomTxns, seededRandom, sessionsOf, treeOf } from '../../engine/storage/txn-fixtures.ts';
import { encodeTreeSnapshot } from '../../engine/storage/snapshot.ts';
import { zxidEpoch, type SessionId } from '../../engine/protocol/ids.ts';
import { openOpfsDisk, spareFilesTarget, type OpfsDisk } from './opfs-disk.ts';

const root = 'zk-playground';

async function open(fs: FakeOpfs, sid = 1): Promise<OpfsDisk> {
  return openOpfsDisk(sid, root, fs.root());
}

function text(d: OpfsDisk, path: string): string {
  return utf8Decode(d.read(path));
}

function contents(d: { list(): string[]; read(p: string): Uint8Array }): Map<string, Uint8Array> {
  return new Map(d.list().map((p) => [p, d.read(p)]));
}

function show(files: Map<string, Uint8Array>): string {
  return [...files].map(([p, b]) => `${p}=${utf8Decode(b)}`).join(' ');
}

describe('OpfsDisk', () => {
  it('keeps flushed writes, renames and deletes across a restart and loses unflushed ones', async () => {
    const fs = new FakeOpfs();
    const a = await open(fs);
    a.write('myid', utf8Encode('1\n'), 0);
    a.flush('myid');
    a.write('version-2/x.tmp', utf8Encode('7'), 0);
    a.flush('version-2/x.tmp');
    a.rename('version-2/x.tmp', 'version-2/currentEpoch');
    a.write('version-2/log', utf8Encode('abc'), 'append');
    a.flush('version-2/log');
    a.write('version-2/log', utf8Encode('def'), 'append'); // never flushed: lost
    expect(text(a, 'version-2/log')).toBe('abcdef');
    fs.restart(); // killed before the background ran: the journal holds the names
    const b = await open(fs);
    expect(b.list()).toEqual(['myid', 'version-2/currentEpoch', 'version-2/log']);
    expect(text(b, 'version-2/log')).toBe('abc');
    expect(text(b, 'version-2/currentEpoch')).toBe('7');
    b.delete('myid');
    fs.restart();
    expect((await open(fs)).exists('myid')).toBe(false);
  });

  it('brings the directory to the ZooKeeper layout and empties its journal', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs, 2);
    d.write('myid', utf8Encode('2\n'), 0);
    d.flush('myid');
    d.write('version-2/acceptedEpoch.tmp', utf8Encode('1'), 0);
    d.flush('version-2/acceptedEpoch.tmp');
    d.rename('version-2/acceptedEpoch.tmp', 'version-2/acceptedEpoch');
    d.write('version-2/log.100000001', utf8Encode('header'), 0);
    d.write('version-2/log.100000001', utf8Encode('+rec'), 'append');
    d.flush('version-2/log.100000001');
    expect(d.journalBytes()).toBeGreaterThan(0);
    expect(d.placement().get('version-2/acceptedEpoch')).toMatch(/^s:spare-/);
    await d.idle();
    expect(d.journalBytes()).toBe(0);
    expect(d.freeSpareCount()).toBe(spareFilesTarget);
    expect([...d.placement().values()].every((id) => id.startsWith('d:'))).toBe(true);
    expect(show(fs.files(`${root}/server-2`))).toBe('myid=2\n version-2/acceptedEpoch=1 version-2/log.100000001=header+rec');
    const meta = fs.files(`${root}/server-2.meta`);
    expect(meta.get('journal')?.length).toBe(0);
    expect([...meta.values()].every((b) => b.length === 0)).toBe(true);
    // writes after the move go to the home file
    d.write('version-2/log.100000001', utf8Encode('+two'), 'append');
    expect(fs.files(`${root}/server-2`).get('version-2/log.100000001')?.length).toBe(10);
    d.flush('version-2/log.100000001');
    expect(utf8Decode(fs.files(`${root}/server-2`).get('version-2/log.100000001')!)).toBe('header+rec+two');
  });

  it('reads unflushed truncations and writes over the durable bytes', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs);
    d.write('f', utf8Encode('0123456789'), 0);
    d.flush('f');
    d.truncate('f', 4);
    d.write('f', utf8Encode('ab'), 6);
    expect(Array.from(d.read('f'))).toEqual([...utf8Encode('0123'), 0, 0, ...utf8Encode('ab')]);
    expect(text(d, 'f').slice(2, 5)).toBe(utf8Decode(d.read('f', 2, 3)));
    expect(d.getSize('f')).toBe(8);
    d.flush('f');
    fs.restart();
    const e = await open(fs);
    expect(Array.from(e.read('f'))).toEqual([...utf8Encode('0123'), 0, 0, ...utf8Encode('ab')]);
  });

  it('appends buffered in one growing buffer read and flush as written, from a buffer the caller reuses', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs);
    const ref = new MemoryDisk();
    const scratch = new Uint8Array(700);
    const both = (f: (x: OpfsDisk | MemoryDisk) => void): void => {
      f(d);
      f(ref);
    };
    for (let i = 0; i < 300; i++) {
      const n = 1 + ((i * 37) % 700); // past appendRoomBytes more than once
      scratch.fill(i & 0xff, 0, n);
      both((x) => x.write('version-2/log.1', scratch.subarray(0, n), 'append'));
      if (i % 50 === 7) both((x) => x.write('version-2/log.1', utf8Encode('@'), 3)); // not adjacent: a write of its own
      if (i % 90 === 11) both((x) => x.truncate('version-2/log.1', x.getSize('version-2/log.1') - 1));
      if (i % 40 === 0) expect(bytesEqual(d.read('version-2/log.1'), ref.read('version-2/log.1'))).toBe(true);
      if (i === 150) both((x) => x.flush('version-2/log.1'));
    }
    expect(bytesEqual(d.read('version-2/log.1'), ref.read('version-2/log.1'))).toBe(true);
    both((x) => x.flush('version-2/log.1'));
    const whole = ref.read('version-2/log.1');
    both((x) => x.write('version-2/log.1', scratch.subarray(0, 9), 'append')); // not flushed: lost
    fs.restart();
    const back = await open(fs);
    expect(bytesEqual(back.read('version-2/log.1'), whole)).toBe(true);
  });

  it('creates files over deleted ones of the same name without spares, and many more after reserve', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs);
    const names = Array.from({ length: 40 }, (_, i) => `version-2/log.${i + 1}`);
    await d.reserve(names.length);
    for (const p of names) {
      d.write(p, utf8Encode(p), 0);
      d.flush(p);
    }
    await d.idle();
    expect(fs.files(`${root}/server-1`).size).toBe(40);
    // written back at once: the spares are not needed, the old files are reused in place
    for (const p of d.list()) d.delete(p);
    const spares = d.freeSpareCount();
    for (const p of names) {
      d.write(p, utf8Encode(`again ${p}`), 0);
      d.flush(p);
    }
    expect(d.freeSpareCount()).toBe(spares);
    expect([...d.placement().values()].every((id) => id.startsWith('d:'))).toBe(true);
    fs.restart();
    const e = await open(fs);
    expect(text(e, 'version-2/log.7')).toBe('again version-2/log.7');
    expect(e.list().length).toBe(40);
  });

  it('handles renames in a cycle and a name created over a removed one', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs);
    for (const p of ['a', 'b']) {
      d.write(p, utf8Encode(p), 0);
      d.flush(p);
    }
    await d.idle();
    d.rename('a', 'c');
    d.rename('b', 'a');
    d.rename('c', 'b');
    d.delete('a');
    d.write('a', utf8Encode('new'), 0);
    d.flush('a');
    await d.idle();
    expect(show(fs.files(`${root}/server-1`))).toBe('a=new b=a');
    expect(d.journalBytes()).toBe(0);
  });

  it('moves the files of an earlier version\'s one-file journal out into the dataDir', async () => {
    const record = (op: number, path: string, extra: Uint8Array): Uint8Array => {
      const p = utf8Encode(path);
      const payload = new Uint8Array(3 + p.length + extra.length);
      payload[0] = op;
      new DataView(payload.buffer).setUint16(1, p.length);
      payload.set(p, 3);
      payload.set(extra, 3 + p.length);
      const rec = new Uint8Array(8 + payload.length);
      new DataView(rec.buffer).setUint32(0, payload.length);
      rec.set(payload, 4);
      new DataView(rec.buffer).setUint32(4 + payload.length, crc32(payload) >>> 0);
      return rec;
    };
    const write = (path: string, text: string, at: number): Uint8Array => {
      const b = utf8Encode(text);
      const extra = new Uint8Array(8 + b.length);
      new DataView(extra.buffer).setFloat64(0, at);
      extra.set(b, 8);
      return record(1, path, extra);
    };
    const to = utf8Encode('version-2/currentEpoch');
    const renameExtra = new Uint8Array(2 + to.length);
    new DataView(renameExtra.buffer).setUint16(0, to.length);
    renameExtra.set(to, 2);
    const parts = [
      write('myid', '1\n', 0), write('version-2/currentEpoch.tmp', '4', 0), record(3, 'version-2/currentEpoch.tmp', renameExtra),
      write('version-2/log.1', 'abc', -1), write('version-2/log.1', 'def', -1), write('gone', 'x', 0), record(4, 'gone', new Uint8Array()),
    ];
    const journal = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 5); // + a torn tail
    let at = 0;
    for (const p of parts) {
      journal.set(p, at);
      at += p.length;
    }
    const fs = new FakeOpfs();
    const dir = await (await fs.root().getDirectoryHandle(root, { create: true })).getDirectoryHandle('server-1', { create: true });
    const h = await (await dir.getFileHandle('dataDir.journal', { create: true })).createSyncAccessHandle();
    h.write(journal, { at: 0 });
    h.close();
    const d = await open(fs);
    expect(show(contents(d))).toBe('myid=1\n version-2/currentEpoch=4 version-2/log.1=abcdef');
    expect(show(fs.files(`${root}/server-1`))).toBe('myid=1\n version-2/currentEpoch=4 version-2/log.1=abcdef');
    fs.restart();
    expect(show(contents(await open(fs)))).toBe('myid=1\n version-2/currentEpoch=4 version-2/log.1=abcdef');
  });

  /**
   * A dataDir's life in Disk calls: myid, epoch files (tmp + fsync + rename), a log with group
   * commits, a roll, a snapshot, a truncation, deletes; with and without the background
   * catching up in between. `idle` marks where the worker yields to it.
   */
  type Call =
    | { readonly op: 'write'; readonly path: string; readonly bytes: string; readonly at: number | 'append' }
    | { readonly op: 'truncate'; readonly path: string; readonly size: number }
    | { readonly op: 'flush' | 'delete'; readonly path: string }
    | { readonly op: 'rename'; readonly path: string; readonly to: string }
    | { readonly op: 'idle' };

  function atomically(path: string, bytes: string): Call[] {
    const tmp = `${path}.tmp`;
    return [
      { op: 'write', path: tmp, bytes, at: 0 },
      { op: 'flush', path: tmp },
      { op: 'rename', path: tmp, to: path },
    ];
  }

  const v = 'version-2';
  const script: Call[] = [
    { op: 'write', path: 'myid', bytes: '1\n', at: 0 },
    { op: 'flush', path: 'myid' },
    { op: 'idle' },
    ...atomically(`${v}/acceptedEpoch`, '1'),
    { op: 'write', path: `${v}/log.100000001`, bytes: 'HDR|', at: 0 },
    { op: 'write', path: `${v}/log.100000001`, bytes: 'r1|', at: 'append' },
    { op: 'write', path: `${v}/log.100000001`, bytes: 'r2|', at: 'append' },
    { op: 'flush', path: `${v}/log.100000001` },
    ...atomically(`${v}/currentEpoch`, '1'),
    { op: 'idle' },
    { op: 'write', path: `${v}/log.100000001`, bytes: 'r3|', at: 'append' },
    { op: 'flush', path: `${v}/log.100000001` },
    { op: 'write', path: `${v}/log.100000001`, bytes: 'r4|', at: 'append' },
    // the roll: the old file fsynced, a new one opened, a snapshot taken
    { op: 'flush', path: `${v}/log.100000001` },
    { op: 'write', path: `${v}/log.100000005`, bytes: 'HDR|', at: 0 },
    ...atomically(`${v}/snapshot.100000004`, 'SNAPSHOT-OF-FOUR'),
    { op: 'write', path: `${v}/log.100000005`, bytes: 'r5|', at: 'append' },
    { op: 'flush', path: `${v}/log.100000005` },
    { op: 'idle' },
    ...atomically(`${v}/acceptedEpoch`, '2'),
    { op: 'write', path: `${v}/log.100000005`, bytes: 'r6|', at: 'append' },
    { op: 'write', path: `${v}/log.100000005`, bytes: 'r7|', at: 'append' },
    { op: 'flush', path: `${v}/log.100000005` },
    // TRUNC: cut the log back, fsync the cut
    { op: 'truncate', path: `${v}/log.100000005`, size: 7 },
    { op: 'flush', path: `${v}/log.100000005` },
    { op: 'delete', path: `${v}/log.100000001` },
    { op: 'idle' },
    { op: 'delete', path: `${v}/snapshot.100000004` },
    // a log file of that name again, over what the truncation left
    { op: 'truncate', path: `${v}/log.100000005`, size: 0 },
    { op: 'write', path: `${v}/log.100000005`, bytes: 'HDR|r5b|', at: 0 },
    { op: 'flush', path: `${v}/log.100000005` },
    ...atomically(`${v}/currentEpoch`, '2'),
    { op: 'idle' },
    // a checkpoint's dataDir written back: every file deleted, then written again
    { op: 'delete', path: 'myid' },
    { op: 'delete', path: `${v}/log.100000005` },
    { op: 'write', path: 'myid', bytes: '1\n', at: 0 },
    { op: 'flush', path: 'myid' },
    { op: 'write', path: `${v}/log.100000005`, bytes: 'HDR|r5c|', at: 0 },
    { op: 'flush', path: `${v}/log.100000005` },
    { op: 'idle' },
  ];

  function applyTo(d: { write: OpfsDisk['write']; truncate: OpfsDisk['truncate']; flush: OpfsDisk['flush']; rename: OpfsDisk['rename']; delete: OpfsDisk['delete'] }, c: Exclude<Call, { op: 'idle' }>): void {
    switch (c.op) {
      case 'write': return d.write(c.path, utf8Encode(c.bytes), c.at);
      case 'truncate': return d.truncate(c.path, c.size);
      case 'flush': return d.flush(c.path);
      case 'rename': return d.rename(c.path, c.to);
      case 'delete': return d.delete(c.path);
    }
  }

  function isPrefix(a: Uint8Array, b: Uint8Array): boolean {
    return a.length <= b.length && bytesEqual(a, b.subarray(0, a.length));
  }

  function sameFiles(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): boolean {
    return a.size === b.size && [...a].every(([p, x]) => b.has(p) && bytesEqual(x, b.get(p)!));
  }

  /**
   * What a crash inside call `c` may leave: the durable state before it, after it, or — for a
   * flush — that file part way (appends: the old bytes plus a prefix of the new; a flush that
   * truncates first: any prefix of the new bytes).
   */
  function allowed(got: Map<string, Uint8Array>, before: Map<string, Uint8Array>, after: Map<string, Uint8Array>, c: Call | null, truncating: boolean): boolean {
    if (sameFiles(got, before) || sameFiles(got, after)) return true;
    if (c === null || c.op !== 'flush') return false;
    const others = (m: Map<string, Uint8Array>): Map<string, Uint8Array> => new Map([...m].filter(([p]) => p !== c.path));
    if (!sameFiles(others(got), others(after)) || !got.has(c.path)) return false;
    const x = got.get(c.path)!;
    const old = before.get(c.path) ?? new Uint8Array();
    return isPrefix(x, after.get(c.path)!) && (truncating || isPrefix(old, x));
  }

  it('recovers a state the durability contract allows after a crash at every step', async () => {
    // a run without a crash: how many OPFS steps the script takes
    const clean = new FakeOpfs();
    const cd = await open(clean);
    const opened = clean.steps;
    for (const c of script) {
      if (c.op === 'idle') await cd.idle();
      else applyTo(cd, c);
    }
    await cd.idle();
    const total = clean.steps - opened;
    expect(total).toBeGreaterThan(60);
    expect(cd.journalBytes()).toBe(0);
    expect(show(clean.files(`${root}/server-1`))).toBe('myid=1\n version-2/acceptedEpoch=2 version-2/currentEpoch=2 version-2/log.100000005=HDR|r5c|');

    let crashes = 0;
    for (let n = 1; n <= total; n++) {
      const fs = new FakeOpfs();
      const d = await open(fs);
      const oracle = new MemoryDisk();
      fs.crashAt(n);
      let before = oracle.durableFiles();
      let after = before;
      let failedCall: Call | null = null;
      let truncating = false;
      const pendingTruncate = new Set<string>();
      try {
        for (const c of script) {
          failedCall = c;
          if (c.op === 'idle') {
            await d.idle();
            continue;
          }
          before = oracle.durableFiles();
          truncating = c.op === 'flush' && pendingTruncate.has(c.path);
          applyTo(oracle, c);
          after = oracle.durableFiles();
          if (c.op === 'truncate') pendingTruncate.add(c.path);
          if (c.op === 'flush') pendingTruncate.delete(c.path);
          applyTo(d, c);
          before = after;
        }
        failedCall = null;
        await d.idle();
      } catch (e) {
        expect(fs.dead, `step ${n}: ${String(e)}`).toBe(true);
      }
      if (!fs.dead) continue;
      crashes++;
      // the worker is gone: whatever its background was doing stops at the next OPFS call
      await d.idle().catch(() => {});
      fs.restart();
      const r = await open(fs);
      const got = contents(r);
      expect(
        allowed(got, before, after, failedCall, truncating),
        `crash at step ${n} in ${JSON.stringify(failedCall)}: got ${show(got)}; before ${show(before)}; after ${show(after)}`,
      ).toBe(true);
      // recovery caught the directory up: the names are the files, the journal is empty
      expect(show(fs.files(`${root}/server-1`))).toBe(show(got));
      expect(r.journalBytes()).toBe(0);
      // and the disk works on
      r.write('version-2/after', utf8Encode('x'), 0);
      r.flush('version-2/after');
      await r.idle();
      expect(fs.files(`${root}/server-1`).get('version-2/after')).toEqual(utf8Encode('x'));
    }
    expect(crashes).toBe(total);
  });

  it('a crash during recovery itself recovers on the next start', async () => {
    const fs = new FakeOpfs();
    const a = await open(fs);
    for (const c of script.slice(0, 12)) if (c.op !== 'idle') applyTo(a, c);
    const want = contents(a);
    for (let n = 1; ; n++) {
      fs.restart();
      fs.crashAt(n);
      let ok = true;
      try {
        await open(fs);
      } catch (e) {
        expect(fs.dead, String(e)).toBe(true);
        ok = false;
      }
      if (ok) break;
      expect(n).toBeLessThan(500);
    }
    fs.restart();
    // every flushed byte of the script's first calls is there, whatever recovery went through
    const got = contents(await open(fs));
    for (const [p, b] of oracleDurable(script.slice(0, 12))) expect(got.get(p), p).toEqual(b);
    expect([...got.keys()]).toEqual([...want.keys()]);
  });

  function oracleDurable(calls: Call[]): Map<string, Uint8Array> {
    const m = new MemoryDisk();
    for (const c of calls) if (c.op !== 'idle') applyTo(m, c);
    return m.durableFiles();
  }
});

describe('OpfsDisk against MemoryDisk', () => {
  it('random operations read the same at every step, and a kill keeps exactly the flushed bytes', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      const fs = new FakeOpfs();
      let d = await open(fs);
      const m = new MemoryDisk();
      const names = ['myid', 'version-2/a', 'version-2/b', 'version-2/log.1', 'x/y/z'];
      for (let i = 0; i < 300; i++) {
        const path = pick(names);
        const exists = m.exists(path);
        const r = random();
        if (!exists || r < 0.35) {
          const bytes = utf8Encode(`${seed}.${i};`.repeat(1 + Math.floor(random() * 4)));
          const at = !exists || random() < 0.6 ? 'append' : Math.floor(random() * (m.getSize(path) + 5));
          m.write(path, bytes, at);
          d.write(path, bytes, at);
        } else if (r < 0.45) {
          const size = Math.floor(random() * (m.getSize(path) + 3));
          m.truncate(path, size);
          d.truncate(path, size);
        } else if (r < 0.7) {
          m.flush(path);
          d.flush(path);
        } else if (r < 0.8) {
          const to = pick(names);
          m.rename(path, to);
          d.rename(path, to);
        } else if (r < 0.85) {
          m.delete(path);
          d.delete(path);
        } else if (r < 0.93) {
          await d.idle();
        } else {
          // killed (maybe with the background half way) and started again
          m.crash();
          fs.restart();
          d = await open(fs);
        }
        expect(show(contents(d)), `seed ${seed} step ${i}`).toBe(show(contents(m)));
        if (exists && m.exists(path)) {
          const at = Math.floor(random() * (m.getSize(path) + 2));
          const len = Math.floor(random() * 12);
          expect(d.read(path, at, len)).toEqual(m.read(path, at, len));
        }
      }
      await d.idle();
      expect(d.journalBytes()).toBe(0);
      m.crash();
      fs.restart();
      expect(show(contents(await open(fs)))).toBe(show(m.durableFiles()));
    }
  });
});

describe('DataDirStore over OpfsDisk', () => {
  it('logs, rolls, snapshots and restarts from real files; a kill loses only the unflushed batch', async () => {
    const fs = new FakeOpfs();
    const options = { extendedTypesEnabled: false, snapCount: 40, random: seededRandom(7) };
    const entries = randomTxns(11, 400);
    let disk = await open(fs, 3);
    DataDirStore.format(disk, 3);
    let tree = treeOf([]);
    let sessions = new Map<SessionId, number>();
    const start = (): DataDirStore => {
      const { store, recovered } = DataDirStore.open(disk, {
        ...options, takeSnapshot: () => encodeTreeSnapshot(tree, [...sessions].map(([id, timeout]) => ({ id, timeout }))),
      });
      tree = recovered.tree;
      sessions = recovered.sessions;
      return store;
    };
    let store = start();
    let flushed = 0;
    let epoch = 0;
    for (let i = 0; i < entries.length; i += 9) {
      const batch = entries.slice(i, i + 9);
      const e = zxidEpoch(batch[batch.length - 1].hdr.zxid);
      if (e > epoch) {
        store.execute([{ type: 'writeEpoch', file: 'acceptedEpoch', value: e }, { type: 'writeEpoch', file: 'currentEpoch', value: e }]);
        epoch = e;
      }
      const flush = i !== 369; // the batch 369..377 is appended and never flushed
      const events = store.execute([{ type: 'appendTxns', entries: batch }, ...(flush ? [{ type: 'flush' as const, upToZxid: batch[batch.length - 1].hdr.zxid }] : [])]);
      if (events.some((e) => e.type === 'persisted')) {
        flushed = i + batch.length;
        tree = treeOf(entries.slice(0, flushed));
        sessions = sessionsOf(entries.slice(0, flushed));
      }
      if (i % 4 === 0) await disk.idle();
      if (i === 180 || i === 369) {
        // the worker is killed (sometimes with the background half way) and starts again
        if (i === 369) flushed = i;
        fs.restart();
        disk = await open(fs, 3);
        store = start();
        expect(tree.lastProcessedZxid).toBe(entries[flushed - 1].hdr.zxid);
        expect(canonicalTree(tree)).toEqual(canonicalTree(treeOf(entries.slice(0, flushed))));
        if (i === 369) break;
      }
    }
    await disk.idle();
    const files = [...fs.files('zk-playground/server-3').keys()];
    expect(files).toEqual(disk.list());
    expect(files.filter((f) => f.startsWith('version-2/snapshot.')).length).toBeGreaterThan(3);
    expect(files.filter((f) => f.startsWith('version-2/log.')).length).toBeGreaterThan(3);
    expect(files).toContain('myid');
    expect(files).toContain('version-2/acceptedEpoch');
    expect(files).toContain('version-2/currentEpoch');
    expect(disk.journalBytes()).toBe(0);
  });
});

describe('OpfsDisk: a full OPFS', () => {
  it('a write that does not fit is an IO error in ZooKeeper\'s words, and what was flushed before survives', async () => {
    const fs = new FakeOpfs();
    const d = await open(fs);
    d.write('version-2/log.1', utf8Encode('first'), 0);
    d.flush('version-2/log.1');
    await d.idle();
    fs.quotaBytes = fs.totalBytes() + 10;
    d.write('version-2/log.1', new Uint8Array(100), 'append');
    expect(() => d.flush('version-2/log.1')).toThrow(/^java\.io\.IOException: No space left on device \(OPFS write of 100 bytes to log\.1: file error -8 FILE_ERROR_NO_SPACE\)$/);
    fs.restart();
    fs.quotaBytes = Infinity;
    const again = await open(fs);
    expect(text(again, 'version-2/log.1')).toBe('first');
  });
});
