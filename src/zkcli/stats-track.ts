/**
 * org.apache.zookeeper.StatsTrack and Quotas: the text kept in /zookeeper/quota/<path>/
 * zookeeper_limits and zookeeper_stats, e.g. `count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1`.
 *
 * toString writes count and bytes first, and when there are other keys it adds an extra `=`
 * ("to trick old parsing code") before `;key=value` pairs in sorted order: that `=` is the
 * "formatting bug" listquota shows. Parsing splits on runs of `,` and `;`, then each pair on `=`;
 * an empty value means -1, a pair without a value throws ArrayIndexOutOfBoundsException and a bad
 * number NumberFormatException (an IllegalArgumentException, so zkCli's quota commands print it).
 */
import { utf8Decode } from '../engine/util/bytes.ts';
import { javaParseLong } from './java-number.ts';
import { JavaThrowable } from './java-throwable.ts';
import { IllegalArgumentException } from './zk-api.ts';
import { javaSplit } from '../engine/acl/java-string.ts';

export const quotaZookeeper = '/zookeeper/quota';
export const procZookeeper = '/zookeeper';
export const limitNode = 'zookeeper_limits';
export const statNode = 'zookeeper_stats';

export const quotaPath = (path: string): string => quotaZookeeper + path;
export const limitPath = (path: string): string => `${quotaZookeeper}${path}/${limitNode}`;
export const statPath = (path: string): string => `${quotaZookeeper}${path}/${statNode}`;
export const trimQuotaPath = (path: string): string => path.slice(quotaZookeeper.length);

export type StatsKey = 'count' | 'bytes' | 'countHardLimit' | 'byteHardLimit';

/** Where `new StatsTrack(data)` was called, for the trace of an unparsable node. */
export type StatsTrackCaller = readonly string[];

export class StatsTrack {
  private readonly stats = new Map<string, bigint>();

  get(key: StatsKey): bigint {
    return this.stats.get(key) ?? -1n;
  }

  set(key: StatsKey, value: bigint): this {
    this.stats.set(key, value);
    return this;
  }

  toString(): string {
    let buf = `count=${this.get('count')},bytes=${this.get('bytes')}`;
    const keys = [...this.stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
    if (keys.length > 0) {
      buf += '=';
      for (const key of keys) buf += `;${key}=${this.stats.get(key)}`;
    }
    return buf;
  }

  /** `new StatsTrack(byte[])`; `callers` are the frames above the constructor for a crash. */
  static parse(data: Uint8Array | null, callers: StatsTrackCaller): StatsTrack {
    const frames = ['org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:74)', 'org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:57)'];
    if (data === null) {
      throw new JavaThrowable('java.lang.NullPointerException', 'Cannot read the array length because "bytes" is null', [
        'java.base/java.lang.String.<init>(String.java:1387)',
        'org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:57)',
        ...callers,
      ]);
    }
    const track = new StatsTrack();
    const text = utf8Decode(data);
    if (text.length === 0) return track;
    for (const pair of splitPairs(text)) {
      const kv = javaSplit(pair, '=');
      if (kv.length < 2) {
        throw new JavaThrowable('java.lang.ArrayIndexOutOfBoundsException',
          `Index ${kv.length} out of bounds for length ${kv.length}`, [...frames, ...callers]);
      }
      const value = javaParseLong(kv[1] === '' ? '-1' : kv[1]);
      if (!value.ok) throw new IllegalArgumentException(value.error.javaMessage ?? '');
      track.stats.set(kv[0], value.value);
    }
    return track;
  }
}

/**
 * Pattern.compile("[,;]+").split(text): a separator at the very start leaves a leading "",
 * trailing empty strings are dropped, and no separator at all returns the text itself.
 */
function splitPairs(text: string): string[] {
  if (!/[,;]/.test(text)) return [text];
  const parts = text.split(/[,;]+/);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
