import { describe, expect, it } from 'vitest';
import { describeData } from '../../engine/protocol/describe.ts';
import { readableDescribe } from './data-format.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('readableDescribe', () => {
  it('shows quotes, backslashes and UTF-8 as zkCli prints them', () => {
    expect(readableDescribe(`setData /a ${describeData(bytes('{"a":1}'))} version=0`)).toBe('setData /a "{"a":1}" version=0');
    expect(readableDescribe(describeData(bytes('C:\\tmp')))).toBe('"C:\\tmp"');
    expect(readableDescribe(describeData(bytes('数据')))).toBe('"数据"');
  });

  it('keeps control bytes and bytes that are not UTF-8 escaped', () => {
    expect(readableDescribe(describeData(bytes('a\nb')))).toBe('"a\\x0ab"');
    expect(readableDescribe(describeData(Uint8Array.of(0xff, 0x41)))).toBe('"\\xffA"');
    // a character cut by the 32-byte limit
    const cut = describeData(bytes('a'.repeat(31) + '数'));
    expect(readableDescribe(cut)).toBe(cut);
  });
});
