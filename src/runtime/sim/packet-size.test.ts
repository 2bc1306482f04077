import { describe, expect, it } from 'vitest';
import { utf8Length } from './packet-size.ts';

describe('utf8Length', () => {
  it('counts what TextEncoder writes, lone surrogates included', () => {
    const samples = ['', '/a', '/zookeeper/quota', 'é', '€', '/节点/子', '😀', 'a😀b', '\ud800', '\udc00x', 'x\ud83d', '\ud83d\ud83d\ude00', '\u07ff\u0800\uffff'];
    for (const s of samples) expect(utf8Length(s), JSON.stringify(s)).toBe(new TextEncoder().encode(s).length);
  });
});
