/**
 * Runs as data: the ensemble shape read from zoo.cfg, a RunRecord's JSON and its share link
 * (lz-string compressed into the URL hash: `#run=<compressed JSON>`). Opening a share link
 * replays the run in lockstep (BrowserPlayground.replay).
 */
import LZString from 'lz-string';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { ConductorOptions } from '../conductor/lockstep.ts';
import { decodeTagged, encodeTagged } from '../worker/tagged-json.ts';
import { playgroundProtocolVersion, type RunConfig, type RunRecord } from './api.ts';

/** The virtual start of every run (fixed, so a run's txn times are part of its determinism). */
export const runStartMs = Date.UTC(2026, 0, 1, 12, 0, 0);

/** tickTime, initLimit, syncLimit, snapCount, autopurge.* and server.N lines of a zoo.cfg (observers by `:observer`). */
export function ensembleOf(config: RunConfig): ConductorOptions {
  const values = new Map<string, string>();
  const voters: Sid[] = [];
  const observers: Sid[] = [];
  for (const raw of config.zooCfg.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const m = /^server\.(\d+)$/.exec(key);
    if (m) (value.includes(':observer') ? observers : voters).push(Number(m[1]));
    else values.set(key, value);
  }
  voters.sort((a, b) => a - b);
  observers.sort((a, b) => a - b);
  if (voters.length === 0) voters.push(1);
  const num = (k: string, d: number): number => {
    const n = Number(values.get(k));
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  const purgeInterval = Number(values.get('autopurge.purgeInterval'));
  return {
    voters, observers, tickTime: num('tickTime', 2000), initLimit: num('initLimit', 10), syncLimit: num('syncLimit', 5), seed: config.seed, startMs: runStartMs,
    initiallyDown: config.initiallyDown ?? [],
    ...(values.has('snapCount') ? { snapCount: num('snapCount', 100_000) } : {}),
    ...(Number.isInteger(purgeInterval) && purgeInterval > 0 ? { autopurge: { purgeInterval, snapRetainCount: num('autopurge.snapRetainCount', 3) } } : {}),
  };
}

export function runToJson(run: RunRecord): string {
  return encodeTagged(run);
}

/** Why a version 2 live record replays inexactly (api.ts, version 3). */
export const versionTwoInexact = 'recorded by an earlier version of the playground (run version 2): its live schedule cannot be checked here, so its actions replay in lockstep';

/**
 * A run record from its JSON. Version 1 (a lockstep run's actions, before live schedules) loads
 * as it is; version 2 too, without its live schedule (`inexact` says why); a live schedule of
 * another format is refused, never replayed inexactly.
 */
export function runFromJson(text: string): RunRecord {
  const run = decodeTagged<Omit<RunRecord, 'version'> & { version: unknown }>(text);
  if (run === null || typeof run !== 'object' || typeof run.config !== 'object' || !Array.isArray(run.actions)) throw new Error('not a run record');
  if (run.version === 1) return { ...run, version: playgroundProtocolVersion, live: undefined };
  if (run.version === 2) {
    // its live schedule's hash covers version 2's events (one messageDelivered per message)
    if (run.live === undefined) return { ...run, version: playgroundProtocolVersion };
    return { ...run, version: playgroundProtocolVersion, live: undefined, inexact: versionTwoInexact };
  }
  if (run.version !== playgroundProtocolVersion) throw new Error(`run version ${String(run.version)}, expected ${playgroundProtocolVersion} (or 1, 2)`);
  if (run.live !== undefined && (run.live.format !== 1 || !Array.isArray(run.live.main) || !Array.isArray(run.live.servers))) throw new Error('a live schedule of an unknown format');
  return run as RunRecord;
}

/** A share link longer than this is refused (browsers take URLs of about 2 MB); the JSON export has no bound. */
export const shareLinkCharsMax = 1_900_000;

export function shareHash(run: RunRecord): string {
  return `#run=${LZString.compressToEncodedURIComponent(runToJson(run))}`;
}

/** The run in a location hash, or null when there is none. */
export function runFromHash(hash: string): RunRecord | null {
  const m = /[#&]run=([^&]+)/.exec(hash);
  if (!m) return null;
  const json = LZString.decompressFromEncodedURIComponent(m[1]);
  return json ? runFromJson(json) : null;
}
