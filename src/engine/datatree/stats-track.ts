/**
 * StatsTrack (3.8.0): the text format of zookeeper_limits and zookeeper_stats nodes.
 * `count=2,bytes=-1` plus, when other keys exist, an extra `=` and `;key=value` pairs sorted
 * by key — the 3.8.0 formatting bug `count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1`.
 */
import type { Data } from '../protocol/client-protocol.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';

/** new StatsTrack(String): pairs split on [,;]+, each on '='; an empty value reads as -1. */
export function parseStatsTrack(data: Data): Map<string, number> {
  const out = new Map<string, number>();
  if (data === null || data.length === 0) return out;
  for (const pair of utf8Decode(data).split(/[,;]+/)) {
    const kv = pair.split('=');
    while (kv.length > 1 && kv[kv.length - 1] === '') kv.pop(); // Java's split drops trailing empties
    if (kv.length < 2) continue;
    const n = Number.parseInt(kv[1] === '' ? '-1' : kv[1], 10);
    if (!Number.isNaN(n)) out.set(kv[0], n);
  }
  return out;
}

/** StatsTrack.getValue: a missing key reads as -1. */
export function statsValue(track: ReadonlyMap<string, number>, key: string): number {
  return track.get(key) ?? -1;
}

export function formatStatsTrack(track: ReadonlyMap<string, number>): Uint8Array {
  const count = track.get('count') ?? -1;
  const bytes = track.get('bytes') ?? -1;
  let text = `count=${count},bytes=${bytes}`;
  const others = [...track.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
  if (others.length > 0) {
    text += '=';
    for (const k of others) text += `;${k}=${track.get(k)}`;
  }
  return utf8Encode(text);
}
