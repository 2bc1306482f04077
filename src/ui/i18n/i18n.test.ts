import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zh } from './zh.ts';
import { translator } from './i18n.ts';

describe('i18n', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('translates every key to a non-empty string with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zh[key].length).toBeGreaterThan(0);
      const ph = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(zh[key]), key).toEqual(ph(en[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translator('en')('srv.server', { sid: 3 })).toBe('Server 3');
    expect(translator('zh')('srv.server', { sid: 3 })).toBe('服务器 3');
  });
});
