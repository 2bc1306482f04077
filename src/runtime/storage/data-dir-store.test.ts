import { describe, expect, it } from 'vitest';
import { DataDirStore, type DataDirStoreOptions } from './data-dir-store.ts';
import { MemoryDisk } from './memory-disk.ts';
import { readAll } from './disk.ts';
import { DataTree } from '../../engine/datatree/data-tree.ts';
import { DataDirError, logPath, snapshotPath, versionDir } from '../../engine/storage/data-dir.ts';
import { recover } from '../../engine/storage/recover.ts';
import { encodeTreeSnapshot, snapshotOf } from '../../engine/storage/snapshot.ts';
import type { StorageEvent, StorageRequest } from '../../engine/storage/storage-io.ts';
import { noLogFilesToTruncate } from '../../engine/storage/txn-log.ts';
import {
  canonicalTree, createTxn, entry, randomTxns, seededRandom, sessionsOf, treeOf,
} from '../../engine/storage/txn-fixtures.ts';
import { zxidEpoch, type SessionId, type Zxid } from '../../engine/protocol/ids.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';

/**
 * A stand-in for a server: it logs txns through the store and applies each one once it is
 * persisted (as a standalone server does), so periodic snapshots see a real, lagging tree.
 */
class Harness {
  readonly disk: MemoryDisk;
  store!: DataDirStore;
  tree!: DataTree;
  sessions!: Map<SessionId, number>;
  epoch = 0;
  appended: TxnEntry[] = [];
  flushedZxid: Zxid = 0n;
  readonly events: StorageEvent[] = [];

  constructor(readonly options: Omit<DataDirStoreOptions, 'takeSnapshot'>, disk?: MemoryDisk) {
    this.disk = disk ?? new MemoryDisk();
    if (disk === undefined) DataDirStore.format(this.disk, 1);
    this.open();
  }

  open(): void {
    const { store, recovered } = DataDirStore.open(this.disk, { ...this.options, takeSnapshot: () => encodeTreeSnapshot(this.tree, this.sessionTable()) });
    this.store = store;
    this.tree = recovered.tree;
    this.sessions = recovered.sessions;
    this.epoch = recovered.currentEpoch;
    this.flushedZxid = recovered.lastProcessedZxid;
    this.appended = [];
  }

  image() {
    return snapshotOf(this.tree, this.sessionTable());
  }

  sessionTable() {
    return [...this.sessions].map(([id, timeout]) => ({ id, timeout }));
  }

  /** Logs a batch, with the epoch files written first when the batch opens a new epoch. */
  log(batch: readonly TxnEntry[], flush: boolean): StorageEvent[] {
    const reqs: StorageRequest[] = [];
    const e = zxidEpoch(batch[batch.length - 1].hdr.zxid);
    if (e > this.epoch) {
      reqs.push({ type: 'writeEpoch', file: 'acceptedEpoch', value: e }, { type: 'writeEpoch', file: 'currentEpoch', value: e });
      this.epoch = e;
    }
    reqs.push({ type: 'appendTxns', entries: batch });
    if (flush) reqs.push({ type: 'flush', upToZxid: batch[batch.length - 1].hdr.zxid });
    this.appended.push(...batch);
    const events = this.store.execute(reqs);
    this.events.push(...events);
    for (const ev of events) if (ev.type === 'persisted') this.onPersisted(ev.zxid);
    return events;
  }

  private onPersisted(zxid: Zxid): void {
    this.flushedZxid = zxid;
    for (const e of this.appended) {
      if (e.hdr.zxid > zxid || e.hdr.zxid <= this.tree.lastProcessedZxid) continue;
      if (e.txn.type === 'createSession') this.sessions.set(e.hdr.clientId, e.txn.timeOut);
      if (e.txn.type === 'closeSession') this.sessions.delete(e.hdr.clientId);
      this.tree.applyTxn(e.hdr, e.txn);
    }
  }
}

const base = { extendedTypesEnabled: false, snapCount: 100_000, random: seededRandom(1) };

function prefixUpTo(entries: readonly TxnEntry[], zxid: Zxid): TxnEntry[] {
  return entries.filter((e) => e.hdr.zxid <= zxid);
}

