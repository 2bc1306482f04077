/** The trace hash of a lockstep run: equal hashes, equal runs (the determinism proof). */
import { utf8Encode } from '../../engine/util/bytes.ts';
import { sha1 } from '../../engine/util/sha1.ts';
import type { PlaygroundEvent } from '../playground/api.ts';
import { encodeTagged } from '../worker/tagged-json.ts';

/**
 * The trace hash: SHA-1 folded over the events in seq order, h(i+1) = SHA-1(h(i) ‖ the event's
 * tagged JSON), from 20 zero bytes, so a run can fold events in as it drops them.
 */
export function traceHash(events: readonly PlaygroundEvent[]): string {
  let h = traceHashSeed();
  for (const e of events) h = traceHashStep(h, e);
  return toHex(h);
}

export function traceHashSeed(): Uint8Array {
  return new Uint8Array(20);
}

export function traceHashStep(h: Uint8Array, e: PlaygroundEvent): Uint8Array {
  const body = utf8Encode(encodeTagged(e));
  const buf = new Uint8Array(h.length + body.length);
  buf.set(h);
  buf.set(body, h.length);
  return sha1(buf);
}

export function toHex(b: Uint8Array): string {
  let hex = '';
  for (const x of b) hex += x.toString(16).padStart(2, '0');
  return hex;
}
