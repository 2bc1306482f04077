import { useMemo } from 'react';
import { translator, type Translate } from '../i18n/i18n.ts';
import { selectLang, usePlayground } from '../store/store.ts';

export function useT(): Translate {
  const lang = usePlayground(selectLang);
  return useMemo(() => translator(lang), [lang]);
}