describe('DataDirStore: start, log, restart', () => {
  it('formats, starts empty, writes snapshot.0 and both epoch files', () => {
    const h = new Harness(base);
    expect(h.disk.list()).toEqual(['myid', 'version-2/acceptedEpoch', 'version-2/currentEpoch', 'version-2/snapshot.0']);
    expect(h.tree.lastProcessedZxid).toBe(0n);
  });

  it('recovers everything after a clean shutdown', () => {
    const entries = randomTxns(3, 300);
    const h = new Harness(base);
    for (let i = 0; i < entries.length; i += 7) h.log(entries.slice(i, i + 7), true);
    const r = recover(readAll(h.disk), base);
    expect(canonicalTree(r.tree)).toEqual(canonicalTree(treeOf(entries)));
    expect(r.sessions).toEqual(sessionsOf(entries));
    expect(r.currentEpoch).toBe(zxidEpoch(entries[entries.length - 1].hdr.zxid));
  });

  it('a crash loses what was appended and not flushed: recovery ends at the last flushed zxid', () => {
    const entries = randomTxns(4, 100);
    const h = new Harness(base);
    h.log(entries.slice(0, 60), true);
    h.log(entries.slice(60), false);
    h.disk.crash();
    h.open();
    expect(h.tree.lastProcessedZxid).toBe(entries[59].hdr.zxid);
    expect(canonicalTree(h.tree)).toEqual(canonicalTree(treeOf(entries.slice(0, 60))));
  });

  it('a torn tail record is dropped, and the next start logs into a new file', () => {
    const entries = randomTxns(5, 40);
    const h = new Harness(base);
    h.log(entries.slice(0, 20), true);
    const log = logPath(entries[0].hdr.zxid);
    const flushed = h.disk.getSize(log);
    h.log(entries.slice(20, 21), false);
    const size = h.disk.getSize(log);
    const draws = [0, 0.5];
    h.disk.crash(() => draws.shift()!); // keeps none of the 1 buffered write but half its bytes: torn
    expect(h.disk.getSize(log)).toBe(flushed + Math.floor((size - flushed) / 2));
    h.open();
    expect(h.tree.lastProcessedZxid).toBe(entries[19].hdr.zxid);
    expect(h.store.notes.some((n) => n.startsWith('EOF inside a record.'))).toBe(true);
    h.log(entries.slice(20), true);
    expect(h.disk.exists(logPath(entries[20].hdr.zxid))).toBe(true);
    h.open();
    expect(canonicalTree(h.tree)).toEqual(canonicalTree(treeOf(entries)));
  });

  it('group commit: appends and flushes in a row make one fsync and one persisted, after the epoch files', () => {
    const h = new Harness(base);
    const es = [1n, 2n, 3n].map((c) => entry((1n << 32n) | c, createTxn(`/g${c}`)));
    const events = h.store.execute([
      { type: 'writeEpoch', file: 'acceptedEpoch', value: 1 },
      { type: 'appendTxns', entries: es.slice(0, 1) }, { type: 'flush', upToZxid: es[0].hdr.zxid },
      { type: 'appendTxns', entries: es.slice(1) }, { type: 'flush', upToZxid: es[2].hdr.zxid },
      { type: 'writeEpoch', file: 'currentEpoch', value: 1 },
    ]);
    expect(events).toEqual([
      { type: 'epochWritten', file: 'acceptedEpoch', value: 1 },
      { type: 'persisted', zxid: es[2].hdr.zxid },
      { type: 'epochWritten', file: 'currentEpoch', value: 1 },
    ]);
    expect(h.store.execute([{ type: 'appendTxns', entries: [entry((1n << 32n) | 4n, createTxn('/g4'))] }])).toEqual([]);
  });

  it('writes epoch files atomically: a crash never leaves a torn currentEpoch', () => {
    const h = new Harness(base);
    h.store.execute([{ type: 'writeEpoch', file: 'currentEpoch', value: 7 }, { type: 'writeEpoch', file: 'acceptedEpoch', value: 7 }]);
    h.disk.crash(seededRandom(3));
    expect(new TextDecoder().decode(h.disk.read(`${versionDir}/currentEpoch`))).toBe('7');
    expect(h.disk.exists(`${versionDir}/currentEpoch.tmp`)).toBe(false);
  });

  it('a SNAP-style writeSnapshot is durable and becomes the start point', () => {
    const entries = randomTxns(8, 50);
    const h = new Harness(base);
    const image = snapshotOf(treeOf(entries), [...sessionsOf(entries)].map(([id, timeout]) => ({ id, timeout })));
    expect(h.store.execute([{ type: 'writeSnapshot', snapshot: image }])).toEqual([{ type: 'snapshotWritten', zxid: image.zxid }]);
    h.store.execute([{ type: 'writeEpoch', file: 'acceptedEpoch', value: zxidEpoch(image.zxid) }, { type: 'writeEpoch', file: 'currentEpoch', value: zxidEpoch(image.zxid) }]);
    h.disk.crash();
    h.open();
    expect(canonicalTree(h.tree)).toEqual(canonicalTree(treeOf(entries)));
  });
});

