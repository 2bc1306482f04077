/**
 * Builds the runtime and the store for one page: theme and language from localStorage (or the
 * browser), a shared run from the URL hash (#run=<lz-string of a RunRecord>).
 */
import { runFromHash, shareHash } from '../../runtime/playground/run-record.ts';
import type { RunMode, RunRecord } from '../../runtime/playground/api.ts';
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
  /** what switching live/lockstep does; the app sets it once its services exist */
  hooks: { modeChange: (mode: RunMode) => Promise<void> };
}

/** The share-link hash of a run, in the runtime's format (run-record.ts). */
export function shareLink(record: RunRecord): string {
  return shareHash(record);
}

function sharedRun(hash: string): RunRecord | null {
  try {
    return runFromHash(hash);
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
  const params = new URLSearchParams(location.search);
  const runtime = createRuntime(params.get('runtime'));
  const hooks = { modeChange: async (_mode: RunMode): Promise<void> => undefined };
  const shared = sharedRun(location.hash);
  const theme: Theme = stored<Theme>('zkp.theme', ['light', 'dark']) ?? (matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  const lang: Lang = (params.get('lang') as Lang | null) ?? stored<Lang>('zkp.lang', ['en', 'zh']) ?? (navigator.language.startsWith('zh') ? 'zh' : 'en');
  const seed = Number(params.get('seed') ?? shared?.config.seed ?? 1) || 1;
  const mode = shared ? 'lockstep' : params.get('mode') === 'lockstep' ? 'lockstep' : 'live';
  const store = createPlaygroundStore(runtime, {
    zooCfg: shared?.config.zooCfg ?? defaultZooCfg, seed, mode, theme: (params.get('theme') as Theme | null) ?? theme, lang,
  }, (m) => hooks.modeChange(m));
  return { runtime, store, shared, hooks };
}
