/** A tiny i18n: two dictionaries and `{name}` placeholders. */
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type Lang = 'en' | 'zh';
export type { MessageKey };

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, vars) => {
    const text = dict[key] ?? en[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

/** Text that comes in both languages inside data (lesson steps): pick one. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

export function pick(text: Bilingual, lang: Lang): string {
  return lang === 'zh' ? text.zh || text.en : text.en;
}