describe('DataDirStore: snapCount', () => {
  it('rolls the log and snapshots after snapCount/2 + randRoll txns, each log named after its first zxid', () => {
    const entries = randomTxns(6, 200).filter((e) => zxidEpoch(e.hdr.zxid) === 0);
    const h = new Harness({ ...base, snapCount: 20, random: () => 0 });
    for (const e of entries) h.log([e], true);
    const logs = h.disk.list().filter((p) => p.includes('/log.'));
    const snaps = h.disk.list().filter((p) => p.includes('/snapshot.'));
    expect(logs.length).toBe(Math.ceil(entries.length / 11)); // 10 + 0 must be exceeded: 11 txns per log
    expect(logs).toContain(logPath(entries[11].hdr.zxid));
    expect(snaps.length).toBe(Math.floor(entries.length / 11) + 1);
    // the snapshot taken at the 11th append sees the tree as applied so far (10 txns)
    expect(snaps).toContain(snapshotPath(entries[9].hdr.zxid));
    h.disk.crash();
    h.open();
    expect(canonicalTree(h.tree)).toEqual(canonicalTree(treeOf(entries)));
  });

  it('is deterministic: the same seed writes the same bytes, another seed snapshots elsewhere', () => {
    const run = (seed: number): Map<string, Uint8Array> => {
      const h = new Harness({ ...base, snapCount: 30, random: seededRandom(seed) });
      const entries = randomTxns(9, 300);
      for (let i = 0; i < entries.length; i += 5) h.log(entries.slice(i, i + 5), i % 10 === 0);
      h.log(entries.slice(-1), true);
      return readAll(h.disk);
    };
    expect(run(77)).toEqual(run(77));
    expect([...run(77).keys()]).not.toEqual([...run(78).keys()]);
  });
});

describe('DataDirStore: TRUNC', () => {
  it('truncates, reports truncated, logs the next txns in a new file, and reloads', () => {
    const entries = randomTxns(10, 60).filter((e) => zxidEpoch(e.hdr.zxid) === 0).slice(0, 40);
    const h = new Harness(base);
    h.log(entries, true);
    const cut = entries[24].hdr.zxid;
    expect(h.store.execute([{ type: 'truncateLog', zxid: cut }])).toEqual([{ type: 'truncated', zxid: cut }]);
    expect(h.store.lastLogged()).toBe(cut);
    const db = h.store.reload();
    expect(canonicalTree(db.tree)).toEqual(canonicalTree(treeOf(entries.slice(0, 25))));
    const next = entry(cut + 1n, createTxn('/after-trunc'));
    h.store.execute([{ type: 'appendTxns', entries: [next] }, { type: 'flush', upToZxid: next.hdr.zxid }]);
    expect(h.disk.exists(logPath(next.hdr.zxid))).toBe(true);
    h.disk.crash();
    const r = recover(readAll(h.disk), base);
    expect(canonicalTree(r.tree)).toEqual(canonicalTree(treeOf([...entries.slice(0, 25), next])));
  });

  it('fails as ZooKeeper does when the log does not reach the zxid', () => {
    const h = new Harness(base);
    h.log([entry(1n, createTxn('/a'))], true);
    expect(() => h.store.execute([{ type: 'truncateLog', zxid: 5n }])).toThrow(new DataDirError(noLogFilesToTruncate));
  });
});

