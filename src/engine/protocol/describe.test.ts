import { describe, expect, it } from 'vitest';
import { describeData } from './describe.ts';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('describeData', () => {
  it('prints printable ASCII as is, escapes the rest, and cuts at 32 bytes with "..."', () => {
    expect(describeData(null)).toBe('null');
    expect(describeData(bytes())).toBe('""');
    expect(describeData(new Uint8Array([...'hello world'].map((c) => c.charCodeAt(0))))).toBe('"hello world"');
    expect(describeData(bytes(0x61, 0x22, 0x5c, 0x0a, 0xff, 0x7f, 0x20))).toBe('"a\\x22\\x5c\\x0a\\xff\\x7f "');
    expect(describeData(new Uint8Array(100).fill(0x78))).toBe(`"${'x'.repeat(32)}..."`);
    expect(describeData(new Uint8Array(33).fill(0x01))).toBe(`"${'\\x01'.repeat(32)}..."`);
    // ASCII only: one byte a character in V8 (no '…')
    expect(/^[\x20-\x7e]*$/.test(describeData(new Uint8Array(200).fill(0xe2)))).toBe(true);
  });
});
