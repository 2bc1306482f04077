/**
 * PeerStorage: a quorum peer's dataDir as its host uses it — recover the DurableState at start,
 * then carry out the storage part of every Ready (TRUNC, SNAP, txn appends, epoch files) and
 * hand back the completions to step, after an fsync (`Disk.flush`).
 *
 * `JournalPeerStorage` keeps the dataDir on any synchronous `Disk` (OPFS in the browser,
 * MemoryDisk in Node):
 *   myid                         the server id
 *   version-2/acceptedEpoch      decimal, written as ZooKeeper's writeLongToFile does (tmp, fsync, rename)
 *   version-2/currentEpoch       likewise
 *   version-2/log.journal        one line per txn (tagged JSON: bigint and bytes survive), group commit:
 *                                one flush per Ready, then one `persisted` for its last zxid
 *   version-2/snapshot.journal   the SNAP state (tmp, fsync, rename); the log restarts after it
 * A torn last line (a crash mid-append) is skipped at recovery, as FileTxnLog skips a torn record.
 *
 * Departure: ZooKeeper's log.<zxid>/snapshot.<zxid> binary files are what DataDirStore
 * (src/runtime/storage) writes; this journal keeps the same durability order with a simpler
 * encoding until the peer host over DataDirStore is wired in.
 */
import type { Epoch, Zxid } from '../../engine/protocol/ids.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import type { PeerInput, PeerReady } from '../../engine/quorum/peer-io.ts';
import type { DurableState, QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import { assert } from '../../engine/util/assert.ts';
import type { Disk } from '../storage/disk.ts';

export interface PeerStorage {
  /** what the dataDir holds now (recovery at start) */
  load(): DurableState;
  /** does the storage part of `r` and returns the completions, in order, to step */
  apply(r: PeerReady, peer: QuorumPeer): PeerInput[];
}

const logPath = 'version-2/log.journal';
const snapPath = 'version-2/snapshot.journal';
const epochPath = (f: 'acceptedEpoch' | 'currentEpoch'): string => `version-2/${f}`;
/** a bound on the txns recovered from one log */
export const journalEntriesMax = 1_000_000;

/** JSON with bigint and Uint8Array tagged, so a txn or a tree snapshot round-trips exactly. */
export function encodeTagged(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return { $b: v.toString() };
    if (v instanceof Uint8Array) return { $u: base64Encode(v) };
    return v;
  });
}

export function decodeTagged<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$b === 'string' && Object.keys(o).length === 1) return BigInt(o.$b);
      if (typeof o.$u === 'string' && Object.keys(o).length === 1) return base64Decode(o.$u) ?? new Uint8Array();
    }
    return v;
  }) as T;
}

export class JournalPeerStorage implements PeerStorage {
  constructor(private readonly disk: Disk, readonly sid: number) {
    if (!disk.exists('myid')) {
      disk.write('myid', utf8Encode(`${sid}\n`), 0);
      disk.flush('myid');
    }
  }

  load(): DurableState {
    const snapshot = this.disk.exists(snapPath) ? decodeTagged<NonNullable<DurableState['snapshot']>>(utf8Decode(this.disk.read(snapPath))) : null;
    const log: TxnEntry[] = [];
    if (this.disk.exists(logPath)) {
      const lines = utf8Decode(this.disk.read(logPath)).split('\n');
      assert(lines.length <= journalEntriesMax, 'log over journalEntriesMax');
      for (const line of lines) {
        if (line === '') continue;
        try {
          const e = decodeTagged<TxnEntry>(line);
          if (log.length === 0 || e.hdr.zxid > log[log.length - 1].hdr.zxid) log.push(e);
        } catch {
          break; // a torn record ends the log
        }
      }
    }
    return { acceptedEpoch: this.readEpoch('acceptedEpoch'), currentEpoch: this.readEpoch('currentEpoch'), snapshot, log };
  }

  apply(r: PeerReady, peer: QuorumPeer): PeerInput[] {
    const done: PeerInput[] = [];
    if (r.truncate !== null && r.truncate !== undefined) {
      this.truncate(r.truncate);
      done.push({ type: 'truncated', zxid: r.truncate });
    }
    if (r.snapshot) this.writeSnapshot(peer);
    if (r.persist.length > 0) {
      const text = r.persist.map((e) => encodeTagged(e) + '\n').join('');
      this.disk.write(logPath, utf8Encode(text), 'append');
      this.disk.flush(logPath);
      done.push({ type: 'persisted', zxid: r.persist[r.persist.length - 1].hdr.zxid });
    }
    for (const w of r.epochWrites) {
      this.writeAtomically(epochPath(w.file), String(w.value));
      done.push({ type: 'epochWritten', file: w.file, value: w.value });
    }
    return done;
  }

  private readEpoch(file: 'acceptedEpoch' | 'currentEpoch'): Epoch {
    const path = epochPath(file);
    if (!this.disk.exists(path)) return 0;
    const n = Number(utf8Decode(this.disk.read(path)).trim());
    assert(Number.isInteger(n) && n >= 0, `${path} holds ${n}`);
    return n;
  }

  private writeAtomically(path: string, text: string): void {
    const tmp = `${path}.tmp`;
    if (this.disk.exists(tmp)) this.disk.delete(tmp);
    this.disk.write(tmp, utf8Encode(text), 0);
    this.disk.flush(tmp);
    this.disk.rename(tmp, path);
  }

  private writeSnapshot(peer: QuorumPeer): void {
    this.writeAtomically(snapPath, encodeTagged(peer.takeSnapshot()));
    if (this.disk.exists(logPath)) this.disk.delete(logPath);
  }

  private truncate(zxid: Zxid): void {
    const kept = this.load().log.filter((e) => e.hdr.zxid <= zxid);
    this.writeAtomically(logPath, kept.map((e) => encodeTagged(e) + '\n').join(''));
  }
}
