/**
 * Builds the runtime and the store for one page: theme and language from localStorage (or the
 * browser), a shared run from the URL hash (#run=<lz-string of a RunRecord>).
 */
import LZString from 'lz-string';
import type { RunRecord } from '../../runtime/playground/api.ts';
import type { Lang } from '../i18n/i18n.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import { defaultZooCfg } from '../runtime/zoo-cfg-lite.ts';
import { createPlaygroundStore, type Runtime, type Theme } from '../store/store.ts';
import type { StoreApi } from 'zustand';
import type { PlaygroundState } from '../store/store.ts';

export interface Boot {
  readonly runtime: Runtime;
  readonly store: StoreApi<PlaygroundState>;
  readonly shared: RunRecord | null;
}

export function encodeRun(record: RunRecord): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(record));
}

export function decodeRun(text: string): RunRecord | null {
  try {
    const json = LZString.decompressFromEncodedURIComponent(text);
    if (!json) return null;
    const r = JSON.parse(json) as RunRecord;
    return r && r.config && Array.isArray(r.actions) ? r : null;
  } catch {
    return null;
  }
}

function stored<T extends string>(key: string, allowed: readonly T[]): T | null {
  try {
    const v = localStorage.getItem(key);
    return v && (allowed as readonly string[]).includes(v) ? (v as T) : null;
  } catch {
    return null;
  }
}

export function bootstrap(location: Location): Boot {
  const runtime = createRuntime();
  const m = /[#&]run=([^&]+)/.exec(location.hash);
  const shared = m ? decodeRun(m[1]) : null;
  const params = new URLSearchParams(location.search);
  const theme: Theme = stored<Theme>('zkp.theme', ['light', 'dark']) ?? (matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  const lang: Lang = (params.get('lang') as Lang | null) ?? stored<Lang>('zkp.lang', ['en', 'zh']) ?? (navigator.language.startsWith('zh') ? 'zh' : 'en');
  const seed = Number(params.get('seed') ?? shared?.config.seed ?? 1) || 1;
  const store = createPlaygroundStore(runtime, {
    zooCfg: shared?.config.zooCfg ?? defaultZooCfg, seed, mode: shared?.config.mode ?? 'live', theme: (params.get('theme') as Theme | null) ?? theme, lang,
  });
  return { runtime, store, shared };
}
