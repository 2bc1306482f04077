/** JSON with bigint and Uint8Array tagged, so trace events and run records round-trip exactly. */
import { base64Decode, base64Encode } from '../../engine/util/bytes.ts';

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