describe('DataDirStore: crash anywhere (property)', () => {
  const seeds = 60;

  it('without torn writes, the recovered state is exactly the durable prefix (flushed, or rolled)', () => {
    for (let seed = 1; seed <= seeds; seed++) {
      const random = seededRandom(seed * 7919);
      const entries = randomTxns(seed, 40 + Math.floor(random() * 160));
      const h = new Harness({ ...base, snapCount: 2 + Math.floor(random() * 40), random: seededRandom(seed) });
      const crashAt = Math.floor(random() * entries.length);
      for (let i = 0; i < crashAt;) {
        const n = 1 + Math.floor(random() * 6);
        h.log(entries.slice(i, Math.min(i + n, crashAt)), random() < 0.7);
        i += n;
      }
      const durable = h.store.lastDurable();
      expect(durable >= h.flushedZxid, 'durable covers every persisted').toBe(true);
      h.disk.crash();
      const r = recover(readAll(h.disk), base);
      const expected = prefixUpTo(entries, durable);
      expect(r.lastProcessedZxid, `seed ${seed}`).toBe(durable);
      expect(canonicalTree(r.tree), `seed ${seed}`).toEqual(canonicalTree(treeOf(expected)));
      expect(r.sessions, `seed ${seed}`).toEqual(sessionsOf(expected));
    }
  });

  it('with torn writes, the recovered state is a prefix between the flushed and the appended txns', () => {
    for (let seed = 1; seed <= seeds; seed++) {
      const random = seededRandom(seed * 104729);
      const entries = randomTxns(seed + 1000, 40 + Math.floor(random() * 160));
      const h = new Harness({ ...base, snapCount: 2 + Math.floor(random() * 40), random: seededRandom(seed) });
      const crashAt = 1 + Math.floor(random() * (entries.length - 1));
      for (let i = 0; i < crashAt;) {
        const n = 1 + Math.floor(random() * 6);
        h.log(entries.slice(i, Math.min(i + n, crashAt)), random() < 0.5);
        i += n;
      }
      h.disk.crash(seededRandom(seed));
      h.open(); // the real restart path: recover + repairs
      const z = h.tree.lastProcessedZxid;
      expect(z >= h.flushedZxid || h.flushedZxid === 0n, `seed ${seed}`).toBe(true);
      expect(z <= entries[crashAt - 1].hdr.zxid, `seed ${seed}`).toBe(true);
      expect(canonicalTree(h.tree), `seed ${seed}`).toEqual(canonicalTree(treeOf(prefixUpTo(entries, z))));
      // and the server goes on from there
      const rest = entries.filter((e) => e.hdr.zxid > z).slice(0, 20);
      if (rest.length > 0) h.log(rest, true);
      h.disk.crash();
      h.open();
      expect(canonicalTree(h.tree), `seed ${seed} after restart`).toEqual(canonicalTree(treeOf([...prefixUpTo(entries, z), ...rest])));
    }
  });
});

describe('DataDirStore: purge (autopurge)', () => {
  it('keeps the newest snapCount snapshots and their logs; recovery after any purge is unchanged', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const entries = randomTxns(seed, 400);
      const h = new Harness({ ...base, snapCount: 30, random: seededRandom(seed) });
      let purges = 0;
      for (let i = 0; i < entries.length; i += 9) {
        h.log(entries.slice(i, i + 9), true);
        if (i % 45 === 0) {
          const before = recover(readAll(h.disk), base);
          h.store.purge(3);
          purges++;
          const after = recover(readAll(h.disk), base);
          expect(canonicalTree(after.tree)).toEqual(canonicalTree(before.tree));
          expect(after.lastProcessedZxid).toBe(before.lastProcessedZxid);
          const snaps = h.disk.list().filter((p) => p.startsWith('version-2/snapshot.'));
          expect(snaps.length).toBeLessThanOrEqual(4); // 3 kept + at most one taken since
        }
      }
      expect(purges).toBeGreaterThan(5);
      h.store.purge(3);
      expect(h.disk.list().filter((p) => p.startsWith('version-2/snapshot.')).length).toBe(3);
      expect(h.store.notes).toContain('Purge task started.');
      expect(h.store.notes.some((n) => n.startsWith('Removing file: version-2/'))).toBe(true);
      h.open();
      expect(canonicalTree(h.tree)).toEqual(canonicalTree(treeOf(entries)));
    }
  });
});
